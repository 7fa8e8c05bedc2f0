// Wycheproof X25519 and Ed25519, every case of every group.
//
// X25519 "acceptable" cases: Wycheproof marks inputs that RFC 7748 allows but
// some protocols refuse. candor's rule, asserted exactly:
//  - the expected shared secret is all zero (low-order public keys,
//    flag ZeroSharedSecret): Dh() must fail with kWeakKey — X3DH and the
//    ratchet must never derive keys from a value an attacker can force;
//  - otherwise (twist points, non-canonical encodings, edge-case scalars):
//    Dh() must succeed and match, as RFC 7748 computes them.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/x25519.h"
#include "support/hex.h"
#include "support/wycheproof.h"

namespace candor::crypto {
namespace {

using testing::Expected;
using testing::WycheproofFile;
using testing::WycheproofTally;

bool AllZero(const Bytes& b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

TEST(Wycheproof, X25519) {
  const auto file = WycheproofFile::Load("x25519_test.json");
  WycheproofTally tally;
  int rejected_as_weak = 0;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      auto priv = SecretArray<32>::CopyFrom(tc.Hex("private"));
      auto pub = X25519PublicKey::FromBytes(tc.Hex("public"));
      ASSERT_TRUE(priv.has_value());
      ASSERT_TRUE(pub.has_value());
      const Bytes expected = tc.Hex("shared");
      auto shared = X25519KeyPair::FromPrivate(std::move(priv).value()).Dh(*pub);

      if (tc.result() == Expected::kInvalid) {
        EXPECT_TRUE(!shared.has_value() ||
                    !std::equal(expected.begin(), expected.end(), shared->Expose().begin()));
      } else if (tc.result() == Expected::kAcceptable && AllZero(expected)) {
        ASSERT_FALSE(shared.has_value());
        EXPECT_EQ(shared.error().code(), Errc::kWeakKey);
        ++rejected_as_weak;
      } else {
        ASSERT_TRUE(shared.has_value()) << shared.error().message();
        EXPECT_TRUE(std::equal(expected.begin(), expected.end(), shared->Expose().begin()));
      }
    }
  }
  file.Report(tally);
  std::printf("[wycheproof] x25519_test.json: %d acceptable low-order cases rejected as weak\n",
              rejected_as_weak);
  EXPECT_GT(rejected_as_weak, 0);
}

TEST(Wycheproof, Ed25519) {
  const auto file = WycheproofFile::Load("ed25519_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    auto pk_bytes = testing::Unhex(group.Object("publicKey").fields().at("pk").string_value());
    auto pk = Ed25519PublicKey::FromBytes(pk_bytes);
    ASSERT_TRUE(pk.has_value());
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      auto verified = pk->Verify(tc.Hex("msg"), tc.Hex("sig"));
      // The file has no "acceptable" Ed25519 cases; treat any as must-verify.
      if (tc.result() == Expected::kInvalid) {
        ASSERT_FALSE(verified.has_value());
        EXPECT_EQ(verified.error().code(), Errc::kBadSignature);
      } else {
        EXPECT_TRUE(verified.has_value());
      }
    }
  }
  file.Report(tally);
}

}  // namespace
}  // namespace candor::crypto
