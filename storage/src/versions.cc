// sqlite3.h is otherwise included only by src/sqlite.cc; this file asks the
// linked library two questions and needs none of the store's wrappers.
#include "candor/storage/versions.h"

#include <sqlcipher/sqlite3.h>

#include <memory>

namespace candor::storage {

std::string SqliteVersion() { return sqlite3_libversion(); }

Result<std::string> SqlcipherVersion() {
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  if (opened != SQLITE_OK) return Error(Errc::kStorageFailed, "cannot open an in-memory database");
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA cipher_version", -1, &raw_stmt, nullptr) != SQLITE_OK) {
    return Error(Errc::kStorageFailed, "cannot ask for the cipher version");
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt, sqlite3_finalize);
  // Plain SQLite ignores the pragma and returns no row.
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) {
    return Error(Errc::kStorageFailed, "the linked SQLite does not report a SQLCipher version");
  }
  const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
  if (text == nullptr) return Error(Errc::kStorageFailed, "empty SQLCipher version");
  return std::string(reinterpret_cast<const char*>(text));
}

}  // namespace candor::storage
