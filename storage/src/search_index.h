// Private to storage/: the full-text index of message texts (schema v6).
//
// An FTS5 table inside the encrypted database, so the index is encrypted
// like everything else. External content: the text is stored once, in the
// message row (inside its serialized Content), and the index reads it
// through the view message_text, which decodes it with the SQL function
// candor_content_text. Triggers add a message's words when its row is
// inserted and remove them when it is deleted (purge, a conversation's
// cascade), in the same statement and so the same transaction; FTS5's
// secure-delete option makes the removal rewrite the index segments at once
// — without it the words would stay readable in old segments until a merge.
// (A contentless_delete table cannot do that: it has no text to find the
// words by, so it only marks the row deleted. tests/storage/purge_scan_test
// sees the difference.)
#ifndef CANDOR_STORAGE_SRC_SEARCH_INDEX_H_
#define CANDOR_STORAGE_SRC_SEARCH_INDEX_H_

#include "candor/crypto/result.h"
#include "sqlite.h"

namespace candor::storage::internal {

// The view, the table, its settings and triggers, filled from the messages
// already stored (migration 6).
extern const char* const kSearchSchemaSql;

// candor_content_text on this connection: before anything writes messages.
Result<void> RegisterSearchFunctions(Database& db);

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_SEARCH_INDEX_H_
