#include "candor/crypto/pwhash.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor::crypto {

static_assert(crypto_pwhash_SALTBYTES == kArgon2idSaltBytes);
static_assert(kArgon2idMinOpsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kArgon2idMinOpsLimit == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(kArgon2idMinMemLimitBytes == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(kArgon2idDefaultOpsLimit == crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
static_assert(kArgon2idDefaultMemLimitBytes == crypto_pwhash_argon2id_MEMLIMIT_MODERATE);

Argon2idSalt GenerateArgon2idSalt(RandomSource& rng) {
  Argon2idSalt salt;
  rng.Fill(salt);
  return salt;
}

Result<SecretArray<32>> DeriveKeyFromPassphrase(const SecretBytes& passphrase,
                                                const Argon2idSalt& salt,
                                                const Argon2idParams& params) {
  if (passphrase.empty() || passphrase.size() > kMaxPassphraseBytes) {
    return Error(Errc::kInvalidArgument, "passphrase must be 1..1024 bytes");
  }
  if (params.ops_limit < kArgon2idMinOpsLimit || params.ops_limit > kArgon2idMaxOpsLimit ||
      params.mem_limit_bytes < kArgon2idMinMemLimitBytes ||
      params.mem_limit_bytes > kArgon2idMaxMemLimitBytes) {
    return Error(Errc::kInvalidArgument,
                 "Argon2id parameters outside candor's limits (ops 2..16, memory 64 MiB..1 GiB)");
  }
  internal::EnsureSodium();
  SecretArray<32> key;
  const auto* pw = reinterpret_cast<const char*>(passphrase.Expose().data());
  if (crypto_pwhash(key.Expose().data(), key.size(), pw, passphrase.size(), salt.data(),
                    params.ops_limit, params.mem_limit_bytes,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // Inputs are in range, so the only failure left is the memory allocation.
    return Error(Errc::kOutOfMemory, "Argon2id could not allocate its memory");
  }
  return key;
}

}  // namespace candor::crypto
