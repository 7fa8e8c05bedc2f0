// Floors for the store benchmarks: bare inserts of a 1 KiB row straight into
// SQLCipher with the store's settings (raw key, 4096-byte pages, WAL,
// secure_delete, the same synchronous mode), in the same binary. Like
// floor_bench.cc, this is a floor: it skips candor's own layers on purpose.
//
// floor_receive_rows_*: the rows a receive must write, bare — a 1 KiB
// message row in a table with a (conversation, order) index, the session
// row rewritten (a real session's serialized size), a 32-byte random replay
// digest, the message's words in an FTS5 index — in one transaction. It
// measures what the requirements cost in SQLCipher before any of
// candor's code runs; floor_receive_rows_1000 the same for 1,000 receives in
// one transaction.
#include <benchmark/benchmark.h>
#include <sqlcipher/sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <random>
#include <vector>

#include "bench_support.h"

namespace candor::bench {
namespace {

namespace fs = std::filesystem;

void Check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "floor: %s\n", sqlite3_errmsg(db));
    std::abort();
  }
}

struct FloorDb {
  explicit FloorDb(bool full) {
    fs::create_directories(dir);
    const std::string path = (dir / "floor.db").string();
    fs::remove(path);
    Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db);
    const std::string key = "x'" + std::string(64, 'a') + "'";
    Check(sqlite3_key(db, key.data(), static_cast<int>(key.size())), db);
    Check(sqlite3_exec(db,
                       full ? "PRAGMA cipher_page_size = 4096; PRAGMA journal_mode = WAL; "
                              "PRAGMA secure_delete = ON; PRAGMA synchronous = FULL;"
                            : "PRAGMA cipher_page_size = 4096; PRAGMA journal_mode = WAL; "
                              "PRAGMA secure_delete = ON; PRAGMA synchronous = NORMAL;",
                       nullptr, nullptr, nullptr),
          db);
    Check(sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)", nullptr,
                       nullptr, nullptr),
          db);
    Prepare("INSERT INTO t(data) VALUES (?)", &insert);
  }
  ~FloorDb() {
    sqlite3_finalize(insert);
    sqlite3_close_v2(db);
    fs::remove_all(dir);
  }
  void Prepare(const char* sql, sqlite3_stmt** q) {
    Check(sqlite3_prepare_v2(db, sql, -1, q, nullptr), db);
  }
  // Runs a bound statement and resets it for the next bindings.
  void Step(sqlite3_stmt* q) {
    Check(sqlite3_step(q), db);
    sqlite3_reset(q);
  }
  void Insert() {
    Check(sqlite3_bind_blob(insert, 1, row.data(), static_cast<int>(row.size()), SQLITE_STATIC), db);
    Step(insert);
  }
  void Exec(const char* sql) { Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db); }
  // One transaction of `count` calls to `write`: what every floor times.
  template <typename Write>
  void Transaction(int count, Write&& write) {
    Exec("BEGIN IMMEDIATE");
    for (int i = 0; i < count; ++i) write();
    Exec("COMMIT");
  }

  fs::path dir = fs::temp_directory_path() / ("candor-floor-" + std::to_string(::getpid()));
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  std::vector<unsigned char> row = std::vector<unsigned char>(1024, 0x42);
};

void BM_FloorInsert(benchmark::State& state, bool full) {
  FloorDb f(full);
  for (auto _ : state) f.Transaction(1, [&] { f.Insert(); });
}
BENCHMARK_CAPTURE(BM_FloorInsert, full, true)->Name("candor/floor_insert_full")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FloorInsert, normal, false)->Name("candor/floor_insert_normal")
    ->Unit(benchmark::kMicrosecond);

void BM_FloorInsert1000(benchmark::State& state) {
  FloorDb f(true);
  for (auto _ : state) f.Transaction(1000, [&] { f.Insert(); });
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_FloorInsert1000)->Name("candor/floor_insert_1000")->Unit(benchmark::kMillisecond);

