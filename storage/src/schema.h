// Private to storage/: the schema as a list of forward-only migrations.
// The schema version is PRAGMA user_version; a fresh database runs every
// migration, an older one the missing ones, each time in one transaction.
#ifndef CANDOR_STORAGE_SRC_SCHEMA_H_
#define CANDOR_STORAGE_SRC_SCHEMA_H_

#include <cstdint>

#include "candor/crypto/result.h"
#include <functional>

#include "sqlite.h"

namespace candor::storage::internal {

// "CNDR" in PRAGMA application_id: tells a candor store from any other
// SQLCipher database that the same key happens to open.
inline constexpr int64_t kApplicationId = 0x434e4452;

int64_t CurrentSchemaVersion();

// Brings `db` from its user_version to `target` (default: current) in one
// transaction, setting application_id on a fresh database. kSchemaTooNew if
// the database is already newer.
// `progress` (may be empty) is told after each version applied.
Result<void> Migrate(Database& db, int64_t target = CurrentSchemaVersion(),
                     const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_SCHEMA_H_
