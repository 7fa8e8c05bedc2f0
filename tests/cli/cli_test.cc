// The candor command end to end, as a script or an auditor would drive it:
// every check goes through the process's exit code, its JSON and its files.
#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "cli/cli_fixture.h"

namespace candor {
namespace {

using google::protobuf::Struct;
using cli_testing::CliTest;
using cli_testing::kAliceKey;
using cli_testing::kBobKey;
using cli_testing::Outcome;
using cli_testing::ReadAll;

TEST_F(CliTest, FirstContactRepliesOutOfOrderAndHistory) {
  SetUpDevices();
  Outcome r1 = Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "Hi Bob", true));
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  EXPECT_EQ(r1.Str("from"), "alice");
  EXPECT_EQ(r1.Str("text"), "Hi Bob");
  EXPECT_EQ(r1.Num("server_time"), 1'760'000'001);

  Outcome r2 = Receive(kAliceKey, "alice", SendRelayAck(kBobKey, "bob", "alice", "Hi \"Alice\"\n\u00e9"));
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_EQ(r2.Str("text"), "Hi \"Alice\"\n\u00e9") << "JSON escaping round-trips";

  const std::string d3 = SendRelayAck(kAliceKey, "alice", "bob", "three");
  const std::string d4 = SendRelayAck(kAliceKey, "alice", "bob", "four");
  EXPECT_EQ(Receive(kBobKey, "bob", d4).Str("text"), "four");
  EXPECT_EQ(Receive(kBobKey, "bob", d3).Str("text"), "three");

  Struct history;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(History(kBobKey, "bob", "alice"), &history).ok());
  const auto& msgs = history.fields().at("messages").list_value().values();
  ASSERT_EQ(msgs.size(), 4);
  const std::vector<std::string> texts = {"Hi Bob", "Hi \"Alice\"\n\u00e9", "four", "three"};
  const std::vector<std::string> dirs = {"in", "out", "in", "in"};
  for (int i = 0; i < 4; ++i) {
    const auto& m = msgs[i].struct_value().fields();
    EXPECT_EQ(m.at("text").string_value(), texts[i]);
    EXPECT_EQ(m.at("direction").string_value(), dirs[i]);
    EXPECT_TRUE(m.at("server_time").has_number_value()) << "acked, so known at both ends";
    EXPECT_TRUE(m.count("id") && m.count("from") && m.count("to"));
  }
  EXPECT_EQ(msgs[1].struct_value().fields().at("from").string_value(), "bob");
  EXPECT_EQ(msgs[1].struct_value().fields().at("to").string_value(), "alice");

  Outcome fa = As(kAliceKey, {"fingerprint", "--db", F("alice.db"), "--with", "bob"});
  Outcome fb = As(kBobKey, {"fingerprint", "--db", F("bob.db"), "--with", "alice"});
  ASSERT_EQ(fa.exit_code, 0);
  EXPECT_EQ(fa.Str("fingerprint").size(), 60u);
  EXPECT_EQ(fa.Str("fingerprint"), fb.Str("fingerprint"));
}

