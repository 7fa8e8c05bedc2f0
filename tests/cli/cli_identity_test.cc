// candor identity / trust / verify / reject, and report delete, end to end:
// a peer reinstalls, its first message is held, the user compares safety
// numbers and accepts, the held message arrives.
#include <gtest/gtest.h>

#include "cli_fixture.h"

namespace candor::cli_testing {
namespace {

constexpr const char* kNewBobKey = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

class CliIdentityTest : public CliTest {
 protected:
  // bob's reinstalled device sends alice its first message; returns the
  // delivery's path.
  std::string NewBobWrites(const std::string& text) {
    EXPECT_EQ(As(kNewBobKey, {"init", "--db", F("newbob.db"), "--account", "bob"}).exit_code, 0);
    EXPECT_EQ(As(kAliceKey, {"bundle", "--db", F("alice.db"), "--out", F("alice.bundle")}).exit_code, 0);
    Outcome s = As(kNewBobKey, {"send", "--db", F("newbob.db"), "--to", "alice", "--text", text,
                                "--bundle", F("alice.bundle"), "--out", F("new.env")});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    Outcome r = Run({"relay", "--key", F("relay.key"), "--in", F("new.env"), "--out", F("new.del"),
                     "--ack-out", F("new.ack"), "--time", "1760000100"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return F("new.del");
  }
};

TEST_F(CliIdentityTest, AReinstalledPeerIsHeldUntilTrusted) {
  SetUpDevices();
  ASSERT_EQ(Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "hi bob", true)).exit_code, 0);
  ASSERT_EQ(Receive(kAliceKey, "alice", SendRelayAck(kBobKey, "bob", "alice", "hi alice")).exit_code, 0);
  Outcome before = As(kAliceKey, {"identity", "--db", F("alice.db"), "--with", "bob"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_FALSE(before.json.fields().at("verified").bool_value());
  EXPECT_TRUE(before.json.fields().at("pending").has_null_value());
  const std::string old_number = before.Str("safety_number");

  const std::string held = NewBobWrites("new phone, same bob");
  Outcome refused = Receive(kAliceKey, "alice", held);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_EQ(refused.ErrorCode(), "identity_changed");
  Outcome send = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--text", "x",
                                "--out", F("x.env")});
  EXPECT_EQ(send.ErrorCode(), "identity_changed");

  Outcome pending = As(kAliceKey, {"identity", "--db", F("alice.db"), "--with", "bob"});
  ASSERT_EQ(pending.exit_code, 0);
  const auto& change = pending.json.fields().at("pending").struct_value().fields();
  EXPECT_EQ(change.at("old_safety_number").string_value(), old_number);
  const std::string new_number = change.at("new_safety_number").string_value();
  EXPECT_EQ(new_number.size(), 60u);
  EXPECT_NE(new_number, old_number);
  EXPECT_NE(History(kAliceKey, "alice", "bob").find("identity_changed"), std::string::npos);

  // A wrong number changes nothing; the right one (or `trust`) accepts.
  Outcome wrong = As(kAliceKey, {"verify", "--db", F("alice.db"), "--with", "bob",
                                 "--safety-number", old_number});
  EXPECT_EQ(wrong.ErrorCode(), "invalid_argument");
  Outcome trust = As(kAliceKey, {"trust", "--db", F("alice.db"), "--with", "bob"});
  ASSERT_EQ(trust.exit_code, 0) << trust.err;
  const auto& received = trust.json.fields().at("received").list_value().values();
  ASSERT_EQ(received.size(), 1);
  EXPECT_EQ(received[0].struct_value().fields().at("text").string_value(), "new phone, same bob");
  Outcome after = As(kAliceKey, {"identity", "--db", F("alice.db"), "--with", "bob"});
  EXPECT_EQ(after.Str("safety_number"), new_number);
  EXPECT_EQ(As(kAliceKey, {"reject", "--db", F("alice.db"), "--with", "bob"}).ErrorCode(),
            "invalid_state");
}

TEST_F(CliIdentityTest, AReportCanBeDeletedFromTheLog) {
  SetUpDevices();
  ASSERT_EQ(Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out", F("mod.public")}).exit_code, 0);
  Outcome r = Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "spam spam", true));
  ASSERT_EQ(r.exit_code, 0);
  const std::string id = std::to_string(static_cast<int64_t>(r.Num("message_id")));
  ASSERT_EQ(As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice", "--message",
                         id, "--reason", "spam", "--out", F("p.json")}).exit_code, 0);
  Outcome submit = As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview", F("p.json"),
                                "--moderator", F("mod.public"), "--out", F("r.sealed")});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  const std::string report_id = std::to_string(static_cast<int64_t>(submit.Num("report_id")));
  Outcome list = As(kBobKey, {"reports", "--db", F("bob.db")});
  ASSERT_EQ(list.json.fields().at("reports").list_value().values_size(), 1);
  Outcome del = As(kBobKey, {"report", "delete", "--db", F("bob.db"), "--id", report_id});
  ASSERT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(As(kBobKey, {"reports", "--db", F("bob.db")}).json.fields().at("reports").list_value().values_size(), 0);
  EXPECT_EQ(As(kBobKey, {"report", "delete", "--db", F("bob.db"), "--id", report_id}).ErrorCode(),
            "not_found");
}

}  // namespace
}  // namespace candor::cli_testing
