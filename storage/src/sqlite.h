// Private to storage/: an RAII layer over SQLCipher's C API, in the style of
// Chromium's sql:: and SQLiteCpp. sqlite3.h stays out of every header
// (handles are forward-declared); only sqlite.cc includes it.
//
//  - Database owns a connection (closed in its destructor).
//  - Statement owns a prepared statement. Binds are typed; overloads that
//    would narrow or dangle are deleted so they fail to compile. A failed
//    bind is remembered and reported by the next Step().
//  - Transaction runs BEGIN IMMEDIATE and rolls back in its destructor
//    unless Commit() succeeded. A transaction can ask to be synced: its
//    commit is then on disk before Commit() returns, whatever the
//    connection's synchronous setting.
#ifndef CANDOR_STORAGE_SRC_SQLITE_H_
#define CANDOR_STORAGE_SRC_SQLITE_H_

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <string>
#include <string_view>
#include <type_traits>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

struct sqlite3;
struct sqlite3_stmt;

namespace candor::storage::internal {

class Statement;
class CachedStatement;

class Database {
 public:
  enum class Mode { kOpenExisting, kCreateNew };

  // Opens (or creates) the file; no key yet, nothing read.
  static Result<Database> Open(const std::string& path, Mode mode);
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // sqlite3_key with SQLCipher's raw-key form, x'<hex>', built by the caller
  // in wiped memory. Must come before anything reads the file.
  Result<void> Key(const SecretBytes& key_spec);

  // Statements without parameters (DDL, pragmas). Never with secrets in them.
  Result<void> Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // A statement compiled once per connection and reused (compiling SQL costs
  // more than running these small statements). The handle resets it when
  // released; a statement already in use is prepared afresh instead.
  Result<CachedStatement> Cached(const char* sql);
  // A single-integer query, e.g. "PRAGMA user_version".
  Result<int64_t> QueryInt(std::string_view sql);

  // How long a statement waits for another connection's lock before it
  // fails with kDatabaseLocked.
  void SetBusyTimeout(int milliseconds);
  // Whether closing the last connection checkpoints the write-ahead log
  // into the database file (SQLite's default: yes). Off while a store is
  // being checked, so a refused store's file stays byte-identical.
  Result<void> SetCheckpointOnClose(bool on);
  // Whether the file this connection opened was since renamed over or
  // deleted (SQLITE_FCNTL_HAS_MOVED).
  Result<bool> HasMoved();
  // PRAGMA synchronous = FULL or NORMAL, remembered so that a synced
  // transaction knows whether its commit still needs an fsync.
  Result<void> SetSynchronous(bool full);
  // fsync of the write-ahead log: makes every commit so far durable under
  // synchronous = NORMAL (where a commit is written but not synced).
  Result<void> SyncWal();
  // wal_checkpoint(TRUNCATE): every committed page copied into the database
  // file (where secure_delete zeroed what was deleted) and the log cut to
  // zero bytes, so it keeps no older copy of a deleted row. Waits for other
  // connections' readers up to the busy timeout, then kDatabaseLocked (the
  // commit stands; the next checkpoint finishes the job).
  Result<void> CheckpointAndTruncateWal();

  int64_t LastInsertRowId() const;
  int Changes() const;
  // Registers a deterministic, innocuous SQL function of one blob that
  // returns text (NULL where `fn` fails), for this connection: usable in
  // the schema's triggers and views (SQLite is built with trusted_schema
  // off, which refuses any other function there).
  using TextFunction = Result<std::string> (*)(ByteView);
  Result<void> RegisterTextFunction(const char* name, TextFunction fn);
  // SQLite's message for the connection's last error (it can quote SQL or a
  // query the caller gave; never bound values).
  std::string ErrorMessage() const;
  // The last error was SQLITE_ERROR: a problem with the statement or its
  // input (an FTS5 query it cannot parse), not with the file or the lock.
  bool LastErrorIsSqlError() const;
  int64_t TotalChanges() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
  int transaction_depth_ = 0;  // nested Transactions join the outermost
  bool poisoned_ = false;      // a nested one wrote, then failed
  bool synchronous_full_ = true;
  bool sync_requested_ = false;  // a Transaction in the open one asked to be synced
  bool wal_dir_synced_ = false;  // the log's directory entry is durable
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  friend class Statement;
  friend class Transaction;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& BindInt64(int index, int64_t value);
  // Any integer that fits int64_t without loss...
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool> &&
             (std::is_signed_v<T> || sizeof(T) < sizeof(int64_t)))
  Statement& BindInt(int index, T value) {
    return BindInt64(index, static_cast<int64_t>(value));
  }
  // ...and nothing that would silently change a value (Chromium's rule):
  // uint64_t (sign), bool, floating point do not compile.
  template <typename T>
  Statement& BindInt(int index, T value) = delete;
  Statement& BindBlob(int index, ByteView value);  // copied by SQLite (SQLITE_TRANSIENT)
  Statement& BindText(int index, std::string_view value);
  Statement& BindNull(int index);

  // true: a row is ready; false: done. Reports a failed bind first.
  Result<bool> Step();
  // Step() that must finish without a row (INSERT, UPDATE, DELETE).
  Result<void> Run();
  void Reset();

  int64_t ColumnInt(int column) const;
  ByteView ColumnBlob(int column) const;  // valid until the next Step/Reset
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void NoteBind(int rc);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = 0;
  bool in_use_ = false;  // lent out by Database::Cached
  friend class Database;
  friend class CachedStatement;
};

// Borrowed from Database::Cached (or owned, when the cached one was busy).
class CachedStatement {
 public:
  CachedStatement(CachedStatement&& other) noexcept;
  CachedStatement& operator=(CachedStatement&&) = delete;
  ~CachedStatement();
  Statement* operator->() { return stmt_; }
  Statement& operator*() { return *stmt_; }

 private:
  CachedStatement(Statement* borrowed, std::unique_ptr<Statement> owned);
  Statement* stmt_;
  std::unique_ptr<Statement> owned_;
  friend class Database;
};

class Transaction {
 public:
  // The outermost transaction is BEGIN IMMEDIATE: it takes the write lock
  // now, so a conflict shows up here (kDatabaseLocked) rather than half-way
  // through. A transaction begun inside another one joins it: its changes
  // become durable with the outer commit. If it ends without Commit after
  // it wrote something, the outer transaction is poisoned and can only roll
  // back, so no half-written record can ever be committed. (Not SAVEPOINTs:
  // SQLCipher encrypts every page copied into a savepoint's sub-journal,
  // which made a batched receive an order of magnitude slower.)
  //
  // `synced`: the outer commit is durable (fsync'd) before it returns even
  // under synchronous = NORMAL — for a commit whose result leaves the device
  // at once (a sent envelope), where a commit lost to a power cut would
  // roll the sender's state back.
  static Result<Transaction> Begin(Database& db, bool synced = false);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();  // rolls back unless committed

  Result<void> Commit();

 private:
  Transaction(Database* db, int64_t changes_at_begin)
      : db_(db), changes_at_begin_(changes_at_begin) {}
  Database* db_;
  int64_t changes_at_begin_;
  bool open_ = true;
};

// Maps a SQLite result code to candor's error, with `what` as context.
Error SqliteError(int rc, std::string_view what);

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_SQLITE_H_
