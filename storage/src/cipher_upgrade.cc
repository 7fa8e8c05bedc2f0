#include "cipher_upgrade.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "schema.h"
#include "sqlite.h"
#include "store_files.h"

namespace candor::storage::internal {
namespace {

void (*g_step_hook)(UpgradeStep) = nullptr;

void Reached(UpgradeStep step) {
  if (g_step_hook != nullptr) g_step_hook(step);
}

// An flock on the store file, held for the whole copy: another process
// opening the same old store waits here, then finds the new one. (SQLite's
// own locks are fcntl locks, which flock does not touch on Linux.)
class UpgradeLock {
 public:
  static Result<UpgradeLock> Take(const std::string& path, int timeout_ms) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return Error(Errc::kNotFound, "the store file disappeared");
    UpgradeLock lock(fd);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        return Error(Errc::kStorageFailed, std::string("flock: ") + std::strerror(errno));
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return Error(Errc::kDatabaseLocked, "another process is upgrading this store");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return lock;
  }
  UpgradeLock(UpgradeLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UpgradeLock& operator=(UpgradeLock&&) = delete;
  ~UpgradeLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }
  // False when the path now names another file: it was upgraded (renamed
  // over) between our open and our lock.
  bool StillNames(const std::string& path) const {
    struct stat held {}, named {};
    return ::fstat(fd_, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
           held.st_dev == named.st_dev && held.st_ino == named.st_ino;
  }

 private:
  explicit UpgradeLock(int fd) : fd_(fd) {}
  int fd_;
};

// The first read of a keyed connection: kWrongKey (SQLITE_NOTADB) when the
// key and cipher settings do not open the file.
Result<void> ReadsAsDatabase(Database& db) {
  CANDOR_ASSIGN_OR_RETURN(int64_t tables, db.QueryInt("SELECT count(*) FROM sqlite_master"));
  (void)tables;
  return Ok();
}

Result<Database> OpenKeyed(const std::string& path, const SecretBytes& key_spec,
                           int busy_timeout_ms, bool compatibility3) {
  CANDOR_ASSIGN_OR_RETURN(Database db, Database::Open(path, Database::Mode::kOpenExisting));
  // A log left by a crash is copied into the file by the last connection to
  // close, key or no key (its frames are encrypted pages, copied as they
  // are): a probe with the wrong key must not do that. The upgrade applies
  // the log itself, on purpose, once the key is known to be right.
  CANDOR_RETURN_IF_ERROR(db.SetCheckpointOnClose(false));
  db.SetBusyTimeout(busy_timeout_ms);
  CANDOR_RETURN_IF_ERROR(db.Key(key_spec));
  if (compatibility3) {
    // 3.x's settings (HMAC-SHA1, its KDF), with the 4096-byte pages candor
    // always set; cipher_migrate would assume 1024 and give up.
    CANDOR_RETURN_IF_ERROR(db.Exec("PRAGMA cipher_compatibility = 3"));
  }
  CANDOR_RETURN_IF_ERROR(db.Exec("PRAGMA cipher_page_size = 4096"));
  CANDOR_RETURN_IF_ERROR(ReadsAsDatabase(db));
  return db;
}

// Steps 1 and 2: the old store, its log applied, copied into `target`.
Result<void> Export(Database& old, const std::string& target, const SecretBytes& key_spec) {
  // Every committed transaction into the database file, and the log emptied:
  // what is copied is all there is, and no log is left to be applied to the
  // new file. SQLITE_BUSY here means another process still has the old store
  // open (an older candor); we must not copy under it.
  CANDOR_RETURN_IF_ERROR(old.CheckpointAndTruncateWal());
  CANDOR_ASSIGN_OR_RETURN(int64_t user_version, old.QueryInt("PRAGMA user_version"));
  CANDOR_ASSIGN_OR_RETURN(int64_t application_id, old.QueryInt("PRAGMA application_id"));
  if (application_id != kApplicationId) {
    return Error(Errc::kNotACandorDatabase, "an encrypted database, but not a candor store");
  }

  CANDOR_RETURN_IF_ERROR(CreateExclusively(target));
  {
    // The key is bound, never spliced into SQL. Same key and salt: the file's
    // first 16 bytes stay the Argon2id salt of a passphrase store.
    CANDOR_ASSIGN_OR_RETURN(auto attach, old.Prepare("ATTACH DATABASE ? AS upgraded KEY ?"));
    attach.BindText(1, target).BindBlob(2, key_spec.Expose());
    CANDOR_RETURN_IF_ERROR(attach.Run());
  }
  // SQLCipher 4's defaults for the attached file: HMAC-SHA512, 4096-byte
  // pages. sqlcipher_export copies schema and rows, not the header fields.
  CANDOR_RETURN_IF_ERROR(old.Exec("PRAGMA upgraded.cipher_page_size = 4096"));
  CANDOR_RETURN_IF_ERROR(old.Exec("SELECT sqlcipher_export('upgraded')"));
  CANDOR_RETURN_IF_ERROR(
      old.Exec("PRAGMA upgraded.user_version = " + std::to_string(user_version)));
  CANDOR_RETURN_IF_ERROR(
      old.Exec("PRAGMA upgraded.application_id = " + std::to_string(application_id)));
  return old.Exec("DETACH DATABASE upgraded");
}

}  // namespace

void SetUpgradeStepHookForTesting(void (*hook)(UpgradeStep)) { g_step_hook = hook; }

Result<void> UpgradeFromSqlcipher3(const std::string& path, const SecretBytes& key_spec,
                                   int busy_timeout_ms) {
  CANDOR_ASSIGN_OR_RETURN(UpgradeLock lock, UpgradeLock::Take(path, busy_timeout_ms));
  if (!lock.StillNames(path)) return Ok();  // upgraded by another process meanwhile

  auto old = OpenKeyed(path, key_spec, busy_timeout_ms, /*compatibility3=*/true);
  if (!old.has_value()) {
    if (old.error().code() != Errc::kWrongKey) return old.error();
    // Upgraded by another process after our caller's attempt, or the key is
    // wrong for both formats.
    auto current = OpenKeyed(path, key_spec, busy_timeout_ms, /*compatibility3=*/false);
    if (current.has_value()) return Ok();
    return Error(Errc::kWrongKey, "the key does not open this store");
  }

  const std::string target = path + "-v4";
  RemoveDatabaseFiles(target);  // a copy a crash interrupted: never renamed, so unused
  auto exported = Export(*old, target, key_spec);
  old = Error(Errc::kInternal, "closed");  // the last connection: it deletes the emptied log
  if (!exported.has_value()) {
    RemoveDatabaseFiles(target);
    return exported;
  }
  // Normally gone already. Before the rename, never after: a log or index of
  // the old file must not meet the new one, and once renamed, the -wal at
  // this path may be another process's log of the new store.
  for (const char* suffix : {"-wal", "-shm"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
  Reached(UpgradeStep::kExported);

  auto durable = [&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(SyncFile(target, "the upgraded store"));
    Reached(UpgradeStep::kSynced);
    if (std::rename(target.c_str(), path.c_str()) != 0) {
      return Error(Errc::kStorageFailed,
                   std::string("rename of the upgraded store: ") + std::strerror(errno));
    }
    return Ok();
  }();
  if (!durable.has_value()) {
    RemoveDatabaseFiles(target);
    return durable;
  }
  Reached(UpgradeStep::kRenamed);
  CANDOR_RETURN_IF_ERROR(SyncDirectoryOf(path));
  Reached(UpgradeStep::kDirectorySynced);
  return Ok();
}

}  // namespace candor::storage::internal
