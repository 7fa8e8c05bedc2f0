// HKDF-SHA256 (RFC 5869). libsodium 1.0.18 has no crypto_kdf_hkdf_*, so this
// is the RFC's two steps over crypto_auth_hmacsha256; it is checked against
// the RFC's test cases and Wycheproof. Outputs are secrets.
#ifndef CANDOR_CRYPTO_HKDF_H_
#define CANDOR_CRYPTO_HKDF_H_

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kHkdfSha256PrkBytes = 32;

// PRK = HMAC-SHA256(salt, ikm). An empty salt acts as 32 zero bytes (RFC 5869).
SecretArray<kHkdfSha256PrkBytes> HkdfSha256Extract(ByteView salt, ByteView ikm);

// OKM of `length` bytes; kOutputTooLong above 255 * 32 bytes.
Result<SecretBytes> HkdfSha256Expand(const SecretArray<kHkdfSha256PrkBytes>& prk,
                                     ByteView info, size_t length);

// Extract then Expand.
Result<SecretBytes> HkdfSha256(ByteView salt, ByteView ikm, ByteView info,
                               size_t length);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_HKDF_H_
