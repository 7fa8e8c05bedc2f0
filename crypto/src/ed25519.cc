#include "candor/crypto/ed25519.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor::crypto {

using internal::Ptr;

static_assert(crypto_sign_PUBLICKEYBYTES == kEd25519PublicKeyBytes);
static_assert(crypto_sign_SEEDBYTES == kEd25519SeedBytes);
static_assert(crypto_sign_BYTES == kEd25519SignatureBytes);
static_assert(crypto_sign_SECRETKEYBYTES == 64);

Result<Ed25519PublicKey> Ed25519PublicKey::FromBytes(ByteView bytes) {
  CANDOR_ASSIGN_OR_RETURN(auto fixed, ToFixedArray<kEd25519PublicKeyBytes>(bytes, Errc::kInvalidKey, "Ed25519 public key"));
  return Ed25519PublicKey(fixed);
}

Result<void> Ed25519PublicKey::Verify(ByteView message, ByteView signature) const {
  internal::EnsureSodium();
  if (signature.size() != kEd25519SignatureBytes ||
      crypto_sign_verify_detached(signature.data(), Ptr(message), message.size(),
                                  bytes_.data()) != 0) {
    return Error(Errc::kBadSignature, "Ed25519 signature does not verify");
  }
  return Ok();
}

Result<X25519PublicKey> Ed25519PublicKey::ToX25519() const {
  internal::EnsureSodium();
  std::array<uint8_t, kX25519KeyBytes> out;
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), bytes_.data()) != 0) {
    return Error(Errc::kInvalidKey, "Ed25519 public key has no X25519 form");
  }
  return X25519PublicKey::FromBytes(out);
}

Ed25519KeyPair Ed25519KeyPair::Generate(RandomSource& rng) {
  SecretArray<kEd25519SeedBytes> seed;
  rng.Fill(seed.Expose());
  return FromSeed(std::move(seed));
}

Ed25519KeyPair Ed25519KeyPair::FromSeed(SecretArray<kEd25519SeedBytes> seed) {
  internal::EnsureSodium();
  SecretArray<64> sk;
  std::array<uint8_t, kEd25519PublicKeyBytes> pk;
  crypto_sign_seed_keypair(pk.data(), sk.Expose().data(), seed.Expose().data());
  return Ed25519KeyPair(std::move(sk), Ed25519PublicKey(pk));
}

Ed25519KeyPair Ed25519KeyPair::Clone() const {
  return Ed25519KeyPair(secret_key_.Clone(), public_key_);
}

SecretArray<kEd25519SeedBytes> Ed25519KeyPair::Seed() const {
  SecretArray<kEd25519SeedBytes> seed;
  crypto_sign_ed25519_sk_to_seed(seed.Expose().data(), secret_key_.Expose().data());
  return seed;
}

Ed25519Signature Ed25519KeyPair::Sign(ByteView message) const {
  internal::EnsureSodium();
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, Ptr(message), message.size(),
                       secret_key_.Expose().data());
  return sig;
}

X25519KeyPair Ed25519KeyPair::ToX25519() const {
  internal::EnsureSodium();
  SecretArray<kX25519KeyBytes> x_sk;
  crypto_sign_ed25519_sk_to_curve25519(x_sk.Expose().data(), secret_key_.Expose().data());
  return X25519KeyPair::FromPrivate(std::move(x_sk));
}

}  // namespace candor::crypto
