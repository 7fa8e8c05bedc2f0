// Every file the candor command writes is owner-only (0600) whatever the
// umask: the preview holds five plaintext messages and their franking keys,
// key files hold keys, and the rest says who talks to whom.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "cli/cli_fixture.h"

namespace candor {
namespace {

using cli_testing::CliTest;
using cli_testing::kAliceKey;
using cli_testing::kBobKey;
using cli_testing::Outcome;

// The umask the spawned commands inherit, for one test.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class CliModesTest : public CliTest {};

TEST_F(CliModesTest, EveryOutputIsOwnerOnlyEvenUnderUmaskZero) {
  const ScopedUmask open_umask(0);
  SetUpDevices();
  ASSERT_EQ(Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out", F("mod.public")})
                .exit_code,
            0);
  Outcome got = Receive(kBobKey, "bob",
                        SendRelayAck(kAliceKey, "alice", "bob", "meet me at noon", true));
  ASSERT_EQ(got.exit_code, 0) << got.err;
  const std::string id = std::to_string(static_cast<int64_t>(got.Num("message_id")));
  Outcome prepared = As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice",
                                  "--message", id, "--reason", "spam", "--out", F("preview.json")});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  Outcome submitted =
      As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview", F("preview.json"),
                   "--moderator", F("mod.public"), "--out", F("r.sealed"), "--egress-log",
                   F("egress.log")});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;

  // SendRelayAck wrote m1.env, m1.del and m1.ack.
  for (const char* name : {"relay.key", "mod.secret", "mod.public", "bob.bundle", "m1.env",
                           "m1.del", "m1.ack", "preview.json", "r.sealed", "egress.log"}) {
    EXPECT_EQ(ModeOf(F(name)), 0600u) << name;
  }
}

// A file already there with a wider mode is not rewritten in place: the
// output replaces it with a new 0600 file (and an egress log, appended in
// place, is narrowed to 0600).
TEST_F(CliModesTest, AnExistingWiderFileIsReplacedByAnOwnerOnlyOne) {
  const ScopedUmask open_umask(0);
  SetUpDevices();
  Outcome got = Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "hello", true));
  ASSERT_EQ(got.exit_code, 0) << got.err;
  const std::string id = std::to_string(static_cast<int64_t>(got.Num("message_id")));
  for (const char* name : {"preview.json", "egress.log"}) {
    { std::ofstream(F(name)) << "old\n"; }
    ASSERT_EQ(::chmod(F(name).c_str(), 0644), 0);
  }
  Outcome prepared = As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice",
                                  "--message", id, "--reason", "spam", "--out", F("preview.json")});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  EXPECT_EQ(ModeOf(F("preview.json")), 0600u);
  EXPECT_NE(cli_testing::ReadAll(F("preview.json")).find("hello"), std::string::npos);

  Outcome bundle = As(kBobKey, {"bundle", "--db", F("bob.db"), "--out", F("b2.bundle"),
                                "--egress-log", F("egress.log")});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  EXPECT_EQ(ModeOf(F("egress.log")), 0600u);
  EXPECT_EQ(cli_testing::ReadAll(F("egress.log")).rfind("old\n", 0), 0u) << "appended, not replaced";
}

}  // namespace
}  // namespace candor
