#include "candor/crypto/x25519.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor::crypto {

static_assert(crypto_scalarmult_BYTES == kX25519KeyBytes);
static_assert(crypto_scalarmult_SCALARBYTES == kX25519KeyBytes);

Result<X25519PublicKey> X25519PublicKey::FromBytes(ByteView bytes) {
  CANDOR_ASSIGN_OR_RETURN(auto fixed, ToFixedArray<kX25519KeyBytes>(bytes, Errc::kInvalidKey, "X25519 public key"));
  return X25519PublicKey(fixed);
}

X25519KeyPair X25519KeyPair::Generate(RandomSource& rng) {
  SecretArray<kX25519KeyBytes> sk;
  rng.Fill(sk.Expose());
  return FromPrivate(std::move(sk));
}

X25519KeyPair X25519KeyPair::FromPrivate(SecretArray<kX25519KeyBytes> private_key) {
  internal::EnsureSodium();
  std::array<uint8_t, kX25519KeyBytes> pk;
  // Cannot fail: the base point has prime order, so no clamped scalar maps
  // it to the identity.
  crypto_scalarmult_base(pk.data(), private_key.Expose().data());
  return X25519KeyPair(std::move(private_key), X25519PublicKey(pk));
}

Result<SecretArray<kX25519KeyBytes>> X25519KeyPair::Dh(const X25519PublicKey& peer) const {
  internal::EnsureSodium();
  SecretArray<kX25519KeyBytes> shared;
  if (crypto_scalarmult(shared.Expose().data(), private_key_.Expose().data(),
                        peer.bytes().data()) != 0) {
    return Error(Errc::kWeakKey, "X25519 produced the all-zero shared secret (low-order public key)");
  }
  return shared;
}

}  // namespace candor::crypto
