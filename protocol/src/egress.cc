// The egress guard (egress.h) and the egress log's line format.
#include "candor/protocol/egress.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <set>

#include "candor/audit/audit.pb.h"
#include "candor/crypto/limits.h"
#include "candor/protocol/json.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/wire.h"
#include "policy_model.h"
#include "strict_parse.h"

namespace candor::protocol {

using google::protobuf::Message;
using google::protobuf::Reflection;
using internal::Carried;

std::string_view EgressChannelName(EgressChannel channel) {
  switch (channel) {
    case EgressChannel::kRelay: return "relay";
    case EgressChannel::kDirectory: return "directory";
    case EgressChannel::kModeration: return "moderation";
    case EgressChannel::kBlobStore: return "blob_store";
    case EgressChannel::kTokenService: return "token_service";
  }
  return "unknown";
}

Result<EgressChannel> ParseEgressChannel(std::string_view name) {
  for (EgressChannel c : {EgressChannel::kRelay, EgressChannel::kDirectory, EgressChannel::kModeration,
                          EgressChannel::kBlobStore, EgressChannel::kTokenService}) {
    if (EgressChannelName(c) == name) return c;
  }
  return Error(Errc::kFieldOutOfRange, "not an egress channel: relay, directory, moderation, blob_store or token_service");
}

namespace {

// The largest top-level message candor emits.
constexpr size_t kMaxEgressBytes = kMaxReportBundleBytes;

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* d) {
  const Message* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
  return std::unique_ptr<Message>(prototype->New());
}

Error Violation(const std::string& what) { return Error(Errc::kPolicyViolation, what); }

Result<void> Walk(const Message& m, privacy::Audience audience, std::string_view channel,
                  std::set<std::string>& fields);

// A bytes field that carries a serialized message: the first of its
// declared types (`carried`) that parses strictly is the one walked.
Result<void> WalkCarried(const google::protobuf::FieldDescriptor* f,
                         const std::vector<Carried>& carried, const std::string& bytes,
                         privacy::Audience audience, std::string_view channel,
                         std::set<std::string>& fields) {
  for (const Carried& c : carried) {
    auto inner = NewMessage(c.type);
    if (internal::ParseStrict(AsBytes(bytes), kMaxEgressBytes, c.version, *inner).has_value()) {
      return Walk(*inner, audience, channel, fields);
    }
  }
  return Violation(f->full_name() + " does not hold a message of the type it declares");
}

Result<void> Walk(const Message& m, privacy::Audience audience, std::string_view channel,
                  std::set<std::string>& fields) {
  if (internal::HasUnknownFields(m)) {
    return Error(Errc::kUnknownField, m.GetDescriptor()->full_name() + " carries an unknown field");
  }
  const Reflection* r = m.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> set;
  r->ListFields(m, &set);
  for (const auto* f : set) {
    if (!internal::HasExposure(f)) {
      return Violation(f->full_name() + " has no exposure annotation: it may not leave the device");
    }
    if (!internal::Allows(internal::ExposureOf(f), audience)) {
      return Violation(f->full_name() + " may not be seen on the " + std::string(channel) + " channel");
    }
    fields.insert(f->full_name());
    if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          CANDOR_RETURN_IF_ERROR(Walk(r->GetRepeatedMessage(m, f, i), audience, channel, fields));
        }
      } else {
        CANDOR_RETURN_IF_ERROR(Walk(r->GetMessage(m, f), audience, channel, fields));
      }
      continue;
    }
    const std::vector<Carried> carried = internal::CarriedTypes(f);
    if (carried.empty()) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        CANDOR_RETURN_IF_ERROR(
            WalkCarried(f, carried, r->GetRepeatedString(m, f, i), audience, channel, fields));
      }
    } else {
      CANDOR_RETURN_IF_ERROR(WalkCarried(f, carried, r->GetString(m, f), audience, channel, fields));
    }
  }
  return Ok();
}

// The walk checks what each field may reveal, field by field; rules that
// tie fields together (a sealed envelope names no sender, an unsealed one
// must) are the strict decoder's. For the messages a device sends to the
// relay, the token service and from the directory, both must pass.
Result<void> StrictDecode(std::string_view message_type, ByteView bytes) {
  if (message_type == kEnvelopeType) {
    CANDOR_RETURN_IF_ERROR(DecodeEnvelope(bytes));
  } else if (message_type == kGroupEnvelopeType) {
    CANDOR_RETURN_IF_ERROR(DecodeGroupEnvelope(bytes));
  } else if (message_type == kSenderCertificateType) {
    CANDOR_RETURN_IF_ERROR(DecodeSenderCertificate(bytes));
  } else if (message_type == kTokenRequestType) {
    CANDOR_RETURN_IF_ERROR(DecodeTokenRequest(bytes));
  } else if (message_type == kTokenResponseType) {
    CANDOR_RETURN_IF_ERROR(DecodeTokenResponse(bytes));
  }
  return Ok();
}

}  // namespace

namespace internal {

// For tests: the walk alone, over a message of any type.
Result<std::vector<std::string>> CheckMessageForChannel(const Message& m, EgressChannel channel) {
  std::set<std::string> fields;
  CANDOR_RETURN_IF_ERROR(Walk(m, AudienceFor(channel), EgressChannelName(channel), fields));
  return std::vector<std::string>(fields.begin(), fields.end());
}

}  // namespace internal

Result<EgressRecord> CheckEgress(EgressChannel channel, std::string_view message_type,
                                 ByteView bytes) {
  const auto* d = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
      std::string(message_type));
  if (!internal::IsPolicyMessage(d)) {
    return Violation(std::string(message_type) + " is not a candor message type");
  }
  if (!internal::TravelsOn(d, channel)) {
    return Violation(std::string(message_type) + " may not travel on the " +
                     std::string(EgressChannelName(channel)) + " channel");
  }
  auto m = NewMessage(d);
  CANDOR_RETURN_IF_ERROR(internal::ParseStrict(bytes, kMaxEgressBytes, internal::TopLevelVersion(d), *m));
  CANDOR_ASSIGN_OR_RETURN(std::vector<std::string> fields,
                          internal::CheckMessageForChannel(*m, channel));
  if (auto strict = StrictDecode(message_type, bytes); !strict.has_value()) {
    return Violation(std::string(message_type) + " breaks its decoder's rules: " +
                     strict.error().message());
  }
  return EgressRecord{0, channel, std::string(message_type), std::move(fields), bytes.size()};
}

std::string EgressRecordToJson(const EgressRecord& r) {
  return JsonObject()
      .UInt("time", r.time)
      .Str("channel", EgressChannelName(r.channel))
      .Str("message_type", r.message_type)
      .Raw("fields", JsonStringArray(r.fields))
      .UInt("bytes", r.bytes)
      .Finish();
}

Result<EgressRecord> EgressRecordFromJson(std::string_view line) {
  if (line.size() > kMaxEgressLogLineBytes) {
    return Error(Errc::kMessageTooLarge, "egress log line longer than kMaxEgressLogLineBytes");
  }
  audit::EgressLogRecord pb;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(std::string(line), &pb, options).ok()) {
    return Error(Errc::kMalformed, "not an egress log record");
  }
  auto channel = ParseEgressChannel(pb.channel());
  if (!channel.has_value()) return Error(Errc::kMalformed, "egress log record: unknown channel");
  return EgressRecord{pb.time(), *channel, pb.message_type(),
                      std::vector<std::string>(pb.fields().begin(), pb.fields().end()), pb.bytes()};
}

}  // namespace candor::protocol
