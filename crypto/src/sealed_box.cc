#include "candor/crypto/sealed_box.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor::crypto {

static_assert(crypto_box_SEALBYTES == kSealedBoxOverheadBytes);
static_assert(crypto_box_PUBLICKEYBYTES == kX25519KeyBytes);
static_assert(crypto_box_SECRETKEYBYTES == kX25519KeyBytes);

Bytes SealedBoxSeal(const X25519PublicKey& recipient, ByteView plaintext) {
  internal::EnsureSodium();
  Bytes out(plaintext.size() + kSealedBoxOverheadBytes);
  crypto_box_seal(out.data(), internal::Ptr(plaintext), plaintext.size(),
                  recipient.bytes().data());
  return out;
}

Result<SecretBytes> SealedBoxOpen(const X25519KeyPair& recipient, ByteView sealed) {
  if (sealed.size() < kSealedBoxOverheadBytes) {
    return Error(Errc::kDecryptFailed, "sealed box shorter than its overhead");
  }
  internal::EnsureSodium();
  SecretBytes plaintext(sealed.size() - kSealedBoxOverheadBytes);
  if (crypto_box_seal_open(internal::Ptr(plaintext.Expose()), sealed.data(), sealed.size(),
                           recipient.public_key().bytes().data(),
                           recipient.private_key().Expose().data()) != 0) {
    return Error(Errc::kDecryptFailed, "sealed box does not open with this key");
  }
  return plaintext;
}

}  // namespace candor::crypto
