// Ed25519 signatures (libsodium crypto_sign) and conversion of Ed25519 keys
// to their X25519 form, which X3DH uses for the identity key's DH.
#ifndef CANDOR_CRYPTO_ED25519_H_
#define CANDOR_CRYPTO_ED25519_H_

#include <array>
#include <cstdint>

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/x25519.h"

namespace candor::crypto {

inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SeedBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;

using Ed25519Signature = std::array<uint8_t, kEd25519SignatureBytes>;

class Ed25519PublicKey {
 public:
  // Checks the length; point validity is checked by Verify and ToX25519.
  static Result<Ed25519PublicKey> FromBytes(ByteView bytes);

  // kBadSignature unless `signature` is a 64-byte valid signature of
  // `message`. libsodium 1.0.18 rejects non-canonical S, small-order R and
  // small-order or non-canonical public keys.
  Result<void> Verify(ByteView message, ByteView signature) const;

  // The birationally equivalent X25519 public key; kInvalidKey for points
  // that have none (e.g. small order).
  Result<X25519PublicKey> ToX25519() const;

  const std::array<uint8_t, kEd25519PublicKeyBytes>& bytes() const { return bytes_; }
  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;

 private:
  explicit Ed25519PublicKey(const std::array<uint8_t, kEd25519PublicKeyBytes>& b)
      : bytes_(b) {}
  friend class Ed25519KeyPair;
  std::array<uint8_t, kEd25519PublicKeyBytes> bytes_;
};

class Ed25519KeyPair {
 public:
  static Ed25519KeyPair Generate(RandomSource& rng);
  // The 32-byte seed is the whole private key (RFC 8032).
  static Ed25519KeyPair FromSeed(SecretArray<kEd25519SeedBytes> seed);

  Ed25519KeyPair(Ed25519KeyPair&&) noexcept = default;
  Ed25519KeyPair& operator=(Ed25519KeyPair&&) noexcept = default;
  Ed25519KeyPair Clone() const;

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // The seed, for serialising the key into local-only state.
  SecretArray<kEd25519SeedBytes> Seed() const;

  Ed25519Signature Sign(ByteView message) const;
  // The X25519 key pair with the same secret (crypto_sign_ed25519_sk_to_curve25519).
  X25519KeyPair ToX25519() const;

 private:
  Ed25519KeyPair(SecretArray<64> sk, Ed25519PublicKey pk)
      : secret_key_(std::move(sk)), public_key_(pk) {}

  SecretArray<64> secret_key_;  // libsodium layout: seed || public key
  Ed25519PublicKey public_key_;
};

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_ED25519_H_