// The size of a real session after a few messages each way.
size_t SessionBytes() {
  EstablishedPair pair;
  crypto::InsecureDeterministicRandom rng{5};
  for (int i = 0; i < 3; ++i) SendOne(*pair.alice, *pair.bob, "warm up", rng);
  return pair.bob->Serialize().size();
}

// With `indexed`, the message's words also go into a bare FTS5 index with
// the store's tokenizer (the search index is one of the rows a receive must
// write since schema 6); without, the floor of the SQLCipher 3 runs.
struct ReceiveRows {
  ReceiveRows(bool full, bool with_index)
      : f(full), session(SessionBytes(), 0x5e), text(Plaintext()), indexed(with_index) {
    f.Exec("CREATE TABLE m (id INTEGER PRIMARY KEY, c INTEGER NOT NULL, o INTEGER NOT NULL, "
           "data BLOB NOT NULL, UNIQUE (c, o));"
           "CREATE TABLE s (c INTEGER PRIMARY KEY, state BLOB NOT NULL);"
           "CREATE TABLE r (digest BLOB PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;"
           "CREATE VIRTUAL TABLE i USING fts5(text, content = '', "
           "tokenize = 'unicode61 remove_diacritics 2');"
           "INSERT INTO i(i, rank) VALUES ('secure-delete', 1);"
           "INSERT INTO s VALUES (1, x'00')");
    f.Prepare("INSERT INTO m (c, o, data) VALUES (1, ?, ?)", &message);
    f.Prepare("UPDATE OR FAIL s SET state = ? WHERE c = 1", &state);
    f.Prepare("INSERT INTO r VALUES (?, 1)", &marker);
    f.Prepare("INSERT INTO i (rowid, text) VALUES (?, ?)", &index);
  }
  ~ReceiveRows() {
    for (sqlite3_stmt* q : {message, state, marker, index}) sqlite3_finalize(q);
  }
  // The rows of one receive, inside the caller's transaction.
  void Rows() {
    sqlite3_bind_int64(message, 1, order++);
    sqlite3_bind_blob(message, 2, f.row.data(), static_cast<int>(f.row.size()), SQLITE_STATIC);
    f.Step(message);
    session[0] = static_cast<unsigned char>(order);
    sqlite3_bind_blob(state, 1, session.data(), static_cast<int>(session.size()), SQLITE_STATIC);
    f.Step(state);
    unsigned char digest[32];
    for (auto& b : digest) b = static_cast<unsigned char>(random());
    sqlite3_bind_blob(marker, 1, digest, sizeof digest, SQLITE_TRANSIENT);
    f.Step(marker);
    if (indexed) {
      sqlite3_bind_int64(index, 1, order);
      sqlite3_bind_text(index, 2, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
      f.Step(index);
    }
  }

  FloorDb f;
  std::vector<unsigned char> session;
  std::string text;
  bool indexed;
  std::mt19937_64 random{3};
  int64_t order = 0;
  sqlite3_stmt *message = nullptr, *state = nullptr, *marker = nullptr, *index = nullptr;
};

void BM_FloorReceiveRows(benchmark::State& state, bool full, bool indexed) {
  ReceiveRows rows(full, indexed);
  for (auto _ : state) rows.f.Transaction(1, [&] { rows.Rows(); });
}
BENCHMARK_CAPTURE(BM_FloorReceiveRows, full, true, true)->Name("candor/floor_receive_rows_full")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FloorReceiveRows, normal, false, true)
    ->Name("candor/floor_receive_rows_normal")->Unit(benchmark::kMicrosecond);
// What the search index adds to a receive's rows.
BENCHMARK_CAPTURE(BM_FloorReceiveRows, normal_unindexed, false, false)
    ->Name("candor/floor_receive_rows_unindexed_normal")->Unit(benchmark::kMicrosecond);

// The rows of 1,000 receives in one transaction (catch_up_1000's rows; the
// session row is rewritten for each, as a catch-up does).
void BM_FloorReceiveRows1000(benchmark::State& state) {
  ReceiveRows rows(true, true);
  for (auto _ : state) rows.f.Transaction(1000, [&] { rows.Rows(); });
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_FloorReceiveRows1000)->Name("candor/floor_receive_rows_1000")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace candor::bench
