// Plaintext off the command line and commands in a pipe: --text-file FILE
// and --text-file - (standard input), and --in - / --out - so that
// send | relay | receive runs without intermediate files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_fixture.h"

namespace candor {
namespace {

using cli_testing::CliTest;
using google::protobuf::Struct;
using cli_testing::kAliceKey;
using cli_testing::kBobKey;
using cli_testing::Outcome;
using cli_testing::ReadAll;

class CliStdioTest : public CliTest {};

TEST_F(CliStdioTest, SendRelayReceiveThroughAPipe) {
  SetUpDevices();
  // Alice's key for send, Bob's for receive: each command gets its own.
  const std::string script =
      "printf 'through the pipe' | CANDOR_DB_KEY=" + std::string(kAliceKey) +
      " \"$CANDOR\" send --db '" + F("alice.db") + "' --to bob --bundle '" + F("bob.bundle") +
      "' --text-file - --out - 2>'" + F("send.json") + "'"
      " | \"$CANDOR\" relay --key '" + F("relay.key") + "' --in - --out - --ack-out '" + F("p.ack") +
      "' --time 1760000000 2>'" + F("relay.json") + "'"
      " | CANDOR_DB_KEY=" + kBobKey + " \"$CANDOR\" receive --db '" + F("bob.db") + "' --in -";
  Outcome piped = Shell("set -e; " + script);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  Struct received;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(piped.out, &received).ok()) << piped.out;
  EXPECT_EQ(received.fields().at("text").string_value(), "through the pipe");
  EXPECT_EQ(received.fields().at("from").string_value(), "alice");
  // With --out - the summaries go to stderr, leaving stdout to the data.
  EXPECT_NE(ReadAll(F("send.json")).find("\"message_id\""), std::string::npos);
  EXPECT_NE(ReadAll(F("relay.json")).find("\"sender\":\"alice\""), std::string::npos);
  Outcome ack = As(kAliceKey, {"ack", "--db", F("alice.db"), "--in", F("p.ack")});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
}

TEST_F(CliStdioTest, TextFileIsSentExactly) {
  SetUpDevices();
  { std::ofstream(F("msg.txt"), std::ios::binary) << "line one\nline two\n"; }
  Outcome sent = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--bundle",
                                F("bob.bundle"), "--text-file", F("msg.txt"), "--out", F("e")});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  ASSERT_EQ(Run({"relay", "--key", F("relay.key"), "--in", F("e"), "--out", F("d"), "--ack-out",
                 F("a")})
                .exit_code,
            0);
  Outcome got = Receive(kBobKey, "bob", F("d"));
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.Str("text"), "line one\nline two\n");
}

TEST_F(CliStdioTest, AMissingTextFileIsAClearErrorAndSendsNothing) {
  SetUpDevices();
  Outcome sent = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--bundle",
                                F("bob.bundle"), "--text-file", F("no-such.txt"), "--out", F("e")});
  EXPECT_EQ(sent.exit_code, 4);
  EXPECT_EQ(sent.ErrorCode(), "not_found");
  EXPECT_NE(sent.err.find("--text-file"), std::string::npos) << sent.err;
  EXPECT_NE(sent.err.find("no-such.txt"), std::string::npos) << sent.err;
  EXPECT_FALSE(std::filesystem::exists(F("e")));
  EXPECT_EQ(History(kAliceKey, "alice", "bob"), "{\"messages\":[]}\n");
}

TEST_F(CliStdioTest, TextNeedsExactlyOneSourceAndOneFlagPerStream) {
  SetUpDevices();
  const std::vector<std::string> base = {"send", "--db", F("alice.db"), "--to", "bob",
                                         "--bundle", F("bob.bundle"), "--out", F("e")};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return As(kAliceKey, args);
  };
  EXPECT_EQ(with({}).exit_code, 2);
  EXPECT_EQ(with({"--text", "a", "--text-file", F("e")}).exit_code, 2);
  // Two flags cannot share standard input.
  Outcome twice = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--bundle", "-",
                                 "--text-file", "-", "--out", F("e")});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.ErrorCode(), "invalid_argument");
  Outcome two_out = Run({"relay", "--key", F("relay.key"), "--in", F("e"), "--out", "-",
                         "--ack-out", "-"});
  EXPECT_EQ(two_out.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(F("e")));
}

}  // namespace
}  // namespace candor
