#include "candor/crypto/kdf.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor::crypto::internal {

static_assert(crypto_kdf_KEYBYTES == kKdfMasterKeyBytes);
static_assert(crypto_kdf_CONTEXTBYTES == kKdfContextBytes);

void KdfDeriveInto(std::span<uint8_t> subkey, uint64_t id,
                   const char (&context)[kKdfContextBytes + 1],
                   const SecretArray<kKdfMasterKeyBytes>& master) {
  EnsureSodium();
  // Sizes are enforced at compile time by KdfDerive<N>, so this cannot fail.
  crypto_kdf_derive_from_key(subkey.data(), subkey.size(), id, context,
                             master.Expose().data());
}

}  // namespace candor::crypto::internal
