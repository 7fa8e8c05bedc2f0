#include "candor/crypto/encoding.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor {

std::string ToHex(ByteView bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), crypto::internal::Ptr(bytes), bytes.size());
  out.pop_back();  // the terminator sodium_bin2hex writes
  return out;
}

Result<Bytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return Error(Errc::kInvalidEncoding, "hex string has odd length");
  }
  Bytes out(hex.size() / 2);
  size_t written = 0;
  const char* end = nullptr;
  if (hex.empty()) return out;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr,
                     &written, &end) != 0 ||
      written != out.size() || end != hex.data() + hex.size()) {
    return Error(Errc::kInvalidEncoding, "invalid hex digit");
  }
  return out;
}

}  // namespace candor
