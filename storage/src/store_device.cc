// storage::Store as a protocol::DeviceStore. Every multi-row change is one
// transaction (internal::Transaction rolls back on any early return).
#include <limits>

#include "candor/crypto/limits.h"
#include "conversation_rows.h"
#include "pq_prekeys.h"
#include "search_index.h"
#include "store_impl.h"

namespace candor::storage {

using internal::ConversationRow;
using internal::EnsureConversation;
using internal::FindConversation;
using internal::FixedColumn;
using internal::InsertMessage;
using internal::NewMessage;
using internal::Statement;
using internal::Transaction;
using protocol::Direction;
using protocol::StoredMessage;

namespace {

Result<void> SaveSession(internal::Database& db, int64_t conversation,
                         const protocol::Session& session, uint64_t now) {
  // UPDATE, then INSERT when there was no row: a stored session (every
  // receive but a conversation's first) costs one statement, as an UPSERT
  // would, and the UPDATE can say OR FAIL. OR FAIL, and not INSERT OR
  // REPLACE: inside a transaction SQLite gives
  // every UPDATE/DELETE that could abort half-way a statement journal, and
  // SQLCipher encrypts each page copied into it — that was a third of the
  // cost of a stored receive. For a single row picked by its primary key,
  // FAIL and ABORT mean the same, and our Transaction rolls back any error.
  const SecretBytes state = session.Serialize();
  {
    CANDOR_ASSIGN_OR_RETURN(auto update, db.Cached(
        "UPDATE OR FAIL sessions SET state = ?, updated_at = ? WHERE conversation_id = ?"));
    update->BindBlob(1, state.Expose()).BindInt(2, static_cast<int64_t>(now)).BindInt(3, conversation);
    CANDOR_RETURN_IF_ERROR(update->Run());
  }
  if (db.Changes() > 0) return Ok();
  CANDOR_ASSIGN_OR_RETURN(auto insert, db.Cached(
      "INSERT INTO sessions(conversation_id, state, updated_at) VALUES (?, ?, ?)"));
  insert->BindInt(1, conversation).BindBlob(2, state.Expose()).BindInt(3, static_cast<int64_t>(now));
  return insert->Run();
}

#define CANDOR_SELECT_MESSAGES                                                              \
  "SELECT m.id, c.peer, m.direction, m.sender, m.recipient, m.local_order, m.server_time, " \
  "m.stored_at, m.expires_at, m.content, m.franking_key, m.commitment, m.relay_tag, "    \
  "m.sealed_proof "                                                                        \
  "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
// Served by the UNIQUE (conversation_id, local_order) index, newest first.
constexpr const char* kMessagesBeforeSql =
    CANDOR_SELECT_MESSAGES
    "WHERE m.conversation_id = ? AND m.local_order < ? "
    "AND (m.expires_at IS NULL OR m.expires_at > ?) ORDER BY m.local_order DESC LIMIT ?";
constexpr const char* kMessageByIdSql =
    CANDOR_SELECT_MESSAGES "WHERE m.id = ? AND (m.expires_at IS NULL OR m.expires_at > ?)";
#undef CANDOR_SELECT_MESSAGES

Result<StoredMessage> ReadMessage(const Statement& q) {
  std::optional<uint64_t> server_time, expires_at;
  if (!q.ColumnIsNull(6)) server_time = static_cast<uint64_t>(q.ColumnInt(6));
  if (!q.ColumnIsNull(8)) expires_at = static_cast<uint64_t>(q.ColumnInt(8));
  CANDOR_ASSIGN_OR_RETURN(auto fk, crypto::FrankingKey::CopyFrom(q.ColumnBlob(10)));
  CANDOR_ASSIGN_OR_RETURN(auto commitment, FixedColumn<32>(q, 11, "stored commitment"));
  std::optional<crypto::RelayTag> tag;
  if (!q.ColumnIsNull(12)) {
    CANDOR_ASSIGN_OR_RETURN(tag, FixedColumn<32>(q, 12, "stored relay tag"));
  }
  const ByteView content = q.ColumnBlob(9);
  const ByteView proof = q.ColumnBlob(13);  // empty for NULL
  return StoredMessage{q.ColumnInt(0),
                       q.ColumnText(1),
                       q.ColumnInt(2) == 0 ? Direction::kIncoming : Direction::kOutgoing,
                       q.ColumnText(3),
                       q.ColumnText(4),
                       q.ColumnInt(5),
                       server_time,
                       static_cast<uint64_t>(q.ColumnInt(7)),
                       expires_at,
                       Bytes(content.begin(), content.end()),
                       std::move(fk),
                       commitment,
                       tag,
                       Bytes(proof.begin(), proof.end())};
}

// Rows of `q`, which selects newest first, returned oldest first.
Result<std::vector<StoredMessage>> ReadNewestFirst(Statement& q) {
  std::vector<StoredMessage> out;
  while (true) {
    CANDOR_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    CANDOR_ASSIGN_OR_RETURN(StoredMessage m, ReadMessage(q));
    out.push_back(std::move(m));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

int64_t Limit(size_t limit) {
  return static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int32_t>::max()));
}

}  // namespace

Result<void> Store::SaveIdentity(std::string_view account, const crypto::Ed25519KeyPair& identity,
                                 uint64_t now) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(int64_t count, db.QueryInt("SELECT count(*) FROM identity"));
  if (count > 0) return Error(Errc::kAlreadyExists, "this store already has an identity");
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "INSERT INTO identity(id, account, seed, created_at) VALUES (1, ?, ?, ?)"));
  const SecretArray<32> seed = identity.Seed();
  q->BindText(1, account).BindBlob(2, seed.Expose()).BindInt(3, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(q->Run());
  return tx.Commit();
}

