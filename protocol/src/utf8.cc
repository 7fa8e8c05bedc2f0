#include "utf8.h"

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

bool HasForbiddenControl(std::string_view s) {
  bool found = false;
  // No early exit: a branch-free OR over the bytes, which the compiler
  // vectorises (message text is scanned on every send and receive).
  for (const char ch : s) {
    const auto c = static_cast<uint8_t>(ch);
    const bool control = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
    found |= control;
  }
  return found;
}

}  // namespace candor::protocol::internal
