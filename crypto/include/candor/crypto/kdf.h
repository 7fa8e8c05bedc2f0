// libsodium's crypto_kdf: subkey = BLAKE2b(key = master, salt = id,
// personal = 8-byte context). A PRF, and about three times cheaper than
// HMAC-SHA256 here, which is why the ratchet's chain KDF uses it (DESIGN.md).
#ifndef CANDOR_CRYPTO_KDF_H_
#define CANDOR_CRYPTO_KDF_H_

#include <cstdint>
#include <span>

#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kKdfMasterKeyBytes = 32;
inline constexpr size_t kKdfContextBytes = 8;

namespace internal {
void KdfDeriveInto(std::span<uint8_t> subkey, uint64_t id,
                   const char (&context)[kKdfContextBytes + 1],
                   const SecretArray<kKdfMasterKeyBytes>& master);
}  // namespace internal

// `context` must be an 8-character literal, e.g. KdfDerive<32>(ck, 1, "candorCK");
// the array type makes a wrong length a compile error.
template <size_t N>
SecretArray<N> KdfDerive(const SecretArray<kKdfMasterKeyBytes>& master, uint64_t id,
                         const char (&context)[kKdfContextBytes + 1]) {
  static_assert(N >= 16 && N <= 64, "crypto_kdf subkeys are 16..64 bytes");
  SecretArray<N> out;
  internal::KdfDeriveInto(out.Expose(), id, context, master);
  return out;
}

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_KDF_H_
