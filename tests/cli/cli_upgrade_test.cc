// The whole path a user takes after upgrading candor: the two demo devices
// written by the SQLCipher 3.4.1 build (tests/storage/fixtures/sqlcipher3)
// are opened by today's command, and their sessions go on — bob decrypts the
// message alice sent before the upgrade, then they talk both ways.
#include <filesystem>

#include "cli/cli_fixture.h"

namespace candor::cli_testing {
namespace {

namespace fs = std::filesystem;

class CliUpgradeTest : public CliTest {
 protected:
  void SetUp() override {
    for (const char* name : {"alice.db", "bob.db", "relay.key", "msg8.delivery"}) {
      fs::copy_file(std::string(CANDOR_SQLCIPHER3_FIXTURES) + "/" + name, F(name));
    }
    alice_key_ = Key("alice");
    bob_key_ = Key("bob");
  }

  static std::string Key(const char* name) {
    std::string hex = ReadAll(std::string(CANDOR_SQLCIPHER3_FIXTURES) + "/" + name + ".dbkey");
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
    return hex;
  }

  // alice -> bob (or back) through the fixture's relay; bob's JSON answer.
  Outcome Talk(const std::string& from_key, const char* from_db, const char* to,
               const std::string& to_key, const char* to_db, const std::string& text) {
    const std::string env = F("next.envelope"), delivery = F("next.delivery");
    EXPECT_EQ(As(from_key.c_str(), {"send", "--db", F(from_db), "--to", to, "--text", text,
                                   "--out", env}).exit_code, 0);
    EXPECT_EQ(Run({"relay", "--key", F("relay.key"), "--in", env, "--out", delivery,
                   "--ack-out", F("next.ack"), "--time", "1796400000"}).exit_code, 0);
    return As(to_key.c_str(), {"receive", "--db", F(to_db), "--in", delivery});
  }