Result<std::optional<protocol::LocalIdentity>> Store::LoadIdentity() {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached("SELECT account, seed FROM identity"));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<protocol::LocalIdentity>();
  CANDOR_ASSIGN_OR_RETURN(auto seed, SecretArray<32>::CopyFrom(q->ColumnBlob(1)));
  return std::optional<protocol::LocalIdentity>(
      protocol::LocalIdentity{q->ColumnText(0), crypto::Ed25519KeyPair::FromSeed(std::move(seed))});
}

Result<void> Store::SaveSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                     const crypto::Ed25519Signature& signature, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "INSERT INTO signed_prekeys(id, private_key, signature, created_at) VALUES (?, ?, ?, ?)"));
  q->BindInt(1, id).BindBlob(2, key.private_key().Expose()).BindBlob(3, signature)
      .BindInt(4, static_cast<int64_t>(now));
  auto r = q->Run();
  if (!r.has_value()) return Error(Errc::kAlreadyExists, "signed prekey id already used");
  return Ok();
}

Result<void> Store::SaveOneTimePrekey(uint32_t id, const crypto::X25519KeyPair& key) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "INSERT INTO one_time_prekeys(id, private_key) VALUES (?, ?)"));
  q->BindInt(1, id).BindBlob(2, key.private_key().Expose());
  auto r = q->Run();
  if (!r.has_value()) return Error(Errc::kAlreadyExists, "one-time prekey id already used");
  return Ok();
}

Result<std::optional<protocol::SignedPrekeyRecord>> Store::CurrentSignedPrekey() {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT id, private_key, signature FROM signed_prekeys WHERE retired_at IS NULL "
      "ORDER BY id DESC LIMIT 1"));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<protocol::SignedPrekeyRecord>();
  CANDOR_ASSIGN_OR_RETURN(auto secret, SecretArray<32>::CopyFrom(q->ColumnBlob(1)));
  CANDOR_ASSIGN_OR_RETURN(auto signature,
                          FixedColumn<crypto::kEd25519SignatureBytes>(*q, 2, "signature"));
  return std::optional<protocol::SignedPrekeyRecord>(protocol::SignedPrekeyRecord{
      static_cast<uint32_t>(q->ColumnInt(0)),
      crypto::X25519KeyPair::FromPrivate(std::move(secret)), signature});
}

Result<void> Store::RotateSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                       const crypto::Ed25519Signature& signature, uint64_t now) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  // The current key is never deleted and ids only grow, so the highest
  // stored id is the highest ever used.
  CANDOR_ASSIGN_OR_RETURN(int64_t highest,
                          db.QueryInt("SELECT coalesce(max(id), 0) FROM signed_prekeys"));
  if (int64_t{id} <= highest) {
    return Error(Errc::kInvalidArgument, "a new signed prekey id must be above every stored one");
  }
  CANDOR_ASSIGN_OR_RETURN(auto retire, db.Cached(
      "UPDATE OR FAIL signed_prekeys SET retired_at = ? WHERE retired_at IS NULL"));
  retire->BindInt(1, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(retire->Run());
  CANDOR_RETURN_IF_ERROR(SaveSignedPrekey(id, key, signature, now));
  return tx.Commit();
}

