#include "candor/crypto/mlkem.h"

#include <cstdlib>
#include <cstring>

#include "candor/crypto/errc.h"

// Link-time check: PQClean's randomized entry points draw from its own
// randombytes, which candor never uses. Renamed here to functions that do
// not exist, any call to them from this file fails to link.
#define PQCLEAN_MLKEM768_CLEAN_crypto_kem_keypair candor_never_call_pqclean_keypair
#define PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc candor_never_call_pqclean_enc
extern "C" {
#include "common/fips202.h"
#include "crypto_kem/ml-kem-768/clean/kem.h"
}
#undef PQCLEAN_MLKEM768_CLEAN_crypto_kem_keypair
#undef PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc

static_assert(candor::crypto::kMlKem768EncapsulationKeyBytes ==
              PQCLEAN_MLKEM768_CLEAN_CRYPTO_PUBLICKEYBYTES);
static_assert(candor::crypto::kMlKem768DecapsulationKeyBytes ==
              PQCLEAN_MLKEM768_CLEAN_CRYPTO_SECRETKEYBYTES);
static_assert(candor::crypto::kMlKem768CiphertextBytes ==
              PQCLEAN_MLKEM768_CLEAN_CRYPTO_CIPHERTEXTBYTES);
static_assert(candor::crypto::kMlKemSharedSecretBytes == PQCLEAN_MLKEM768_CLEAN_CRYPTO_BYTES);

// kem.c holds PQClean's randomized entry points beside the _derand ones and
// so refers to randombytes; common/randombytes.c is not compiled. This
// definition satisfies the linker and stops the process if it is ever
// reached.
extern "C" int PQCLEAN_randombytes(uint8_t*, size_t) { std::abort(); }

namespace candor::crypto {
namespace {

constexpr uint16_t kQ = 3329;
// ek = ByteEncode12(t) (3 * 256 coefficients of 12 bits) || rho (32 bytes).
constexpr size_t kEncodedVectorBytes = kMlKem768EncapsulationKeyBytes - 32;
// dk = dk_PKE || ek || H(ek) || z.
constexpr size_t kDkPkeBytes = 1152;
constexpr size_t kEkOffset = kDkPkeBytes;
constexpr size_t kHashOffset = kEkOffset + kMlKem768EncapsulationKeyBytes;

// FIPS 203 7.2: decoding then re-encoding the 12-bit coefficients gives the
// same bytes, i.e. none is >= q.
bool PassesModulusCheck(ByteView ek) {
  for (size_t i = 0; i + 3 <= kEncodedVectorBytes; i += 3) {
    const uint16_t a = static_cast<uint16_t>(ek[i] | ((ek[i + 1] & 0x0f) << 8));
    const uint16_t b = static_cast<uint16_t>((ek[i + 1] >> 4) | (ek[i + 2] << 4));
    if (a >= kQ || b >= kQ) return false;
  }
  return true;
}

}  // namespace

Result<MlKem768PublicKey> MlKem768PublicKey::FromBytes(ByteView bytes) {
  if (bytes.size() != kMlKem768EncapsulationKeyBytes) {
    return Error(Errc::kInvalidKey, "ML-KEM-768 encapsulation key must be 1184 bytes");
  }
  if (!PassesModulusCheck(bytes)) {
    return Error(Errc::kInvalidKey, "ML-KEM-768 encapsulation key fails the modulus check");
  }
  return MlKem768PublicKey(Bytes(bytes.begin(), bytes.end()));
}

MlKemEncapsulation MlKem768EncapsulateWith(
    const MlKem768PublicKey& key, const SecretArray<kMlKemEncapsulationRandomBytes>& m) {
  MlKemEncapsulation out{Bytes(kMlKem768CiphertextBytes), {}};
  PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc_derand(out.ciphertext.data(),
                                                out.shared_secret.Expose().data(),
                                                key.bytes().data(), m.Expose().data());
  return out;
}

MlKemEncapsulation MlKem768Encapsulate(const MlKem768PublicKey& key, RandomSource& rng) {
  SecretArray<kMlKemEncapsulationRandomBytes> m;
  rng.Fill(m.Expose());
  return MlKem768EncapsulateWith(key, m);
}

MlKem768KeyPair MlKem768KeyPair::FromSeed(const SecretArray<kMlKemSeedBytes>& seed) {
  SecretArray<kMlKem768DecapsulationKeyBytes> dk;
  Bytes ek(kMlKem768EncapsulationKeyBytes);
  PQCLEAN_MLKEM768_CLEAN_crypto_kem_keypair_derand(ek.data(), dk.Expose().data(),
                                                    seed.Expose().data());
  return MlKem768KeyPair(std::move(dk), MlKem768PublicKey(std::move(ek)));
}

MlKem768KeyPair MlKem768KeyPair::Generate(RandomSource& rng) {
  SecretArray<kMlKemSeedBytes> seed;
  rng.Fill(seed.Expose());
  return FromSeed(seed);
}

Result<MlKem768KeyPair> MlKem768KeyPair::FromDecapsulationKey(ByteView dk) {
  if (dk.size() != kMlKem768DecapsulationKeyBytes) {
    return Error(Errc::kInvalidKey, "ML-KEM-768 decapsulation key must be 2400 bytes");
  }
  const ByteView ek = dk.subspan(kEkOffset, kMlKem768EncapsulationKeyBytes);
  uint8_t hash[32];
  sha3_256(hash, ek.data(), ek.size());
  if (!candor::internal::ConstantTimeEqual(hash, dk.data() + kHashOffset, sizeof hash)) {
    return Error(Errc::kInvalidKey, "ML-KEM-768 decapsulation key fails its hash check");
  }
  CANDOR_ASSIGN_OR_RETURN(MlKem768PublicKey public_key, MlKem768PublicKey::FromBytes(ek));
  CANDOR_ASSIGN_OR_RETURN(auto secret, SecretArray<kMlKem768DecapsulationKeyBytes>::CopyFrom(dk));
  return MlKem768KeyPair(std::move(secret), std::move(public_key));
}

Result<SecretArray<kMlKemSharedSecretBytes>> MlKem768KeyPair::Decapsulate(
    ByteView ciphertext) const {
  if (ciphertext.size() != kMlKem768CiphertextBytes) {
    return Error(Errc::kInvalidArgument, "ML-KEM-768 ciphertext must be 1088 bytes");
  }
  SecretArray<kMlKemSharedSecretBytes> ss;
  PQCLEAN_MLKEM768_CLEAN_crypto_kem_dec(ss.Expose().data(), ciphertext.data(), dk_.Expose().data());
  return ss;
}

}  // namespace candor::crypto
