#include "sqlite.h"

#include <sqlcipher/sqlite3.h>

#include <new>
#include <utility>

#include "store_files.h"

namespace candor::storage::internal {

Error SqliteError(int rc, std::string_view what) {
  const std::string context = std::string(what) + ": " + sqlite3_errstr(rc);
  switch (rc & 0xff) {  // primary code
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(Errc::kDatabaseLocked, context);
    case SQLITE_NOTADB:
      return Error(Errc::kWrongKey, context);
    case SQLITE_CANTOPEN:
      return Error(Errc::kNotFound, context);
    default:
      return Error(Errc::kStorageFailed, context);
  }
}

// --- Database ------------------------------------------------------------------

Result<Database> Database::Open(const std::string& path, Mode mode) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (mode == Mode::kCreateNew ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(db);  // sqlite3_open_v2 may return a handle even on failure
    return SqliteError(rc, "open");
  }
  sqlite3_extended_result_codes(db, 1);
  return Database(db);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      transaction_depth_(std::exchange(other.transaction_depth_, 0)),
      poisoned_(std::exchange(other.poisoned_, false)),
      synchronous_full_(other.synchronous_full_),
      sync_requested_(std::exchange(other.sync_requested_, false)),
      wal_dir_synced_(other.wal_dir_synced_),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    cache_.clear();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    transaction_depth_ = std::exchange(other.transaction_depth_, 0);
    poisoned_ = std::exchange(other.poisoned_, false);
    synchronous_full_ = other.synchronous_full_;
    sync_requested_ = std::exchange(other.sync_requested_, false);
    wal_dir_synced_ = other.wal_dir_synced_;
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Database::~Database() {
  cache_.clear();  // finalize cached statements before closing
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<CachedStatement> Database::Cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    CANDOR_ASSIGN_OR_RETURN(Statement fresh, Prepare(sql));
    it = cache_.emplace(sql, std::make_unique<Statement>(std::move(fresh))).first;
  }
  if (it->second->in_use_) {
    CANDOR_ASSIGN_OR_RETURN(Statement fresh, Prepare(sql));
    return CachedStatement(nullptr, std::make_unique<Statement>(std::move(fresh)));
  }
  it->second->in_use_ = true;
  return CachedStatement(it->second.get(), nullptr);
}

CachedStatement::CachedStatement(Statement* borrowed, std::unique_ptr<Statement> owned)
    : stmt_(borrowed != nullptr ? borrowed : owned.get()), owned_(std::move(owned)) {}

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), owned_(std::move(other.owned_)) {}

CachedStatement::~CachedStatement() {
  if (stmt_ == nullptr || owned_ != nullptr) return;
  stmt_->Reset();
  stmt_->in_use_ = false;
}

Result<void> Database::Key(const SecretBytes& key_spec) {
  const int rc = sqlite3_key(db_, key_spec.Expose().data(), static_cast<int>(key_spec.size()));
  if (rc != SQLITE_OK) return SqliteError(rc, "key");
  return Ok();
}

Result<void> Database::Exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, sql.substr(0, 40));
  return Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(rc, "prepare");
  }
  return Statement(db_, stmt);
}

Result<int64_t> Database::QueryInt(std::string_view sql) {
  CANDOR_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  CANDOR_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Error(Errc::kStorageFailed, "query returned no row");
  return stmt.ColumnInt(0);
}

void Database::SetBusyTimeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

Result<bool> Database::HasMoved() {
  int moved = 0;
  const int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved);
  if (rc != SQLITE_OK) return SqliteError(rc, "has_moved");
  return moved != 0;
}

Result<void> Database::SetCheckpointOnClose(bool on) {
  const int rc = sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on ? 0 : 1, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, "no_ckpt_on_close");
  return Ok();
}

