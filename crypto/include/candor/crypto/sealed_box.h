// Anonymous public-key encryption (libsodium crypto_box_seal): an ephemeral
// X25519 key, XSalsa20-Poly1305, 48 bytes of overhead. Used to seal reports
// to the moderation service and sealed-sender messages to their recipient.
//
// Two ways to seal the same format:
//  - SealedBoxSeal(recipient, plaintext): crypto_box_seal itself, whose
//    ephemeral key comes from libsodium's own generator (reports).
//  - SealedBoxSeal(recipient, plaintext, rng): the ephemeral key pair from
//    crypto_box_seed_keypair with a 32-byte seed drawn from `rng`, then
//    crypto_box_easy under nonce BLAKE2b-192(epk || pk), output epk || box —
//    exactly what crypto_box_seal builds (DESIGN.md "Sealed sender",
//    "Deterministic tests"), composed from libsodium calls, so a
//    deterministic RandomSource makes it reproducible for vectors.
// Both open with SealedBoxOpen (crypto_box_seal_open).
#ifndef CANDOR_CRYPTO_SEALED_BOX_H_
#define CANDOR_CRYPTO_SEALED_BOX_H_

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/x25519.h"

namespace candor::crypto {

inline constexpr size_t kSealedBoxOverheadBytes = 48;

Bytes SealedBoxSeal(const X25519PublicKey& recipient, ByteView plaintext);
// kWeakKey for a low-order recipient key (no shared secret).
Result<Bytes> SealedBoxSeal(const X25519PublicKey& recipient, ByteView plaintext,
                            RandomSource& rng);
// kDecryptFailed for anything that does not open under `recipient`.
Result<SecretBytes> SealedBoxOpen(const X25519KeyPair& recipient, ByteView sealed);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_SEALED_BOX_H_
