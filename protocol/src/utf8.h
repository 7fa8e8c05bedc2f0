// Private to protocol/: strict UTF-8 validation (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF) for text fields carried as bytes,
// and the control-character rule for message text.
#ifndef CANDOR_PROTOCOL_SRC_UTF8_H_
#define CANDOR_PROTOCOL_SRC_UTF8_H_

#include <string_view>

namespace candor::protocol::internal {

bool IsValidUtf8(std::string_view s);

// True when `s` holds a C0 control character (0x00-0x1F) other than tab and
// line feed, or DEL (0x7F). Message text is refused with one: the C ABI
// hands text out NUL-terminated, so an embedded NUL would show the user a
// truncated message while history and reports hold the rest; and CR or
// escape sequences let a message rewrite what a terminal (a user's, a
// moderator's) displays. Bytes of multi-byte UTF-8 sequences are all
// >= 0x80, so a byte scan is exact.
bool HasForbiddenControl(std::string_view s);

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_UTF8_H_
