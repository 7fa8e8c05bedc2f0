// storage::Store: the peers' identity keys this device trusts, changes
// waiting for the user, their history markers, and the deliveries held
// until a change is accepted (docs/identity.md).
#include "candor/crypto/limits.h"
#include "candor/protocol/device_store.h"
#include "conversation_rows.h"
#include "store_impl.h"

namespace candor::storage {

using internal::EnsureConversation;
using internal::FindConversation;
using internal::FixedColumn;
using internal::Transaction;

namespace {

Result<crypto::Ed25519PublicKey> KeyColumn(const internal::Statement& q, int column) {
  CANDOR_ASSIGN_OR_RETURN(auto bytes, FixedColumn<32>(q, column, "stored identity key"));
  return crypto::Ed25519PublicKey::FromBytes(bytes);
}

Result<std::optional<protocol::PeerIdentity>> LoadByConversation(internal::Database& db,
                                                                  int64_t conversation) {
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "SELECT identity_key, verified, pending_key, pending_since FROM peer_identities "
      "WHERE conversation_id = ?"));
  q->BindInt(1, conversation);
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<protocol::PeerIdentity>();
  CANDOR_ASSIGN_OR_RETURN(auto key, KeyColumn(*q, 0));
  protocol::PeerIdentity out{key, q->ColumnInt(1) != 0, std::nullopt, std::nullopt};
  if (!q->ColumnIsNull(2)) {
    CANDOR_ASSIGN_OR_RETURN(out.pending, KeyColumn(*q, 2));
    out.pending_since = static_cast<uint64_t>(q->ColumnInt(3));
  }
  return std::optional<protocol::PeerIdentity>(std::move(out));
}

}  // namespace

Result<std::optional<protocol::PeerIdentity>> Store::LoadPeerIdentity(std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<int64_t> conversation, FindConversation(impl_->db, peer));
  if (!conversation) return std::optional<protocol::PeerIdentity>();
  return LoadByConversation(impl_->db, *conversation);
}

Result<void> Store::TrustFirstIdentity(std::string_view peer, const crypto::Ed25519PublicKey& key) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto c, EnsureConversation(db, peer));
  CANDOR_ASSIGN_OR_RETURN(auto known, LoadByConversation(db, c.id));
  if (known) {
    if (known->identity_key != key) {
      return Error(Errc::kWrongPeer, "the peer already has a different trusted identity key");
    }
    return Ok();  // nothing to write; the transaction ends without a change
  }
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "INSERT INTO peer_identities(conversation_id, identity_key) VALUES (?, ?)"));
  q->BindInt(1, c.id).BindBlob(2, key.bytes());
  CANDOR_RETURN_IF_ERROR(q->Run());
  return tx.Commit();
}

Result<void> Store::RecordIdentityChange(std::string_view peer, const crypto::Ed25519PublicKey& key,
                                         uint64_t now, std::optional<ByteView> delivery) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto c, EnsureConversation(db, peer));
  CANDOR_ASSIGN_OR_RETURN(auto known, LoadByConversation(db, c.id));
  if (!known) return Error(Errc::kNotFound, "no trusted identity key for this peer");
  if (known->identity_key == key) {
    return Error(Errc::kInvalidArgument, "that is the trusted key, not a change");
  }
  if (known->pending && *known->pending != key) {
    return Error(Errc::kInvalidState, "another identity key is already pending for this peer");
  }
  const int64_t now_int = static_cast<int64_t>(now);
  if (!known->pending) {
    // A new pending key: a marker in the history, between the messages
    // before and after it.
    CANDOR_ASSIGN_OR_RETURN(auto pend, db.Cached(
        "UPDATE OR FAIL peer_identities SET pending_key = ?, pending_since = ? "
        "WHERE conversation_id = ?"));
    pend->BindBlob(1, key.bytes()).BindInt(2, now_int).BindInt(3, c.id);
    CANDOR_RETURN_IF_ERROR(pend->Run());
    CANDOR_ASSIGN_OR_RETURN(auto marker, db.Cached(
        "INSERT INTO identity_changes(conversation_id, local_order, old_key, new_key, detected_at) "
        "VALUES (?, ?, ?, ?, ?)"));
    marker->BindInt(1, c.id).BindInt(2, c.next_order).BindBlob(3, known->identity_key.bytes())
        .BindBlob(4, key.bytes()).BindInt(5, now_int);
    CANDOR_RETURN_IF_ERROR(marker->Run());
    CANDOR_ASSIGN_OR_RETURN(auto floor, db.Cached(
        "UPDATE OR FAIL conversations SET next_order = ? WHERE id = ?"));
    floor->BindInt(1, c.next_order + 1).BindInt(2, c.id);
    CANDOR_RETURN_IF_ERROR(floor->Run());
  }
  if (delivery) {
    const protocol::EnvelopeDigest digest = protocol::DigestEnvelope(*delivery);
    CANDOR_ASSIGN_OR_RETURN(auto hold, db.Cached(
        "INSERT OR IGNORE INTO held_deliveries(digest, conversation_id, identity_key, delivery, "
        "held_at, seq) VALUES (?, ?, ?, ?, ?, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM held_deliveries))"));
    hold->BindBlob(1, digest).BindInt(2, c.id).BindBlob(3, key.bytes()).BindBlob(4, *delivery)
        .BindInt(5, now_int);
    CANDOR_RETURN_IF_ERROR(hold->Run());
    CANDOR_ASSIGN_OR_RETURN(auto cap, db.Cached(
        "DELETE FROM held_deliveries WHERE conversation_id = ? AND seq NOT IN "
        "(SELECT seq FROM held_deliveries WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?)"));
    cap->BindInt(1, c.id).BindInt(2, c.id).BindInt(3, static_cast<int64_t>(kMaxHeldDeliveries));
    CANDOR_RETURN_IF_ERROR(cap->Run());
  }
  return tx.Commit();
}

