#include "policy_model.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <memory>

// The generated files must be linked for their descriptors to be in the pool.
#include "candor/audit/audit.pb.h"
#include "candor/local/group_state.pb.h"
#include "candor/local/session_state.pb.h"
#include "candor/report/report.pb.h"
#include "candor/wire/blob.pb.h"
#include "candor/wire/bundle.pb.h"
#include "candor/wire/sealed.pb.h"
#include "candor/wire/content.pb.h"
#include "candor/wire/envelope.pb.h"
#include "candor/wire/message.pb.h"
#include "candor/protocol/wire.h"
#include "strict_parse.h"

namespace candor::protocol::internal {

extern const char kPolicyTextproto[];

namespace {

using google::protobuf::DescriptorPool;

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& PolicyFiles() {
  // Touch one message per file so the linker keeps every generated file.
  (void)audit::EgressLogRecord::descriptor();
  (void)local::SessionState::descriptor();
  (void)local::GroupStateRecord::descriptor();
  (void)report::ReportBundle::descriptor();
  (void)wire::BlobUpload::descriptor();
  (void)wire::PrekeyBundle::descriptor();
  (void)wire::Content::descriptor();
  (void)wire::Envelope::descriptor();
  (void)wire::RatchetMessage::descriptor();
  (void)wire::SenderCertificate::descriptor();
  static const std::vector<std::string> kFiles = {
      "audit.proto",  "blob.proto", "bundle.proto",  "content.proto",      "envelope.proto",
      "message.proto", "report.proto", "sealed.proto", "session_state.proto", "group_state.proto"};
  return kFiles;
}

std::vector<const Descriptor*> PolicyMessages() {
  std::vector<const Descriptor*> out;
  for (const std::string& name : PolicyFiles()) {
    const auto* file = DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) continue;
    for (int i = 0; i < file->message_type_count(); ++i) out.push_back(file->message_type(i));
  }
  return out;
}

bool IsPolicyMessage(const Descriptor* d) {
  if (d == nullptr) return false;
  const auto& files = PolicyFiles();
  return std::find(files.begin(), files.end(), d->file()->name()) != files.end();
}

bool HasExposure(const FieldDescriptor* f) { return f->options().HasExtension(privacy::exposure); }

const privacy::Exposure& ExposureOf(const FieldDescriptor* f) {
  return f->options().GetExtension(privacy::exposure);
}

bool Allows(const privacy::Exposure& e, privacy::Audience audience) {
  for (int a : e.audience()) {
    if (a == audience) return true;
  }
  return false;
}

std::vector<privacy::Channel> ChannelsOf(const Descriptor* d) {
  std::vector<privacy::Channel> out;
  if (!d->options().HasExtension(privacy::egress)) return out;
  for (int c : d->options().GetExtension(privacy::egress).channel()) {
    out.push_back(static_cast<privacy::Channel>(c));
  }
  return out;
}

namespace {
privacy::Channel ChannelFor(EgressChannel channel) {
  switch (channel) {
    case EgressChannel::kRelay: return privacy::CHANNEL_RELAY;
    case EgressChannel::kDirectory: return privacy::CHANNEL_DIRECTORY;
    case EgressChannel::kModeration: return privacy::CHANNEL_MODERATION;
    case EgressChannel::kBlobStore: return privacy::CHANNEL_BLOB_STORE;
    case EgressChannel::kTokenService: return privacy::CHANNEL_TOKEN_SERVICE;
  }
  return privacy::CHANNEL_UNSPECIFIED;
}
}  // namespace

bool TravelsOn(const Descriptor* d, EgressChannel channel) {
  const auto channels = ChannelsOf(d);
  return std::find(channels.begin(), channels.end(), ChannelFor(channel)) != channels.end();
}

privacy::Audience AudienceFor(EgressChannel channel) {
  switch (channel) {
    case EgressChannel::kRelay: return privacy::RELAY;
    case EgressChannel::kDirectory: return privacy::DIRECTORY;
    case EgressChannel::kModeration: return privacy::MODERATION;
    case EgressChannel::kBlobStore: return privacy::BLOB_STORE;
    case EgressChannel::kTokenService: return privacy::TOKEN_SERVICE;
  }
  return privacy::AUDIENCE_UNSPECIFIED;
}

std::string_view AudienceName(privacy::Audience audience) {
  switch (audience) {
    case privacy::LOCAL_ONLY: return "local_only";
    case privacy::PEER: return "peer";
    case privacy::RELAY: return "relay";
    case privacy::DIRECTORY: return "directory";
    case privacy::MODERATION: return "moderation";
    case privacy::BLOB_STORE: return "blob_store";
    case privacy::TOKEN_SERVICE: return "token_service";
    default: return "unspecified";
  }
}

std::string_view ChannelName(privacy::Channel channel) {
  switch (channel) {
    case privacy::CHANNEL_LOCAL_ONLY: return "local_only";
    case privacy::CHANNEL_RELAY: return "relay";
    case privacy::CHANNEL_DIRECTORY: return "directory";
    case privacy::CHANNEL_MODERATION: return "moderation";
    case privacy::CHANNEL_BLOB_STORE: return "blob_store";
    case privacy::CHANNEL_TOKEN_SERVICE: return "token_service";
    case privacy::CHANNEL_PEER: return "peer";
    default: return "unspecified";
  }
}

std::vector<Carried> CarriedTypes(const FieldDescriptor* f) {
  std::vector<Carried> out;
  if (!HasExposure(f)) return out;
  for (std::string_view name : Split(ExposureOf(f).carries(), '|')) {
    // "v2:candor.wire.Envelope": the bytes are version byte 2, then the
    // message. A version the codec does not write names no type here, so a
    // stale annotation fails the policy tests instead of passing silently.
    uint8_t version = kUnversioned;
    if (const size_t colon = name.find(':'); colon != std::string_view::npos) {
      const Descriptor* d = DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(name.substr(colon + 1)));
      // Built with += : GCC 12 -O3 warns (-Wrestrict, falsely) on "v" + string.
      std::string tag = "v";
      if (d != nullptr) tag += std::to_string(TopLevelVersion(d));
      if (d == nullptr || name.substr(0, colon) != tag) {
        continue;
      }
      version = TopLevelVersion(d);
      name.remove_prefix(colon + 1);
    }
    const Descriptor* d = DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(name));
    if (d != nullptr) out.push_back(Carried{d, version});
  }
  return out;
}

uint8_t TopLevelVersion(const Descriptor* d) {
  return d == report::ReportBundle::descriptor() ? kReportBundleVersion : kWireVersion;
}

std::vector<const Descriptor*> Reachable(const Descriptor* root) {
  std::vector<const Descriptor*> out = {root};
  for (size_t i = 0; i < out.size(); ++i) {
    const Descriptor* d = out[i];
    for (int k = 0; k < d->field_count(); ++k) {
      const FieldDescriptor* f = d->field(k);
      std::vector<const Descriptor*> next;
      if (f->message_type() != nullptr) next.push_back(f->message_type());
      for (const Carried& c : CarriedTypes(f)) next.push_back(c.type);
      for (const Descriptor* n : next) {
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
      }
    }
  }
  return out;
}

const privacy::PolicyText* PolicyText() {
  static const std::unique_ptr<privacy::PolicyText> text = [] {
    auto t = std::make_unique<privacy::PolicyText>();
    if (!google::protobuf::TextFormat::ParseFromString(kPolicyTextproto, t.get())) t.reset();
    return t;
  }();
  return text.get();
}

}  // namespace candor::protocol::internal
