// Passphrase stretching with Argon2id (libsodium crypto_pwhash,
// ALG_ARGON2ID13) into a 32-byte key, e.g. for the SQLCipher store.
// Limits are explicit and bounded (candor/crypto/limits.h): parameters below
// libsodium's INTERACTIVE profile or above the ceilings are refused.
#ifndef CANDOR_CRYPTO_PWHASH_H_
#define CANDOR_CRYPTO_PWHASH_H_

#include <array>
#include <cstdint>

#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

struct Argon2idParams {
  uint64_t ops_limit = kArgon2idDefaultOpsLimit;
  size_t mem_limit_bytes = kArgon2idDefaultMemLimitBytes;
};

using Argon2idSalt = std::array<uint8_t, kArgon2idSaltBytes>;

Argon2idSalt GenerateArgon2idSalt(RandomSource& rng);

// kInvalidArgument for an empty or over-long passphrase (> kMaxPassphraseBytes)
// or parameters outside the limits; kOutOfMemory when Argon2 cannot allocate.
Result<SecretArray<32>> DeriveKeyFromPassphrase(const SecretBytes& passphrase,
                                                const Argon2idSalt& salt,
                                                const Argon2idParams& params);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_PWHASH_H_
