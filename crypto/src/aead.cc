#include "candor/crypto/aead.h"

#include <sodium.h>

#include <array>

#include "aead_raw.h"
#include "sodium_support.h"

namespace candor::crypto {

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kAeadKeyBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kAeadNonceBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kAeadTagBytes);

namespace internal {

Result<void> XChaChaSealRaw(ByteView key, ByteView nonce, ByteView plaintext,
                            ByteView ad, std::span<uint8_t> out) {
  if (key.size() != kAeadKeyBytes || nonce.size() != kAeadNonceBytes) {
    return Error(Errc::kInvalidArgument, "XChaCha20-Poly1305 needs a 32-byte key and 24-byte nonce");
  }
  if (out.size() != plaintext.size() + kAeadTagBytes) {
    return Error(Errc::kInternal, "AEAD output buffer has the wrong size");
  }
  EnsureSodium();
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, Ptr(plaintext),
                                             plaintext.size(), Ptr(ad), ad.size(), nullptr,
                                             nonce.data(), key.data());
  return Ok();
}

Result<void> XChaChaOpenRawInto(ByteView key, ByteView nonce, ByteView ciphertext, ByteView ad,
                                std::span<uint8_t> plaintext) {
  if (key.size() != kAeadKeyBytes || nonce.size() != kAeadNonceBytes) {
    return Error(Errc::kInvalidArgument, "XChaCha20-Poly1305 needs a 32-byte key and 24-byte nonce");
  }
  if (ciphertext.size() < kAeadTagBytes) {
    return Error(Errc::kDecryptFailed, "ciphertext shorter than the tag");
  }
  if (plaintext.size() != ciphertext.size() - kAeadTagBytes) {
    return Error(Errc::kInternal, "AEAD output buffer has the wrong size");
  }
  EnsureSodium();
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(Ptr(plaintext), &written, nullptr,
                                                 ciphertext.data(), ciphertext.size(), Ptr(ad),
                                                 ad.size(), nonce.data(), key.data()) != 0) {
    return Error(Errc::kDecryptFailed, "authentication failed");
  }
  return Ok();
}

Result<SecretBytes> XChaChaOpenRaw(ByteView key, ByteView nonce, ByteView ciphertext,
                                   ByteView ad) {
  SecretBytes plaintext(ciphertext.size() < kAeadTagBytes ? 0 : ciphertext.size() - kAeadTagBytes);
  CANDOR_RETURN_IF_ERROR(XChaChaOpenRawInto(key, nonce, ciphertext, ad, plaintext.Expose()));
  return plaintext;
}

}  // namespace internal

Result<XChaCha20Poly1305> XChaCha20Poly1305::Create(const SecretBytes& key) {
  CANDOR_ASSIGN_OR_RETURN(auto fixed, SecretArray<kAeadKeyBytes>::CopyFrom(key.Expose()));
  return XChaCha20Poly1305(std::move(fixed));
}

Bytes XChaCha20Poly1305::Seal(ByteView plaintext, ByteView associated_data,
                              RandomSource& rng) const {
  Bytes out(SealedSize(plaintext.size()));
  const std::span<uint8_t> nonce = std::span(out).first(kAeadNonceBytes);
  rng.Fill(nonce);
  // Sizes are fixed by the types, so the raw call cannot fail.
  (void)internal::XChaChaSealRaw(key_.Expose(), nonce, plaintext, associated_data,
                                 std::span(out).subspan(kAeadNonceBytes));
  return out;
}

Result<SecretBytes> XChaCha20Poly1305::Open(ByteView sealed, ByteView associated_data) const {
  if (sealed.size() < kAeadNonceBytes + kAeadTagBytes) {
    return Error(Errc::kDecryptFailed, "sealed data shorter than nonce and tag");
  }
  return internal::XChaChaOpenRaw(key_.Expose(), sealed.first(kAeadNonceBytes),
                                  sealed.subspan(kAeadNonceBytes), associated_data);
}

Bytes SealWithSingleUseKey(SecretArray<kAeadKeyBytes> key, AeadNonce nonce, ByteView plaintext,
                           ByteView associated_data) {
  Bytes out(plaintext.size() + kAeadTagBytes);
  (void)internal::XChaChaSealRaw(key.Expose(), nonce, plaintext, associated_data, out);
  return out;  // `key` is wiped by its destructor here
}

Result<SecretBytes> OpenWithSingleUseKey(SecretArray<kAeadKeyBytes> key, AeadNonce nonce,
                                         ByteView ciphertext, ByteView associated_data) {
  return internal::XChaChaOpenRaw(key.Expose(), nonce, ciphertext, associated_data);
}

}  // namespace candor::crypto
