// Private to crypto/ (and its tests): XChaCha20-Poly1305-IETF with an explicit
// nonce. The public API never exposes nonce choice; the Wycheproof test drives
// this layer directly because its vectors fix the nonce.
#ifndef CANDOR_CRYPTO_SRC_AEAD_RAW_H_
#define CANDOR_CRYPTO_SRC_AEAD_RAW_H_

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto::internal {

// Writes ciphertext || tag into `out`, which must be plaintext + 16 bytes.
// Key 32 bytes, nonce 24 bytes; kInvalidArgument otherwise.
Result<void> XChaChaSealRaw(ByteView key, ByteView nonce, ByteView plaintext,
                            ByteView ad, std::span<uint8_t> out);
// `ciphertext` is ciphertext || tag.
Result<SecretBytes> XChaChaOpenRaw(ByteView key, ByteView nonce, ByteView ciphertext,
                                   ByteView ad);

// The same into a caller-provided buffer of ciphertext - 16 bytes (no allocation).
Result<void> XChaChaOpenRawInto(ByteView key, ByteView nonce, ByteView ciphertext, ByteView ad,
                                std::span<uint8_t> plaintext);

}  // namespace candor::crypto::internal

#endif  // CANDOR_CRYPTO_SRC_AEAD_RAW_H_
