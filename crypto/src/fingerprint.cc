#include "candor/crypto/fingerprint.h"

#include <algorithm>
#include <cstdio>

#include "candor/crypto/franking.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kLabel = "candor/fingerprint/v1";

Result<std::string> PartyDigits(std::string_view account, const Ed25519PublicKey& ik) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(account));
  ByteWriter first;
  first.PutBytes(AsBytes(kLabel));
  (void)first.PutLengthPrefixed(AsBytes(account));  // bounded by CheckAccount
  first.PutBytes(ik.bytes());
  Bytes h = first.bytes();
  for (uint32_t i = 0; i < kFingerprintIterations; ++i) {
    CANDOR_ASSIGN_OR_RETURN(Blake2b hasher, Blake2b::Create(64));
    hasher.Update(h);
    if (i > 0) hasher.Update(ik.bytes());
    h = hasher.Final();
  }
  std::string digits;
  for (size_t chunk = 0; chunk < 6; ++chunk) {
    uint64_t v = 0;
    for (size_t j = 0; j < 5; ++j) v = (v << 8) | h[chunk * 5 + j];
    char buf[6];
    std::snprintf(buf, sizeof buf, "%05u", static_cast<unsigned>(v % 100000));
    digits += buf;
  }
  return digits;
}

}  // namespace

Result<std::string> ComputeIdentityFingerprint(std::string_view account,
                                               const Ed25519PublicKey& identity) {
  return PartyDigits(account, identity);
}

Result<std::string> ComputeFingerprint(std::string_view account_a,
                                       const Ed25519PublicKey& identity_a,
                                       std::string_view account_b,
                                       const Ed25519PublicKey& identity_b) {
  CANDOR_ASSIGN_OR_RETURN(std::string a, PartyDigits(account_a, identity_a));
  CANDOR_ASSIGN_OR_RETURN(std::string b, PartyDigits(account_b, identity_b));
  if (b < a) std::swap(a, b);
  return a + b;
}

}  // namespace candor::crypto