Result<uint32_t> Store::AddOneTimePrekey(const crypto::X25519KeyPair& key) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "SELECT max(i.next_one_time_prekey_id, coalesce((SELECT max(id) + 1 FROM one_time_prekeys), 1)) "
      "FROM identity i"));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Error(Errc::kInvalidState, "no identity: create the device first");
  const int64_t id = q->ColumnInt(0);
  q->Reset();
  if (id < 1 || id > int64_t{std::numeric_limits<uint32_t>::max()}) {
    return Error(Errc::kInvalidState, "one-time prekey ids exhausted");
  }
  CANDOR_RETURN_IF_ERROR(SaveOneTimePrekey(static_cast<uint32_t>(id), key));
  CANDOR_ASSIGN_OR_RETURN(auto u, db.Cached(
      "UPDATE OR FAIL identity SET next_one_time_prekey_id = ? WHERE id = 1"));
  u->BindInt64(1, id + 1);
  CANDOR_RETURN_IF_ERROR(u->Run());
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return static_cast<uint32_t>(id);
}

namespace {

// Loads a prekey's private half and keeps the pair in `cache`, so the pointer
// returned stays valid for the caller.
const crypto::X25519KeyPair* FindPrekey(internal::Database& db, const char* sql, uint32_t id,
                                        std::map<uint32_t, crypto::X25519KeyPair>& cache) {
  auto q = db.Prepare(sql);
  if (!q.has_value()) return nullptr;
  q->BindInt(1, id);
  auto row = q->Step();
  if (!row.has_value() || !*row) return nullptr;
  auto secret = SecretArray<32>::CopyFrom(q->ColumnBlob(0));
  if (!secret.has_value()) return nullptr;
  auto [it, inserted] = cache.insert_or_assign(
      id, crypto::X25519KeyPair::FromPrivate(std::move(secret).value()));
  return &it->second;
}

}  // namespace

const crypto::X25519KeyPair* Store::FindSignedPrekey(uint32_t id) {
  return FindPrekey(impl_->db, "SELECT private_key FROM signed_prekeys WHERE id = ?", id,
                    impl_->signed_prekeys);
}

// Always read from the database: a consumed one-time prekey is gone there.
const crypto::X25519KeyPair* Store::FindOneTimePrekey(uint32_t id) {
  impl_->one_time_prekeys.erase(id);
  return FindPrekey(impl_->db, "SELECT private_key FROM one_time_prekeys WHERE id = ?", id,
                    impl_->one_time_prekeys);
}

Result<std::optional<protocol::Session>> Store::LoadSession(std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT s.state FROM sessions s JOIN conversations c ON c.id = s.conversation_id "
      "WHERE c.peer = ?"));
  q->BindText(1, peer);
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<protocol::Session>();
  CANDOR_ASSIGN_OR_RETURN(protocol::Session s, protocol::Session::Deserialize(q->ColumnBlob(0)));
  return std::optional<protocol::Session>(std::move(s));
}

Result<bool> Store::HasReceived(const protocol::EnvelopeDigest& digest) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT 1 FROM received_envelopes WHERE digest = ?"));
  q->BindBlob(1, digest);
  return q->Step();
}

