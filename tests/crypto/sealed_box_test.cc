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

}  // namespace
}  // namespace candor::crypto
