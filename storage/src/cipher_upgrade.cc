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
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Error(Errc::kNotFound, "the store file disappeared");
      return Error(Errc::kStorageFailed,
                   std::string("open the store to lock it: ") + std::strerror(errno));
    }
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

// Steps 1 and 2: the old store, its log applied, copied into `target`,
// under the old store's write lock; the connection is closed on return.
Result<void> Export(Database old, const std::string& path, const std::string& target,
                    const SecretBytes& key_spec) {
  // Refuse another application's database before touching anything.
  CANDOR_ASSIGN_OR_RETURN(int64_t application_id, old.QueryInt("PRAGMA application_id"));
  if (application_id != kApplicationId) {
    return Error(Errc::kNotACandorDatabase, "an encrypted database, but not a candor store");
  }
  CANDOR_ASSIGN_OR_RETURN(int64_t user_version, old.QueryInt("PRAGMA user_version"));
  // Now the key is known to be right: this connection may fold the log into
  // the file, and as the last connection to close it deletes the log.
  CANDOR_RETURN_IF_ERROR(old.SetCheckpointOnClose(true));
  // Every committed transaction into the database file, the log emptied.
  // SQLITE_BUSY here means another process is reading the old store.
  CANDOR_RETURN_IF_ERROR(old.CheckpointAndTruncateWal());

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
  // The old store's write lock for the copy: no other process (an older
  // candor still running) can commit to it meanwhile. data_version changes
  // when another connection commits; checked again after the copy under a
  // fresh write lock, which the close then gives up.
  CANDOR_RETURN_IF_ERROR(old.Exec("BEGIN IMMEDIATE"));
  CANDOR_ASSIGN_OR_RETURN(int64_t before, old.QueryInt("PRAGMA data_version"));
  CANDOR_RETURN_IF_ERROR(old.Exec("SELECT sqlcipher_export('upgraded')"));
  CANDOR_RETURN_IF_ERROR(
      old.Exec("PRAGMA upgraded.user_version = " + std::to_string(user_version)));
  CANDOR_RETURN_IF_ERROR(
      old.Exec("PRAGMA upgraded.application_id = " + std::to_string(application_id)));
  CANDOR_RETURN_IF_ERROR(old.Exec("COMMIT"));
  CANDOR_RETURN_IF_ERROR(old.Exec("BEGIN IMMEDIATE"));
  CANDOR_ASSIGN_OR_RETURN(int64_t after, old.QueryInt("PRAGMA data_version"));
  if (after != before) {
    return Error(Errc::kDatabaseLocked,
                 "another process wrote to the store during its upgrade; stop older candor "
                 "versions using it and open it again");
  }
  {
    // Closed here: rolls back the empty transaction and, as the last
    // connection, deletes the log.
    Database closing = std::move(old);
  }
  // A log or index still there means another connection has the old store
  // open: its later commits would be lost with the old file.
  for (const char* suffix : {"-wal", "-shm"}) {
    if (std::filesystem::exists(path + suffix)) {
      return Error(Errc::kDatabaseLocked,
                   "another process has the store open (an older candor?); stop it and open "
                   "the store again");
    }
  }
  return Ok();
}

}  // namespace

void SetUpgradeStepHookForTesting(void (*hook)(UpgradeStep)) { g_step_hook = hook; }

Result<void> UpgradeFromSqlcipher3(const std::string& store_path, const SecretBytes& key_spec,
                                   int busy_timeout_ms) {
  // One name for the file through the whole copy: a store reached through a
  // symbolic link is upgraded where it lives, and the link stays.
  std::error_code ec;
  const std::string path = std::filesystem::canonical(store_path, ec).string();
  if (ec) return Error(Errc::kNotFound, "no store at that path: " + ec.message());
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
  auto exported = Export(std::move(old).value(), path, target, key_spec);
  if (!exported.has_value()) {
    RemoveDatabaseFiles(target);
    return exported;
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