  std::string alice_key_, bob_key_;
};

TEST_F(CliUpgradeTest, UpgradedDevicesKeepTheirHistoryAndSessions) {
  Outcome history = As(bob_key_.c_str(), {"history", "--db", F("bob.db"), "--with", "alice"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("WIN A PRIZE: send your bank login to claim."), std::string::npos);
  EXPECT_EQ(history.json.fields().at("messages").list_value().values_size(), 7);

  Outcome late = As(bob_key_.c_str(), {"receive", "--db", F("bob.db"), "--in", F("msg8.delivery")});
  ASSERT_EQ(late.exit_code, 0) << late.err;
  EXPECT_EQ(late.Str("text"), "Sent before the upgrade, received after it.");

  Outcome to_bob = Talk(alice_key_, "alice.db", "bob", bob_key_, "bob.db", "After the upgrade.");
  ASSERT_EQ(to_bob.exit_code, 0) << to_bob.err;
  EXPECT_EQ(to_bob.Str("text"), "After the upgrade.");
  Outcome to_alice = Talk(bob_key_, "bob.db", "alice", alice_key_, "alice.db", "Still here.");
  ASSERT_EQ(to_alice.exit_code, 0) << to_alice.err;
  EXPECT_EQ(to_alice.Str("text"), "Still here.");

  Outcome reports = As(bob_key_.c_str(), {"reports", "--db", F("bob.db")});
  ASSERT_EQ(reports.exit_code, 0) << reports.err;
  EXPECT_NE(reports.out.find("\"spam\""), std::string::npos) << reports.out;
}

// The messages stored before search existed are indexed by the schema
// migration that adds it; the command's JSON and its usage errors.
TEST_F(CliUpgradeTest, SearchFindsMessagesStoredBeforeTheUpgrade) {
  Outcome found = As(bob_key_.c_str(), {"search", "--db", F("bob.db"), "--query", "prize"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const auto& results = found.json.fields().at("results").list_value();
  ASSERT_EQ(results.values_size(), 1);
  const auto& hit = results.values(0).struct_value().fields();
  EXPECT_EQ(hit.at("id").number_value(), 7);
  EXPECT_EQ(hit.at("with").string_value(), "alice");
  EXPECT_EQ(hit.at("snippet").string_value(), "WIN A PRIZE: send your bank login to claim.");

  Outcome scoped = As(bob_key_.c_str(), {"search", "--db", F("bob.db"), "--query", "noon OR lunch",
                                         "--with", "alice", "--limit", "2"});
  ASSERT_EQ(scoped.exit_code, 0) << scoped.err;
  const auto& two = scoped.json.fields().at("results").list_value();
  ASSERT_EQ(two.values_size(), 2);  // 6 "Noon works", 5 "At noon"; 3 "Lunch" is past the limit
  EXPECT_EQ(two.values(0).struct_value().fields().at("id").number_value(), 6);
  EXPECT_EQ(two.values(1).struct_value().fields().at("id").number_value(), 5);

  Outcome bad = As(bob_key_.c_str(), {"search", "--db", F("bob.db"), "--query", "\"prize"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("invalid_argument"), std::string::npos) << bad.err;
  Outcome limit = As(bob_key_.c_str(), {"search", "--db", F("bob.db"), "--query", "x", "--limit", "0"});
  EXPECT_EQ(limit.exit_code, 2);
}

// PQXDH after the upgrade: the sessions from before stay classical X3DH and
// keep working; the device's next bundle carries its first ML-KEM prekeys,
// and a new contact's session with it is post-quantum.
TEST_F(CliUpgradeTest, OldSessionsStayClassicalAndNewOnesArePostQuantum) {
  Outcome old = As(bob_key_.c_str(), {"identity", "--db", F("bob.db"), "--with", "alice"});
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(old.Str("session_setup"), "x3dh");
  Outcome talk = Talk(alice_key_, "alice.db", "bob", bob_key_, "bob.db", "Still classical.");
  ASSERT_EQ(talk.exit_code, 0) << talk.err;

  Outcome bundle =
      As(bob_key_.c_str(), {"bundle", "--db", F("bob.db"), "--out", F("bob.bundle")});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  EXPECT_EQ(bundle.Num("pq_signed_prekey_id"), 1);
  EXPECT_GE(bundle.Num("pq_one_time_prekey_id"), 1);

  const std::string dave_key(64, 'd');
  ASSERT_EQ(As(dave_key.c_str(), {"init", "--db", F("dave.db"), "--account", "dave"}).exit_code, 0);
  Outcome sent = As(dave_key.c_str(), {"send", "--db", F("dave.db"), "--to", "bob", "--bundle",
                                       F("bob.bundle"), "--text", "New here.", "--out",
                                       F("dave.envelope")});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(sent.Str("session_setup"), "pqxdh");
  ASSERT_EQ(Run({"relay", "--key", F("relay.key"), "--in", F("dave.envelope"), "--out",
                 F("dave.delivery"), "--ack-out", F("dave.ack"), "--time", "1796400001"})
                .exit_code,
            0);
  Outcome got = As(bob_key_.c_str(), {"receive", "--db", F("bob.db"), "--in", F("dave.delivery")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.Str("text"), "New here.");
  Outcome now = As(bob_key_.c_str(), {"identity", "--db", F("bob.db"), "--with", "dave"});
  EXPECT_EQ(now.Str("session_setup"), "pqxdh");
  // The old session is untouched by the new keys.
  Outcome back = Talk(bob_key_, "bob.db", "alice", alice_key_, "alice.db", "Both work.");
  ASSERT_EQ(back.exit_code, 0) << back.err;

  // The per-peer allowance of classical sessions is a stored choice.
  Outcome allow = As(alice_key_.c_str(), {"allow-classical", "--db", F("alice.db"), "--with", "carol"});
  ASSERT_EQ(allow.exit_code, 0) << allow.err;
  EXPECT_TRUE(allow.json.fields().at("classical_allowed").bool_value());
  Outcome off = As(alice_key_.c_str(),
                   {"allow-classical", "--db", F("alice.db"), "--with", "carol", "--off"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_FALSE(off.json.fields().at("classical_allowed").bool_value());
  EXPECT_NE(As(alice_key_.c_str(), {"allow-classical", "--db", F("alice.db"), "--with", ""})
                .exit_code,
            0);
}

}  // namespace
}  // namespace candor::cli_testing
