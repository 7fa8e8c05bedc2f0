#include "candor/crypto/sealed_box.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "sodium_support.h"

namespace candor::crypto {

static_assert(crypto_box_SEALBYTES == kSealedBoxOverheadBytes);
static_assert(crypto_box_PUBLICKEYBYTES == kX25519KeyBytes);
static_assert(crypto_box_SECRETKEYBYTES == kX25519KeyBytes);
static_assert(crypto_box_SEALBYTES == crypto_box_PUBLICKEYBYTES + crypto_box_MACBYTES);

Bytes SealedBoxSeal(const X25519PublicKey& recipient, ByteView plaintext) {
  internal::EnsureSodium();
  Bytes out(plaintext.size() + kSealedBoxOverheadBytes);
  crypto_box_seal(out.data(), internal::Ptr(plaintext), plaintext.size(),
                  recipient.bytes().data());
  return out;
}

Result<Bytes> SealedBoxSeal(const X25519PublicKey& recipient, ByteView plaintext,
                            RandomSource& rng) {
  internal::EnsureSodium();
  SecretArray<crypto_box_SEEDBYTES> seed;
  rng.Fill(seed.Expose());
  std::array<uint8_t, crypto_box_PUBLICKEYBYTES> ephemeral_public;
  SecretArray<crypto_box_SECRETKEYBYTES> ephemeral_secret;
  crypto_box_seed_keypair(ephemeral_public.data(), ephemeral_secret.Expose().data(),
                          seed.Expose().data());
  // The nonce crypto_box_seal derives: BLAKE2b-192(epk || pk).
  std::array<uint8_t, crypto_box_NONCEBYTES> nonce;
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, nonce.size());
  crypto_generichash_update(&state, ephemeral_public.data(), ephemeral_public.size());
  crypto_generichash_update(&state, recipient.bytes().data(), recipient.bytes().size());
  crypto_generichash_final(&state, nonce.data(), nonce.size());
  Bytes out(plaintext.size() + kSealedBoxOverheadBytes);
  std::copy(ephemeral_public.begin(), ephemeral_public.end(), out.begin());
  if (crypto_box_easy(out.data() + ephemeral_public.size(), internal::Ptr(plaintext),
                      plaintext.size(), nonce.data(), recipient.bytes().data(),
                      ephemeral_secret.Expose().data()) != 0) {
    return Error(Errc::kWeakKey, "sealed box recipient key is of low order");
  }
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
