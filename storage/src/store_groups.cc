// storage::Store's groups: the membership and this device's sender key in
// one row per group, each member's sender key in a row of its own, the
// history in the group's conversation (docs/groups.md).
#include <string>

#include "candor/crypto/encoding.h"
#include "candor/group/group_record.h"
#include "conversation_rows.h"
#include "store_impl.h"

namespace candor::storage {

using internal::ConversationRow;
using internal::EnsureConversation;
using internal::InsertMessage;
using internal::NewMessage;
using internal::Transaction;

namespace {

// A control character no account may hold (crypto::CheckAccount), so a
// group's conversation can never be a peer's.
constexpr std::string_view kGroupConversationPrefix = "\x1Dgroup:";

Result<group::SenderKeyRing::MemberKeys> LoadMemberKeys(internal::Database& db,
                                                        const crypto::GroupId& group) {
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "SELECT sender, key_id, key FROM group_sender_keys WHERE group_id = ?"));
  q->BindBlob(1, group);
  group::SenderKeyRing::MemberKeys keys;
  while (true) {
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    CANDOR_ASSIGN_OR_RETURN(crypto::MemberSenderKey key, group::ParseMemberKey(q->ColumnBlob(2), group));
    const auto kid = static_cast<uint32_t>(q->ColumnInt(1));
    if (key.chain.kid != kid) return Error(Errc::kStorageFailed, "a sender key under another id");
    keys.emplace(std::pair<std::string, uint32_t>(q->ColumnText(0), kid), std::move(key));
  }
  return keys;
}

Result<void> PutMemberKey(internal::Database& db, const crypto::GroupId& group,
                          std::string_view sender, const crypto::MemberSenderKey& key) {
  const SecretBytes record = group::SerializeMemberKey(key);
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "INSERT INTO group_sender_keys(sender, key_id, group_id, key) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (sender, key_id, group_id) DO UPDATE SET key = excluded.key"));
  q->BindText(1, sender).BindInt(2, key.chain.kid).BindBlob(3, group).BindBlob(4, record.Expose());
  return q->Run();
}

Result<ConversationRow> GroupConversationRow(internal::Database& db, const crypto::GroupId& group) {
  return EnsureConversation(db, Store::GroupConversation(group));
}

}  // namespace

std::string Store::GroupConversation(const crypto::GroupId& group) {
  return std::string(kGroupConversationPrefix) + ToHex(group);
}

std::optional<crypto::GroupId> Store::GroupOfConversation(std::string_view peer) {
  if (!peer.starts_with(kGroupConversationPrefix)) return std::nullopt;
  auto bytes = FromHex(peer.substr(kGroupConversationPrefix.size()));
  if (!bytes.has_value() || bytes->size() != crypto::kGroupIdBytes) return std::nullopt;
  crypto::GroupId id;
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

Result<std::vector<group::GroupState>> Store::ListGroups() {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached("SELECT state FROM groups ORDER BY id"));
  std::vector<group::GroupState> out;
  while (true) {
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    CANDOR_ASSIGN_OR_RETURN(group::GroupState state, group::ParseGroupState(q->ColumnBlob(0)));
    out.push_back(std::move(state));
  }
  return out;
}

Result<std::optional<Store::StoredGroup>> Store::LoadGroup(const crypto::GroupId& group,
                                                           MemberKeys member_keys) {
  auto& db = impl_->db;
  std::optional<group::GroupState> state;
  std::optional<group::SenderKeyRing::OwnPart> own;
  {
    CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached("SELECT state, own_key FROM groups WHERE id = ?"));
    q->BindBlob(1, group);
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return std::optional<StoredGroup>();
    CANDOR_ASSIGN_OR_RETURN(state, group::ParseGroupState(q->ColumnBlob(0)));
    CANDOR_ASSIGN_OR_RETURN(own, group::ParseOwnPart(q->ColumnBlob(1), group));
  }
  if (state->current().id != group) {
    return Error(Errc::kStorageFailed, "a group's state stored under another id");
  }
  group::SenderKeyRing::MemberKeys members;
  if (member_keys == MemberKeys::kAll) {
    CANDOR_ASSIGN_OR_RETURN(members, LoadMemberKeys(db, group));
  }
  return std::optional<StoredGroup>(StoredGroup{
      std::move(*state), group::SenderKeyRing::Restore(group, std::move(*own), std::move(members))});
}

