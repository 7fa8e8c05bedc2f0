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

SecretBytes ToHexSecret(ByteView bytes, std::string_view prefix, std::string_view suffix) {
  // sodium_bin2hex writes a terminator: room for it, trimmed below.
  SecretBytes out(prefix.size() + bytes.size() * 2 + 1 + suffix.size());
  auto buf = out.Expose();
  std::copy(prefix.begin(), prefix.end(), buf.begin());
  sodium_bin2hex(reinterpret_cast<char*>(buf.data() + prefix.size()), bytes.size() * 2 + 1,
                 crypto::internal::Ptr(bytes), bytes.size());
  std::copy(suffix.begin(), suffix.end(),
            buf.begin() + static_cast<ptrdiff_t>(prefix.size() + bytes.size() * 2));
  out.Resize(out.size() - 1);
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
