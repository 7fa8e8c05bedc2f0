// Private to storage/: the full-text index of message texts (schema v6).
//
// An FTS5 table inside the encrypted database, so the index is encrypted
// like everything else. External content: the text is stored once, in the
// message row (inside its serialized Content), and the index reads it
// through the view message_text, which decodes it with the SQL function
// candor_content_text. IndexMessage adds a message's words right after its
// row is inserted (a statement of its own: an insert trigger would make
// every message insert a multi-table write, for which SQLite opens a
// statement journal whose pages SQLCipher encrypts — 15% of a receive), and
// a trigger removes them when the row is deleted (purge, a conversation's
// cascade), in the same statement and so the same transaction; FTS5's
// secure-delete option makes the removal rewrite the index segments at once
// — without it the words would stay readable in old segments until a merge.
// (A contentless_delete table cannot do that: it has no text to find the
// words by, so it only marks the row deleted. tests/storage/purge_scan_test
// sees the difference.) The words removed must be the words added: a change
// of candor_content_text's output or of the tokenizer (a SQLCipher update)
// needs a migration that rebuilds the index.
#ifndef CANDOR_STORAGE_SRC_SEARCH_INDEX_H_
#define CANDOR_STORAGE_SRC_SEARCH_INDEX_H_

#include <cstdint>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "sqlite.h"

namespace candor::storage::internal {

// The view, the table, its settings and triggers, filled from the messages
// already stored (migration 6).
extern const char* const kSearchSchemaSql;

// Adds the words of the message row just inserted (its serialized Content,
// decoded by candor_content_text like the delete trigger does), inside the
// caller's transaction.
Result<void> IndexMessage(Database& db, int64_t message_id, ByteView content);

// candor_content_text on this connection: before anything writes messages.
Result<void> RegisterSearchFunctions(Database& db);

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_SEARCH_INDEX_H_
