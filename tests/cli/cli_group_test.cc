// Groups through the candor command, as a script drives them: group create,
// send --group, the relay's fan-out (relay --out-dir), receive, history
// --group, groups, group remove, and a group report verified by moderate.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "cli/cli_fixture.h"

namespace candor {
namespace {

using cli_testing::CliTest;
using cli_testing::kAliceKey;
using cli_testing::kBobKey;
using cli_testing::Outcome;

constexpr const char* kCarolKey = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0";

class CliGroupTest : public CliTest {
 protected:
  void SetUpGroupDevices() {
    SetUpDevices();
    ASSERT_EQ(As(kCarolKey, {"init", "--db", F("carol.db"), "--account", "carol"}).exit_code, 0);
  }
  const char* KeyOf(const std::string& account) { return keys_.at(account); }
  // Fresh bundles of `accounts` in a directory of their own.
  std::string Bundles(const std::vector<std::string>& accounts) {
    const std::string dir = F("bundles" + std::to_string(++step_));
    std::filesystem::create_directories(dir);
    for (const std::string& a : accounts) {
      Outcome b = As(KeyOf(a), {"bundle", "--db", F(a + ".db"), "--out", dir + "/" + a});
      EXPECT_EQ(b.exit_code, 0) << b.err;
    }
    return dir;
  }
  // Relays everything an operation wrote into `dir` and has each recipient
  // receive it; returns the receives' outcomes by recipient, in order.
  std::vector<std::pair<std::string, Outcome>> Deliver(const std::string& from,
                                                       const std::string& dir,
                                                       const Outcome& op) {
    std::vector<std::pair<std::string, Outcome>> out;
    for (const auto& e : op.json.fields().at("envelopes").list_value().values()) {
      const std::string file = dir + "/" + e.struct_value().fields().at("file").string_value();
      Outcome r = Run({"relay", "--key", F("relay.key"), "--in", file, "--out", file + ".del",
                       "--ack-out", file + ".ack"});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      const std::string to = r.Str("recipient");
      out.emplace_back(to, As(KeyOf(to), {"receive", "--db", F(to + ".db"), "--in", file + ".del"}));
    }
    if (!op.json.fields().count("group_envelope")) return out;
    const std::string fan = dir + "/fan-out";
    Outcome r = Run({"relay", "--key", F("relay.key"), "--in", dir + "/group.envelope",
                     "--out-dir", fan, "--ack-out", dir + "/group.ack"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.Str("sender"), from);
    for (const auto& d : r.json.fields().at("deliveries").list_value().values()) {
      const auto& f = d.struct_value().fields();
      const std::string to = f.at("recipient").string_value();
      out.emplace_back(to, As(KeyOf(to), {"receive", "--db", F(to + ".db"), "--in",
                                          fan + "/" + f.at("file").string_value()}));
    }
    Outcome a = As(KeyOf(from), {"ack", "--db", F(from + ".db"), "--in", dir + "/group.ack"});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    return out;
  }
  Outcome SendGroup(const std::string& from, const std::string& group, const std::string& text,
                    const std::string& dir, std::vector<std::string> bundles = {}) {
    std::vector<std::string> args = {"send", "--db", F(from + ".db"), "--group", group,
                                     "--text", text, "--out-dir", dir};
    if (!bundles.empty()) {
      args.push_back("--bundles");
      args.push_back(Bundles(bundles));
    }
    return As(KeyOf(from), args);
  }

  std::map<std::string, const char*> keys_{{"alice", kAliceKey}, {"bob", kBobKey},
                                           {"carol", kCarolKey}};
  int step_ = 0;
};

TEST_F(CliGroupTest, CreateTalkRemoveReportWithTheCommand) {
  SetUpGroupDevices();
  Outcome created = As(kAliceKey, {"group", "create", "--db", F("alice.db"), "--name",
                                   "Book club", "--members", "bob,carol", "--bundles",
                                   Bundles({"bob", "carol"}), "--out-dir", F("create")});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string g = created.Str("group");
  ASSERT_EQ(g.size(), 64u);
  for (auto& [to, r] : Deliver("alice", F("create"), created)) {
    ASSERT_EQ(r.exit_code, 0) << to << ": " << r.err;
    EXPECT_EQ(r.Str("group_event"), "joined");
    EXPECT_EQ(r.Str("group"), g);
  }
  Outcome m1 = SendGroup("alice", g, "hello group", F("m1"));
  ASSERT_EQ(m1.exit_code, 0) << m1.err;
  std::map<std::string, std::string> read;
  for (auto& [to, r] : Deliver("alice", F("m1"), m1)) {
    ASSERT_EQ(r.exit_code, 0) << to << ": " << r.err;
    if (r.Str("text").size()) read[to] = r.Str("text");
  }
  EXPECT_EQ(read, (std::map<std::string, std::string>{{"bob", "hello group"},
                                                      {"carol", "hello group"}}));
  // carol has no session with bob: his bundle starts one.
  Outcome m2 = SendGroup("carol", g, "buy my coins", F("m2"), {"bob"});
  ASSERT_EQ(m2.exit_code, 0) << m2.err;
  for (auto& [to, r] : Deliver("carol", F("m2"), m2)) ASSERT_EQ(r.exit_code, 0) << to << r.err;

  Outcome groups = As(kBobKey, {"groups", "--db", F("bob.db")});
  ASSERT_EQ(groups.exit_code, 0) << groups.err;
  const auto& list = groups.json.fields().at("groups").list_value().values();
  ASSERT_EQ(list.size(), 1);
  EXPECT_EQ(list[0].struct_value().fields().at("name").string_value(), "Book club");
  EXPECT_EQ(list[0].struct_value().fields().at("members").list_value().values_size(), 3);

  Outcome history = As(kBobKey, {"history", "--db", F("bob.db"), "--group", g});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const auto& messages = history.json.fields().at("messages").list_value().values();
  ASSERT_EQ(messages.size(), 2);
  const double spam_id = messages[1].struct_value().fields().at("id").number_value();

  // bob reports carol's message; the moderator verifies it.
  ASSERT_EQ(Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out", F("mod.public")})
                .exit_code,
            0);
  Outcome prepared = As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--group", g,
                                   "--message", std::to_string(static_cast<int64_t>(spam_id)),
                                   "--reason", "spam", "--out", F("preview.json")});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  EXPECT_EQ(prepared.Str("reported"), "carol");
  EXPECT_EQ(prepared.Str("group_id"), g);
  Outcome submitted = As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview",
                                   F("preview.json"), "--moderator", F("mod.public"), "--out",
                                   F("report.sealed")});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  Outcome judged = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"),
                        "--in", F("report.sealed")});
  ASSERT_EQ(judged.exit_code, 0) << judged.err;
  EXPECT_EQ(judged.Str("verdict"), "verified") << judged.out;
  EXPECT_EQ(judged.Str("group_id"), g);

  // carol is removed; the next message goes to bob only.
  Outcome removed = As(kAliceKey, {"group", "remove", "--db", F("alice.db"), "--group", g,
                                   "--accounts", "carol", "--out-dir", F("remove")});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  std::map<std::string, std::string> events;
  for (auto& [to, r] : Deliver("alice", F("remove"), removed)) {
    ASSERT_EQ(r.exit_code, 0) << to << ": " << r.err;
    events[to] = r.Str("group_event");
  }
  EXPECT_EQ(events, (std::map<std::string, std::string>{{"bob", "changed"}, {"carol", "removed"}}));
  Outcome m3 = SendGroup("alice", g, "carol is gone", F("m3"));
  ASSERT_EQ(m3.exit_code, 0) << m3.err;
  read.clear();
  for (auto& [to, r] : Deliver("alice", F("m3"), m3)) {
    ASSERT_EQ(r.exit_code, 0) << to << ": " << r.err;
    if (r.Str("text").size()) read[to] = r.Str("text");
  }
  EXPECT_EQ(read, (std::map<std::string, std::string>{{"bob", "carol is gone"}}));
  EXPECT_EQ(As(kCarolKey, {"send", "--db", F("carol.db"), "--group", g, "--text", "x",
                           "--out-dir", F("m4")})
                .ErrorCode(),
            "invalid_state");
}

