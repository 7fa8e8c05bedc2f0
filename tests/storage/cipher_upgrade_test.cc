// Stores written by candor's SQLCipher 3.4.1 builds open under SQLCipher 4:
// upgraded once, every message, session, key and report kept, and a crash at
// any step of the upgrade leaves a store that opens with all of it.
//
// The fixtures in fixtures/sqlcipher3/ were written by commit 8f10c95 (the
// last SQLCipher 3.4.1 build; fixtures/sqlcipher3/README.md says how).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "candor/crypto/encoding.h"
#include "candor/storage/store.h"
#include "cipher_upgrade.h"
#include "sqlite.h"
#include "store_impl.h"
#include "schema.h"
#include "support/temp_dir.h"

namespace candor::storage {
namespace {

namespace fs = std::filesystem;
using internal::UpgradeStep;

// Any time after the fixtures were made: nothing in them expires.
constexpr uint64_t kNow = 1'796'400'000;

Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

SecretArray<32> FixtureRawKey(const char* name) {
  std::ifstream in(std::string(CANDOR_SQLCIPHER3_FIXTURES) + "/" + name + ".dbkey");
  std::string hex;
  in >> hex;
  auto bytes = FromHex(hex);
  EXPECT_TRUE(bytes.has_value() && bytes->size() == 32) << name;
  SecretArray<32> key;
  std::copy(bytes->begin(), bytes->end(), key.Expose().begin());
  return key;
}

StoreKey FixtureKey(const char* name) { return StoreKey::Raw(FixtureRawKey(name)); }

StoreKey CarolPassphrase() {
  return StoreKey::Passphrase(SecretBytes::CopyFrom(AsBytes("correct horse battery staple")))
      .value();
}

// What bob's fixture holds, read through the store: the texts of its seven
// messages (content is the serialized Content; the text is in it verbatim).
void ExpectBobsHistory(Store& bob) {
  auto messages = bob.LatestMessages("alice", 100, kNow);
  ASSERT_TRUE(messages.has_value()) << messages.error().message();
  ASSERT_EQ(messages->size(), 7u);
  const char* texts[] = {"Hi Bob, it's Alice.", "Hi Alice! Got it.", "Lunch tomorrow?",
                         "Bring the book.", "At noon, the usual place.", "Noon works. See you!",
                         "WIN A PRIZE: send your bank login to claim."};
  for (size_t i = 0; i < 7; ++i) {
    const std::string content((*messages)[i].content.begin(), (*messages)[i].content.end());
    EXPECT_NE(content.find(texts[i]), std::string::npos) << i;
  }
  auto session = bob.LoadSession("alice");
  ASSERT_TRUE(session.has_value());
  EXPECT_TRUE(session->has_value()) << "the session with alice is gone";
  auto identity = bob.LoadIdentity();
  ASSERT_TRUE(identity.has_value());
  ASSERT_TRUE(identity->has_value());
  EXPECT_EQ((*identity)->account, "bob");
  auto reports = bob.ListReports();
  ASSERT_TRUE(reports.has_value());
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].message_count, 5u);
  EXPECT_FALSE((*reports)[0].sealed.empty());
}

class CipherUpgradeTest : public ::testing::Test {
 protected:
  // A copy of a fixture store to upgrade.
  std::string Copy(const char* name) {
    const std::string to = tmp_.File(std::string(name) + ".db");
    fs::copy_file(std::string(CANDOR_SQLCIPHER3_FIXTURES) + "/" + name + ".db", to);
    fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
    return to;
  }

  void TearDown() override { internal::SetUpgradeStepHookForTesting(nullptr); }

  testing::ScopedTempDir tmp_;
};

TEST_F(CipherUpgradeTest, AStoreFromTheSqlcipher3BuildOpensWithEverythingKept) {
  const std::string path = Copy("bob");
  const Bytes before = ReadFile(path);
  {
    auto bob = Store::Open(path, FixtureKey("bob"));
    ASSERT_TRUE(bob.has_value()) << bob.error().message();
    EXPECT_EQ(bob->schema_version(), internal::CurrentSchemaVersion());
    ExpectBobsHistory(*bob);
  }
  EXPECT_NE(ReadFile(path), before) << "the file was not rewritten";
  EXPECT_FALSE(fs::exists(path + "-v4")) << "the copy was left behind";
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  // Once only: the second open finds a SQLCipher 4 store.
  static int steps = 0;
  steps = 0;
  internal::SetUpgradeStepHookForTesting([](UpgradeStep) { ++steps; });
  auto again = Store::Open(path, FixtureKey("bob"));
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(steps, 0);
  ExpectBobsHistory(*again);
}