Result<int64_t> Store::CommitReceived(const protocol::Session& session,
                                      const protocol::IncomingMessage& m,
                                      const protocol::EnvelopeDigest& digest, uint64_t now) {
  if (session.remote_account() != m.sender) {
    return Error(Errc::kWrongPeer, "session and message are from different peers");
  }
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  // Refusals come before any write, so a refused commit leaves an enclosing
  // transaction (a batch) standing: a repeated last-resort setup...
  if (m.last_resort_use) {
    CANDOR_ASSIGN_OR_RETURN(bool used, LastResortUsed(*m.last_resort_use));
    if (used) {
      return Error(Errc::kDuplicateMessage,
                   "this first message's setup was already received on the last-resort "
                   "ML-KEM prekey");
    }
  }
  // ...a sealed message's token seen before from this sender...
  Bytes proof;
  if (m.sealed) {
    CANDOR_ASSIGN_OR_RETURN(bool seen, internal::SeenToken(db, m.sender,
                                                           m.sealed->token.one_use_key));
    if (seen) return Error(Errc::kTokenReused, "this sender used this moderation token before");
    CANDOR_ASSIGN_OR_RETURN(proof, protocol::EncodeSealedProof(*m.sealed));
  }
  // ...then the replay marker: if the envelope is known, nothing has been
  // written when we refuse it (one statement, where a lookup and an insert
  // were two).
  CANDOR_RETURN_IF_ERROR(internal::InsertReplayMarker(db, digest, now));
  if (m.sealed) {
    CANDOR_RETURN_IF_ERROR(internal::InsertSeenToken(db, m.sender, m.sealed->token.one_use_key,
                                                     m.sealed->token.expires_at));
  }
  CANDOR_ASSIGN_OR_RETURN(ConversationRow c, EnsureConversation(db, m.sender));
  CANDOR_RETURN_IF_ERROR(SaveSession(db, c.id, session, now));
  // A group control message is no message of the history (it may hold keys).
  int64_t id = 0;
  if (!m.group_control) {
    CANDOR_ASSIGN_OR_RETURN(id, InsertMessage(db, c,
                                              NewMessage{Direction::kIncoming, m.sender,
                                                         m.recipient, m.server_time, m.content,
                                                         m.franking_key, m.franking_commitment,
                                                         m.relay_tag, proof},
                                              now));
  }
  if (m.consumed_one_time_prekey) {
    CANDOR_ASSIGN_OR_RETURN(auto del, db.Cached("DELETE FROM one_time_prekeys WHERE id = ?"));
    del->BindInt(1, *m.consumed_one_time_prekey);
    CANDOR_RETURN_IF_ERROR(del->Run());
    // Under the write lock from Accept to here this cannot happen; a caller
    // without one (two handles) must not open two sessions with one key.
    // Refused after writing: the transaction rolls back whole.
    if (db.Changes() != 1) {
      return Error(Errc::kInvalidKey, "one-time prekey already used");
    }
  }
  CANDOR_RETURN_IF_ERROR(internal::RecordPqPrekeyUse(db, m));
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  if (m.consumed_one_time_prekey) impl_->one_time_prekeys.erase(*m.consumed_one_time_prekey);
  if (m.consumed_pq_one_time_prekey) impl_->pq_prekey.reset();
  return id;
}

Result<int64_t> Store::CommitSent(const protocol::Session& session,
                                  const protocol::OutgoingMessage& m, uint64_t now) {
  auto& db = impl_->db;
  // Synced: the envelope leaves once this returns (see Durability).
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, /*synced=*/true));
  CANDOR_ASSIGN_OR_RETURN(ConversationRow c, EnsureConversation(db, session.remote_account()));
  CANDOR_RETURN_IF_ERROR(SaveSession(db, c.id, session, now));
  // A group control message (Session::EncryptGroupControl) hands back no
  // content: it is no message of the history.
  int64_t id = 0;
  if (!m.content.empty()) {
    CANDOR_ASSIGN_OR_RETURN(id, InsertMessage(db, c,
                                              NewMessage{Direction::kOutgoing,
                                                         session.local_account(),
                                                         session.remote_account(), std::nullopt,
                                                         m.content, m.franking_key,
                                                         m.franking_commitment, std::nullopt,
                                                         m.sealed_proof},
                                              now));
  }
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> Store::SaveRelayAck(const protocol::RelayAck& ack) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto find, db.Cached(  // served by messages_outgoing_commitment
      "SELECT id FROM messages WHERE commitment = ? AND direction = 1 AND recipient = ?"));
  find->BindBlob(1, ack.franking_commitment).BindText(2, ack.recipient);
  CANDOR_ASSIGN_OR_RETURN(bool row, find->Step());
  if (!row) return Error(Errc::kNotFound, "no outgoing message with that commitment");
  const int64_t id = find->ColumnInt(0);
  // `find` stays lent out until the end of the scope; nothing below uses it.
  CANDOR_ASSIGN_OR_RETURN(auto msg, db.Cached(
      "UPDATE OR FAIL messages SET server_time = ?, relay_tag = ? WHERE id = ?"));
  msg->BindInt(1, static_cast<int64_t>(ack.server_time)).BindBlob(2, ack.relay_tag).BindInt(3, id);
  CANDOR_RETURN_IF_ERROR(msg->Run());
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<void> Store::InTransaction(const std::function<Result<void>()>& work,
                                  protocol::Durability durability) {
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(
                                              impl_->db, durability == protocol::Durability::kSynced));
  // One-time prekeys loaded by the work (a receive) are wiped when it ends,
  // whatever its outcome: a used key must not stay in memory after its row.
  struct WipeLoadedKeys {
    Impl& impl;
    ~WipeLoadedKeys() {
      impl.one_time_prekeys.clear();
      impl.pq_prekey.reset();
    }
  } wipe{*impl_};
  CANDOR_RETURN_IF_ERROR(work());
  return tx.Commit();
}

