// MemoryStore: peer identities, pending changes, markers and held
// deliveries, with the SQLCipher store's semantics (device_store_test.cc).
#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/protocol/memory_store.h"

namespace candor::protocol {

Result<std::optional<PeerIdentity>> MemoryStore::LoadPeerIdentity(std::string_view peer) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end()) return std::optional<PeerIdentity>();
  return it->second.identity;
}

Result<void> MemoryStore::TrustFirstIdentity(std::string_view peer,
                                             const crypto::Ed25519PublicKey& key) {
  Conversation& c = ConversationFor(peer);
  if (c.identity) {
    if (c.identity->identity_key != key) {
      return Error(Errc::kWrongPeer, "the peer already has a different trusted identity key");
    }
    return Ok();
  }
  c.identity = PeerIdentity{key, false, std::nullopt, std::nullopt};
  return Ok();
}

Result<void> MemoryStore::RecordIdentityChange(std::string_view peer,
                                               const crypto::Ed25519PublicKey& key, uint64_t now,
                                               std::optional<ByteView> delivery) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end() || !it->second.identity) {
    return Error(Errc::kNotFound, "no trusted identity key for this peer");
  }
  Conversation& c = it->second;
  if (c.identity->identity_key == key) {
    return Error(Errc::kInvalidArgument, "that is the trusted key, not a change");
  }
  if (c.identity->pending && *c.identity->pending != key) {
    return Error(Errc::kInvalidState, "another identity key is already pending for this peer");
  }
  if (!c.identity->pending) {
    c.identity->pending = key;
    c.identity->pending_since = now;
    c.changes.push_back({c.next_order++, c.identity->identity_key, key, now, std::nullopt});
  }
  if (delivery) {
    const EnvelopeDigest digest = DigestEnvelope(*delivery);
    const bool held = std::any_of(c.held.begin(), c.held.end(),
                                  [&](const HeldDelivery& h) { return h.digest == digest; });
    if (!held) c.held.push_back({digest, key, Bytes(delivery->begin(), delivery->end())});
    if (c.held.size() > kMaxHeldDeliveries) {
      c.held.erase(c.held.begin(), c.held.end() - static_cast<long>(kMaxHeldDeliveries));
    }
  }
  return Ok();
}

Result<std::vector<Bytes>> MemoryStore::AcceptIdentityChange(std::string_view peer, uint64_t now) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end() || !it->second.identity || !it->second.identity->pending) {
    return Error(Errc::kInvalidState, "no identity change is pending for this peer");
  }
  Conversation& c = it->second;
  const crypto::Ed25519PublicKey accepted = *c.identity->pending;
  c.identity = PeerIdentity{accepted, false, std::nullopt, std::nullopt};
  c.session.reset();
  for (IdentityChangeRecord& r : c.changes) {
    if (r.new_key == accepted && !r.accepted_at) r.accepted_at = now;
  }
  std::vector<Bytes> out;
  for (HeldDelivery& h : c.held) {
    if (h.identity_key == accepted) out.push_back(std::move(h.delivery));
  }
  c.held.clear();
  return out;
}

Result<void> MemoryStore::RejectIdentityChange(std::string_view peer) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end() || !it->second.identity || !it->second.identity->pending) {
    return Error(Errc::kInvalidState, "no identity change is pending for this peer");
  }
  it->second.identity->pending.reset();
  it->second.identity->pending_since.reset();
  it->second.held.clear();
  return Ok();
}

Result<void> MemoryStore::SetIdentityVerified(std::string_view peer, bool verified) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end() || !it->second.identity) {
    return Error(Errc::kNotFound, "no trusted identity key for this peer");
  }
  it->second.identity->verified = verified;
  return Ok();
}

Result<std::vector<IdentityChangeRecord>> MemoryStore::IdentityChanges(std::string_view peer) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end()) return std::vector<IdentityChangeRecord>();
  return it->second.changes;
}

}  // namespace candor::protocol