TEST_F(CliTest, RotatePrekeyTimerAndPurge) {
  SetUpDevices();
  Outcome rotated = As(kBobKey, {"rotate-prekey", "--db", F("bob.db")});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(rotated.Num("signed_prekey_id"), 2);
  Outcome bundle = As(kBobKey, {"bundle", "--db", F("bob.db"), "--out", F("bob2.bundle")});
  ASSERT_EQ(bundle.exit_code, 0);
  EXPECT_EQ(bundle.Num("signed_prekey_id"), 2) << "bundles carry the new key";

  Outcome timer = As(kBobKey, {"timer", "--db", F("bob.db"), "--with", "alice", "--seconds", "1"});
  ASSERT_EQ(timer.exit_code, 0) << timer.err;
  EXPECT_EQ(timer.Num("disappear_after"), 1);
  EXPECT_EQ(As(kBobKey, {"timer", "--db", F("bob.db"), "--with", "alice", "--seconds", "soon"})
                .exit_code, 2);
  EXPECT_EQ(As(kBobKey, {"timer", "--db", F("bob.db"), "--with", "alice", "--seconds",
                         "18446744073709551615"}).ErrorCode(), "invalid_argument");
  // The first bundle names the retired key, which still opens the message.
  ASSERT_EQ(Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "brief", true)).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the CLI runs on the system clock
  EXPECT_EQ(History(kBobKey, "bob", "alice"), "{\"messages\":[]}\n") << "expired: never shown";
  Outcome purge = As(kBobKey, {"purge", "--db", F("bob.db")});
  ASSERT_EQ(purge.exit_code, 0) << purge.err;
  EXPECT_EQ(purge.Num("purged_messages"), 1);
  Outcome off = As(kBobKey, {"timer", "--db", F("bob.db"), "--with", "alice", "--seconds", "0"});
  ASSERT_EQ(off.exit_code, 0);
  EXPECT_TRUE(off.json.fields().at("disappear_after").has_null_value());
}

TEST_F(CliTest, DuplicateAndTamperedDeliveriesAreRejectedAndChangeNothing) {
  SetUpDevices();
  const std::string d1 = SendRelayAck(kAliceKey, "alice", "bob", "once", true);
  ASSERT_EQ(Receive(kBobKey, "bob", d1).exit_code, 0);
  const std::string before = History(kBobKey, "bob", "alice");

  Outcome dup = Receive(kBobKey, "bob", d1);
  EXPECT_EQ(dup.exit_code, 3);
  EXPECT_EQ(dup.ErrorCode(), "duplicate_message");

  std::string bytes = ReadAll(SendRelayAck(kAliceKey, "alice", "bob", "flip me"));
  bytes[bytes.size() / 2] ^= 0x01;  // inside the envelope's ciphertext
  { std::ofstream(F("flipped.del"), std::ios::binary) << bytes; }
  Outcome flipped = Receive(kBobKey, "bob", F("flipped.del"));
  EXPECT_EQ(flipped.exit_code, 3) << flipped.err;

  { std::ofstream(F("garbage.del"), std::ios::binary) << "not a delivery"; }
  EXPECT_EQ(Receive(kBobKey, "bob", F("garbage.del")).exit_code, 3);
  EXPECT_EQ(History(kBobKey, "bob", "alice"), before);
}

