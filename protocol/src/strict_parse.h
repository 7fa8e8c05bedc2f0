// Private to protocol/: the generic layers of every decoder (size cap,
// version byte, protobuf parse, unknown fields) and field checks, so each
// message's decoder only adds its own lengths and bounds.
#ifndef CANDOR_PROTOCOL_SRC_STRICT_PARSE_H_
#define CANDOR_PROTOCOL_SRC_STRICT_PARSE_H_

#include <google/protobuf/message.h>

#include <array>
#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::protocol::internal {

// One parse message per type and thread for the per-message decoders:
// protobuf reuses a message's string buffers across parses (its own
// performance advice), which saves two allocations per bytes field. Callers
// copy what they need out before returning and never hold a reference; a
// message holding secrets is wiped after use (WipeStringCapacity).
template <typename T>
T& ReusableMessage() {
  thread_local T message;
  return message;
}

// Wipes a string's whole buffer, not only its current size: a reused buffer
// may still hold a longer earlier value beyond size().
inline void WipeStringCapacity(std::string& s) {
  s.resize(s.capacity());
  candor::internal::SecureWipe(s.data(), s.size());
  s.clear();
}

// Sets a bytes field from a span without a temporary std::string.
#define CANDOR_SET_BYTES(msg, field, span) \
  (msg).set_##field(static_cast<const void*>((span).data()), (span).size())

// Messages nested inside another have no version byte of their own.
inline constexpr uint8_t kUnversioned = 0;

// Layers 1-4. Unless `version` is kUnversioned, the input starts with that
// version byte; any other is kUnsupportedVersion.
Result<void> ParseStrict(ByteView bytes, size_t max_bytes, uint8_t version,
                         google::protobuf::Message& out);

// The version byte (unless kUnversioned) followed by the message.
Bytes Serialize(const google::protobuf::Message& msg, uint8_t version);
// The same into wiped memory, for messages holding secrets.
SecretBytes SerializeSecret(const google::protobuf::Message& msg, uint8_t version);

// True when `msg` or any message inside it carries unknown fields.
bool HasUnknownFields(const google::protobuf::Message& msg);

// Field checks; `name` goes into the error message ("envelope.sender").
template <size_t N>
Result<std::array<uint8_t, N>> FixedBytes(const std::string& value, std::string_view name) {
  return ToFixedArray<N>(AsBytes(value), Errc::kBadFieldLength, name);
}
Result<void> CheckAccountField(std::string_view value, std::string_view name);

inline ByteView View(const std::string& s) { return AsBytes(s); }
// Conversions between protobuf's std::string and Bytes through pointers of
// one type, so they compile to memcpy rather than an element-wise loop.
inline std::string ToString(ByteView b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes ToBytes(const std::string& s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  return Bytes(p, p + s.size());
}

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_STRICT_PARSE_H_
