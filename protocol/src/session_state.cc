// Session <-> candor.local.SessionState. Protobuf holds key bytes in
// std::string fields; StateProto wipes every one of them before the message
// is released, and the serialized form goes straight into SecretBytes.
#include <algorithm>
#include <limits>

#include "candor/crypto/limits.h"
#include "candor/crypto/x3dh.h"
#include "candor/local/session_state.pb.h"
#include "candor/protocol/session.h"
#include "strict_parse.h"

namespace candor::protocol {

using internal::CheckAccountField;
using internal::ToString;

namespace {

void Wipe(std::string* s) { candor::internal::SecureWipe(s->data(), s->size()); }

struct StateProto {
  local::SessionState pb;
  ~StateProto() {
    for (std::string* s :
         {pb.mutable_dh_self_private(), pb.mutable_root_key(), pb.mutable_send_chain(),
          pb.mutable_recv_chain(), pb.mutable_send_header_key(), pb.mutable_recv_header_key(),
          pb.mutable_next_send_header_key(), pb.mutable_next_recv_header_key()}) {
      Wipe(s);
    }
    for (auto& chain : *pb.mutable_skipped()) {
      Wipe(chain.mutable_header_key());
      for (auto& key : *chain.mutable_keys()) Wipe(key.mutable_message_key());
    }
  }
};

std::string Secret(const SecretArray<32>& key) { return ToString(key.Expose()); }
std::string OptionalSecret(const std::optional<SecretArray<32>>& key) {
  return key ? Secret(*key) : std::string();
}

Result<SecretArray<32>> SecretField(const std::string& v, std::string_view name) {
  if (v.size() != 32) {
    return Error(Errc::kBadFieldLength, "session." + std::string(name) + " must be 32 bytes");
  }
  return SecretArray<32>::CopyFrom(AsBytes(v));
}

Result<std::optional<SecretArray<32>>> OptionalSecretField(const std::string& v,
                                                           std::string_view name) {
  if (v.empty()) return std::optional<SecretArray<32>>();
  CANDOR_ASSIGN_OR_RETURN(auto key, SecretField(v, name));
  return std::optional<SecretArray<32>>(std::move(key));
}

// The AD is the X3DH AD of this session's two identities and accounts, in
// one order or the other (initiator first): the ratchet copies it into a
// fixed buffer on every message and aborts on a longer one, and a
// different one would only make every message fail. Checked against the
// fields already validated, so a corrupt store is refused here.
Result<void> CheckAssociatedData(const std::string& ad, const crypto::Ed25519PublicKey& local_ik,
                                 const crypto::Ed25519PublicKey& remote_ik,
                                 std::string_view local_account, std::string_view remote_account) {
  if (ad.empty()) return Error(Errc::kMissingField, "session.associated_data is missing");
  CANDOR_ASSIGN_OR_RETURN(Bytes as_initiator, crypto::X3dhAssociatedData(
                                                  local_ik, remote_ik, local_account, remote_account));
  CANDOR_ASSIGN_OR_RETURN(Bytes as_responder, crypto::X3dhAssociatedData(
                                                  remote_ik, local_ik, remote_account, local_account));
  const ByteView stored = AsBytes(ad);
  auto same = [&](const Bytes& expected) {
    return std::equal(stored.begin(), stored.end(), expected.begin(), expected.end());
  };
  if (!same(as_initiator) && !same(as_responder)) {
    return Error(Errc::kFieldOutOfRange,
                 "session.associated_data is not the X3DH AD of the session's identities and accounts");
  }
  return Ok();
}

// What SkippedKeys::Restore assumes of stored keys: each header key once,
// keys within a chain in ascending n and insertion (sequence) order, every
// sequence below skipped_next_sequence, and a next sequence that cannot
// wrap. A state breaking these would evict the wrong keys or hand out a
// sequence twice; it is refused instead.
Result<void> CheckSkippedOrder(const local::SessionState& pb) {
  // Counted first so the pairwise header-key check stays small.
  size_t total = 0;
  for (const auto& chain : pb.skipped()) total += static_cast<size_t>(chain.keys_size());
  if (total > kMaxSkippedKeys) {
    return Error(Errc::kFieldOutOfRange, "session holds more than kMaxSkippedKeys");
  }
  if (pb.skipped_next_sequence() == std::numeric_limits<uint64_t>::max()) {
    return Error(Errc::kFieldOutOfRange, "session.skipped_next_sequence is at its maximum");
  }
  for (int i = 0; i < pb.skipped_size(); ++i) {
    const auto& chain = pb.skipped(i);
    for (int j = 0; j < i; ++j) {
      if (pb.skipped(j).header_key() == chain.header_key()) {
        return Error(Errc::kFieldOutOfRange, "session.skipped names a header key twice");
      }
    }
    for (int k = 0; k < chain.keys_size(); ++k) {
      const auto& key = chain.keys(k);
      if (key.sequence() >= pb.skipped_next_sequence()) {
        return Error(Errc::kFieldOutOfRange, "session.skipped key is not behind skipped_next_sequence");
      }
      if (k > 0 && (key.n() <= chain.keys(k - 1).n() || key.sequence() <= chain.keys(k - 1).sequence())) {
        return Error(Errc::kFieldOutOfRange, "session.skipped keys are out of order");
      }
    }
  }
  return Ok();
}

template <typename Key>
Result<Key> PublicField(const std::string& v, std::string_view name) {
  CANDOR_ASSIGN_OR_RETURN(auto bytes, internal::FixedBytes<32>(v, "session." + std::string(name)));
  return Key::FromBytes(bytes);
}

}  // namespace

SecretBytes Session::Serialize() const {
  StateProto state;
  auto& pb = state.pb;
  const crypto::RatchetState& r = ratchet_;
  pb.set_local_account(local_account_);
  pb.set_remote_account(remote_account_);
  pb.set_local_identity_key(ToString(local_identity_.bytes()));
  pb.set_remote_identity_key(ToString(remote_identity_.bytes()));
  pb.set_associated_data(ToString(r.associated_data));
  pb.set_dh_self_private(Secret(r.dh_self.private_key()));
  pb.set_dh_self_public(ToString(r.dh_self.public_key().bytes()));
  if (r.dh_remote) pb.set_dh_remote(ToString(r.dh_remote->bytes()));
  pb.set_root_key(Secret(r.root_key));
  pb.set_send_chain(OptionalSecret(r.send_chain));
  pb.set_recv_chain(OptionalSecret(r.recv_chain));
  pb.set_send_header_key(OptionalSecret(r.send_header_key));
  pb.set_recv_header_key(OptionalSecret(r.recv_header_key));
  pb.set_next_send_header_key(Secret(r.next_send_header_key));
  pb.set_next_recv_header_key(Secret(r.next_recv_header_key));
  pb.set_send_n(r.send_n);
  pb.set_recv_n(r.recv_n);
  pb.set_prev_send_n(r.prev_send_n);
  for (const auto& chain : r.skipped.chains()) {
    auto* c = pb.add_skipped();
    c->set_header_key(Secret(chain.header_key));
    for (const auto& key : chain.keys) {
      auto* k = c->add_keys();
      k->set_n(key.n);
      k->set_message_key(Secret(key.message_key));
      k->set_stored_at(key.stored_at);
      k->set_sequence(key.sequence);
    }
  }
  pb.set_skipped_next_sequence(r.skipped.next_sequence());
  auto write_prekey = [](const PendingPrekey& from, local::PendingPrekey* to) {
    to->set_ephemeral_key(ToString(from.ephemeral_key.bytes()));
    to->set_signed_prekey_id(from.signed_prekey_id);
    if (from.one_time_prekey_id) to->set_one_time_prekey_id(*from.one_time_prekey_id);
    if (from.pq_kind) {
      to->set_pq_kind(static_cast<uint32_t>(*from.pq_kind));
      to->set_pq_prekey_id(from.pq_prekey_id);
      to->set_pq_ciphertext(ToString(from.pq_ciphertext));
    }
  };
  if (pending_) write_prekey(*pending_, pb.mutable_pending_prekey());
  if (accepted_) write_prekey(*accepted_, pb.mutable_accepted_prekey());
  pb.set_post_quantum(post_quantum_);
  if (remote_box_key_) pb.set_remote_box_key(ToString(remote_box_key_->bytes()));
  return internal::SerializeSecret(pb, kSessionStateVersion);
}

Result<Session> Session::Deserialize(ByteView bytes) {
  StateProto state;
  const auto& pb = state.pb;
  CANDOR_RETURN_IF_ERROR(
      internal::ParseStrict(bytes, kMaxSessionStateBytes, kSessionStateVersion, state.pb));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.local_account(), "session.local_account"));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.remote_account(), "session.remote_account"));
  CANDOR_ASSIGN_OR_RETURN(auto local_ik,
                          PublicField<crypto::Ed25519PublicKey>(pb.local_identity_key(),
                                                                "local_identity_key"));
  CANDOR_ASSIGN_OR_RETURN(auto remote_ik,
                          PublicField<crypto::Ed25519PublicKey>(pb.remote_identity_key(),
                                                                "remote_identity_key"));
  CANDOR_RETURN_IF_ERROR(CheckAssociatedData(pb.associated_data(), local_ik, remote_ik,
                                             pb.local_account(), pb.remote_account()));
  CANDOR_ASSIGN_OR_RETURN(auto dh_private, SecretField(pb.dh_self_private(), "dh_self_private"));
  CANDOR_ASSIGN_OR_RETURN(auto dh_public,
                          PublicField<crypto::X25519PublicKey>(pb.dh_self_public(), "dh_self_public"));
  std::optional<crypto::X25519PublicKey> dh_remote;
  if (!pb.dh_remote().empty()) {
    CANDOR_ASSIGN_OR_RETURN(dh_remote,
                            PublicField<crypto::X25519PublicKey>(pb.dh_remote(), "dh_remote"));
  }
  CANDOR_ASSIGN_OR_RETURN(auto root_key, SecretField(pb.root_key(), "root_key"));
  CANDOR_ASSIGN_OR_RETURN(auto send_chain, OptionalSecretField(pb.send_chain(), "send_chain"));
  CANDOR_ASSIGN_OR_RETURN(auto recv_chain, OptionalSecretField(pb.recv_chain(), "recv_chain"));
  CANDOR_ASSIGN_OR_RETURN(auto hks, OptionalSecretField(pb.send_header_key(), "send_header_key"));
  CANDOR_ASSIGN_OR_RETURN(auto hkr, OptionalSecretField(pb.recv_header_key(), "recv_header_key"));
  CANDOR_ASSIGN_OR_RETURN(auto nhks,
                          SecretField(pb.next_send_header_key(), "next_send_header_key"));
  CANDOR_ASSIGN_OR_RETURN(auto nhkr,
                          SecretField(pb.next_recv_header_key(), "next_recv_header_key"));
  // A chain and its header key come together. (The remote ratchet key may be
  // present without a receiving chain: the initiator starts with the
  // responder's signed prekey, before any reply.)
  if (send_chain.has_value() != hks.has_value() || recv_chain.has_value() != hkr.has_value() ||
      (recv_chain.has_value() && !dh_remote.has_value())) {
    return Error(Errc::kMissingField, "session chains and their header keys must come together");
  }

  CANDOR_RETURN_IF_ERROR(CheckSkippedOrder(pb));
  crypto::SkippedKeys skipped;
  for (const auto& chain : pb.skipped()) {
    CANDOR_ASSIGN_OR_RETURN(auto hk, SecretField(chain.header_key(), "skipped.header_key"));
    if (chain.keys().empty()) return Error(Errc::kMissingField, "session.skipped chain is empty");
    for (const auto& key : chain.keys()) {
      CANDOR_ASSIGN_OR_RETURN(auto mk, SecretField(key.message_key(), "skipped.message_key"));
      skipped.Restore(hk, crypto::SkippedKeys::Key{key.n(), std::move(mk), key.stored_at(),
                                                   key.sequence()});
    }
  }
  if (pb.skipped_next_sequence() < skipped.next_sequence()) {
    return Error(Errc::kFieldOutOfRange, "session.skipped_next_sequence is behind its keys");
  }
  skipped.set_next_sequence(pb.skipped_next_sequence());

  // `ciphertext_bytes`: the whole ciphertext (pending) or its digest (accepted).
  auto read_prekey = [&](const local::PendingPrekey& p,
                         size_t ciphertext_bytes) -> Result<PendingPrekey> {
    CANDOR_ASSIGN_OR_RETURN(auto ek, PublicField<crypto::X25519PublicKey>(
                                         p.ephemeral_key(), "prekey.ephemeral_key"));
    std::optional<uint32_t> opk_id;
    if (p.has_one_time_prekey_id()) opk_id = p.one_time_prekey_id();
    PendingPrekey out{ek, p.signed_prekey_id(), opk_id, std::nullopt, 0, {}};
    if (p.has_pq_kind() != pb.post_quantum()) {
      return Error(Errc::kMissingField, "session.post_quantum disagrees with its PQXDH parameters");
    }
    if (p.has_pq_kind()) {
      if (p.pq_kind() != static_cast<uint32_t>(crypto::PqPrekeyKind::kLastResort) &&
          p.pq_kind() != static_cast<uint32_t>(crypto::PqPrekeyKind::kOneTime)) {
        return Error(Errc::kFieldOutOfRange, "prekey.pq_kind must be 1 or 2");
      }
      if (p.pq_ciphertext().size() != ciphertext_bytes) {
        return Error(Errc::kBadFieldLength, "prekey.pq_ciphertext has the wrong length");
      }
      out.pq_kind = static_cast<crypto::PqPrekeyKind>(p.pq_kind());
      out.pq_prekey_id = p.pq_prekey_id();
      out.pq_ciphertext = internal::ToBytes(p.pq_ciphertext());
    } else if (!p.pq_ciphertext().empty() || p.pq_prekey_id() != 0) {
      return Error(Errc::kMissingField, "prekey PQXDH fields without prekey.pq_kind");
    }
    return out;
  };
  std::optional<PendingPrekey> pending, accepted;
  if (pb.has_pending_prekey()) {
    CANDOR_ASSIGN_OR_RETURN(pending,
                            read_prekey(pb.pending_prekey(), crypto::kMlKem768CiphertextBytes));
  }
  if (pb.has_accepted_prekey()) {
    CANDOR_ASSIGN_OR_RETURN(accepted, read_prekey(pb.accepted_prekey(), kPqCiphertextDigestBytes));
  }

  crypto::RatchetState ratchet{internal::ToBytes(pb.associated_data()),
                               crypto::X25519KeyPair::FromTrustedParts(std::move(dh_private),
                                                                       dh_public),
                               dh_remote,
                               std::move(root_key),
                               std::move(send_chain),
                               std::move(recv_chain),
                               std::move(hks),
                               std::move(hkr),
                               std::move(nhks),
                               std::move(nhkr),
                               pb.send_n(),
                               pb.recv_n(),
                               pb.prev_send_n(),
                               std::move(skipped)};
  std::optional<crypto::X25519PublicKey> remote_box_key;
  if (!pb.remote_box_key().empty()) {
    CANDOR_ASSIGN_OR_RETURN(remote_box_key, PublicField<crypto::X25519PublicKey>(
                                                pb.remote_box_key(), "remote_box_key"));
  }
  return Session(pb.local_account(), pb.remote_account(), local_ik, remote_ik,
                 std::move(ratchet), pb.post_quantum(), std::move(pending), std::move(accepted),
                 remote_box_key);
}

}  // namespace candor::protocol
