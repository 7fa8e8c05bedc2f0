// Private to crypto/: what every libsodium call site needs.
#ifndef CANDOR_CRYPTO_SRC_SODIUM_SUPPORT_H_
#define CANDOR_CRYPTO_SRC_SODIUM_SUPPORT_H_

#include <cstdint>
#include <span>

namespace candor::crypto::internal {

// One-time libsodium initialisation. Every entry point that needs libsodium's
// randomness or its runtime-selected implementations calls it first; after
// the first call it is a guard check.
void EnsureSodium();

// libsodium declares its pointer parameters nonnull, but an empty span's
// data() is null (UBSan flags that). Empty inputs and outputs get a valid
// pointer that is never read or written, since the length is zero.
inline const uint8_t* Ptr(std::span<const uint8_t> v) {
  static const uint8_t kEmpty = 0;
  return v.empty() ? &kEmpty : v.data();
}
inline uint8_t* Ptr(std::span<uint8_t> v) {
  static uint8_t empty_out = 0;
  return v.empty() ? &empty_out : v.data();
}

}  // namespace candor::crypto::internal

#endif  // CANDOR_CRYPTO_SRC_SODIUM_SUPPORT_H_
