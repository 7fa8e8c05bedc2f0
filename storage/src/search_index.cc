#include "search_index.h"

#include "candor/protocol/frame.h"

namespace candor::storage::internal {

const char* const kSearchSchemaSql = R"sql(
  CREATE VIEW message_text AS
    SELECT id, candor_content_text(content) AS text FROM messages;
  CREATE VIRTUAL TABLE message_search USING fts5(
    text, content = 'message_text', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO message_search(message_search, rank) VALUES ('secure-delete', 1);
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search(message_search, rowid, text)
      VALUES ('delete', old.id, candor_content_text(old.content));
  END;
  INSERT INTO message_search(message_search) VALUES ('rebuild');
)sql";

Result<void> IndexMessage(Database& db, int64_t message_id, ByteView content) {
  // Decoded by the same function the delete trigger uses: the words removed
  // are always the words added.
  CANDOR_ASSIGN_OR_RETURN(auto insert, db.Cached(
      "INSERT INTO message_search(rowid, text) VALUES (?, candor_content_text(?))"));
  insert->BindInt(1, message_id).BindBlob(2, content);
  return insert->Run();
}

Result<void> RegisterSearchFunctions(Database& db) {
  // The lenient decoder history uses: a message history shows is one search
  // finds. Deterministic, as the 'delete' trigger needs: it must give the
  // words the insert indexed.
  return db.RegisterTextFunction("candor_content_text", protocol::DecodeStoredContentText);
}

}  // namespace candor::storage::internal
