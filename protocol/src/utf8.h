// Private to protocol/: strict UTF-8 validation (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF) for text fields carried as bytes.
#ifndef CANDOR_PROTOCOL_SRC_UTF8_H_
#define CANDOR_PROTOCOL_SRC_UTF8_H_

#include <string_view>

namespace candor::protocol::internal {

bool IsValidUtf8(std::string_view s);

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_UTF8_H_
