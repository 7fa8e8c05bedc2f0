// Franking commitments, relay tags and fingerprints. The frozen values were
// computed independently with Python's hashlib.blake2b from DESIGN.md's
// formulas (script in docs/sessions.md), not by candor.
#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/fingerprint.h"
#include "candor/crypto/franking.h"

namespace candor::crypto {
namespace {

FrankingKey TestFk() {
  FrankingKey fk;
  for (size_t i = 0; i < fk.size(); ++i) fk.Expose()[i] = static_cast<uint8_t>(i);
  return fk;
}

RelayKey TestRelayKey() {
  RelayKey k;
  for (auto& b : k.Expose()) b = 0x5a;
  return k;
}

constexpr uint64_t kTs = 1700000000;

TEST(Franking, CommitmentAndTagMatchIndependentComputation) {
  auto c = ComputeFrankingCommitment(TestFk(), "alice", "bob", AsBytes("hello bob"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(ToHex(*c), "0df2fa4a2331b5c0ad12fdd1fa4006a6ef0f29ba9b5d5de448ff4f08586b3b22");
  auto s = ComputeRelayTag(TestRelayKey(), *c, "alice", "bob", kTs);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(ToHex(*s), "8115f0333c6012ede1bb2b2d80459309edeec8c5db348384682eabd1544d7ddd");
}

TEST(Franking, CommitmentBindsKeyContentAndBothAddresses) {
  const auto fk = TestFk();
  const auto c = *ComputeFrankingCommitment(fk, "alice", "bob", AsBytes("hello bob"));
  EXPECT_TRUE(VerifyFrankingCommitment(fk, "alice", "bob", AsBytes("hello bob"), c).has_value());
  auto mismatch = [&](const FrankingKey& k, std::string_view from, std::string_view to,
                      std::string_view content) {
    auto r = VerifyFrankingCommitment(k, from, to, AsBytes(content), c);
    return !r.has_value() && r.error().code() == Errc::kFrankingMismatch;
  };
  FrankingKey other = TestFk();
  other.Expose()[0] ^= 1;
  EXPECT_TRUE(mismatch(other, "alice", "bob", "hello bob"));
  EXPECT_TRUE(mismatch(fk, "mallory", "bob", "hello bob"));
  EXPECT_TRUE(mismatch(fk, "alice", "carol", "hello bob"));
  EXPECT_TRUE(mismatch(fk, "bob", "alice", "hello bob"));
  EXPECT_TRUE(mismatch(fk, "alice", "bob", "hello bob!"));
  // lp() keeps the split between the two names unambiguous.
  EXPECT_TRUE(mismatch(fk, "alic", "ebob", "hello bob"));
  EXPECT_FALSE(VerifyFrankingCommitment(fk, "alice", "bob", AsBytes("hello bob"),
                                        ByteView(c).first(31))
                   .has_value());
}

TEST(Franking, RelayTagBindsCommitmentAddressesAndTime) {
  const auto key = TestRelayKey();
  const auto c = *ComputeFrankingCommitment(TestFk(), "alice", "bob", AsBytes("x"));
  const auto s = *ComputeRelayTag(key, c, "alice", "bob", kTs);
  EXPECT_TRUE(VerifyRelayTag(key, c, "alice", "bob", kTs, s).has_value());
  EXPECT_FALSE(VerifyRelayTag(key, c, "alice", "bob", kTs + 1, s).has_value());
  EXPECT_FALSE(VerifyRelayTag(key, c, "bob", "alice", kTs, s).has_value());
  auto c2 = c;
  c2[0] ^= 1;
  EXPECT_FALSE(VerifyRelayTag(key, c2, "alice", "bob", kTs, s).has_value());
  RelayKey other = TestRelayKey();
  other.Expose()[3] ^= 1;
  EXPECT_EQ(VerifyRelayTag(other, c, "alice", "bob", kTs, s).error().code(),
            Errc::kFrankingMismatch);
  EXPECT_EQ(ComputeRelayTag(key, ByteView(c).first(16), "alice", "bob", kTs).error().code(),
            Errc::kFrankingMismatch);
}

TEST(Franking, RejectsUnusableAccounts) {
  const auto fk = TestFk();
  EXPECT_EQ(ComputeFrankingCommitment(fk, "", "bob", {}).error().code(), Errc::kInvalidAccount);
  EXPECT_EQ(ComputeFrankingCommitment(fk, "alice", std::string(129, 'b'), {}).error().code(),
            Errc::kInvalidAccount);
  EXPECT_TRUE(ComputeFrankingCommitment(fk, "alice", std::string(128, 'b'), {}).has_value());
}

Ed25519PublicKey FilledKey(uint8_t v) { return *Ed25519PublicKey::FromBytes(Bytes(32, v)); }

TEST(Fingerprint, MatchesIndependentComputationAndIsOrderIndependent) {
  auto ab = ComputeFingerprint("alice", FilledKey(1), "bob", FilledKey(2));
  auto ba = ComputeFingerprint("bob", FilledKey(2), "alice", FilledKey(1));
  ASSERT_TRUE(ab.has_value() && ba.has_value());
  EXPECT_EQ(*ab, "027737845403043158167084915590489258127565512106817388380046");
  EXPECT_EQ(*ab, *ba);
  EXPECT_EQ(ab->size(), kFingerprintDigits);
}

TEST(Fingerprint, ChangesWithAnyKeyOrAccount) {
  const auto base = *ComputeFingerprint("alice", FilledKey(1), "bob", FilledKey(2));
  EXPECT_NE(*ComputeFingerprint("alice", FilledKey(3), "bob", FilledKey(2)), base);
  EXPECT_NE(*ComputeFingerprint("alice", FilledKey(1), "bob", FilledKey(3)), base);
  EXPECT_NE(*ComputeFingerprint("alicf", FilledKey(1), "bob", FilledKey(2)), base);
  EXPECT_EQ(ComputeFingerprint("", FilledKey(1), "bob", FilledKey(2)).error().code(),
            Errc::kInvalidAccount);
}

}  // namespace
}  // namespace candor::crypto
