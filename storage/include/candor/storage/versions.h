// The SQLite and SQLCipher versions linked at run time, for `candor
// version` and audits.
#ifndef CANDOR_STORAGE_VERSIONS_H_
#define CANDOR_STORAGE_VERSIONS_H_

#include <string>

#include "candor/crypto/result.h"

namespace candor::storage {

// sqlite3_libversion(), e.g. "3.44.2": the SQLite inside SQLCipher.
std::string SqliteVersion();
// PRAGMA cipher_version, e.g. "4.5.6 community"; asked of an in-memory
// database, so no store or key is needed. kStorageFailed if the linked
// library does not answer (it would not be SQLCipher).
Result<std::string> SqlcipherVersion();

}  // namespace candor::storage

#endif  // CANDOR_STORAGE_VERSIONS_H_
