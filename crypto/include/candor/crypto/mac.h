// HMAC-SHA256 and HMAC-SHA512 (RFC 2104) over libsodium's crypto_auth_*
// incremental API, which accepts keys of any length. Tags are never
// truncated in candor; verification compares the full tag in constant time.
#ifndef CANDOR_CRYPTO_MAC_H_
#define CANDOR_CRYPTO_MAC_H_

#include <array>
#include <cstdint>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"

namespace candor::crypto {

inline constexpr size_t kHmacSha256Bytes = 32;
inline constexpr size_t kHmacSha512Bytes = 64;

std::array<uint8_t, kHmacSha256Bytes> HmacSha256(ByteView key, ByteView message);
std::array<uint8_t, kHmacSha512Bytes> HmacSha512(ByteView key, ByteView message);

// kBadMac unless `tag` is the full, correct tag.
Result<void> VerifyHmacSha256(ByteView key, ByteView message, ByteView tag);
Result<void> VerifyHmacSha512(ByteView key, ByteView message, ByteView tag);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_MAC_H_
