// Opening and creating stores: both key forms, every refusal path (file left
// byte-identical), migrations, and the settings every connection gets.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "candor/storage/store.h"
#include "schema.h"
#include "support/temp_dir.h"
#include "sqlite.h"
#include "store_impl.h"

namespace candor::storage {
namespace {

namespace fs = std::filesystem;
using internal::Database;

class StoreOpenTest : public ::testing::Test {
 protected:
  std::string Path(const char* name = "store.db") const { return tmp_.File(name); }

  static Bytes ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
  }

  static StoreKey RawKey(uint8_t fill) {
    SecretArray<32> k;
    for (auto& b : k.Expose()) b = fill;
    return StoreKey::Raw(std::move(k));
  }

  // Opens `path` expecting `code`, and checks the file did not change.
  void ExpectRefused(const std::string& path, const StoreKey& key, Errc code) {
    const Bytes before = ReadFile(path);
    auto store = Store::Open(path, key);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code(), code) << store.error().message();
    EXPECT_EQ(ReadFile(path), before) << "a refused open changed the file";
  }

  crypto::InsecureDeterministicRandom rng_{90};
  testing::ScopedTempDir tmp_;
  const fs::path& dir_ = tmp_.path();
};

TEST_F(StoreOpenTest, CreateThenOpenWithRawKeyAndSettings) {
  {
    auto store = Store::Create(Path(), RawKey(1), rng_);
    ASSERT_TRUE(store.has_value()) << store.error().message();
    EXPECT_EQ(store->schema_version(), internal::CurrentSchemaVersion());
  }
  auto store = Store::Open(Path(), RawKey(1));
  ASSERT_TRUE(store.has_value()) << store.error().message();
  auto& db = store->impl().db;
  EXPECT_EQ(*db.QueryInt("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*db.QueryInt("PRAGMA secure_delete"), 1);
  EXPECT_EQ(*db.QueryInt("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*db.QueryInt("PRAGMA cipher_page_size"), 4096);
  EXPECT_EQ(*db.QueryInt("PRAGMA application_id"), internal::kApplicationId);
  auto mode = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.has_value() && *mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  store = Error(Errc::kInternal, "closed");
  StoreOptions normal_sync;
  normal_sync.synchronous_full = false;
  auto normal = Store::Open(Path(), RawKey(1), normal_sync);
  ASSERT_TRUE(normal.has_value());
  EXPECT_EQ(*normal->impl().db.QueryInt("PRAGMA synchronous"), 1);  // NORMAL
}

TEST_F(StoreOpenTest, FileIsEncrypted) {
  {
    auto store = Store::Create(Path(), RawKey(2), rng_);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE(store->impl()
                    .db.Exec("INSERT INTO conversations(peer) VALUES ('plaintext-marker-xyz')")
                    .has_value());
  }
  const Bytes file = ReadFile(Path());
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(file.size() % 4096, 0u);
  const std::string needle = "plaintext-marker-xyz";
  EXPECT_EQ(std::search(file.begin(), file.end(), needle.begin(), needle.end()), file.end());
  const std::string magic = "SQLite format 3";
  EXPECT_EQ(std::search(file.begin(), file.end(), magic.begin(), magic.end()), file.end());
}

TEST_F(StoreOpenTest, WrongKeyIsRefusedAndTheFileUnchanged) {
  ASSERT_TRUE(Store::Create(Path(), RawKey(3), rng_).has_value());
  ExpectRefused(Path(), RawKey(4), Errc::kWrongKey);
  EXPECT_TRUE(Store::Open(Path(), RawKey(3)).has_value()) << "the right key still opens it";
}

TEST_F(StoreOpenTest, PassphraseSaltLivesInTheDatabaseHeader) {
  auto pass = [](const char* p) {
    return std::move(StoreKey::Passphrase(SecretBytes::CopyFrom(AsBytes(p)))).value();
  };
  crypto::InsecureDeterministicRandom expected_rng(90);  // the same stream as rng_
  std::array<uint8_t, 16> expected_salt;
  expected_rng.Fill(expected_salt);
  ASSERT_TRUE(Store::Create(Path(), pass("correct horse"), rng_).has_value());
  const Bytes file = ReadFile(Path());
  EXPECT_TRUE(std::equal(expected_salt.begin(), expected_salt.end(), file.begin()));
  // The only file is the database itself: no sidecar holds the salt.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
  EXPECT_TRUE(Store::Open(Path(), pass("correct horse")).has_value());
  ExpectRefused(Path(), pass("correct horsE"), Errc::kWrongKey);
  EXPECT_EQ(StoreKey::Passphrase(SecretBytes()).error().code(), Errc::kInvalidArgument);
}

TEST_F(StoreOpenTest, PlainSqliteFileIsNotACandorStore) {
  {
    auto db = Database::Open(Path(), Database::Mode::kCreateNew);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)").has_value());
  }
  ExpectRefused(Path(), RawKey(5), Errc::kNotACandorDatabase);
}

TEST_F(StoreOpenTest, OtherFilesAreRefused) {
  {
    std::ofstream(Path("text.db")) << "not a database at all\n";
  }
  ExpectRefused(Path("text.db"), RawKey(6), Errc::kNotACandorDatabase);
  { std::ofstream(Path("empty.db")); }
  ExpectRefused(Path("empty.db"), RawKey(6), Errc::kNotACandorDatabase);
  // Random whole pages cannot be told from a store under another key.
  {
    Bytes noise(8192);
    rng_.Fill(noise);
    std::ofstream(Path("noise.db"), std::ios::binary)
        .write(reinterpret_cast<const char*>(noise.data()), static_cast<long>(noise.size()));
  }
  ExpectRefused(Path("noise.db"), RawKey(6), Errc::kWrongKey);
  EXPECT_EQ(Store::Open(Path("missing.db"), RawKey(6)).error().code(), Errc::kNotFound);
  EXPECT_EQ(Store::Open(dir_.string(), RawKey(6)).error().code(), Errc::kNotACandorDatabase);
}

TEST_F(StoreOpenTest, AnotherAppsSqlcipherDatabaseIsNotACandorStore) {
  {
    auto db = Database::Open(Path(), Database::Mode::kCreateNew);
    ASSERT_TRUE(db.has_value());
    SecretArray<32> k;
    for (auto& b : k.Expose()) b = 7;
    ASSERT_TRUE(db->Key(internal::RawKeySpec(k, {})).has_value());
    ASSERT_TRUE(db->Exec("PRAGMA cipher_page_size = 4096; CREATE TABLE t(x)").has_value());
  }
  ExpectRefused(Path(), RawKey(7), Errc::kNotACandorDatabase);
}

TEST_F(StoreOpenTest, NewerSchemaIsRefusedAndTheFileUnchanged) {
  {
    auto store = Store::Create(Path(), RawKey(8), rng_);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE(store->impl().db.Exec("PRAGMA user_version = 99").has_value());
  }
  ExpectRefused(Path(), RawKey(8), Errc::kSchemaTooNew);
}

// A crash leaves the last commits in the write-ahead log; closing the
// refusing connection must not checkpoint them into the file.
TEST_F(StoreOpenTest, ARefusedStoreWithALogLeftByACrashStaysByteIdentical) {
  {
    auto store = Store::Create(Path(), RawKey(8), rng_);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE(store->impl().db.SetCheckpointOnClose(false).has_value());
    ASSERT_TRUE(store->impl().db.Exec("PRAGMA user_version = 99").has_value());
  }
  ASSERT_TRUE(fs::exists(Path() + "-wal"));
  ASSERT_GT(fs::file_size(Path() + "-wal"), 0u);
  const Bytes log = ReadFile(Path() + "-wal");
  ExpectRefused(Path(), RawKey(8), Errc::kSchemaTooNew);
  EXPECT_EQ(ReadFile(Path() + "-wal"), log);
  {
    SCOPED_TRACE("wrong key");
    ExpectRefused(Path(), RawKey(3), Errc::kWrongKey);
  }
  EXPECT_EQ(ReadFile(Path() + "-wal"), log);
}

TEST_F(StoreOpenTest, OlderSchemaMigratesForwardKeepingData) {
  {
    auto store = internal::CreateAtVersionForTesting(Path(), RawKey(9), rng_, 1);
    ASSERT_TRUE(store.has_value());
    EXPECT_EQ(store->schema_version(), 1);
    ASSERT_TRUE(store->impl().db.Exec("INSERT INTO conversations(peer) VALUES ('bob')").has_value());
  }
  std::vector<std::pair<uint64_t, uint64_t>> steps;
  StoreOptions options;
  options.migration_progress = [&](uint64_t done, uint64_t total) { steps.emplace_back(done, total); };
  auto store = Store::Open(Path(), RawKey(9), options);
  ASSERT_TRUE(store.has_value()) << store.error().message();
  EXPECT_EQ(store->schema_version(), internal::CurrentSchemaVersion());
  const auto n = static_cast<uint64_t>(internal::CurrentSchemaVersion() - 1);
  ASSERT_EQ(steps.size(), n) << "one progress step per version applied";
  EXPECT_EQ(steps.back(), std::make_pair(n, n));
  auto& db = store->impl().db;
  EXPECT_EQ(*db.QueryInt("SELECT count(*) FROM conversations WHERE peer = 'bob'"), 1);
  EXPECT_EQ(*db.QueryInt("SELECT count(*) FROM conversations WHERE disappear_after IS NULL"), 1);
  EXPECT_EQ(*db.QueryInt("SELECT count(*) FROM reports"), 0);
}

TEST_F(StoreOpenTest, AFailedMigrationChangesNothing) {
  {
    auto store = internal::CreateAtVersionForTesting(Path(), RawKey(10), rng_, 1);
    ASSERT_TRUE(store.has_value());
    // Make migration 2 fail half-way: its last statement creates "reports".
    ASSERT_TRUE(store->impl().db.Exec("CREATE TABLE reports(x)").has_value());
  }
  auto failed = Store::Open(Path(), RawKey(10));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code(), Errc::kStorageFailed);
  // Still version 1, and the migration's first steps were rolled back.
  auto db = Database::Open(Path(), Database::Mode::kOpenExisting);
  SecretArray<32> k;
  for (auto& b : k.Expose()) b = 10;
  ASSERT_TRUE(db->Key(internal::RawKeySpec(k, {})).has_value());
  ASSERT_TRUE(db->Exec("PRAGMA cipher_page_size = 4096").has_value());
  EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), 1);
  EXPECT_FALSE(db->Prepare("SELECT disappear_after FROM conversations").has_value());
}

