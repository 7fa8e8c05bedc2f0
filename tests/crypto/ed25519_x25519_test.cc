// Key agreement and signatures beyond the Wycheproof tables: agreement between
// two parties, low-order/zero keys, and the Ed25519 -> X25519 conversion X3DH
// relies on.
#include <gtest/gtest.h>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/x25519.h"

namespace candor::crypto {
namespace {

TEST(X25519, BothSidesAgree) {
  InsecureDeterministicRandom rng(3);
  auto a = X25519KeyPair::Generate(rng);
  auto b = X25519KeyPair::Generate(rng);
  EXPECT_NE(a.public_key(), b.public_key());
  auto ab = a.Dh(b.public_key());
  auto ba = b.Dh(a.public_key());
  ASSERT_TRUE(ab.has_value() && ba.has_value());
  EXPECT_TRUE(*ab == *ba);
}

TEST(X25519, ZeroAndLowOrderPublicKeysAreRejected) {
  InsecureDeterministicRandom rng(4);
  auto a = X25519KeyPair::Generate(rng);
  // 0 and 1 are low-order points (order 4 and 1); so is p-1 = 2^255-20.
  Bytes zero(32, 0), one(32, 0), minus_one(32, 0xff);
  one[0] = 1;
  minus_one[0] = 0xec;
  minus_one[31] = 0x7f;
  for (const Bytes& bad : {zero, one, minus_one}) {
    auto pk = X25519PublicKey::FromBytes(bad);
    ASSERT_TRUE(pk.has_value());
    auto r = a.Dh(*pk);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), Errc::kWeakKey);
  }
}

TEST(X25519, PublicKeyLengthChecked) {
  EXPECT_EQ(X25519PublicKey::FromBytes(Bytes(31)).error().code(), Errc::kInvalidKey);
  EXPECT_EQ(X25519PublicKey::FromBytes(Bytes(33)).error().code(), Errc::kInvalidKey);
}

TEST(X25519, FromPrivateIsDeterministicAndCloneMatches) {
  InsecureDeterministicRandom rng(5);
  auto a = X25519KeyPair::Generate(rng);
  auto again = X25519KeyPair::FromPrivate(a.private_key().Clone());
  EXPECT_EQ(again.public_key(), a.public_key());
  EXPECT_EQ(a.Clone().public_key(), a.public_key());
}

TEST(Ed25519, SignVerifyAndRejectTampering) {
  InsecureDeterministicRandom rng(6);
  auto key = Ed25519KeyPair::Generate(rng);
  const auto sig = key.Sign(AsBytes("candor/spk/v1"));
  EXPECT_TRUE(key.public_key().Verify(AsBytes("candor/spk/v1"), sig).has_value());
  EXPECT_EQ(key.public_key().Verify(AsBytes("candor/spk/v2"), sig).error().code(),
            Errc::kBadSignature);
  for (size_t i = 0; i < sig.size(); ++i) {
    auto bad = sig;
    bad[i] ^= 0x04;
    EXPECT_FALSE(key.public_key().Verify(AsBytes("candor/spk/v1"), bad).has_value()) << i;
  }
  EXPECT_FALSE(key.public_key().Verify(AsBytes("candor/spk/v1"), ByteView(sig).first(63)).has_value());
  auto other = Ed25519KeyPair::Generate(rng);
  EXPECT_FALSE(other.public_key().Verify(AsBytes("candor/spk/v1"), sig).has_value());
}

TEST(Ed25519, SeedRoundTripsAndSigningIsDeterministic) {
  InsecureDeterministicRandom rng(7);
  auto key = Ed25519KeyPair::Generate(rng);
  auto restored = Ed25519KeyPair::FromSeed(key.Seed());
  EXPECT_EQ(restored.public_key(), key.public_key());
  EXPECT_EQ(restored.Sign(AsBytes("m")), key.Sign(AsBytes("m")));
  EXPECT_EQ(key.Clone().public_key(), key.public_key());
}

TEST(Ed25519, ConversionToX25519AgreesAcrossParties) {
  InsecureDeterministicRandom rng(8);
  auto alice = Ed25519KeyPair::Generate(rng);
  auto bob = X25519KeyPair::Generate(rng);
  // Alice's converted secret with Bob's key == Bob with Alice's converted public key.
  auto alice_pub_x = alice.public_key().ToX25519();
  ASSERT_TRUE(alice_pub_x.has_value());
  EXPECT_EQ(*alice_pub_x, alice.ToX25519().public_key());
  auto s1 = alice.ToX25519().Dh(bob.public_key());
  auto s2 = bob.Dh(*alice_pub_x);
  ASSERT_TRUE(s1.has_value() && s2.has_value());
  EXPECT_TRUE(*s1 == *s2);
}

TEST(Ed25519, ConversionRejectsSmallOrderKey) {
  // The Edwards identity (0, 1): small order, has no safe X25519 form.
  Bytes identity(32, 0);
  identity[0] = 1;
  auto pk = Ed25519PublicKey::FromBytes(identity);
  ASSERT_TRUE(pk.has_value());
  EXPECT_EQ(pk->ToX25519().error().code(), Errc::kInvalidKey);
  EXPECT_EQ(Ed25519PublicKey::FromBytes(Bytes(31)).error().code(), Errc::kInvalidKey);
}

}  // namespace
}  // namespace candor::crypto
