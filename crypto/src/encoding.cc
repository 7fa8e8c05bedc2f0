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

namespace {

// Decodes into `out`, which is already hex.size() / 2 bytes long.
Result<void> DecodeHexInto(std::string_view hex, std::span<uint8_t> out) {
  size_t written = 0;
  const char* end = nullptr;
  if (hex.empty()) return Ok();
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr,
                     &written, &end) != 0 ||
      written != out.size() || end != hex.data() + hex.size()) {
    return Error(Errc::kInvalidEncoding, "invalid hex digit");
  }
  return Ok();
}

Result<void> CheckHexLength(std::string_view hex) {
  if (hex.size() % 2 != 0) return Error(Errc::kInvalidEncoding, "hex string has odd length");
  return Ok();
}

}  // namespace

Result<Bytes> FromHex(std::string_view hex) {
  CANDOR_RETURN_IF_ERROR(CheckHexLength(hex));
  Bytes out(hex.size() / 2);
  CANDOR_RETURN_IF_ERROR(DecodeHexInto(hex, out));
  return out;
}

Result<SecretBytes> FromHexSecret(std::string_view hex) {
  CANDOR_RETURN_IF_ERROR(CheckHexLength(hex));
  SecretBytes out(hex.size() / 2);
  CANDOR_RETURN_IF_ERROR(DecodeHexInto(hex, out.Expose()));
  return out;
}

}  // namespace candor
