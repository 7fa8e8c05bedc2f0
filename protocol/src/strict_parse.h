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

// Layers 1-4. `versioned`: the input starts with the version byte 0x01.
Result<void> ParseStrict(ByteView bytes, size_t max_bytes, bool versioned,
                         google::protobuf::Message& out);

// The version byte (if `versioned`) followed by the message.
Bytes Serialize(const google::protobuf::Message& msg, bool versioned);
// The same into wiped memory, for messages holding secrets.
SecretBytes SerializeSecret(const google::protobuf::Message& msg, bool versioned);

// True when `msg` or any message inside it carries unknown fields.
bool HasUnknownFields(const google::protobuf::Message& msg);

// Field checks; `name` goes into the error message ("envelope.sender").
template <size_t N>
Result<std::array<uint8_t, N>> FixedBytes(const std::string& value, std::string_view name) {
  return ToFixedArray<N>(AsBytes(value), Errc::kBadFieldLength, name);
}
Result<void> CheckAccountField(const std::string& value, std::string_view name);

inline ByteView View(const std::string& s) { return AsBytes(s); }
inline std::string ToString(ByteView b) { return std::string(b.begin(), b.end()); }

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_STRICT_PARSE_H_
