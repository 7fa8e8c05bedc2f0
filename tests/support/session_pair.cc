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

PrekeyBundle TestDevice::Bundle(RandomSource& rng) {
  const uint32_t id = next_opk_id_++;
  auto [it, inserted] = one_time_.emplace(id, X25519KeyPair::Generate(rng));
  return PrekeyBundle{account,
                      identity.public_key(),
                      spk_id,
                      spk.public_key(),
                      SignSignedPrekey(identity, spk_id, spk.public_key()),
                      id,
                      it->second.public_key()};
}

Result<protocol::Delivery> Relay(const RelayKey& key, ByteView envelope, uint64_t server_time) {
  CANDOR_ASSIGN_OR_RETURN(protocol::Relayed relayed,
                          protocol::RelayEnvelope(key, envelope, server_time));
  return protocol::DecodeDelivery(relayed.delivery);
}

}  // namespace candor::testing
