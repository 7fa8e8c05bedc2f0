// The preview's JSON form: it round-trips, and every edit a user (or an
// attacker with the file) can make is refused or changes what submit sees.
#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/protocol/report_wire.h"
#include "support/client_world.h"

namespace candor {
namespace {

using protocol::ReportPreviewFromJson;
using protocol::ReportPreviewToJson;

class PreviewJsonTest : public testing::ClientWorld {
 protected:
  void SetUp() override {
    client::Client alice = Make("alice", 1);
    client::Client bob = Make("bob", 2);
    auto r = bob.Receive(SendFirst(alice, bob, "hello \"bob\"\n"));
    ASSERT_TRUE(r.has_value());
    auto sent = bob.Send("alice", "unacked");
    ASSERT_TRUE(sent.has_value());
    const int64_t id = Exchange(alice, bob, "third");
    auto p = bob.PrepareReport("alice", id, protocol::ReportReason::kImpersonation);
    ASSERT_TRUE(p.has_value());
    json_ = *ReportPreviewToJson(*p, false);
    encoded_ = *protocol::EncodeReportBundle(p->bundle);
    ids_ = p->message_ids;
  }
  void ExpectRefused(const std::string& from, const std::string& to, Errc code) {
    std::string edited = json_;
    const size_t at = edited.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    edited.replace(at, from.size(), to);
    auto r = ReportPreviewFromJson(edited);
    ASSERT_FALSE(r.has_value()) << from << " -> " << to;
    EXPECT_EQ(r.error().code(), code) << from << " -> " << to << ": " << r.error().message();
  }

  std::string json_;
  Bytes encoded_;
  std::vector<int64_t> ids_;
};

TEST_F(PreviewJsonTest, RoundTripsExactly) {
  auto back = ReportPreviewFromJson(json_);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->message_ids, ids_);
  EXPECT_EQ(*protocol::EncodeReportBundle(back->bundle), encoded_);
  EXPECT_EQ(*ReportPreviewToJson(*back, false), json_);
  auto pretty = ReportPreviewToJson(*back, true);
  ASSERT_TRUE(pretty.has_value());
  EXPECT_NE(*pretty, json_);
  EXPECT_EQ(*protocol::EncodeReportBundle(ReportPreviewFromJson(*pretty)->bundle), encoded_);
  for (const char* field : {"\"reporter\":\"bob\"", "\"reported\":\"alice\"", "\"reason\":\"impersonation\"",
                            "\"channel\":\"moderation\"", "\"direction\":\"out\"", "\"verifiable\":false",
                            "\"text\":\"hello \\\"bob\\\"\\n\""}) {
    EXPECT_NE(json_.find(field), std::string::npos) << field;
  }
}

TEST_F(PreviewJsonTest, EditsAreRefused) {
  ExpectRefused("\"text\":\"third\"", "\"text\":\"fourth\"", Errc::kFieldOutOfRange);
  ExpectRefused("\"direction\":\"out\"", "\"direction\":\"in\"", Errc::kFieldOutOfRange);
  ExpectRefused("\"verifiable\":false", "\"verifiable\":true", Errc::kFieldOutOfRange);
  ExpectRefused("\"reason\":\"impersonation\"", "\"reason\":\"rudeness\"", Errc::kFieldOutOfRange);
  ExpectRefused("\"channel\":\"moderation\"", "\"channel\":\"relay\"", Errc::kFieldOutOfRange);
  ExpectRefused("candor-report-preview-v1", "candor-report-preview-v2", Errc::kUnsupportedVersion);
  ExpectRefused("\"reporter\":\"bob\"", "\"reporter\":\"bob\",\"phone\":\"+1555\"", Errc::kMalformed);
  ExpectRefused("\"reported\":\"alice\"", "\"reported\":\"mallory\"", Errc::kWrongPeer);
  ExpectRefused("\"bundle_bytes\":\"", "\"bundle_bytes\":\"1", Errc::kFieldOutOfRange);
  EXPECT_EQ(ReportPreviewFromJson("{").error().code(), Errc::kMalformed);
  EXPECT_EQ(ReportPreviewFromJson("\xff").error().code(), Errc::kMalformed);
  EXPECT_EQ(ReportPreviewFromJson(std::string(kMaxReportPreviewBytes + 1, ' ')).error().code(),
            Errc::kMessageTooLarge);
}

// A preview file naming a group and no message (found in review: it
// crashed the group check before the bundle's own checks ran).
TEST_F(PreviewJsonTest, AGroupPreviewWithoutMessagesIsRefused) {
  const std::string group(64, 'a');
  std::string edited = json_;
  const size_t from = edited.find("\"messages\":[");
  const size_t to = edited.find("],\"channel\"");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  edited.replace(from, to + 1 - from, "\"messages\":[]");
  const size_t sealed = edited.rfind('}');
  edited.insert(sealed, ",\"group_id\":\"" + group + "\"");
  auto r = ReportPreviewFromJson(edited);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kMissingField) << r.error().message();
}

TEST_F(PreviewJsonTest, BundleDecoderRefusesMoreThanTheWindow) {
  auto back = ReportPreviewFromJson(json_);
  ASSERT_TRUE(back.has_value());
  auto& msgs = back->bundle.messages;
  while (msgs.size() <= kReportWindow) msgs.push_back(protocol::CopyReportedMessage(msgs.front()));
  EXPECT_EQ(protocol::EncodeReportBundle(back->bundle).error().code(), Errc::kFieldOutOfRange);
  EXPECT_EQ(protocol::DecodeReportBundle(Bytes{}).error().code(), Errc::kUnsupportedVersion);
  EXPECT_TRUE(protocol::DecodeReportBundle(encoded_).has_value());
}

}  // namespace
}  // namespace candor
