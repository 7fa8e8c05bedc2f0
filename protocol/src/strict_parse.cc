#include "strict_parse.h"

#include <google/protobuf/reflection.h>
#include <google/protobuf/unknown_field_set.h>

#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/protocol/wire.h"
#include "utf8.h"

namespace candor::protocol::internal {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

Result<void> ParseStrict(ByteView bytes, size_t max_bytes, uint8_t version, Message& out) {
  // The type name only for error messages: building it costs a descriptor
  // lookup and a string on every parse.
  auto type = [&out] { return out.GetDescriptor()->name(); };
  if (bytes.size() > max_bytes) {
    return Error(Errc::kMessageTooLarge,
                 type() + " larger than " + std::to_string(max_bytes) + " bytes");
  }
  if (version != kUnversioned) {
    if (bytes.empty()) return Error(Errc::kUnsupportedVersion, type() + " has no version byte");
    if (bytes[0] != version) {
      return Error(Errc::kUnsupportedVersion,
                   type() + " has version " + std::to_string(bytes[0]) + "; this candor reads " +
                       std::to_string(version) +
                       (bytes[0] < version ? " (the sender runs an older candor)" : ""));
    }
    bytes = bytes.subspan(1);
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Error(Errc::kMalformed, type() + " does not parse");
  }
  if (HasUnknownFields(out)) {
    return Error(Errc::kUnknownField, type() + " carries fields this version does not define");
  }
  return Ok();
}

namespace {

bool HasMessageFields(const google::protobuf::Descriptor* d) {
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) return true;
  }
  return false;
}

}  // namespace

bool HasUnknownFields(const Message& msg) {
  const auto* reflection = msg.GetReflection();
  if (!reflection->GetUnknownFields(msg).empty()) return true;
  // Walk only the message-typed fields the descriptor declares: no
  // allocation, and nothing to do for the flat messages on the hot path.
  const auto* descriptor = msg.GetDescriptor();
  if (!HasMessageFields(descriptor)) return false;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* f = descriptor->field(i);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int j = 0; j < reflection->FieldSize(msg, f); ++j) {
        if (HasUnknownFields(reflection->GetRepeatedMessage(msg, f, j))) return true;
      }
    } else if (reflection->HasField(msg, f) && HasUnknownFields(reflection->GetMessage(msg, f))) {
      return true;
    }
  }
  return false;
}

Bytes Serialize(const Message& msg, uint8_t version) {
  const size_t offset = version != kUnversioned ? 1 : 0;
  Bytes out(offset + msg.ByteSizeLong());
  if (offset != 0) out[0] = version;
  msg.SerializeWithCachedSizesToArray(out.data() + offset);
  return out;
}

SecretBytes SerializeSecret(const Message& msg, uint8_t version) {
  const size_t offset = version != kUnversioned ? 1 : 0;
  SecretBytes out(offset + msg.ByteSizeLong());
  if (offset != 0) out.Expose()[0] = version;
  msg.SerializeWithCachedSizesToArray(out.Expose().data() + offset);
  return out;
}

Result<void> CheckAccountField(std::string_view value, std::string_view name) {
  if (!crypto::CheckAccount(value).has_value() || !IsValidUtf8(value)) {
    return Error(Errc::kFieldOutOfRange,
                 std::string(name) + " must be 1.." + std::to_string(kMaxAccountBytes) +
                     " bytes of UTF-8 without control characters");
  }
  return Ok();
}

}  // namespace candor::protocol::internal
