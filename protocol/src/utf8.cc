#include "utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace candor::protocol::internal {

namespace {

// True when the 64 bytes at `p` are all ASCII. Written as a plain OR
// reduction so the compiler vectorises it.
bool Ascii64(const char* p) {
  uint64_t acc = 0;
  for (int k = 0; k < 8; ++k) {
    uint64_t w;
    std::memcpy(&w, p + 8 * k, 8);
    acc |= w;
  }
  return (acc & 0x8080808080808080ull) == 0;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Fast path: 64 ASCII bytes at a time (most text is mostly ASCII).
    if (s.size() - i >= 64 && Ascii64(s.data() + i)) {
      i += 64;
      continue;
    }
    const auto c = static_cast<uint8_t>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte or 0xF8..0xFF as a lead byte
    }
    if (s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

namespace {

bool ForbiddenByte(char ch) {
  const auto c = static_cast<uint8_t>(ch);
  return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
}

bool HasForbiddenByte(std::string_view s) {
  return std::any_of(s.begin(), s.end(), ForbiddenByte);
}

}  // namespace

bool HasForbiddenControl(std::string_view s) {
  // Eight bytes at a time (message text is scanned on every send and
  // receive; byte by byte this was 7% of a one-way message): a word with no
  // byte below 0x20 and none equal to 0x7F is skipped; any other word is
  // looked at byte by byte (tab and newline are allowed). The tests are the
  // exact "has a byte less than n" / "has a zero byte" word tricks.
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  size_t i = 0;
  for (; s.size() - i >= 8; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
    const uint64_t x = w ^ (kOnes * 0x7F);
    const uint64_t del = (x - kOnes) & ~x & kHighs;
    if ((below_space | del) != 0 && HasForbiddenByte(s.substr(i, 8))) return true;
  }
  return HasForbiddenByte(s.substr(i));
}

}  // namespace candor::protocol::internal
