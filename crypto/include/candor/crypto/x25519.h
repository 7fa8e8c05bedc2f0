// X25519 (RFC 7748) key pairs and Diffie-Hellman.
#ifndef CANDOR_CRYPTO_X25519_H_
#define CANDOR_CRYPTO_X25519_H_

#include <array>
#include <cstdint>

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kX25519KeyBytes = 32;

class X25519PublicKey {
 public:
  // Checks the length only. Low-order points are caught where they matter:
  // Dh() refuses the all-zero shared secret they produce.
  static Result<X25519PublicKey> FromBytes(ByteView bytes);

  const std::array<uint8_t, kX25519KeyBytes>& bytes() const { return bytes_; }
  friend bool operator==(const X25519PublicKey&, const X25519PublicKey&) = default;

 private:
  explicit X25519PublicKey(const std::array<uint8_t, kX25519KeyBytes>& b) : bytes_(b) {}
  friend class X25519KeyPair;
  std::array<uint8_t, kX25519KeyBytes> bytes_;
};

class X25519KeyPair {
 public:
  static X25519KeyPair Generate(RandomSource& rng);
  // Any 32 bytes are a valid private scalar (X25519 clamps them).
  static X25519KeyPair FromPrivate(SecretArray<kX25519KeyBytes> private_key);

  X25519KeyPair(X25519KeyPair&&) noexcept = default;
  X25519KeyPair& operator=(X25519KeyPair&&) noexcept = default;
  // Copies both halves; no scalar multiplication.
  X25519KeyPair Clone() const { return X25519KeyPair(private_key_.Clone(), public_key_); }
  // Restores a pair that candor itself stored (local session state), without
  // recomputing the public key: that costs a scalar multiplication (~25 us),
  // which would dominate loading a session. The caller vouches that the two
  // halves belong together; never use it for keys from outside.
  static X25519KeyPair FromTrustedParts(SecretArray<kX25519KeyBytes> private_key,
                                        const X25519PublicKey& public_key) {
    return X25519KeyPair(std::move(private_key), public_key);
  }

  const X25519PublicKey& public_key() const { return public_key_; }
  const SecretArray<kX25519KeyBytes>& private_key() const { return private_key_; }

  // X25519(private, peer). Fails with kWeakKey when the result is all zero,
  // i.e. the peer sent a low-order point (libsodium's crypto_scalarmult -1).
  Result<SecretArray<kX25519KeyBytes>> Dh(const X25519PublicKey& peer) const;

 private:
  X25519KeyPair(SecretArray<kX25519KeyBytes> sk, X25519PublicKey pk)
      : private_key_(std::move(sk)), public_key_(pk) {}

  SecretArray<kX25519KeyBytes> private_key_;
  X25519PublicKey public_key_;
};

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_X25519_H_
