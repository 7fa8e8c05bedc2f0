// Attachments through the candor command: send --attach, blob put|get|expire,
// receive --attachments-dir, attachment save, history, and a report whose
// photo the moderator fetches and judges (moderate --blobs): verified,
// forged when the store's bytes were swapped, unavailable once expired.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_fixture.h"

namespace candor {
namespace {

namespace fs = std::filesystem;
using cli_testing::CliTest;
using cli_testing::kAliceKey;
using cli_testing::kBobKey;
using cli_testing::Outcome;
using cli_testing::ReadAll;

class CliAttachmentTest : public CliTest {
 protected:
  void Write(const std::string& name, size_t n, uint8_t seed) {
    std::ofstream out(F(name), std::ios::binary);
    for (size_t i = 0; i < n; ++i) out.put(static_cast<char>(i * 131 + seed));
  }
  // alice sends bob `files` (first message: with bob's bundle), uploads the
  // blobs, relays; returns send's outcome.
  Outcome SendFiles(const std::vector<std::string>& files, const std::string& text = "look") {
    std::vector<std::string> args = {"send", "--db", F("alice.db"), "--to", "bob", "--bundle",
                                     F("bob.bundle"), "--out", F("a.env"), "--blob-dir",
                                     F("outbox"), "--egress-log", F("alice.log")};
    if (!text.empty()) {
      args.push_back("--text");
      args.push_back(text);
    }
    for (const auto& f : files) {
      args.push_back("--attach");
      args.push_back(F(f));
    }
    Outcome s = As(kAliceKey, args);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    Outcome r = Run({"relay", "--key", F("relay.key"), "--in", F("a.env"), "--out", F("a.del"),
                     "--ack-out", F("a.ack")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return s;
  }
  std::vector<std::string> BlobFiles(const Outcome& sent) {
    std::vector<std::string> out;
    for (const auto& a : sent.json.fields().at("attachments").list_value().values()) {
      out.push_back(a.struct_value().fields().at("blob_file").string_value());
    }
    return out;
  }
  void Upload(const Outcome& sent) {
    for (const std::string& blob : BlobFiles(sent)) {
      Outcome p = Run({"blob", "put", "--store", F("store"), "--in", blob, "--from", "alice"});
      EXPECT_EQ(p.exit_code, 0) << p.err;
    }
  }
};

TEST_F(CliAttachmentTest, SendUploadReceiveAndSave) {
  SetUpDevices();
  Write("photo.jpg", 200000, 1);
  Write("notes.pdf", 65536, 2);
  Outcome sent = SendFiles({"photo.jpg", "notes.pdf"});
  ASSERT_EQ(sent.exit_code, 0);
  const auto& list = sent.json.fields().at("attachments").list_value().values();
  ASSERT_EQ(list.size(), 2);
  EXPECT_EQ(list[0].struct_value().fields().at("media_type").string_value(), "image/jpeg");
  EXPECT_EQ(list[1].struct_value().fields().at("file_name").string_value(), "notes.pdf");
  Upload(sent);
  Outcome got = As(kBobKey, {"receive", "--db", F("bob.db"), "--in", F("a.del"),
                             "--attachments-dir", F("inbox"), "--blob-store", F("store")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  const auto& saved = got.json.fields().at("attachments").list_value().values();
  ASSERT_EQ(saved.size(), 2);
  EXPECT_EQ(ReadAll(saved[0].struct_value().fields().at("saved_as").string_value()),
            ReadAll(F("photo.jpg")));
  EXPECT_EQ(ReadAll(saved[1].struct_value().fields().at("saved_as").string_value()),
            ReadAll(F("notes.pdf")));
  Outcome h = As(kBobKey, {"history", "--db", F("bob.db"), "--with", "alice"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  const auto& m = h.json.fields().at("messages").list_value().values(0).struct_value().fields();
  EXPECT_EQ(m.at("attachments").list_value().values_size(), 2);
  // What left alice's device: the upload requests on the blob channel, then
  // the envelope; the audit accepts the log.
  const std::string log = ReadAll(F("alice.log"));
  EXPECT_NE(log.find("\"channel\":\"blob_store\",\"message_type\":\"candor.wire.BlobUpload\""),
            std::string::npos) << log;
  Outcome audit = Run({"audit", "--log", F("alice.log")});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  // The store's log names who uploaded and who fetched.
  const std::string access = ReadAll(F("store/access.log"));
  EXPECT_NE(access.find("\"account\":\"alice\""), std::string::npos);
  EXPECT_NE(access.find("\"account\":\"bob\""), std::string::npos);
}

TEST_F(CliAttachmentTest, AMissingBlobLeavesTheMessageStoredAndNothingHalfWritten) {
  SetUpDevices();
  Write("clip.mp4", 100000, 3);
  Outcome sent = SendFiles({"clip.mp4"}, "");
  ASSERT_EQ(sent.exit_code, 0);
  // Not uploaded yet.
  Outcome got = As(kBobKey, {"receive", "--db", F("bob.db"), "--in", F("a.del"),
                             "--attachments-dir", F("inbox"), "--blob-store", F("store")});
  EXPECT_EQ(got.exit_code, 4) << got.err;
  EXPECT_EQ(got.ErrorCode(), "not_found");
  EXPECT_NE(got.err.find("is stored"), std::string::npos) << got.err;
  EXPECT_TRUE(!fs::exists(F("inbox")) || fs::is_empty(F("inbox")));
  // Uploaded, then saved with attachment save.
  Upload(sent);
  Outcome save = As(kBobKey, {"attachment", "save", "--db", F("bob.db"), "--message", "1",
                              "--blob-store", F("store"), "--out", F("clip-copy.mp4")});
  ASSERT_EQ(save.exit_code, 0) << save.err;
  EXPECT_EQ(ReadAll(F("clip-copy.mp4")), ReadAll(F("clip.mp4")));
  Outcome again = As(kBobKey, {"attachment", "save", "--db", F("bob.db"), "--message", "1",
                               "--blob-store", F("store"), "--out", F("clip-copy.mp4")});
  EXPECT_EQ(again.ErrorCode(), "already_exists") << "never overwrites";
}

TEST_F(CliAttachmentTest, TheStoreRefusesABlobUnderAnotherId) {
  SetUpDevices();
  Write("a.bin", 5000, 4);
  Write("b.bin", 5000, 5);
  Outcome sent = SendFiles({"a.bin", "b.bin"});
  const auto blobs = BlobFiles(sent);
  // b's bytes named as a's blob.
  const std::string forged = F("forged") + "/" + fs::path(blobs[0]).filename().string();
  fs::create_directories(F("forged"));
  fs::copy_file(blobs[1], forged);
  Outcome p = Run({"blob", "put", "--store", F("store"), "--in", forged});
  EXPECT_EQ(p.exit_code, 3) << p.err;
  EXPECT_EQ(p.ErrorCode(), "malformed");
  const std::string id = fs::path(blobs[0]).stem().string();
  Outcome g = Run({"blob", "get", "--store", F("store"), "--id", id, "--out", F("x.blob")});
  EXPECT_EQ(g.ErrorCode(), "not_found");
  EXPECT_FALSE(fs::exists(F("x.blob")));
  // The genuine one goes in, comes out byte for byte, and expires.
  ASSERT_EQ(Run({"blob", "put", "--store", F("store"), "--in", blobs[0], "--time", "1000"}).exit_code, 0);
  Outcome g2 = Run({"blob", "get", "--store", F("store"), "--id", id, "--out", F("x.blob"),
                    "--time", "2000"});
  ASSERT_EQ(g2.exit_code, 0) << g2.err;
  EXPECT_EQ(ReadAll(F("x.blob")), ReadAll(blobs[0]));
  Outcome e = Run({"blob", "expire", "--store", F("store"), "--time", "4000000"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_EQ(e.Num("expired"), 1);
  // Usage: --attach needs --blob-dir.
  Outcome u = As(kAliceKey, {"send", "--db", F("alice.db"), "--to", "bob", "--out", F("u.env"),
                             "--attach", F("a.bin")});
  EXPECT_EQ(u.exit_code, 2) << u.err;
}

TEST_F(CliAttachmentTest, ModerateFetchesAndJudgesTheReportedPhoto) {
  SetUpDevices();
  ASSERT_EQ(Run({"keygen", "moderator", "--out", F("mod.secret"), "--public-out", F("mod.public")})
                .exit_code, 0);
  Write("photo.png", 80000, 6);
  Outcome sent = SendFiles({"photo.png"});
  Upload(sent);
  ASSERT_EQ(As(kBobKey, {"receive", "--db", F("bob.db"), "--in", F("a.del")}).exit_code, 0);
  Outcome prep = As(kBobKey, {"report", "prepare", "--db", F("bob.db"), "--with", "alice",
                              "--message", "1", "--reason", "sexual_content", "--out",
                              F("preview.json")});
  ASSERT_EQ(prep.exit_code, 0) << prep.err;
  EXPECT_NE(ReadAll(F("preview.json")).find("photo.png"), std::string::npos) << "the preview names it";
  ASSERT_EQ(As(kBobKey, {"report", "submit", "--db", F("bob.db"), "--preview", F("preview.json"),
                         "--moderator", F("mod.public"), "--out", F("report")}).exit_code, 0);
  auto verdict = [&](const Outcome& o) {
    return o.json.fields().at("messages").list_value().values(0).struct_value().fields()
        .at("attachments").list_value().values(0).struct_value().fields().at("verdict")
        .string_value();
  };
  Outcome ok = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"), "--in",
                    F("report"), "--blobs", F("store"), "--save-dir", F("seen")});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.Str("verdict"), "verified");
  EXPECT_EQ(verdict(ok), "verified");
  const std::string id = fs::path(BlobFiles(sent)[0]).stem().string();
  EXPECT_EQ(ReadAll(F("seen/" + id + "-photo.png")), ReadAll(F("photo.png")));
  Outcome late = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"), "--in",
                      F("report"), "--blobs", F("store"), "--time", "99999999999"});
  EXPECT_EQ(verdict(late), "unavailable");
  // Bytes changed at the store: not this blob — unavailable, the report
  // still verified (neither the sender nor the reporter did it), nothing
  // saved.
  const std::string blob = F("store") + "/" + fs::path(BlobFiles(sent)[0]).stem().string();
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  {
    std::fstream f(blob, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x55');
  }
  Outcome bad = Run({"moderate", "--key", F("mod.secret"), "--relay-key", F("relay.key"), "--in",
                     F("report"), "--blobs", F("store"), "--save-dir", F("seen2")});
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  EXPECT_EQ(verdict(bad), "unavailable");
  EXPECT_EQ(bad.Str("verdict"), "verified");
  EXPECT_TRUE(fs::is_empty(F("seen2")));
}

}  // namespace
}  // namespace candor
