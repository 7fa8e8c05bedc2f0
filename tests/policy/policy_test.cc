// The metadata policy holds: every field of every candor .proto is
// annotated, the annotations agree with where messages travel, no "never
// sent" category is in any message that can leave the device, and the
// committed policy documents are what the code generates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "candor/crypto/limits.h"
#include "candor/protocol/policy.h"
#include "policy_model.h"

namespace candor {
namespace {

namespace fs = std::filesystem;
using protocol::internal::Descriptor;
using protocol::internal::FieldDescriptor;
namespace internal = protocol::internal;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

privacy::Audience AudienceOf(privacy::Channel c) {
  switch (c) {
    case privacy::CHANNEL_RELAY: return privacy::RELAY;
    case privacy::CHANNEL_DIRECTORY: return privacy::DIRECTORY;
    case privacy::CHANNEL_MODERATION: return privacy::MODERATION;
    case privacy::CHANNEL_PEER: return privacy::PEER;
    case privacy::CHANNEL_LOCAL_ONLY: return privacy::LOCAL_ONLY;
    case privacy::CHANNEL_BLOB_STORE: return privacy::BLOB_STORE;
    case privacy::CHANNEL_TOKEN_SERVICE: return privacy::TOKEN_SERVICE;
    default: return privacy::AUDIENCE_UNSPECIFIED;
  }
}

bool Has(const std::vector<privacy::Channel>& v, privacy::Channel c) {
  return std::find(v.begin(), v.end(), c) != v.end();
}

// Every message that can leave the device, with everything nested or
// carried in it.
std::vector<const Descriptor*> EgressReachable() {
  std::vector<const Descriptor*> out;
  for (const Descriptor* d : internal::PolicyMessages()) {
    const auto ch = internal::ChannelsOf(d);
    if (!Has(ch, privacy::CHANNEL_RELAY) && !Has(ch, privacy::CHANNEL_DIRECTORY) &&
        !Has(ch, privacy::CHANNEL_MODERATION)) {
      continue;
    }
    for (const Descriptor* r : internal::Reachable(d)) {
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
  }
  return out;
}

TEST(Policy, EveryProtoFileIsCoveredAndEveryFieldAnnotated) {
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(CANDOR_PROTO_DIR)) {
    if (entry.path().extension() == ".proto" && entry.path().filename() != "privacy.proto") {
      on_disk.insert(entry.path().filename().string());
    }
  }
  const auto& covered = internal::PolicyFiles();
  EXPECT_EQ(on_disk, std::set<std::string>(covered.begin(), covered.end()))
      << "a .proto file is missing from internal::PolicyFiles()";
  size_t fields = 0;
  for (const Descriptor* d : internal::PolicyMessages()) {
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      ASSERT_TRUE(internal::HasExposure(f)) << f->full_name() << " has no exposure annotation";
      const privacy::Exposure& e = internal::ExposureOf(f);
      EXPECT_GT(e.audience_size(), 0) << f->full_name();
      EXPECT_FALSE(e.category().empty()) << f->full_name();
      EXPECT_FALSE(e.purpose().empty()) << f->full_name();
      EXPECT_FALSE(e.retention().empty()) << f->full_name();
      if (internal::Allows(e, privacy::LOCAL_ONLY)) {
        EXPECT_EQ(e.audience_size(), 1) << f->full_name() << ": local_only excludes every other audience";
      }
      ++fields;
    }
  }
  EXPECT_GT(fields, 60u);
}

TEST(Policy, EveryMessageTravelsSomewhereDeclaredAndItsFieldsAgree) {
  std::set<const Descriptor*> reached;
  for (const Descriptor* d : internal::PolicyMessages()) {
    const auto channels = internal::ChannelsOf(d);
    if (channels.empty()) continue;
    for (const Descriptor* r : internal::Reachable(d)) {
      reached.insert(r);
      for (int i = 0; i < r->field_count(); ++i) {
        const privacy::Exposure& e = internal::ExposureOf(r->field(i));
        for (privacy::Channel c : channels) {
          // A message allowed on a channel must be emittable there in full.
          EXPECT_TRUE(internal::Allows(e, AudienceOf(c)))
              << r->field(i)->full_name() << " on " << privacy::Channel_Name(c);
        }
      }
    }
  }
  for (const Descriptor* d : internal::PolicyMessages()) {
    EXPECT_TRUE(reached.count(d)) << d->full_name() << " has no channel and is nested in none";
  }
}

// A `carries` annotation the guard cannot resolve (a type renamed, a version
// prefix left behind by a wire version change) would make the guard treat
// the field as opaque bytes and check nothing inside it: every name in every
// annotation must resolve, with the version the codec writes.
TEST(Policy, EveryCarriesAnnotationResolvesToItsTypes) {
  size_t annotated = 0;
  for (const Descriptor* d : internal::PolicyMessages()) {
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const std::string& carries = internal::ExposureOf(f).carries();
      if (carries.empty()) continue;
      ++annotated;
      const size_t names = static_cast<size_t>(std::count(carries.begin(), carries.end(), '|')) + 1;
      EXPECT_EQ(internal::CarriedTypes(f).size(), names) << f->full_name() << ": " << carries;
    }
  }
  EXPECT_GE(annotated, 3u) << "the envelope payload, the delivery's envelope, the report's messages";
}

