#include "conversation_rows.h"

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

}  // namespace candor::storage::internal
