// Private to storage/: the one-time move of a store written by candor's
// SQLCipher 3.4.1 builds (HMAC-SHA1, 4096-byte pages) to SQLCipher 4
// (HMAC-SHA512). SQLCipher's own PRAGMA cipher_migrate gives up on those
// files (it expects 3.x's default 1024-byte pages), so the store is copied:
//
//   1. open the old file in compatibility-3 mode, apply and empty its log;
//   2. under the old store's write lock, sqlcipher_export into "<path>-v4"
//      (created 0600, same key and salt); refuse if anyone else committed
//      meanwhile, or still has the old store open once ours is closed;
//   3. fsync "<path>-v4";  4. rename it over <path>;  5. fsync the directory.
//
// A crash at any point leaves a store that opens: before 4 the old file is
// untouched (a stale "<path>-v4" is deleted by the next attempt); after 4 the
// new one is complete and synced. Other processes are kept out by an flock
// on the store file for the whole copy.
#ifndef CANDOR_STORAGE_SRC_CIPHER_UPGRADE_H_
#define CANDOR_STORAGE_SRC_CIPHER_UPGRADE_H_

#include <string>

#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::storage::internal {

// Upgrades the store at `path` if the key (a raw-key spec with the file's
// salt, RawKeySpec) opens it as a SQLCipher 3 database. Ok when it did, or
// when another process upgraded it meanwhile (the caller opens it again);
// kWrongKey when the key opens it in neither format, with nothing written;
// kDatabaseLocked when another process keeps the old store open.
Result<void> UpgradeFromSqlcipher3(const std::string& path, const SecretBytes& key_spec,
                                   int busy_timeout_ms);

// The points a crash test stops at (the numbers above).
enum class UpgradeStep { kExported = 2, kSynced = 3, kRenamed = 4, kDirectorySynced = 5 };
// Called after each step; tests use it to kill the process there.
void SetUpgradeStepHookForTesting(void (*hook)(UpgradeStep));

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_CIPHER_UPGRADE_H_