TEST_F(CliTest, WrongKeyIsExit4AndLeavesTheStoreByteIdentical) {
  SetUpDevices();
  const std::string before = ReadAll(F("bob.db"));
  Outcome o = As(kAliceKey, {"history", "--db", F("bob.db"), "--with", "alice"});
  EXPECT_EQ(o.exit_code, 4);
  EXPECT_EQ(o.ErrorCode(), "wrong_key");
  EXPECT_EQ(ReadAll(F("bob.db")), before);
  Outcome missing = As(kBobKey, {"history", "--db", F("nope.db"), "--with", "alice"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_EQ(missing.ErrorCode(), "not_found");
  // A plain SQLite file; and a file that cannot be a store at all. (Random
  // bytes of the right size look exactly like a store under another key.)
  { std::ofstream(F("plain.db"), std::ios::binary) << std::string("SQLite format 3\0", 16)
                                                   << std::string(4080, '\0'); }
  EXPECT_EQ(As(kBobKey, {"history", "--db", F("plain.db"), "--with", "a"}).ErrorCode(),
            "not_a_candor_database");
  { std::ofstream(F("notes.txt")) << "shopping list"; }
  EXPECT_EQ(As(kBobKey, {"history", "--db", F("notes.txt"), "--with", "a"}).ErrorCode(),
            "not_a_candor_database");
  EXPECT_EQ(As(kBobKey, {"init", "--db", F("bob.db"), "--account", "bob"}).exit_code, 4)
      << "init never overwrites";
  EXPECT_EQ(ReadAll(F("bob.db")), before);
}

TEST_F(CliTest, KeysComeOnlyFromTheEnvironment) {
  Outcome none = Run({"init", "--db", F("x.db"), "--account", "x"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(F("x.db")));
  Outcome both = Run({"init", "--db", F("x.db"), "--account", "x"},
                     {{"CANDOR_DB_KEY", kAliceKey}, {"CANDOR_PASSPHRASE", "pw"}});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(As("abcd", {"init", "--db", F("x.db"), "--account", "x"}).exit_code, 2);
  EXPECT_EQ(As(kAliceKey, {"init", "--db", F("x.db"), "--account", "x", "--key", kAliceKey}).exit_code, 2)
      << "no key flag exists";
  EXPECT_FALSE(std::filesystem::exists(F("x.db")));

  // A passphrase store: Argon2id on open, the salt inside the file.
  Outcome p = Run({"init", "--db", F("p.db"), "--account", "pat"}, {{"CANDOR_PASSPHRASE", "correct horse"}});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(p.Str("account"), "pat");
  EXPECT_EQ(p.Str("identity_key").size(), 64u);
  EXPECT_EQ(p.Str("fingerprint").size(), 30u);
  EXPECT_EQ(Run({"bundle", "--db", F("p.db"), "--out", F("p.bundle")},
                {{"CANDOR_PASSPHRASE", "wrong horse"}}).ErrorCode(), "wrong_key");
}

TEST_F(CliTest, UsageErrorsAreExit2WithAJsonError) {
  EXPECT_EQ(Run({}).exit_code, 2);
  EXPECT_EQ(Run({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(Run({"keygen"}).exit_code, 2);
  EXPECT_EQ(As(kAliceKey, {"init", "--db", F("x.db")}).exit_code, 2);
  EXPECT_EQ(As(kAliceKey, {"init", "--db", F("x.db"), "--db", F("y.db"), "--account", "a"}).exit_code, 2);
  EXPECT_EQ(As(kAliceKey, {"history", "--db", F("x.db"), "--with", "a", "--limit", "ten"}).exit_code, 2);
  EXPECT_EQ(Run({"relay", "--key", F("k"), "--in", F("i"), "--out", F("o"), "--ack-out", F("a"),
                 "--time", "0"}).exit_code, 2);
  Outcome help = Run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("candor send"), std::string::npos);
}

TEST_F(CliTest, SendWithoutASessionNeedsABundle) {
  SetUpDevices();
  Outcome o = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--text", "hi", "--out", F("e")});
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.ErrorCode(), "invalid_state");
  EXPECT_FALSE(std::filesystem::exists(F("e")));
  Outcome bad = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "carol", "--bundle",
                               F("bob.bundle"), "--text", "hi", "--out", F("e")});
  EXPECT_EQ(bad.ErrorCode(), "wrong_peer");
}

TEST_F(CliTest, KeyFilesAreSecretAndNeverOverwritten) {
  ASSERT_EQ(Run({"keygen", "relay", "--out", F("relay.key")}).exit_code, 0);
  struct stat st {};
  ASSERT_EQ(stat(F("relay.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string key = ReadAll(F("relay.key"));
  EXPECT_EQ(key.rfind("candor-relay-key-v1 ", 0), 0u);
  Outcome again = Run({"keygen", "relay", "--out", F("relay.key")});
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_EQ(again.ErrorCode(), "already_exists");
  EXPECT_EQ(ReadAll(F("relay.key")), key);

  Outcome m = Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out", F("mod.public")});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(m.Str("public_key").size(), 64u);
  EXPECT_NE(ReadAll(F("mod.public")).find(m.Str("public_key")), std::string::npos);
  ASSERT_EQ(stat(F("mod.secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // A moderator key is not a relay key.
  { std::ofstream(F("e")) << "x"; }
  Outcome wrong = Run({"relay", "--key", F("mod.secret"), "--in", F("e"), "--out", F("d"),
                       "--ack-out", F("a")});
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_EQ(wrong.ErrorCode(), "invalid_encoding");
}

TEST_F(CliTest, ReportPrepareSubmitModerateAndTheLog) {
  SetUpDevices();
  ASSERT_EQ(Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out", F("mod.public")}).exit_code, 0);
  ASSERT_EQ(Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "one", true)).exit_code, 0);
  ASSERT_EQ(Receive(kAliceKey, "alice", SendRelayAck(kBobKey, "bob", "alice", "two")).exit_code, 0);
  Outcome bad = Receive(kBobKey, "bob", SendRelayAck(kAliceKey, "alice", "bob", "you will regret this"));
  ASSERT_EQ(bad.exit_code, 0);
  const std::string id = std::to_string(static_cast<int64_t>(bad.Num("message_id")));

  Outcome prepared = As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice",
                                  "--message", id, "--reason", "threat", "--out", F("preview.json")});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  EXPECT_EQ(prepared.Str("reason"), "threat");
  EXPECT_EQ(prepared.json.fields().at("messages").list_value().values_size(), 3);
  EXPECT_TRUE(std::filesystem::exists(F("preview.json")));
  EXPECT_EQ(As(kBobKey, {"reports", "--db", F("bob.db")}).json.fields().at("reports").list_value().values_size(), 0)
      << "prepare sends and logs nothing";

  // An edited preview is refused by submit, and nothing is written or logged.
  std::string edited = ReadAll(F("preview.json"));
  const size_t at = edited.find("you will regret this");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 20, "you will enjoy this!");
  { std::ofstream(F("edited.json")) << edited; }
  Outcome refused = As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview", F("edited.json"),
                                 "--moderator", F("mod.public"), "--out", F("r.sealed")});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(F("r.sealed")));

  Outcome submitted = As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview", F("preview.json"),
                                   "--moderator", F("mod.public"), "--out", F("r.sealed")});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  EXPECT_EQ(submitted.Num("messages"), 3);

  Outcome verdict = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"), "--in", F("r.sealed")});
  ASSERT_EQ(verdict.exit_code, 0) << verdict.err;
  EXPECT_EQ(verdict.Str("reporter"), "bob");
  EXPECT_EQ(verdict.Str("reported"), "alice");
  EXPECT_EQ(verdict.Str("reason"), "threat");
  const auto& msgs = verdict.json.fields().at("messages").list_value().values();
  ASSERT_EQ(msgs.size(), 3);
  EXPECT_EQ(msgs[2].struct_value().fields().at("text").string_value(), "you will regret this");
  for (const auto& m : msgs) EXPECT_EQ(m.struct_value().fields().at("verdict").string_value(), "verified");

  // Another moderator's key cannot open it.
  ASSERT_EQ(Run({"keygen", "moderator", "--out", F("m2.secret"), "--public-out", F("m2.public")}).exit_code, 0);
  Outcome other = Run({"moderate", "--key", F("m2.secret"), "--relay-key", F("relay.key"), "--in", F("r.sealed")});
  EXPECT_EQ(other.exit_code, 3);
  EXPECT_EQ(other.ErrorCode(), "decrypt_failed");

  Outcome log = As(kBobKey, {"reports", "--db", F("bob.db")});
  ASSERT_EQ(log.exit_code, 0);
  const auto& reports = log.json.fields().at("reports").list_value().values();
  ASSERT_EQ(reports.size(), 1);
  const auto& r = reports[0].struct_value().fields();
  EXPECT_EQ(r.at("reason").string_value(), "threat");
  EXPECT_EQ(r.at("messages").number_value(), 3);
  EXPECT_EQ(r.at("sealed_bytes").number_value(), submitted.Num("sealed_bytes"));
  EXPECT_EQ(r.at("preview").struct_value().fields().at("reported").string_value(), "alice");

  EXPECT_EQ(As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice", "--message", id,
                         "--reason", "rude", "--out", F("p2.json")}).exit_code, 2);
  EXPECT_EQ(As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice", "--message", "999",
                         "--reason", "spam", "--out", F("p2.json")}).exit_code, 4);
}

