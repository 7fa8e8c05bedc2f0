#include <gtest/gtest.h>

#include "candor/crypto/sealed_box.h"

namespace candor::crypto {
namespace {

TEST(SealedBox, OpensOnlyForTheRecipient) {
  InsecureDeterministicRandom rng(10);
  auto moderator = X25519KeyPair::Generate(rng);
  auto someone_else = X25519KeyPair::Generate(rng);
  const Bytes sealed = SealedBoxSeal(moderator.public_key(), AsBytes("report"));
  EXPECT_EQ(sealed.size(), 6 + kSealedBoxOverheadBytes);
  auto opened = SealedBoxOpen(moderator, sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(std::equal(opened->Expose().begin(), opened->Expose().end(),
                         AsBytes("report").begin(), AsBytes("report").end()));
  EXPECT_EQ(SealedBoxOpen(someone_else, sealed).error().code(), Errc::kDecryptFailed);
  // A fresh ephemeral key every time.
  EXPECT_NE(SealedBoxSeal(moderator.public_key(), AsBytes("report")), sealed);
}

TEST(SealedBox, RejectsTamperingAndShortInput) {
  InsecureDeterministicRandom rng(11);
  auto moderator = X25519KeyPair::Generate(rng);
  const Bytes sealed = SealedBoxSeal(moderator.public_key(), AsBytes("r"));
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x10;
    EXPECT_FALSE(SealedBoxOpen(moderator, bad).has_value()) << i;
  }
  for (size_t n = 0; n < kSealedBoxOverheadBytes; ++n) {
    EXPECT_EQ(SealedBoxOpen(moderator, ByteView(sealed).first(n)).error().code(),
              Errc::kDecryptFailed);
  }
  // An empty plaintext is legal and round-trips.
  auto empty = SealedBoxOpen(moderator, SealedBoxSeal(moderator.public_key(), {}));
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

// The RandomSource form builds crypto_box_seal's format itself: libsodium's
// own crypto_box_seal_open must open it, and the same seed must give the same
// bytes (vectors), another seed other bytes.
TEST(SealedBox, TheSeededFormIsCryptoBoxSealsFormat) {
  InsecureDeterministicRandom keys(12);
  auto recipient = X25519KeyPair::Generate(keys);
  InsecureDeterministicRandom a(1), b(1), c(2);
  auto sealed = SealedBoxSeal(recipient.public_key(), AsBytes("sealed sender"), a);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->size(), 13 + kSealedBoxOverheadBytes);
  auto opened = SealedBoxOpen(recipient, *sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(Bytes(opened->Expose().begin(), opened->Expose().end()),
            Bytes(AsBytes("sealed sender").begin(), AsBytes("sealed sender").end()));
  EXPECT_EQ(*SealedBoxSeal(recipient.public_key(), AsBytes("sealed sender"), b), *sealed);
  EXPECT_NE(*SealedBoxSeal(recipient.public_key(), AsBytes("sealed sender"), c), *sealed);
  for (size_t i = 0; i < sealed->size(); ++i) {
    Bytes bad = *sealed;
    bad[i] ^= 0x01;
    EXPECT_EQ(SealedBoxOpen(recipient, bad).error().code(), Errc::kDecryptFailed) << i;
  }
}

TEST(SealedBox, TheSeededFormRefusesALowOrderKey) {
  InsecureDeterministicRandom rng(13);
  auto zero = X25519PublicKey::FromBytes(Bytes(32, 0));
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(SealedBoxSeal(*zero, AsBytes("x"), rng).error().code(), Errc::kWeakKey);
}

}  // namespace
}  // namespace candor::crypto