Result<std::vector<Bytes>> Store::AcceptIdentityChange(std::string_view peer, uint64_t now) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(std::optional<int64_t> conversation, FindConversation(db, peer));
  std::optional<protocol::PeerIdentity> known;
  if (conversation) {
    CANDOR_ASSIGN_OR_RETURN(known, LoadByConversation(db, *conversation));
  }
  if (!known || !known->pending) {
    return Error(Errc::kInvalidState, "no identity change is pending for this peer");
  }
  const int64_t c = *conversation;
  CANDOR_ASSIGN_OR_RETURN(auto trust, db.Cached(
      "UPDATE OR FAIL peer_identities SET identity_key = pending_key, verified = 0, "
      "pending_key = NULL, pending_since = NULL WHERE conversation_id = ?"));
  trust->BindInt(1, c);
  CANDOR_RETURN_IF_ERROR(trust->Run());
  // The old key's session: nothing more is sent to it or taken from it.
  CANDOR_ASSIGN_OR_RETURN(auto session, db.Cached("DELETE FROM sessions WHERE conversation_id = ?"));
  session->BindInt(1, c);
  CANDOR_RETURN_IF_ERROR(session->Run());
  CANDOR_ASSIGN_OR_RETURN(auto marker, db.Cached(
      "UPDATE identity_changes SET accepted_at = ? WHERE conversation_id = ? AND new_key = ? "
      "AND accepted_at IS NULL"));
  marker->BindInt(1, static_cast<int64_t>(now)).BindInt(2, c).BindBlob(3, known->pending->bytes());
  CANDOR_RETURN_IF_ERROR(marker->Run());
  std::vector<Bytes> held;
  {
    CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
        "SELECT delivery FROM held_deliveries WHERE conversation_id = ? AND identity_key = ? "
        "ORDER BY seq"));
    q->BindInt(1, c).BindBlob(2, known->pending->bytes());
    for (;;) {
      CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      const ByteView d = q->ColumnBlob(0);
      held.emplace_back(d.begin(), d.end());
    }
  }
  CANDOR_ASSIGN_OR_RETURN(auto drop, db.Cached("DELETE FROM held_deliveries WHERE conversation_id = ?"));
  drop->BindInt(1, c);
  CANDOR_RETURN_IF_ERROR(drop->Run());
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return held;
}

Result<void> Store::RejectIdentityChange(std::string_view peer) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(std::optional<int64_t> conversation, FindConversation(db, peer));
  if (!conversation) return Error(Errc::kInvalidState, "no identity change is pending for this peer");
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "UPDATE OR FAIL peer_identities SET pending_key = NULL, pending_since = NULL "
      "WHERE conversation_id = ? AND pending_key IS NOT NULL"));
  q->BindInt(1, *conversation);
  CANDOR_RETURN_IF_ERROR(q->Run());
  if (db.Changes() == 0) return Error(Errc::kInvalidState, "no identity change is pending for this peer");
  CANDOR_ASSIGN_OR_RETURN(auto drop, db.Cached("DELETE FROM held_deliveries WHERE conversation_id = ?"));
  drop->BindInt(1, *conversation);
  CANDOR_RETURN_IF_ERROR(drop->Run());
  return tx.Commit();
}

Result<void> Store::SetIdentityVerified(std::string_view peer, bool verified) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(std::optional<int64_t> conversation, FindConversation(db, peer));
  if (!conversation) return Error(Errc::kNotFound, "no trusted identity key for this peer");
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "UPDATE OR FAIL peer_identities SET verified = ? WHERE conversation_id = ?"));
  q->BindInt(1, verified ? 1 : 0).BindInt(2, *conversation);
  CANDOR_RETURN_IF_ERROR(q->Run());
  if (db.Changes() == 0) return Error(Errc::kNotFound, "no trusted identity key for this peer");
  return tx.Commit();
}

Result<std::vector<protocol::IdentityChangeRecord>> Store::IdentityChanges(std::string_view peer) {
  std::vector<protocol::IdentityChangeRecord> out;
  CANDOR_ASSIGN_OR_RETURN(std::optional<int64_t> conversation, FindConversation(impl_->db, peer));
  if (!conversation) return out;
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT local_order, old_key, new_key, detected_at, accepted_at FROM identity_changes "
      "WHERE conversation_id = ? ORDER BY local_order"));
  q->BindInt(1, *conversation);
  for (;;) {
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    CANDOR_ASSIGN_OR_RETURN(auto old_key, KeyColumn(*q, 1));
    CANDOR_ASSIGN_OR_RETURN(auto new_key, KeyColumn(*q, 2));
    std::optional<uint64_t> accepted;
    if (!q->ColumnIsNull(4)) accepted = static_cast<uint64_t>(q->ColumnInt(4));
    out.push_back({q->ColumnInt(0), old_key, new_key, static_cast<uint64_t>(q->ColumnInt(3)),
                   accepted});
  }
  return out;
}

}  // namespace candor::storage