TEST_F(CipherUpgradeTest, APassphraseStoreKeepsItsSaltAndOpens) {
  const std::string path = Copy("carol");
  const Bytes before = ReadFile(path);
  {
    auto carol = Store::Open(path, CarolPassphrase());
    ASSERT_TRUE(carol.has_value()) << carol.error().message();
    auto identity = carol->LoadIdentity();
    ASSERT_TRUE(identity.has_value() && identity->has_value());
    EXPECT_EQ((*identity)->account, "carol");
    auto prekey = carol->CurrentSignedPrekey();
    ASSERT_TRUE(prekey.has_value());
    EXPECT_TRUE(prekey->has_value());
  }
  const Bytes after = ReadFile(path);
  ASSERT_GE(after.size(), 16u);
  EXPECT_TRUE(std::equal(before.begin(), before.begin() + 16, after.begin()))
      << "the Argon2id salt in the header changed";
  EXPECT_NE(after, before);
  EXPECT_TRUE(Store::Open(path, CarolPassphrase()).has_value());
}

TEST_F(CipherUpgradeTest, AWrongKeyLeavesTheOldStoreByteIdentical) {
  const std::string bob = Copy("bob"), carol = Copy("carol");
  const Bytes bob_before = ReadFile(bob), carol_before = ReadFile(carol);
  auto wrong = Store::Open(bob, FixtureKey("alice"));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), Errc::kWrongKey) << wrong.error().message();
  auto wrong_passphrase = Store::Open(
      carol, StoreKey::Passphrase(SecretBytes::CopyFrom(AsBytes("Correct horse"))).value());
  ASSERT_FALSE(wrong_passphrase.has_value());
  EXPECT_EQ(wrong_passphrase.error().code(), Errc::kWrongKey);
  EXPECT_EQ(ReadFile(bob), bob_before);
  EXPECT_EQ(ReadFile(carol), carol_before);
  for (const std::string& path : {bob, carol}) {
    for (const char* suffix : {"-v4", "-wal", "-shm", "-v4-journal"}) {
      EXPECT_FALSE(fs::exists(path + suffix)) << path << suffix;
    }
  }
}

// Through a symbolic link: upgraded where the file lives, the link kept; a
// wrong key through the link is still a wrong key.
TEST_F(CipherUpgradeTest, AStoreReachedThroughASymlinkIsUpgradedInPlace) {
  const std::string path = Copy("bob");
  const std::string link = tmp_.File("link.db");
  fs::create_symlink(path, link);
  auto wrong = Store::Open(link, FixtureKey("alice"));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), Errc::kWrongKey) << wrong.error().message();
  {
    auto bob = Store::Open(link, FixtureKey("bob"));
    ASSERT_TRUE(bob.has_value()) << bob.error().message();
    ExpectBobsHistory(*bob);
  }
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_FALSE(fs::exists(path + "-v4"));
  auto direct = Store::Open(path, FixtureKey("bob"));
  ASSERT_TRUE(direct.has_value()) << direct.error().message();
}

// Another connection on the old store (an older candor still running) could
// commit after the copy and lose it with the old file: the upgrade is
// refused, the old store left as it was, until that connection is gone.
TEST_F(CipherUpgradeTest, AnotherConnectionOnTheOldStoreHoldsTheUpgradeOff) {
  const std::string path = Copy("bob");
  const Bytes before = ReadFile(path);
  std::optional<internal::Database> other;
  {
    auto db = internal::Database::Open(path, internal::Database::Mode::kOpenExisting);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->Key(internal::RawKeySpec(FixtureRawKey("bob"), {})).has_value());
    ASSERT_TRUE(db->Exec("PRAGMA cipher_compatibility = 3").has_value());
    ASSERT_TRUE(db->Exec("PRAGMA cipher_page_size = 4096").has_value());
    ASSERT_TRUE(db->QueryInt("SELECT count(*) FROM messages").has_value());
    other.emplace(std::move(db).value());
  }
  StoreOptions quick;
  quick.busy_timeout_ms = 100;
  auto refused = Store::Open(path, FixtureKey("bob"), quick);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kDatabaseLocked) << refused.error().message();
  EXPECT_EQ(ReadFile(path), before);
  EXPECT_FALSE(fs::exists(path + "-v4"));
  other.reset();
  auto bob = Store::Open(path, FixtureKey("bob"));
  ASSERT_TRUE(bob.has_value()) << bob.error().message();
  ExpectBobsHistory(*bob);
}

