// Safety numbers: a 60-digit string two users compare to check that they hold
// each other's real identity keys. Format (also in docs/sessions.md):
//   per party: h0 = BLAKE2b-512("candor/fingerprint/v1" || lp(account) || IK)
//              h(i+1) = BLAKE2b-512(h(i) || IK), kFingerprintIterations - 1 times
//              the first 30 bytes, as six 5-byte big-endian numbers, each mod 100000
//              and written as 5 decimal digits -> 30 digits
//   pair:      the two 30-digit strings sorted, then concatenated -> 60 digits
// Sorting makes it order-independent: both users see the same number.
#ifndef CANDOR_CRYPTO_FINGERPRINT_H_
#define CANDOR_CRYPTO_FINGERPRINT_H_

#include <string>
#include <string_view>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/result.h"

namespace candor::crypto {

inline constexpr size_t kFingerprintDigits = 60;

// kInvalidAccount for an unusable account name.
Result<std::string> ComputeFingerprint(std::string_view account_a,
                                       const Ed25519PublicKey& identity_a,
                                       std::string_view account_b,
                                       const Ed25519PublicKey& identity_b);

// One party's 30-digit half, e.g. to show a device its own number right
// after it was created (the pair's number is the two halves sorted).
Result<std::string> ComputeIdentityFingerprint(std::string_view account,
                                               const Ed25519PublicKey& identity);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_FINGERPRINT_H_
