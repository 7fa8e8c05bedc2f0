#include <array>
#include <filesystem>
#include <fstream>

#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "cipher_upgrade.h"
#include "schema.h"
#include "search_index.h"
#include "store_files.h"
#include "store_impl.h"

namespace candor::storage {

using internal::Database;
using internal::Migrate;
using internal::OpenFileClaim;
using internal::CreateExclusively;
using internal::RemoveDatabaseFiles;

namespace {

constexpr int64_t kPageSize = 4096;
constexpr int64_t kJournalSizeLimitBytes = int64_t{8} << 20;
// The first 16 bytes of an unencrypted SQLite file.
constexpr std::array<uint8_t, 16> kSqliteMagic = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                                  'o', 'r', 'm', 'a', 't', ' ', '3', 0};

Result<SecretArray<32>> DeriveKey(const std::variant<SecretArray<32>, SecretBytes>& key,
                                  const std::array<uint8_t, 16>& salt) {
  if (const auto* raw = std::get_if<SecretArray<32>>(&key)) return raw->Clone();
  return crypto::DeriveKeyFromPassphrase(std::get<SecretBytes>(key), salt,
                                         kStorePassphraseParams);
}

// The busy timeout, the key, then the page size: all before anything reads
// the file (another process may be mid-commit).
Result<void> KeyConnection(Database& db, const SecretArray<32>& key, ByteView salt,
                           const StoreOptions& options) {
  if (options.busy_timeout_ms < 0) {
    return Error(Errc::kInvalidArgument, "busy_timeout_ms must not be negative");
  }
  db.SetBusyTimeout(options.busy_timeout_ms);
  CANDOR_RETURN_IF_ERROR(db.Key(internal::RawKeySpec(key, salt)));
  CANDOR_RETURN_IF_ERROR(internal::RegisterSearchFunctions(db));
  return db.Exec("PRAGMA cipher_page_size = " + std::to_string(kPageSize));
}

Result<void> Configure(Database& db, const StoreOptions& options) {
  CANDOR_ASSIGN_OR_RETURN(auto mode, db.Prepare("PRAGMA journal_mode = WAL"));
  CANDOR_ASSIGN_OR_RETURN(bool row, mode.Step());
  if (!row || mode.ColumnText(0) != "wal") {
    return Error(Errc::kStorageFailed, "could not switch the store to WAL mode");
  }
  CANDOR_RETURN_IF_ERROR(db.Exec("PRAGMA secure_delete = ON"));
  CANDOR_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON"));
  // Past a checkpoint the log is cut back to this size rather than kept at
  // its largest after a big batch. Above the ~4 MiB the automatic checkpoint
  // lets the log reach: a log cut below its working size grows again at
  // once, and each fsync of a growing file also commits its new size (1 MiB
  // cost a synced receive 40%). What a purge deletes leaves the log through
  // its own TRUNCATE checkpoint, not through this limit.
  CANDOR_RETURN_IF_ERROR(db.Exec("PRAGMA journal_size_limit = " + std::to_string(kJournalSizeLimitBytes)));
  return db.SetSynchronous(options.synchronous_full);
}

}  // namespace

namespace internal {

struct StoreFactory {
  static const std::variant<SecretArray<32>, SecretBytes>& KeyOf(const StoreKey& key) {
    return key.key_;
  }
  static Store Make(Store::Impl&& impl) {
    return Store(std::make_unique<Store::Impl>(std::move(impl)));
  }

  static Result<Store> Create(const std::string& path, const StoreKey& key,
                              crypto::RandomSource& rng, StoreOptions options, int64_t version) {
    CANDOR_RETURN_IF_ERROR(CreateExclusively(path));
    // Passphrase stores fix SQLCipher's salt themselves: it is the Argon2id salt.
    std::array<uint8_t, 16> salt{};
    rng.Fill(salt);
    auto build = [&]() -> Result<Store> {
      CANDOR_ASSIGN_OR_RETURN(OpenFileClaim claim, OpenFileClaim::Claim(path));
      CANDOR_ASSIGN_OR_RETURN(SecretArray<32> k, DeriveKey(KeyOf(key), salt));
      CANDOR_ASSIGN_OR_RETURN(Database db, Database::Open(path, Database::Mode::kOpenExisting));
      CANDOR_RETURN_IF_ERROR(
          KeyConnection(db, k, key.is_passphrase() ? ByteView(salt) : ByteView(), options));
      CANDOR_RETURN_IF_ERROR(Configure(db, options));
      CANDOR_RETURN_IF_ERROR(Migrate(db, version));
      return Make(Store::Impl{path, std::move(claim), std::move(db), {}, {}, {}});
    };
    auto store = build();
    if (!store.has_value()) RemoveDatabaseFiles(path);  // nothing half-made stays behind
    return store;
  }