// A store that crashed with commits only in its log (msg8, received after
// the demo): the upgrade applies the log first, so nothing committed is lost;
// a wrong key on it changes neither the file nor the log.
TEST_F(CipherUpgradeTest, CommitsOnlyInACrashedStoresLogAreKept) {
  const std::string path = Copy("bob");
  fs::copy_file(std::string(CANDOR_SQLCIPHER3_FIXTURES) + "/bob-crashed.db-wal", path + "-wal");
  const Bytes file = ReadFile(path), log = ReadFile(path + "-wal");
  auto wrong = Store::Open(path, FixtureKey("alice"));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), Errc::kWrongKey);
  EXPECT_EQ(ReadFile(path), file);
  EXPECT_EQ(ReadFile(path + "-wal"), log);

  auto bob = Store::Open(path, FixtureKey("bob"));
  ASSERT_TRUE(bob.has_value()) << bob.error().message();
  auto messages = bob->LatestMessages("alice", 100, kNow);
  ASSERT_TRUE(messages.has_value());
  ASSERT_EQ(messages->size(), 8u) << "the commit in the log was lost";
  const std::string last(messages->back().content.begin(), messages->back().content.end());
  EXPECT_NE(last.find("Sent before the upgrade, received after it."), std::string::npos);
  auto found = bob->Search("upgrade", std::nullopt, 10, kNow);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->size(), 1u) << "indexed by the migration";
}

TEST_F(CipherUpgradeTest, AStaleCopyFromAnInterruptedUpgradeIsDiscarded) {
  const std::string path = Copy("bob");
  {
    std::ofstream stale(path + "-v4", std::ios::binary);
    stale << std::string(4096 * 3, 'x');
  }
  auto bob = Store::Open(path, FixtureKey("bob"));
  ASSERT_TRUE(bob.has_value()) << bob.error().message();
  ExpectBobsHistory(*bob);
  EXPECT_FALSE(fs::exists(path + "-v4"));
}

// The crash test proper: a child process opens the old store and is killed
// with SIGKILL right after a step of the upgrade; the parent then opens what
// is on disk. Every point must give bob's whole store, upgraded.
class CipherUpgradeCrashTest : public CipherUpgradeTest,
                               public ::testing::WithParamInterface<UpgradeStep> {};

UpgradeStep g_kill_at;

TEST_P(CipherUpgradeCrashTest, AKilledUpgradeLeavesAStoreThatOpens) {
  const std::string path = Copy("bob");
  g_kill_at = GetParam();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    internal::SetUpgradeStepHookForTesting([](UpgradeStep step) {
      if (step == g_kill_at) ::kill(::getpid(), SIGKILL);
    });
    auto store = Store::Open(path, FixtureKey("bob"));
    ::_exit(store.has_value() ? 0 : 2);  // not reached when the hook kills
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child was not killed at the step (status " << status << ")";

  const bool renamed = GetParam() != UpgradeStep::kExported && GetParam() != UpgradeStep::kSynced;
  EXPECT_EQ(fs::exists(path + "-v4"), !renamed);
  auto bob = Store::Open(path, FixtureKey("bob"));
  ASSERT_TRUE(bob.has_value()) << bob.error().message();
  ExpectBobsHistory(*bob);
  EXPECT_FALSE(fs::exists(path + "-v4"));
}

std::string StepName(const ::testing::TestParamInfo<UpgradeStep>& step) {
  switch (step.param) {
    case UpgradeStep::kExported: return "AfterExport";
    case UpgradeStep::kSynced: return "AfterFsync";
    case UpgradeStep::kRenamed: return "AfterRename";
    case UpgradeStep::kDirectorySynced: return "AfterDirectoryFsync";
  }
  return "Unknown";
}

INSTANTIATE_TEST_SUITE_P(EveryStep, CipherUpgradeCrashTest,
                         ::testing::Values(UpgradeStep::kExported, UpgradeStep::kSynced,
                                           UpgradeStep::kRenamed,
                                           UpgradeStep::kDirectorySynced),
                         StepName);

}  // namespace
}  // namespace candor::storage