TEST_F(CliTest, PolicyDocumentsAndEgressLogAudit) {
  Outcome json = Run({"policy", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.Num("report_window"), 5);
  EXPECT_EQ(json.out, ReadAll(std::string(CANDOR_POLICY_DIR) + "/metadata.json"));
  Outcome md = Run({"policy", "--format", "markdown"});
  ASSERT_EQ(md.exit_code, 0);
  EXPECT_EQ(md.out, ReadAll(std::string(CANDOR_POLICY_DIR) + "/METADATA.md"));
  EXPECT_EQ(Run({"policy", "--format", "yaml"}).exit_code, 2);

  // Every command that emits bytes can log what it emitted; the log audits clean.
  SetUpDevices();
  ASSERT_EQ(As(kBobKey, {"bundle", "--db", F("bob.db"), "--out", F("b2"), "--egress-log", F("egress.log")}).exit_code, 0);
  ASSERT_EQ(As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--bundle", F("bob.bundle"),
                           "--text", "hi", "--out", F("e1"), "--egress-log", F("egress.log")}).exit_code, 0);
  ASSERT_EQ(Run({"relay", "--key", F("relay.key"), "--in", F("e1"), "--out", F("d1"), "--ack-out",
                 F("a1"), "--egress-log", F("egress.log")}).exit_code, 0);
  const std::string log = ReadAll(F("egress.log"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 4) << "bundle, envelope, delivery, ack";
  EXPECT_EQ(log.find("hi"), std::string::npos) << "records name fields, never values";
  Outcome audit = Run({"audit", "--log", F("egress.log")});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_EQ(audit.Num("records"), 4);
  EXPECT_EQ(audit.json.fields().at("violations").list_value().values_size(), 0);
  EXPECT_EQ(audit.json.fields().at("by_channel").struct_value().fields().at("relay")
                .struct_value().fields().at("records").number_value(), 3);

  // A line claiming the message text went to the relay: exit 3, and the
  // summary still on stdout.
  std::string forged = log.substr(0, log.find('\n'));
  const size_t at = forged.find("\"fields\":[");
  forged.insert(at + 10, "\"candor.wire.Content.text\",");
  { std::ofstream(F("forged.log")) << log << forged << "\n"; }
  Outcome bad = Run({"audit", "--log", F("forged.log")});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.ErrorCode(), "policy_violation");
  EXPECT_NE(bad.out.find("candor.wire.Content.text"), std::string::npos);
}