TEST_F(CliGroupTest, UsageErrors) {
  SetUpGroupDevices();
  const std::string g(64, 'a');
  EXPECT_EQ(As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--group", g, "--text",
                           "x", "--out", F("x")})
                .exit_code,
            2);
  EXPECT_EQ(As(kAliceKey, {"send", "--db", F("alice.db"), "--group", g, "--text", "x", "--out",
                           F("x")})
                .exit_code,
            2)
      << "a group send writes a directory";
  EXPECT_EQ(As(kAliceKey, {"send", "--db", F("alice.db"), "--group", "zz", "--text", "x",
                           "--out-dir", F("x")})
                .exit_code,
            2);
  EXPECT_EQ(As(kAliceKey, {"history", "--db", F("alice.db")}).exit_code, 2);
  EXPECT_EQ(As(kAliceKey, {"send", "--db", F("alice.db"), "--group", g, "--text", "x",
                           "--out-dir", F("x")})
                .ErrorCode(),
            "not_found");
  EXPECT_EQ(As(kAliceKey, {"group", "create", "--db", F("alice.db"), "--name", "n", "--members",
                           "bob,,carol", "--out-dir", F("x")})
                .exit_code,
            2);
  EXPECT_EQ(As(kAliceKey, {"group", "create", "--db", F("alice.db"), "--name", "n", "--members",
                           "bob", "--out-dir", F("x")})
                .ErrorCode(),
            "invalid_state")
      << "no session with bob and no bundle: nothing stored";
  Outcome groups = As(kAliceKey, {"groups", "--db", F("alice.db")});
  ASSERT_EQ(groups.exit_code, 0) << groups.err;
  EXPECT_EQ(groups.json.fields().at("groups").list_value().values_size(), 0);
  // An out-dir holding files (an earlier operation's envelopes) is refused
  // before anything is stored: nothing is overwritten.
  std::filesystem::create_directories(F("used"));
  std::ofstream(F("used/01.envelope")) << "not relayed yet";
  Outcome reused = As(kAliceKey, {"group", "create", "--db", F("alice.db"), "--name", "n",
                                  "--members", "bob", "--bundles", Bundles({"bob"}), "--out-dir",
                                  F("used")});
  EXPECT_EQ(reused.ErrorCode(), "already_exists") << reused.err;
  EXPECT_EQ(As(kAliceKey, {"groups", "--db", F("alice.db")})
                .json.fields().at("groups").list_value().values_size(),
            0)
      << "nothing stored";
}

}  // namespace
}  // namespace candor
