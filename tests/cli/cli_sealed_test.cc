// Sealed sender with the command: the directory's and the moderation
// service's keys, a certificate and tokens for alice, a sealed conversation
// whose envelope names no sender, a refused send without credentials, and
// bob's report of it judged with and without the sealed keys.
#include "cli_fixture.h"

namespace candor::cli_testing {
namespace {

class CliSealedTest : public CliTest {
 protected:
  void SetUp() override {
    SetUpDevices();
    ASSERT_EQ(Run({"keygen", "directory", "--out", F("dir.secret"), "--public-out",
                   F("dir.public")}).exit_code, 0);
    ASSERT_EQ(Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out",
                   F("mod.public")}).exit_code, 0);
    for (auto [key, who] : {std::pair{kAliceKey, "alice"}, std::pair{kBobKey, "bob"}}) {
      Outcome pinned = As(key, {"pin", "--db", F(std::string(who) + ".db"), "--directory",
                                F("dir.public"), "--moderator", F("mod.public")});
      ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
    }
  }
  // alice gets a certificate (from her own bundle) and `count` tokens.
  void ProvisionAlice(int count) {
    ASSERT_EQ(As(kAliceKey, {"bundle", "--db", F("alice.db"), "--out", F("alice.bundle")})
                  .exit_code, 0);
    Outcome cert = Run({"cert", "issue", "--key", F("dir.secret"), "--bundle", F("alice.bundle"),
                        "--out", F("alice.cert"), "--days", "3"});
    ASSERT_EQ(cert.exit_code, 0) << cert.err;
    EXPECT_EQ(cert.Str("account"), "alice");
    Outcome added = As(kAliceKey, {"cert", "add", "--db", F("alice.db"), "--in", F("alice.cert")});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    Outcome request = As(kAliceKey, {"tokens", "request", "--db", F("alice.db"), "--count",
                                     std::to_string(count), "--out", F("alice.request")});
    ASSERT_EQ(request.exit_code, 0) << request.err;
    Outcome issued = Run({"tokens", "issue", "--key", F("mod.secret"), "--account", "alice",
                          "--in", F("alice.request"), "--out", F("alice.response")});
    ASSERT_EQ(issued.exit_code, 0) << issued.err;
    Outcome tokens = As(kAliceKey, {"tokens", "add", "--db", F("alice.db"), "--in",
                                    F("alice.response")});
    ASSERT_EQ(tokens.exit_code, 0) << tokens.err;
    EXPECT_EQ(tokens.Num("added"), count);
  }
  // alice sends sealed; relayed and acknowledged. Returns the delivery.
  std::string SendSealed(const std::string& text, bool first) {
    const std::string stem = F("s" + std::to_string(++count_));
    std::vector<std::string> send = {"send", "--db", F("alice.db"), "--to", "bob", "--text", text,
                                     "--sealed", "--out", stem + ".env"};
    if (first) {
      send.push_back("--bundle");
      send.push_back(F("bob.bundle"));
    }
    Outcome s = As(kAliceKey, send);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    EXPECT_TRUE(s.json.fields().at("sealed").bool_value());
    Outcome r = Run({"relay", "--key", F("relay.key"), "--in", stem + ".env", "--out",
                     stem + ".del", "--ack-out", stem + ".ack", "--time",
                     std::to_string(1'760'000'000 + count_)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.Str("sender"), "");
    EXPECT_EQ(r.Str("recipient"), "bob");
    for (const char* ext : {".env", ".del", ".ack"}) {
      EXPECT_EQ(ReadAll(stem + ext).find("alice"), std::string::npos) << ext;
    }
    EXPECT_EQ(As(kAliceKey, {"ack", "--db", F("alice.db"), "--in", stem + ".ack"}).exit_code, 0);
    return stem + ".del";
  }
};

TEST_F(CliSealedTest, ASealedConversationAndItsReport) {
  ProvisionAlice(3);
  Outcome got = Receive(kBobKey, "bob", SendSealed("sealed, but you know it is me", true));
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.Str("from"), "alice");
  got = Receive(kBobKey, "bob", SendSealed("still me", false));
  ASSERT_EQ(got.exit_code, 0) << got.err;
  const double id = got.Num("message_id");
  Outcome left = As(kAliceKey, {"tokens", "--db", F("alice.db")});
  EXPECT_EQ(left.Num("usable"), 1);
  EXPECT_TRUE(left.json.fields().at("low").bool_value());

  Outcome prepared = As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice",
                                   "--message", std::to_string(static_cast<int64_t>(id)),
                                   "--reason", "harassment", "--out", F("preview.json")});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  EXPECT_NE(ReadAll(F("preview.json")).find("learn which account sent it"), std::string::npos);
  Outcome submitted = As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview",
                                   F("preview.json"), "--moderator", F("mod.public"), "--out",
                                   F("report.sealed")});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  Outcome judged = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"),
                        "--in", F("report.sealed"), "--directory", F("dir.public")});
  ASSERT_EQ(judged.exit_code, 0) << judged.err;
  EXPECT_EQ(judged.Str("verdict"), "verified") << judged.out;
  EXPECT_NE(judged.out.find("\"token_account\":\"alice\""), std::string::npos) << judged.out;
  Outcome blind = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"),
                       "--in", F("report.sealed")});
  ASSERT_EQ(blind.exit_code, 0) << blind.err;
  EXPECT_EQ(blind.Str("verdict"), "unverifiable") << blind.out;
}

TEST_F(CliSealedTest, WithoutCredentialsASealedSendIsRefusedWithExit3) {
  Outcome refused = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--text", "x",
                                   "--sealed", "--bundle", F("bob.bundle"), "--out", F("x.env")});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_EQ(refused.ErrorCode(), "sealed_credential_missing");
  EXPECT_FALSE(std::filesystem::exists(F("x.env")));
  EXPECT_EQ(History(kAliceKey, "alice", "bob").find("\"id\""), std::string::npos);
}

TEST_F(CliSealedTest, KeyFilesOfTheWrongKindAreRefused) {
  // A moderator key from before sealed sender has no token keys.
  {
    std::ofstream v1(F("old.public"));
    v1 << "candor-moderator-public-v1 " << std::string(64, 'a') << "\n";
  }
  Outcome pinned = As(kAliceKey, {"pin", "--db", F("alice.db"), "--directory", F("dir.public"),
                                  "--moderator", F("old.public")});
  EXPECT_EQ(pinned.exit_code, 3);
  EXPECT_EQ(pinned.ErrorCode(), "invalid_encoding");
  // The directory's files are not the moderator's, and the other way round.
  Outcome swapped = As(kAliceKey, {"pin", "--db", F("alice.db"), "--directory", F("mod.public"),
                                   "--moderator", F("dir.public")});
  EXPECT_EQ(swapped.exit_code, 3);
  Outcome wrong_issuer = Run({"cert", "issue", "--key", F("mod.secret"), "--bundle",
                              F("bob.bundle"), "--out", F("x.cert")});
  EXPECT_EQ(wrong_issuer.exit_code, 3);
  EXPECT_EQ(Run({"cert", "issue", "--key", F("dir.secret"), "--bundle", F("bob.bundle"), "--out",
                 F("y.cert"), "--days", "91"}).exit_code, 2);
}

}  // namespace
}  // namespace candor::cli_testing
