// ML-KEM-768 (FIPS 203) key encapsulation, from PQClean's clean
// implementation (third_party/pqclean). For PQXDH (DESIGN.md): the
// randomness always comes from candor's RandomSource, through PQClean's
// deterministic entry points, so tests and fuzzers repeat.
//
// ML-KEM has implicit rejection: any ciphertext of the right length
// decapsulates, a tampered one to a pseudorandom "rejection" key that the
// sender cannot know. What is refused up front: wrong lengths, an
// encapsulation key failing FIPS 203's modulus check (7.2), and a
// decapsulation key whose embedded hash of its encapsulation key does not
// match (7.3) — checked once, when a key is loaded, not per decapsulation.
#ifndef CANDOR_CRYPTO_MLKEM_H_
#define CANDOR_CRYPTO_MLKEM_H_

#include <cstdint>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kMlKem768EncapsulationKeyBytes = 1184;
inline constexpr size_t kMlKem768DecapsulationKeyBytes = 2400;
inline constexpr size_t kMlKem768CiphertextBytes = 1088;
inline constexpr size_t kMlKemSharedSecretBytes = 32;
// d || z (FIPS 203 ML-KEM.KeyGen_internal), the 64-byte seed of a key pair.
inline constexpr size_t kMlKemSeedBytes = 64;
// m, the 32 random bytes of one encapsulation.
inline constexpr size_t kMlKemEncapsulationRandomBytes = 32;

class MlKem768PublicKey {
 public:
  // Length and the modulus check: every 12-bit coefficient below q = 3329
  // (kInvalidKey otherwise).
  static Result<MlKem768PublicKey> FromBytes(ByteView bytes);

  ByteView bytes() const { return bytes_; }
  friend bool operator==(const MlKem768PublicKey&, const MlKem768PublicKey&) = default;

 private:
  explicit MlKem768PublicKey(Bytes b) : bytes_(std::move(b)) {}
  friend class MlKem768KeyPair;
  Bytes bytes_;
};

struct MlKemEncapsulation {
  Bytes ciphertext;                                  // kMlKem768CiphertextBytes
  SecretArray<kMlKemSharedSecretBytes> shared_secret;
};

// A fresh shared secret for the holder of `key`'s decapsulation key.
MlKemEncapsulation MlKem768Encapsulate(const MlKem768PublicKey& key, RandomSource& rng);
// The same with the encapsulation's randomness given (known-answer tests).
MlKemEncapsulation MlKem768EncapsulateWith(
    const MlKem768PublicKey& key, const SecretArray<kMlKemEncapsulationRandomBytes>& m);

class MlKem768KeyPair {
 public:
  static MlKem768KeyPair Generate(RandomSource& rng);
  // FIPS 203 key generation from d || z.
  static MlKem768KeyPair FromSeed(const SecretArray<kMlKemSeedBytes>& seed);
  // A stored decapsulation key (dk = dk_PKE || ek || H(ek) || z): length,
  // the hash check and the modulus check of the ek inside it. kInvalidKey
  // when any fails.
  static Result<MlKem768KeyPair> FromDecapsulationKey(ByteView dk);

  MlKem768KeyPair(MlKem768KeyPair&&) noexcept = default;
  MlKem768KeyPair& operator=(MlKem768KeyPair&&) noexcept = default;

  const MlKem768PublicKey& public_key() const { return public_key_; }
  const SecretArray<kMlKem768DecapsulationKeyBytes>& decapsulation_key() const { return dk_; }

  // kInvalidArgument for a ciphertext of the wrong length; any other
  // ciphertext gives a shared secret (the rejection key if it was tampered).
  Result<SecretArray<kMlKemSharedSecretBytes>> Decapsulate(ByteView ciphertext) const;

 private:
  MlKem768KeyPair(SecretArray<kMlKem768DecapsulationKeyBytes> dk, MlKem768PublicKey pk)
      : dk_(std::move(dk)), public_key_(std::move(pk)) {}
  SecretArray<kMlKem768DecapsulationKeyBytes> dk_;
  MlKem768PublicKey public_key_;
};

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_MLKEM_H_