TEST_F(StoreOpenTest, CreateRefusesAnExistingPathAndLeavesItAlone) {
  { std::ofstream(Path()) << "precious"; }
  const Bytes before = ReadFile(Path());
  EXPECT_EQ(Store::Create(Path(), RawKey(11), rng_).error().code(), Errc::kAlreadyExists);
  EXPECT_EQ(ReadFile(Path()), before);
}

TEST_F(StoreOpenTest, TransactionsRollBackUnlessCommitted) {
  auto store = Store::Create(Path(), RawKey(12), rng_);
  ASSERT_TRUE(store.has_value());
  auto& db = store->impl().db;
  {
    auto tx = internal::Transaction::Begin(db);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(db.Exec("INSERT INTO conversations(peer) VALUES ('dropped')").has_value());
  }  // destroyed without Commit
  EXPECT_EQ(*db.QueryInt("SELECT count(*) FROM conversations"), 0);
  {
    auto tx = internal::Transaction::Begin(db);
    ASSERT_TRUE(db.Exec("INSERT INTO conversations(peer) VALUES ('kept')").has_value());
    ASSERT_TRUE(tx->Commit().has_value());
    EXPECT_FALSE(tx->Commit().has_value()) << "a second commit is an error";
  }
  EXPECT_EQ(*db.QueryInt("SELECT count(*) FROM conversations"), 1);
}

