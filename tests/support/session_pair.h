// A two-device fixture at the protocol level: alice and bob with prekeys,
// and a reference relay step (envelope -> delivery) for tests.
#ifndef CANDOR_TESTS_SUPPORT_SESSION_PAIR_H_
#define CANDOR_TESTS_SUPPORT_SESSION_PAIR_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

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
  Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind kind,
                                                      uint32_t id) override;
  Result<bool> PqRequired() override { return pq_spk_.has_value(); }
  Result<bool> LastResortUsed(const protocol::LastResortUse& use) override;
  // A PQXDH bundle: hands out (and keeps until consumed) a fresh one-time
  // prekey of each kind; the signed ML-KEM prekey is made on the first call
  // (from then on this device refuses classical first messages).
  crypto::PrekeyBundle Bundle(crypto::RandomSource& rng);
  // A bundle as a device from before PQXDH published it (X25519 only).
  crypto::PrekeyBundle ClassicalBundle(crypto::RandomSource& rng);
  // What a store does in CommitReceived with a new session's first message.
  void Consume(const protocol::IncomingMessage& first);
  void Consume(uint32_t one_time_prekey_id) { one_time_.erase(one_time_prekey_id); }

  std::string account;
  crypto::Ed25519KeyPair identity;
  uint32_t spk_id = 1;
  crypto::X25519KeyPair spk;
  std::map<uint32_t, crypto::X25519KeyPair> one_time_;
  uint32_t next_opk_id_ = 100;
  uint32_t pq_spk_id = 7;
  std::optional<crypto::MlKem768KeyPair> pq_spk_;
  std::map<uint32_t, crypto::MlKem768KeyPair> pq_one_time_;
  uint32_t next_pq_opk_id_ = 200;
  std::set<std::tuple<uint32_t, uint32_t, Bytes>> last_resort_uses_;
};

// What the reference relay does with an envelope: validate, time-stamp, tag.
Result<protocol::Delivery> Relay(const crypto::RelayKey& key, ByteView envelope,
                                 uint64_t server_time);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_SESSION_PAIR_H_