TEST_F(CliTest, DemoTellsTheStoryAndKeepsFilesOnRequest) {
  Outcome story = Run({"demo"});
  ASSERT_EQ(story.exit_code, 0) << story.err;
  EXPECT_NE(story.out.find("the relay sees: sender=alice recipient=bob"), std::string::npos);
  EXPECT_NE(story.out.find("duplicate_message"), std::string::npos);
  EXPECT_NE(story.out.find("(equal)"), std::string::npos);
  EXPECT_NE(story.out.find("unverifiable: bob -> alice"), std::string::npos);
  EXPECT_NE(story.out.find("gets: forged"), std::string::npos);
  EXPECT_NE(story.out.find("with alice: \"At noon, the usual place.\""), std::string::npos)
      << story.out;

  Outcome json = Run({"demo", "--json", "--keep", F("kept"), "--egress-log", F("demo.log")});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.Num("delivered"), 9) << "eight texts (one of them sealed) and the photo";
  EXPECT_EQ(json.Num("duplicates_refused"), 1);
  EXPECT_TRUE(json.json.fields().at("fingerprints_match").bool_value());
  EXPECT_EQ(json.Str("session_setup"), "pqxdh");
  EXPECT_EQ(json.Num("search_hits"), 2);  // "At noon, the usual place.", "Noon works. See you!"
  for (const auto& seen : json.json.fields().at("relay_saw").list_value().values()) {
    const auto& f = seen.struct_value().fields();
    EXPECT_EQ(f.size(), 6u) << "sender, recipient, type, two sizes, time: nothing else";
    EXPECT_FALSE(f.count("text"));
  }
  // The kept stores open with the kept keys.
  std::string key = ReadAll(F("kept/bob.dbkey"));
  key.pop_back();
  Outcome h = Run({"history", "--db", F("kept/bob.db"), "--with", "alice"}, {{"CANDOR_DB_KEY", key}});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  const auto& messages = h.json.fields().at("messages").list_value().values();
  ASSERT_EQ(messages.size(), 9);
  const auto& photo = messages[8].struct_value().fields().at("attachments").list_value().values();
  ASSERT_EQ(photo.size(), 1);
  EXPECT_EQ(photo[0].struct_value().fields().at("file_name").string_value(), "beach.png");
  const auto& report = json.json.fields().at("report").struct_value().fields();
  std::vector<std::string> verdicts;
  for (const auto& v : report.at("verdicts").list_value().values()) verdicts.push_back(v.string_value());
  EXPECT_EQ(verdicts, (std::vector<std::string>{"verified", "verified", "verified", "unverifiable",
                                                "verified"}));
  EXPECT_EQ(report.at("edited_preview").string_value(), "preview_mismatch");
  EXPECT_EQ(report.at("forged_copy").string_value(), "forged");
  Outcome logged = Run({"reports", "--db", F("kept/bob.db")}, {{"CANDOR_DB_KEY", key}});
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_EQ(logged.json.fields().at("reports").list_value().values_size(), 4)
      << "alice's spam, her sealed message, her photo, then carol's spam in the group";
  // The sealed scene: the relay saw no sender, the report of the sealed
  // message verifies from its token, and bob's fabrication is forged.
  const auto& sealed = json.json.fields().at("sealed").struct_value().fields();
  EXPECT_EQ(sealed.at("relay_saw_sender").string_value(), "");
  EXPECT_EQ(sealed.at("report").string_value(), "verified");
  EXPECT_EQ(sealed.at("token_account").string_value(), "alice");
  EXPECT_EQ(sealed.at("fabrication").string_value(), "forged");
  EXPECT_NE(story.out.find("the relay sees: sender=(none) recipient=bob type=sealed box"),
            std::string::npos);
  const auto& attachment = json.json.fields().at("attachment").struct_value().fields();
  EXPECT_TRUE(attachment.at("opened").bool_value());
  EXPECT_EQ(attachment.at("report").string_value(), "verified");
  EXPECT_EQ(attachment.at("swapped").string_value(), "forged");
  EXPECT_EQ(Run({"demo", "--keep", F("kept")}).exit_code, 4) << "a non-empty directory is refused";
  Outcome audit = Run({"audit", "--log", F("demo.log")});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_EQ(audit.Num("records"), 31)
      << "a bundle, seven envelopes, a report; alice's token request, her sealed envelope "
         "and bob's report of it; the photo's upload request, its envelope and "
         "its report; then the group: two bundles, eleven pairwise envelopes (creation, sender "
         "keys, removal), four group envelopes and a report";
  const auto& group = json.json.fields().at("group").struct_value().fields();
  EXPECT_EQ(group.at("messages_read").number_value(), 7) << "2 + 2 + 2 + 1 (carol removed)";
  EXPECT_EQ(group.at("report").string_value(), "verified");
  EXPECT_EQ(group.at("removed_member").string_value(), "invalid_state")
      << "a copy of the message after her removal is not read";
}

}  // namespace
}  // namespace candor
