// Devices as an embedder has them: candor::Client over real SQLCipher stores
// in a temporary directory, a manual clock, and the reference relay. Shared
// by the client and report suites.
#ifndef CANDOR_TESTS_SUPPORT_CLIENT_WORLD_H_
#define CANDOR_TESTS_SUPPORT_CLIENT_WORLD_H_

#include <string>

#include "candor/client/client.h"
#include "candor/crypto/random.h"
#include "support/temp_dir.h"

namespace candor::testing {

class ClientWorld : public ::testing::Test {
 protected:
  static storage::StoreKey Key(uint8_t fill);
  client::Client Make(const std::string& account, uint8_t key_fill);
  // Through the relay; the sender handles the ack unless `ack` is false.
  // Returns the delivery.
  Bytes Relay(client::Client& from, const client::SentMessage& sent, bool ack = true);
  Bytes SendFirst(client::Client& from, client::Client& to, const std::string& text);
  Bytes SendNext(client::Client& from, client::Client& to, const std::string& text,
                 bool ack = true);
  // SendNext, then the recipient receives; returns the recipient's message id.
  int64_t Exchange(client::Client& from, client::Client& to, const std::string& text,
                   bool ack = true);

  crypto::InsecureDeterministicRandom rng_{11};
  client::ManualClock clock_{1'750'000'000};
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  ScopedTempDir tmp_;
};

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_CLIENT_WORLD_H_
