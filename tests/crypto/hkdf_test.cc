// HKDF-SHA256: RFC 5869 appendix A, test cases 1-3 (PRK and OKM), and limits.
#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/hkdf.h"
#include "support/hex.h"

namespace candor::crypto {
namespace {

using testing::Unhex;

Bytes Range(uint8_t first, uint8_t last) {
  Bytes out;
  for (int b = first; b <= last; ++b) out.push_back(static_cast<uint8_t>(b));
  return out;
}

struct Rfc5869Case {
  const char* name;
  Bytes ikm, salt, info;
  size_t length;
  const char* prk;
  const char* okm;
};

TEST(HkdfSha256, Rfc5869TestCases1To3) {
  const Rfc5869Case cases[] = {
      {"case 1", Bytes(22, 0x0b), Range(0x00, 0x0c), Range(0xf0, 0xf9), 42,
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
       "34007208d5b887185865"},
      {"case 2", Range(0x00, 0x4f), Range(0x60, 0xaf), Range(0xb0, 0xff), 82,
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
       "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
       "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {"case 3", Bytes(22, 0x0b), {}, {}, 42,
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
       "9d201395faa4b61a96c8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto prk = HkdfSha256Extract(c.salt, c.ikm);
    EXPECT_EQ(ToHex(prk.Expose()), c.prk);
    auto okm = HkdfSha256Expand(prk, c.info, c.length);
    ASSERT_TRUE(okm.has_value());
    EXPECT_EQ(ToHex(okm->Expose()), c.okm);
    auto one_shot = HkdfSha256(c.salt, c.ikm, c.info, c.length);
    ASSERT_TRUE(one_shot.has_value());
    EXPECT_TRUE(*one_shot == *okm);
  }
}

TEST(HkdfSha256, EmptySaltEqualsZeroSalt) {
  const Bytes ikm(22, 0x0b);
  EXPECT_TRUE(HkdfSha256Extract({}, ikm) == HkdfSha256Extract(Bytes(32, 0), ikm));
}

TEST(HkdfSha256, OutputLengthLimits) {
  const auto prk = HkdfSha256Extract({}, Bytes(32, 1));
  auto max = HkdfSha256Expand(prk, {}, 255 * 32);
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->size(), 255u * 32);
  auto over = HkdfSha256Expand(prk, {}, 255 * 32 + 1);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), Errc::kOutputTooLong);
  auto empty = HkdfSha256Expand(prk, {}, 0);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
  // A shorter output is a prefix of a longer one (the RFC's T(1) || T(2) ...).
  auto a = HkdfSha256Expand(prk, AsBytes("x"), 40);
  auto b = HkdfSha256Expand(prk, AsBytes("x"), 96);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_TRUE(std::equal(a->Expose().begin(), a->Expose().end(), b->Expose().begin()));
}

}  // namespace
}  // namespace candor::crypto
