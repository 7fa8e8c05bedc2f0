#include "conversation_rows.h"

#include "search_index.h"

namespace candor::storage::internal {

Result<ConversationRow> EnsureConversation(Database& db, std::string_view peer) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
        "SELECT id, " CANDOR_NEXT_ORDER_SQL ", disappear_after FROM conversations "
        "WHERE peer = ?"));
    q->BindText(1, peer);
    CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
    if (row) {
      std::optional<uint64_t> timer;
      if (!q->ColumnIsNull(2)) timer = static_cast<uint64_t>(q->ColumnInt(2));
      return ConversationRow{q->ColumnInt(0), q->ColumnInt(1), timer};
    }
    CANDOR_ASSIGN_OR_RETURN(auto ins, db.Cached("INSERT INTO conversations(peer) VALUES (?)"));
    ins->BindText(1, peer);
    CANDOR_RETURN_IF_ERROR(ins->Run());
  }
  return Error(Errc::kInternal, "conversation row vanished");
}

Result<std::optional<int64_t>> FindConversation(Database& db, std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached("SELECT id FROM conversations WHERE peer = ?"));
  q->BindText(1, peer);
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(q->ColumnInt(0));
}

// Inserts the message and its franking opening at the conversation's next
// order; the caller holds the transaction.
Result<int64_t> InsertMessage(Database& db, const ConversationRow& c,
                              const NewMessage& m, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto msg, db.Cached(
      "INSERT INTO messages(conversation_id, local_order, direction, sender, recipient, "
      "server_time, stored_at, content, expires_at, franking_key, commitment, relay_tag, "
      "sealed_proof) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  msg->BindInt(1, c.id).BindInt(2, c.next_order)
      .BindInt(3, m.direction == protocol::Direction::kIncoming ? 0 : 1)
      .BindText(4, m.sender).BindText(5, m.recipient).BindInt(7, static_cast<int64_t>(now))
      .BindBlob(8, m.content).BindBlob(10, m.franking_key.Expose()).BindBlob(11, m.commitment);
  if (m.server_time) msg->BindInt(6, static_cast<int64_t>(*m.server_time)); else msg->BindNull(6);
  if (c.disappear_after) {
    msg->BindInt(9, static_cast<int64_t>(now + *c.disappear_after));
  } else {
    msg->BindNull(9);
  }
  if (m.relay_tag) msg->BindBlob(12, *m.relay_tag); else msg->BindNull(12);
  if (!m.sealed_proof.empty()) msg->BindBlob(13, m.sealed_proof); else msg->BindNull(13);
  CANDOR_RETURN_IF_ERROR(msg->Run());
  const int64_t id = db.LastInsertRowId();
  CANDOR_RETURN_IF_ERROR(IndexMessage(db, id, m.content));
  return id;
}


Result<void> InsertReplayMarker(Database& db, const protocol::EnvelopeDigest& digest, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto marker, db.Cached(
      "INSERT INTO received_envelopes(digest, received_at) VALUES (?, ?) "
      "ON CONFLICT (digest) DO NOTHING"));
  marker->BindBlob(1, digest).BindInt(2, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(marker->Run());
  if (db.Changes() == 0) return Error(Errc::kDuplicateMessage, "this envelope was already received");
  return Ok();
}

}  // namespace candor::storage::internal
