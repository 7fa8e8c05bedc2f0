#include "candor/crypto/mac.h"

#include <sodium.h>

#include "candor/crypto/secret.h"
#include "sodium_support.h"

namespace candor::crypto {

using internal::Ptr;

static_assert(crypto_auth_hmacsha256_BYTES == kHmacSha256Bytes);
static_assert(crypto_auth_hmacsha512_BYTES == kHmacSha512Bytes);

std::array<uint8_t, kHmacSha256Bytes> HmacSha256(ByteView key, ByteView message) {
  internal::EnsureSodium();
  crypto_auth_hmacsha256_state state;
  std::array<uint8_t, kHmacSha256Bytes> tag;
  crypto_auth_hmacsha256_init(&state, Ptr(key), key.size());
  crypto_auth_hmacsha256_update(&state, Ptr(message), message.size());
  crypto_auth_hmacsha256_final(&state, tag.data());
  candor::internal::SecureWipe(&state, sizeof state);  // holds the padded key
  return tag;
}

std::array<uint8_t, kHmacSha512Bytes> HmacSha512(ByteView key, ByteView message) {
  internal::EnsureSodium();
  crypto_auth_hmacsha512_state state;
  std::array<uint8_t, kHmacSha512Bytes> tag;
  crypto_auth_hmacsha512_init(&state, Ptr(key), key.size());
  crypto_auth_hmacsha512_update(&state, Ptr(message), message.size());
  crypto_auth_hmacsha512_final(&state, tag.data());
  candor::internal::SecureWipe(&state, sizeof state);
  return tag;
}

namespace {

template <size_t N>
Result<void> CompareTag(const std::array<uint8_t, N>& expected, ByteView tag) {
  if (tag.size() != N || !candor::internal::ConstantTimeEqual(expected.data(), tag.data(), N)) {
    return Error(Errc::kBadMac, "HMAC tag does not match");
  }
  return Ok();
}

}  // namespace

Result<void> VerifyHmacSha256(ByteView key, ByteView message, ByteView tag) {
  return CompareTag(HmacSha256(key, message), tag);
}

Result<void> VerifyHmacSha512(ByteView key, ByteView message, ByteView tag) {
  return CompareTag(HmacSha512(key, message), tag);
}

}  // namespace candor::crypto