Result<void> Store::SaveGroup(const group::GroupState& state, const group::SenderKeyRing& ring,
                              const std::vector<std::string>& senders, uint64_t now) {
  auto& db = impl_->db;
  const crypto::GroupId& id = state.current().id;
  if (ring.group() != id) return Error(Errc::kInvalidArgument, "the ring is another group's");
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(ConversationRow c, GroupConversationRow(db, id));
  const Bytes record = group::SerializeGroupState(state);
  const SecretBytes own = group::SerializeOwnPart(ring.CloneOwnPart());
  {
    CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
        "INSERT INTO groups(id, conversation_id, state, own_key, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET state = excluded.state, own_key = excluded.own_key, "
        "updated_at = excluded.updated_at"));
    q->BindBlob(1, id).BindInt(2, c.id).BindBlob(3, record).BindBlob(4, own.Expose())
        .BindInt(5, static_cast<int64_t>(now));
    CANDOR_RETURN_IF_ERROR(q->Run());
  }
  for (const std::string& sender : senders) {
    {
      CANDOR_ASSIGN_OR_RETURN(auto del, db.Cached(
          "DELETE FROM group_sender_keys WHERE group_id = ? AND sender = ?"));
      del->BindBlob(1, id).BindText(2, sender);
      CANDOR_RETURN_IF_ERROR(del->Run());
    }
    for (auto it = ring.members().lower_bound({sender, 0});
         it != ring.members().end() && it->first.first == sender; ++it) {
      CANDOR_RETURN_IF_ERROR(PutMemberKey(db, id, sender, it->second));
    }
  }
  return tx.Commit();
}

Result<std::vector<std::pair<crypto::GroupId, crypto::MemberSenderKey>>> Store::FindGroupKeys(
    std::string_view sender, uint32_t kid) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT group_id, key FROM group_sender_keys WHERE sender = ? AND key_id = ?"));
  q->BindText(1, sender).BindInt(2, kid);
  std::vector<std::pair<crypto::GroupId, crypto::MemberSenderKey>> out;
  while (true) {
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    CANDOR_ASSIGN_OR_RETURN(auto group, internal::FixedColumn<crypto::kGroupIdBytes>(*q, 0, "group id"));
    CANDOR_ASSIGN_OR_RETURN(crypto::MemberSenderKey key, group::ParseMemberKey(q->ColumnBlob(1), group));
    if (key.chain.kid != kid) return Error(Errc::kStorageFailed, "a sender key under another id");
    out.emplace_back(group, std::move(key));
  }
  return out;
}

Result<int64_t> Store::CommitGroupReceived(const crypto::GroupId& group, std::string_view sender,
                                           const crypto::MemberSenderKey& next,
                                           const protocol::IncomingMessage& m,
                                           const protocol::EnvelopeDigest& digest, uint64_t now) {
  if (m.sender != sender || next.chain.group != group) {
    return Error(Errc::kInvalidArgument, "message, sender and key do not belong together");
  }
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  // The replay marker first: a known envelope is refused before any write.
  CANDOR_RETURN_IF_ERROR(internal::InsertReplayMarker(db, digest, now));
  {
    // The key must still be stored (its owner may have departed since it
    // was loaded): an update, never a re-insert.
    const SecretBytes record = group::SerializeMemberKey(next);
    CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
        "UPDATE OR FAIL group_sender_keys SET key = ? WHERE sender = ? AND key_id = ? AND group_id = ?"));
    q->BindBlob(1, record.Expose()).BindText(2, sender).BindInt(3, next.chain.kid).BindBlob(4, group);
    CANDOR_RETURN_IF_ERROR(q->Run());
    if (db.Changes() != 1) return Error(Errc::kNotFound, "that sender key is no longer stored");
  }
  CANDOR_ASSIGN_OR_RETURN(ConversationRow c, GroupConversationRow(db, group));
  CANDOR_ASSIGN_OR_RETURN(int64_t id,
                          InsertMessage(db, c,
                                        NewMessage{protocol::Direction::kIncoming, m.sender,
                                                   m.recipient, m.server_time, m.content,
                                                   m.franking_key, m.franking_commitment,
                                                   m.relay_tag},
                                        now));
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> Store::CommitGroupSent(const group::GroupState& state,
                                       const group::SenderKeyRing& ring,
                                       const group::OutgoingGroupMessage& m, uint64_t now) {
  auto& db = impl_->db;
  // Synced: the envelope leaves once this returns (see Durability).
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, /*synced=*/true));
  CANDOR_RETURN_IF_ERROR(SaveGroup(state, ring, {}, now));
  CANDOR_ASSIGN_OR_RETURN(ConversationRow c, GroupConversationRow(db, state.current().id));
  CANDOR_ASSIGN_OR_RETURN(int64_t id,
                          InsertMessage(db, c,
                                        NewMessage{protocol::Direction::kOutgoing, state.self(),
                                                   state.self(), std::nullopt, m.content,
                                                   m.franking_key, m.franking_commitment,
                                                   std::nullopt},
                                        now));
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return id;
}

}  // namespace candor::storage