Result<void> Database::SetSynchronous(bool full) {
  CANDOR_RETURN_IF_ERROR(Exec(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  synchronous_full_ = full;
  return Ok();
}

Result<void> Database::SyncWal() {
  const char* main = sqlite3_db_filename(db_, "main");
  if (main == nullptr || *main == '\0') return Ok();  // in-memory: nothing to sync
  const std::string wal = std::string(main) + "-wal";
  auto synced = SyncFile(wal, "the write-ahead log");
  if (!synced.has_value()) {
    // Checkpointed away: already in the database file.
    if (synced.error().code() == Errc::kNotFound) return Ok();
    return synced;
  }
  // A log created by this connection (the last one to close deletes it) is
  // durable only once its directory entry is: once per connection, as
  // SQLite's own FULL mode does.
  if (!wal_dir_synced_) {
    CANDOR_RETURN_IF_ERROR(SyncDirectoryOf(wal));
    wal_dir_synced_ = true;
  }
  return Ok();
}

Result<void> Database::CheckpointAndTruncateWal() {
  int log_frames = 0, checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &checkpointed);
  if (rc != SQLITE_OK) return SqliteError(rc, "checkpoint of the write-ahead log");
  return Ok();
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }
std::string Database::ErrorMessage() const { return sqlite3_errmsg(db_); }
bool Database::LastErrorIsSqlError() const { return (sqlite3_errcode(db_) & 0xff) == SQLITE_ERROR; }

namespace {

void CallTextFunction(sqlite3_context* context, int, sqlite3_value** argv) {
  const auto fn = reinterpret_cast<Database::TextFunction>(sqlite3_user_data(context));
  const void* data = sqlite3_value_blob(argv[0]);
  const int size = sqlite3_value_bytes(argv[0]);
  const ByteView in = data == nullptr || size <= 0
                          ? ByteView()
                          : ByteView(static_cast<const uint8_t*>(data), static_cast<size_t>(size));
  // No exception may cross SQLite's C frames.
  try {
    auto out = fn(in);
    if (!out.has_value()) {
      sqlite3_result_null(context);
      return;
    }
    sqlite3_result_text64(context, out->data(), out->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(context);
  } catch (...) {
    sqlite3_result_error(context, "candor SQL function failed", -1);
  }
}

}  // namespace

Result<void> Database::RegisterTextFunction(const char* name, TextFunction fn) {
  const int rc = sqlite3_create_function_v2(
      db_, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
      reinterpret_cast<void*>(fn), CallTextFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, "register SQL function");
  return Ok();
}
int64_t Database::TotalChanges() const { return sqlite3_total_changes(db_); }

// --- Statement -----------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

Statement& Statement::BindInt64(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindBlob(int index, ByteView value) {
  // An empty blob binds as a zero-length blob, not NULL.
  static const uint8_t kEmpty = 0;
  NoteBind(sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(),
                               value.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  NoteBind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) return SqliteError(bind_error_, "bind");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The statement's own error code is more precise than rc for some errors.
  return SqliteError(sqlite3_extended_errcode(db_), "step");
}

Result<void> Statement::Run() {
  CANDOR_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return Error(Errc::kInternal, "statement returned a row where none was expected");
  return Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

ByteView Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return ByteView(static_cast<const uint8_t*>(data), static_cast<size_t>(size));
}

std::string Statement::ColumnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// --- Transaction ---------------------------------------------------------------

Result<Transaction> Transaction::Begin(Database& db, bool synced) {
  if (db.transaction_depth_ == 0) {
    CANDOR_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    db.poisoned_ = false;
    db.sync_requested_ = false;
  }
  db.sync_requested_ = db.sync_requested_ || synced;
  ++db.transaction_depth_;
  return Transaction(&db, db.TotalChanges());
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_),
      changes_at_begin_(other.changes_at_begin_),
      open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() {
  if (!open_) return;
  if (--db_->transaction_depth_ == 0) {
    (void)db_->Exec("ROLLBACK");
    db_->poisoned_ = false;
  } else if (db_->TotalChanges() != changes_at_begin_) {
    db_->poisoned_ = true;  // it wrote, then failed: the outer one must not commit
  }
}

Result<void> Transaction::Commit() {
  if (!open_) return Error(Errc::kInternal, "transaction already finished");
  if (db_->transaction_depth_ > 1) {  // joined: durable with the outer commit
    open_ = false;
    --db_->transaction_depth_;
    return Ok();
  }
  if (db_->poisoned_) {
    return Error(Errc::kStorageFailed,
                 "an operation inside this transaction failed after writing; rolled back");
  }
  auto rc = db_->Exec("COMMIT");
  if (!rc.has_value()) return rc;  // still open: the destructor rolls back
  open_ = false;
  db_->transaction_depth_ = 0;
  // FULL syncs the log on every commit already.
  if (std::exchange(db_->sync_requested_, false) && !db_->synchronous_full_) {
    return db_->SyncWal();
  }
  return Ok();
}

}  // namespace candor::storage::internal
