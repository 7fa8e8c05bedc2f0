// Private to storage/: what a Store holds.
#ifndef CANDOR_STORAGE_SRC_STORE_IMPL_H_
#define CANDOR_STORAGE_SRC_STORE_IMPL_H_

#include <map>
#include <optional>
#include <string>

#include "candor/storage/store.h"
#include "open_files.h"
#include "sqlite.h"

namespace candor::storage {

struct Store::Impl {
  std::string path;
  internal::OpenFileClaim claim;  // released after `db` is closed
  internal::Database db;
  // Prekeys handed out by FindSignedPrekey / FindOneTimePrekey: the pointers
  // must outlive the call, so loaded keys are kept here, one map per kind
  // (their ids are independent).
  std::map<uint32_t, crypto::X25519KeyPair> signed_prekeys;
  std::map<uint32_t, crypto::X25519KeyPair> one_time_prekeys;
  // The ML-KEM prekey FindPqPrekey handed out last (loaded, and its hash
  // checked, on every call: a consumed or purged key is gone then).
  std::optional<crypto::MlKem768KeyPair> pq_prekey;
};

namespace internal {

// The file checks Open runs before SQLCipher touches the file: it exists, is
// not a plain SQLite database, and is a whole number of 4096-byte pages.
// Returns the first 16 bytes (SQLCipher's salt).
Result<std::array<uint8_t, 16>> InspectStoreFile(const std::string& path);

// The x'<hex key>' (or x'<hex key><hex salt>') string for sqlite3_key, in
// wiped memory.
SecretBytes RawKeySpec(const SecretArray<32>& key, ByteView salt);

// Creates a store whose schema stops at `version` (tests of migrations).
Result<Store> CreateAtVersionForTesting(const std::string& path, const StoreKey& key,
                                        crypto::RandomSource& rng, int64_t version);

}  // namespace internal
}  // namespace candor::storage

#endif  // CANDOR_STORAGE_SRC_STORE_IMPL_H_