Result<std::vector<StoredMessage>> Store::LatestMessages(std::string_view peer, size_t limit,
                                                         uint64_t now) {
  return MessagesBefore(peer, std::numeric_limits<int64_t>::max(), limit, now);
}

Result<std::vector<StoredMessage>> Store::MessagesBefore(std::string_view peer, int64_t local_order,
                                                         size_t limit, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto conversation, FindConversation(impl_->db, peer));
  if (!conversation) return std::vector<StoredMessage>();
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(kMessagesBeforeSql));
  q->BindInt(1, *conversation).BindInt(2, local_order).BindInt(3, static_cast<int64_t>(now))
      .BindInt(4, Limit(limit));
  return ReadNewestFirst(*q);
}

Result<std::optional<StoredMessage>> Store::MessageById(int64_t id, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(kMessageByIdSql));
  q->BindInt(1, id).BindInt(2, static_cast<int64_t>(now));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<StoredMessage>();
  CANDOR_ASSIGN_OR_RETURN(StoredMessage m, ReadMessage(*q));
  return std::optional<StoredMessage>(std::move(m));
}

Result<void> Store::SetDisappearingTimer(std::string_view peer, std::optional<uint64_t> seconds) {
  CANDOR_RETURN_IF_ERROR(protocol::CheckDisappearingTimer(seconds));
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(ConversationRow c, EnsureConversation(db, peer));
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "UPDATE OR FAIL conversations SET disappear_after = ? WHERE id = ?"));
  if (seconds) q->BindInt(1, static_cast<int64_t>(*seconds)); else q->BindNull(1);
  q->BindInt(2, c.id);
  CANDOR_RETURN_IF_ERROR(q->Run());
  return tx.Commit();
}

namespace {

// Runs `delete_sql`, whose one parameter is a time, for the rows stamped
// `retention` seconds or more before `now`.
Result<void> DeleteOlderThan(internal::Database& db, const char* delete_sql, uint64_t retention,
                             uint64_t now) {
  if (now < retention) return Ok();
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(delete_sql));
  q->BindInt(1, static_cast<int64_t>(now - retention));
  return q->Run();
}

}  // namespace

