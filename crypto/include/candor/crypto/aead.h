// XChaCha20-Poly1305-IETF authenticated encryption, in the two shapes candor
// uses. Callers never choose a nonce:
//  - XChaCha20Poly1305: a key used for many messages (header keys, storage);
//    every Seal draws a fresh random 24-byte nonce itself and prepends it.
//  - SealWithSingleUseKey / OpenWithSingleUseKey: a key meant to encrypt
//    exactly one message (ratchet message keys). The functions take it by
//    value, so the caller must std::move it in and it is wiped on return.
//    The nonce is the caller's, and must be random (the ratchet passes the
//    24 random bytes that open its encrypted header): a key derived twice —
//    a sender state rolled back by a restored backup, a power loss after an
//    unsynced commit, two handles on one store — then still never encrypts
//    two messages under one keystream, as a fixed nonce would.
// Tags are the full 16 bytes.
#ifndef CANDOR_CRYPTO_AEAD_H_
#define CANDOR_CRYPTO_AEAD_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kAeadKeyBytes = 32;
inline constexpr size_t kAeadNonceBytes = 24;
inline constexpr size_t kAeadTagBytes = 16;

class XChaCha20Poly1305 {
 public:
  explicit XChaCha20Poly1305(SecretArray<kAeadKeyBytes> key) : key_(std::move(key)) {}
  // For keys held as variable-length secrets: kInvalidKey unless 32 bytes.
  static Result<XChaCha20Poly1305> Create(const SecretBytes& key);

  // nonce(24) || ciphertext || tag(16).
  Bytes Seal(ByteView plaintext, ByteView associated_data, RandomSource& rng) const;
  // kDecryptFailed for anything that does not authenticate, including input
  // shorter than nonce + tag.
  Result<SecretBytes> Open(ByteView sealed, ByteView associated_data) const;

  static constexpr size_t SealedSize(size_t plaintext_size) {
    return kAeadNonceBytes + plaintext_size + kAeadTagBytes;
  }

 private:
  SecretArray<kAeadKeyBytes> key_;
};

using AeadNonce = std::span<const uint8_t, kAeadNonceBytes>;

// ciphertext || tag(16), key consumed; `nonce` is random (see above).
Bytes SealWithSingleUseKey(SecretArray<kAeadKeyBytes> key, AeadNonce nonce, ByteView plaintext,
                           ByteView associated_data);
Result<SecretBytes> OpenWithSingleUseKey(SecretArray<kAeadKeyBytes> key, AeadNonce nonce,
                                         ByteView ciphertext, ByteView associated_data);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_AEAD_H_
