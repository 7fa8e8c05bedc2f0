#include "support/session_pair.h"

#include "candor/crypto/x3dh.h"
#include "candor/protocol/relay.h"

namespace candor::testing {

using namespace candor::crypto;

TestDevice::TestDevice(RandomSource& rng, std::string name)
    : account(std::move(name)),
      identity(Ed25519KeyPair::Generate(rng)),
      spk(X25519KeyPair::Generate(rng)) {}

const X25519KeyPair* TestDevice::FindSignedPrekey(uint32_t id) {
  return id == spk_id ? &spk : nullptr;
}

const X25519KeyPair* TestDevice::FindOneTimePrekey(uint32_t id) {
  auto it = one_time_.find(id);
  return it == one_time_.end() ? nullptr : &it->second;
}

Result<const MlKem768KeyPair*> TestDevice::FindPqPrekey(PqPrekeyKind kind, uint32_t id) {
  const MlKem768KeyPair* found = nullptr;
  if (kind == PqPrekeyKind::kLastResort) {
    if (id == pq_spk_id && pq_spk_) found = &*pq_spk_;
  } else if (auto it = pq_one_time_.find(id); it != pq_one_time_.end()) {
    found = &it->second;
  }
  return found;
}

Result<bool> TestDevice::LastResortUsed(const protocol::LastResortUse& use) {
  const ByteView ek = use.ephemeral_key.bytes();
  return last_resort_uses_.contains({use.pq_prekey_id, use.signed_prekey_id,
                                     Bytes(ek.begin(), ek.end())});
}

void TestDevice::Consume(const protocol::IncomingMessage& first) {
  if (first.consumed_one_time_prekey) one_time_.erase(*first.consumed_one_time_prekey);
  if (first.consumed_pq_one_time_prekey) pq_one_time_.erase(*first.consumed_pq_one_time_prekey);
  if (first.last_resort_use) {
    const ByteView ek = first.last_resort_use->ephemeral_key.bytes();
    last_resort_uses_.insert({first.last_resort_use->pq_prekey_id,
                              first.last_resort_use->signed_prekey_id,
                              Bytes(ek.begin(), ek.end())});
  }
}

PrekeyBundle TestDevice::ClassicalBundle(RandomSource& rng) {
  const uint32_t id = next_opk_id_++;
  auto [it, inserted] = one_time_.emplace(id, X25519KeyPair::Generate(rng));
  return PrekeyBundle{account,
                      identity.public_key(),
                      spk_id,
                      spk.public_key(),
                      SignSignedPrekey(identity, spk_id, spk.public_key()),
                      id,
                      it->second.public_key(),
                      std::nullopt,
                      std::nullopt};
}

PrekeyBundle TestDevice::Bundle(RandomSource& rng) {
  PrekeyBundle bundle = ClassicalBundle(rng);
  if (!pq_spk_) pq_spk_.emplace(MlKem768KeyPair::Generate(rng));
  bundle.pq_signed_prekey =
      SignedPqPrekey{pq_spk_id, pq_spk_->public_key(),
                     SignPqPrekey(identity, PqPrekeyKind::kLastResort, pq_spk_id,
                                  pq_spk_->public_key())};
  const uint32_t id = next_pq_opk_id_++;
  auto [it, inserted] = pq_one_time_.emplace(id, MlKem768KeyPair::Generate(rng));
  bundle.pq_one_time_prekey =
      SignedPqPrekey{id, it->second.public_key(),
                     SignPqPrekey(identity, PqPrekeyKind::kOneTime, id, it->second.public_key())};
  return bundle;
}

Result<protocol::Delivery> Relay(const RelayKey& key, ByteView envelope, uint64_t server_time) {
  CANDOR_ASSIGN_OR_RETURN(protocol::Relayed relayed,
                          protocol::RelayEnvelope(key, envelope, server_time));
  return protocol::DecodeDelivery(relayed.delivery);
}

}  // namespace candor::testing