Result<size_t> Store::PurgeExpired(uint64_t now) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  // Raise each conversation's order floor to its next order first, so the
  // orders of deleted messages are never handed out again.
  CANDOR_RETURN_IF_ERROR(db.Exec(
      "UPDATE conversations SET next_order = " CANDOR_NEXT_ORDER_SQL));
  // Franking openings are part of the message rows, and secure_delete
  // overwrites the freed space.
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "DELETE FROM messages WHERE expires_at IS NOT NULL AND expires_at <= ?"));
  q->BindInt(1, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(q->Run());
  const auto purged = static_cast<size_t>(db.Changes());
  // Keys and markers past their retention (crypto/limits.h). The marker scan
  // reads the whole (bounded) table: an index on the receive time would cost
  // every receive one more page write.
  CANDOR_RETURN_IF_ERROR(DeleteOlderThan(
      db, "DELETE FROM signed_prekeys WHERE retired_at <= ?", kRetiredSignedPrekeySeconds, now));
  // The last-resort uses remembered for a key go with it (ON DELETE CASCADE).
  CANDOR_RETURN_IF_ERROR(DeleteOlderThan(db, "DELETE FROM pq_signed_prekeys WHERE retired_at <= ?",
                                         kRetiredSignedPrekeySeconds, now));
  CANDOR_RETURN_IF_ERROR(DeleteOlderThan(
      db, "DELETE FROM received_envelopes WHERE received_at <= ?", kReplayMarkerSeconds, now));
  // Sealed sender: expired certificates and tokens (with their keys), and
  // the record of seen tokens once their messages' markers are gone too.
  for (const char* sql : {"DELETE FROM sender_certificates WHERE expires_at < ?",
                          "DELETE FROM moderation_tokens WHERE expires_at < ?"}) {
    CANDOR_RETURN_IF_ERROR(DeleteOlderThan(db, sql, 0, now));
  }
  CANDOR_RETURN_IF_ERROR(DeleteOlderThan(db, "DELETE FROM seen_tokens WHERE expires_at <= ?",
                                         kReplayMarkerSeconds, now));
  CANDOR_RETURN_IF_ERROR(DeleteOlderThan(
      db, "DELETE FROM moderation_tokens WHERE token IS NULL AND requested_at <= ?",
      kUnansweredTokenRequestSeconds, now));
  // A report keeps its entry, not the plaintext of messages that are gone.
  CANDOR_ASSIGN_OR_RETURN(auto reports, db.Cached(
      "UPDATE reports SET preview = x'', sealed = x'', content_purged = 1 "
      "WHERE content_purged = 0 AND content_expires_at IS NOT NULL AND content_expires_at <= ?"));
  reports->BindInt(1, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(reports->Run());
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  // The deleted rows' old pages (and old session states) would otherwise
  // linger in the write-ahead log until SQLite reuses it. Another process's
  // reader can hold the checkpoint off past the busy timeout: the purge
  // stands, and the next purge's checkpoint finishes the job.
  auto checkpoint = db.CheckpointAndTruncateWal();
  if (!checkpoint.has_value() && checkpoint.error().code() != Errc::kDatabaseLocked) {
    return checkpoint.error();
  }
  return purged;
}

Result<int64_t> Store::SaveReport(const protocol::ReportRecord& r) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(std::optional<int64_t> conversation, FindConversation(db, r.peer));
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "INSERT INTO reports(conversation_id, peer, reason, created_at, message_count, preview, "
      "sealed, moderator_key, content_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (conversation) {
    q->BindInt(1, *conversation);
  } else {
    q->BindNull(1);
  }
  q->BindText(2, r.peer).BindText(3, r.reason).BindInt(4, static_cast<int64_t>(r.created_at))
      .BindInt(5, static_cast<int64_t>(r.message_count)).BindBlob(6, AsBytes(r.preview))
      .BindBlob(7, r.sealed).BindBlob(8, r.moderator_key);
  if (r.content_expires_at) {
    q->BindInt(9, static_cast<int64_t>(std::min<uint64_t>(*r.content_expires_at, INT64_MAX)));
  } else {
    q->BindNull(9);
  }
  CANDOR_RETURN_IF_ERROR(q->Run());
  const int64_t id = db.LastInsertRowId();
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<std::vector<protocol::ReportRecord>> Store::ListReports() {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT id, peer, reason, created_at, message_count, preview, sealed, moderator_key, "
      "content_expires_at, content_purged FROM reports ORDER BY id"));
  std::vector<protocol::ReportRecord> out;
  for (;;) {
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    CANDOR_ASSIGN_OR_RETURN(auto key, FixedColumn<32>(*q, 7, "report moderator key"));
    const ByteView preview = q->ColumnBlob(5);
    const ByteView sealed = q->ColumnBlob(6);
    std::optional<uint64_t> content_expires_at;
    if (!q->ColumnIsNull(8)) content_expires_at = static_cast<uint64_t>(q->ColumnInt(8));
    out.push_back(protocol::ReportRecord{
        q->ColumnInt(0), q->ColumnText(1), q->ColumnText(2),
        static_cast<uint64_t>(q->ColumnInt(3)), static_cast<size_t>(q->ColumnInt(4)),
        std::string(reinterpret_cast<const char*>(preview.data()), preview.size()), key,
        Bytes(sealed.begin(), sealed.end()), content_expires_at, q->ColumnInt(9) != 0});
  }
  return out;
}

Result<void> Store::DeleteReport(int64_t id) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached("DELETE FROM reports WHERE id = ?"));
  q->BindInt(1, id);
  CANDOR_RETURN_IF_ERROR(q->Run());
  if (db.Changes() == 0) return Error(Errc::kNotFound, "no report with that id");
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  // secure_delete zeroed the row in the database; the log should not keep
  // it either (a reader elsewhere may delay that to the next checkpoint).
  auto checkpoint = db.CheckpointAndTruncateWal();
  if (!checkpoint.has_value() && checkpoint.error().code() != Errc::kDatabaseLocked) {
    return checkpoint.error();
  }
  return Ok();
}

}  // namespace candor::storage
