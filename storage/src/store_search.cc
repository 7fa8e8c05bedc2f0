// storage::Store::Search: the FTS5 index (search_index.h) queried newest
// first, each hit read with its message row.
#include <algorithm>
#include <cstdint>

#include "candor/crypto/limits.h"
#include "store_impl.h"

namespace candor::storage {

namespace {

// The index is walked from the highest rowid (= message id, so the most
// recently stored message) down, and stops after `limit` hits that pass the
// conversation and expiry filters: a common word in a large store costs
// `limit` rows, not every match.
constexpr const char* kSearchSql =
    "SELECT m.id, c.peer, m.direction, m.sender, m.recipient, m.stored_at, m.server_time, "
    "snippet(message_search, 0, '', '', '…', 16) FROM message_search s "
    "JOIN messages m ON m.id = s.rowid JOIN conversations c ON c.id = m.conversation_id "
    "WHERE message_search MATCH ?1 AND (?2 IS NULL OR c.peer = ?2) "
    "AND (m.expires_at IS NULL OR m.expires_at > ?3) "
    "ORDER BY s.rowid DESC LIMIT ?4";

static_assert(kSnippetWords == 16, "the snippet() call in kSearchSql");

Result<void> CheckQuery(std::string_view query) {
  if (query.empty() || query.size() > kMaxSearchQueryBytes) {
    return Error(Errc::kInvalidArgument, "a search query is 1.." +
                                             std::to_string(kMaxSearchQueryBytes) + " bytes");
  }
  for (unsigned char c : query) {
    if (c < 0x20 || c == 0x7f) {
      return Error(Errc::kInvalidArgument, "a search query has no control characters");
    }
  }
  return Ok();
}

}  // namespace

Result<std::vector<SearchHit>> Store::Search(std::string_view query,
                                             std::optional<std::string_view> peer, size_t limit,
                                             uint64_t now) {
  CANDOR_RETURN_IF_ERROR(CheckQuery(query));
  if (limit == 0 || limit > kMaxSearchResults) {
    return Error(Errc::kInvalidArgument,
                 "limit must be 1.." + std::to_string(kMaxSearchResults));
  }
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(kSearchSql));
  q->BindText(1, query).BindInt(3, static_cast<int64_t>(std::min<uint64_t>(now, INT64_MAX)))
      .BindInt(4, static_cast<int64_t>(limit));
  if (peer) q->BindText(2, *peer); else q->BindNull(2);
  std::vector<SearchHit> hits;
  while (true) {
    auto row = q->Step();
    if (!row.has_value()) {
      // FTS5 reports a query it cannot parse as a plain SQL error ("fts5:
      // syntax error near …", "unterminated string", "no such column");
      // the statement itself is fixed, so such an error is the query's.
      if (db.LastErrorIsSqlError()) {
        return Error(Errc::kInvalidArgument,
                     "the search query is not valid FTS5 syntax: " + db.ErrorMessage());
      }
      return row.error();
    }
    if (!*row) break;
    std::optional<uint64_t> server_time;
    if (!q->ColumnIsNull(6)) server_time = static_cast<uint64_t>(q->ColumnInt(6));
    hits.push_back(SearchHit{q->ColumnInt(0), q->ColumnText(1),
                             q->ColumnInt(2) == 0 ? protocol::Direction::kIncoming
                                                  : protocol::Direction::kOutgoing,
                             q->ColumnText(3), q->ColumnText(4),
                             static_cast<uint64_t>(q->ColumnInt(5)), server_time,
                             q->ColumnText(7)});
    // A group's conversation key is internal: the hit names the group.
    if (auto group = GroupOfConversation(hits.back().peer)) {
      hits.back().group = group;
      hits.back().peer.clear();
    }
  }
  return hits;
}

}  // namespace candor::storage