  static Result<Store> Open(const std::string& path, const StoreKey& key, StoreOptions options) {
    // The key once: Argon2id for a passphrase takes most of a second. The
    // salt is the file's and survives the SQLCipher 3 upgrade.
    CANDOR_ASSIGN_OR_RETURN(auto salt, InspectStoreFile(path));
    CANDOR_ASSIGN_OR_RETURN(SecretArray<32> k, DeriveKey(KeyOf(key), salt));
    for (int attempt = 0;; ++attempt) {
      bool moved = false;
      auto opened = OpenCurrent(path, k, options, moved);
      // Replaced (renamed over by another process's upgrade) while we
      // opened it: our connection would use the old file with the new
      // file's log. Open the new one.
      if (moved && attempt < 3) continue;
      if (opened.has_value() || opened.error().code() != Errc::kWrongKey || attempt > 0) {
        return opened;
      }
      // Not a SQLCipher 4 file under this key: a store from a SQLCipher 3
      // build is upgraded once (cipher_upgrade.h), then opened as any
      // other. Nothing was written by the attempt, nor is if the key is
      // wrong for both formats.
      CANDOR_ASSIGN_OR_RETURN(OpenFileClaim claim, OpenFileClaim::Claim(path));
      CANDOR_RETURN_IF_ERROR(internal::UpgradeFromSqlcipher3(
          path, internal::RawKeySpec(k, salt), options.busy_timeout_ms));
    }
  }

  static Result<Store> OpenCurrent(const std::string& path, const SecretArray<32>& k,
                                   const StoreOptions& options, bool& moved) {
    // Open inspected the file once; a file the upgrade (ours or another
    // process's) put at `path` since is a store SQLCipher wrote.
    CANDOR_ASSIGN_OR_RETURN(OpenFileClaim claim, OpenFileClaim::Claim(path));
    CANDOR_ASSIGN_OR_RETURN(Database db, Database::Open(path, Database::Mode::kOpenExisting));
    // Until every check below passed, closing must not fold a crashed
    // session's log into the file — SQLite would, even under a wrong key
    // (the frames are encrypted pages, copied as they are): a refused store
    // stays byte-identical.
    CANDOR_RETURN_IF_ERROR(db.SetCheckpointOnClose(false));
    CANDOR_RETURN_IF_ERROR(KeyConnection(db, k, {}, options));
    // The first read: it fails with SQLITE_NOTADB when the key is wrong (or
    // the file is something else that happens to be page-aligned, or a
    // SQLCipher 3 store). Nothing has been written up to here, and nothing
    // is on refusal.
    auto tables = db.QueryInt("SELECT count(*) FROM sqlite_master");
    if (!tables.has_value()) {
      if (tables.error().code() == Errc::kWrongKey) {
        return Error(Errc::kWrongKey, "the key does not open this store");
      }
      return tables.error();
    }
    CANDOR_ASSIGN_OR_RETURN(moved, db.HasMoved());
    if (moved) return Error(Errc::kDatabaseLocked, "the store was replaced while being opened");
    CANDOR_ASSIGN_OR_RETURN(int64_t app_id, db.QueryInt("PRAGMA application_id"));
    if (app_id != kApplicationId) {
      return Error(Errc::kNotACandorDatabase, "an encrypted database, but not a candor store");
    }
    CANDOR_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("PRAGMA user_version"));
    if (version > CurrentSchemaVersion()) {
      return Error(Errc::kSchemaTooNew, "the store was written by a newer candor (schema " +
                                            std::to_string(version) + ")");
    }
    CANDOR_RETURN_IF_ERROR(db.SetCheckpointOnClose(true));
    CANDOR_RETURN_IF_ERROR(Configure(db, options));
    if (version < CurrentSchemaVersion()) {
      CANDOR_RETURN_IF_ERROR(Migrate(db, CurrentSchemaVersion(), options.migration_progress));
    }
    return Make(Store::Impl{path, std::move(claim), std::move(db), {}, {}, {}});
  }
};

Result<std::array<uint8_t, 16>> InspectStoreFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error(Errc::kNotFound, "no store at that path");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Error(Errc::kNotACandorDatabase, "the store path is not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0 || size % kPageSize != 0) {
    return Error(Errc::kNotACandorDatabase, "not a candor store (size is not whole 4096-byte pages)");
  }
  std::array<uint8_t, 16> head{};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(head.data()), head.size())) {
    return Error(Errc::kStorageFailed, "cannot read the store file");
  }
  if (head == kSqliteMagic) {
    return Error(Errc::kNotACandorDatabase, "an unencrypted SQLite database, not a candor store");
  }
  return head;
}

SecretBytes RawKeySpec(const SecretArray<32>& key, ByteView salt) {
  SecretBytes material = SecretBytes::CopyFrom(key.Expose());
  material.Append(salt);
  return ToHexSecret(material.Expose(), "x'", "'");
}

Result<Store> CreateAtVersionForTesting(const std::string& path, const StoreKey& key,
                                        crypto::RandomSource& rng, int64_t version) {
  return StoreFactory::Create(path, key, rng, {}, version);
}

}  // namespace internal

StoreKey StoreKey::Raw(SecretArray<32> key) { return StoreKey(std::move(key)); }

Result<StoreKey> StoreKey::Passphrase(SecretBytes passphrase) {
  if (passphrase.empty() || passphrase.size() > kMaxPassphraseBytes) {
    return Error(Errc::kInvalidArgument, "passphrase must be 1..1024 bytes");
  }
  return StoreKey(std::move(passphrase));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::Create(const std::string& path, const StoreKey& key,
                            crypto::RandomSource& rng, StoreOptions options) {
  return internal::StoreFactory::Create(path, key, rng, options,
                                        internal::CurrentSchemaVersion());
}

Result<Store> Store::Open(const std::string& path, const StoreKey& key, StoreOptions options) {
  return internal::StoreFactory::Open(path, key, options);
}

int64_t Store::schema_version() const {
  auto v = impl_->db.QueryInt("PRAGMA user_version");
  return v.has_value() ? *v : -1;
}

}  // namespace candor::storage