TEST_F(StoreOpenTest, ASecondHandleInOneProcessIsRefused) {
  auto a = Store::Create(Path(), RawKey(13), rng_);
  ASSERT_TRUE(a.has_value());
  auto b = Store::Open(Path(), RawKey(13));
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), Errc::kAlreadyOpen);
  // Another name for the same file is the same file.
  const std::string link = Path() + ".link";
  ASSERT_EQ(::link(Path().c_str(), link.c_str()), 0);
  EXPECT_EQ(Store::Open(link, RawKey(13)).error().code(), Errc::kAlreadyOpen);
  a = Error(Errc::kInternal, "closed");
  EXPECT_TRUE(Store::Open(Path(), RawKey(13)).has_value()) << "closing releases the file";
}

// Create is exclusive: whatever is at the path — here a file another
// process made a moment ago — is refused and left as it was (an
// exists-then-create check could delete a store created in between).
// The new store is 0600 whatever the umask: it and its -wal hold every
// message, encrypted, and its size and timing.
TEST_F(StoreOpenTest, CreateIsExclusiveAndPrivate) {
  { std::ofstream(Path()) << "someone else's"; }
  auto refused = Store::Create(Path(), RawKey(15), rng_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kAlreadyExists);
  std::ifstream in(Path());
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "someone else's");

  const mode_t old_umask = ::umask(0);
  auto store = Store::Create(Path() + "2", RawKey(15), rng_);
  ::umask(old_umask);
  ASSERT_TRUE(store.has_value());
  struct stat st {};
  ASSERT_EQ(::stat((Path() + "2").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((Path() + "2-wal").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(StoreOpenTest, BindErrorsSurfaceAtStep) {
  auto store = Store::Create(Path(), RawKey(14), rng_);
  ASSERT_TRUE(store.has_value());
  auto stmt = store->impl().db.Prepare("INSERT INTO conversations(peer) VALUES (?)");
  ASSERT_TRUE(stmt.has_value());
  stmt->BindText(2, "out of range");
  EXPECT_EQ(stmt->Step().error().code(), Errc::kStorageFailed);
  stmt->Reset();
  stmt->BindText(1, "alice");
  EXPECT_TRUE(stmt->Run().has_value());
}

}  // namespace
}  // namespace candor::storage

namespace candor::storage {
namespace {

// The queries that must stay fast on a large store use their indexes
// (a regression here is a full table scan on a 1M-message store).
TEST_F(StoreOpenTest, QueriesUseTheirIndexes) {
  auto store = Store::Create(Path(), RawKey(15), rng_);
  ASSERT_TRUE(store.has_value());
  auto plan = [&](const char* sql) {
    auto q = store->impl().db.Prepare(std::string("EXPLAIN QUERY PLAN ") + sql);
    EXPECT_TRUE(q.has_value());
    std::string text;
    while (q.has_value() && *q->Step()) text += q->ColumnText(3) + "\n";
    return text;
  };
  const std::string history = plan(
      "SELECT id FROM messages WHERE conversation_id = 1 AND local_order < 10 "
      "ORDER BY local_order DESC LIMIT 5");
  EXPECT_NE(history.find("INDEX sqlite_autoindex_messages_1"), std::string::npos) << history;
  EXPECT_EQ(history.find("USE TEMP B-TREE"), std::string::npos) << "sorted by the index: " << history;
  const std::string ack = plan(
      "SELECT id FROM messages WHERE commitment = x'00' AND direction = 1 AND recipient = 'b'");
  EXPECT_NE(ack.find("messages_outgoing_commitment"), std::string::npos) << ack;
  const std::string replay = plan("SELECT 1 FROM received_envelopes WHERE digest = x'00'");
  EXPECT_NE(replay.find("PRIMARY KEY"), std::string::npos) << replay;
  const std::string expiry = plan("DELETE FROM messages WHERE expires_at IS NOT NULL AND expires_at <= 5");
  EXPECT_NE(expiry.find("messages_expiry"), std::string::npos) << expiry;
}

}  // namespace
}  // namespace candor::storage