TEST(Policy, NeverSentCategoriesAreInNoMessageThatLeavesTheDevice) {
  const privacy::PolicyText* text = internal::PolicyText();
  ASSERT_NE(text, nullptr) << "policy.textproto does not parse";
  const auto egress = EgressReachable();
  ASSERT_GE(egress.size(), 8u);
  std::set<std::string> names;
  for (const auto& c : text->investigated()) {
    names.insert(c.name());
    for (const Descriptor* d : egress) {
      for (int i = 0; i < d->field_count(); ++i) {
        const FieldDescriptor* f = d->field(i);
        const privacy::Exposure& e = internal::ExposureOf(f);
        if (e.category() != c.category()) continue;
        switch (c.status()) {
          case privacy::NEVER_SENT:
          case privacy::CONNECTION_ONLY:
          case privacy::LOCAL_ONLY_DATA:
            ADD_FAILURE() << c.name() << " (" << c.category() << ") is declared "
                          << privacy::Status_Name(c.status()) << " but " << f->full_name()
                          << " carries it";
            break;
          case privacy::ONLY_IN_REPORT:
            EXPECT_FALSE(internal::Allows(e, privacy::RELAY) || internal::Allows(e, privacy::DIRECTORY))
                << c.name() << ": " << f->full_name() << " reaches the relay or directory";
            break;
          case privacy::PEERS_ONLY:
            EXPECT_FALSE(internal::Allows(e, privacy::RELAY) ||
                         internal::Allows(e, privacy::DIRECTORY) ||
                         internal::Allows(e, privacy::MODERATION))
                << c.name() << ": " << f->full_name() << " reaches beyond the peers";
            break;
          default:
            ADD_FAILURE() << c.name() << " has no status";
        }
      }
    }
  }
  // The investigation's list, each with a status.
  for (const char* n : {"Phone number", "Profile photo", "Status text", "Battery level", "Language",
                        "Time zone", "Device identifiers", "IP address", "Wireless signal strength",
                        "Operating system", "List of devices", "Linked accounts", "Last seen",
                        "Group names and photos", "Violation history"}) {
    EXPECT_TRUE(names.count(n)) << n << " is missing from policy.textproto";
  }
  EXPECT_FALSE(text->report_rules().empty());
  EXPECT_FALSE(text->non_field().empty());
}

TEST(Policy, CommittedDocumentsAreWhatTheCodeGenerates) {
  const fs::path dir(CANDOR_POLICY_DIR);
  auto json = protocol::GeneratePolicy(protocol::PolicyFormat::kJson);
  auto md = protocol::GeneratePolicy(protocol::PolicyFormat::kMarkdown);
  ASSERT_TRUE(json.has_value() && md.has_value());
  const char* fix =
      "stale: regenerate with build/dev/cli/candor policy --format json > policy/metadata.json "
      "and --format markdown > policy/METADATA.md";
  EXPECT_EQ(ReadAll(dir / "metadata.json"), *json) << fix;
  EXPECT_EQ(ReadAll(dir / "METADATA.md"), *md) << fix;
  EXPECT_NE(json->find("\"report_window\": " + std::to_string(kReportWindow)), std::string::npos);
}

}  // namespace
}  // namespace candor
