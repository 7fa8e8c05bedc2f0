// Anonymous public-key encryption (libsodium crypto_box_seal): an ephemeral
// X25519 key, XSalsa20-Poly1305, 48 bytes of overhead. Used to seal reports
// to the moderation service.
//
// The ephemeral key comes from libsodium's own generator, not from a
// RandomSource: crypto_box_seal offers no way to pass one, and rebuilding the
// construction by hand would mean hand-written crypto. Sealed output is
// therefore never deterministic; tests check it by opening it.
#ifndef CANDOR_CRYPTO_SEALED_BOX_H_
#define CANDOR_CRYPTO_SEALED_BOX_H_

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/x25519.h"

namespace candor::crypto {

inline constexpr size_t kSealedBoxOverheadBytes = 48;

Bytes SealedBoxSeal(const X25519PublicKey& recipient, ByteView plaintext);
// kDecryptFailed for anything that does not open under `recipient`.
Result<SecretBytes> SealedBoxOpen(const X25519KeyPair& recipient, ByteView sealed);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_SEALED_BOX_H_
