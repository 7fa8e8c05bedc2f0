// A two-device fixture at the protocol level: alice and bob with prekeys,
// and a reference relay step (envelope -> delivery) for tests.
#ifndef CANDOR_TESTS_SUPPORT_SESSION_PAIR_H_
#define CANDOR_TESTS_SUPPORT_SESSION_PAIR_H_

#include <map>
#include <string>

#include "candor/crypto/franking.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"

namespace candor::testing {

// A device's keys; also the PrekeySource the responder side needs.
class TestDevice : public protocol::PrekeySource {
 public:
  TestDevice(crypto::RandomSource& rng, std::string account);
  const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) override;
  const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) override;
  // Hands out (and keeps until consumed) a fresh one-time prekey.
  crypto::PrekeyBundle Bundle(crypto::RandomSource& rng);
  void Consume(uint32_t one_time_prekey_id) { one_time_.erase(one_time_prekey_id); }

  std::string account;
  crypto::Ed25519KeyPair identity;
  uint32_t spk_id = 1;
  crypto::X25519KeyPair spk;
  std::map<uint32_t, crypto::X25519KeyPair> one_time_;
  uint32_t next_opk_id_ = 100;
};

// What the reference relay does with an envelope: validate, time-stamp, tag.
Result<protocol::Delivery> Relay(const crypto::RelayKey& key, ByteView envelope,
                                 uint64_t server_time);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_SESSION_PAIR_H_
