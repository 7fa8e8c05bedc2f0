// XChaCha20-Poly1305 as candor uses it: random-nonce objects and single-use keys.
#include <gtest/gtest.h>

#include "candor/crypto/aead.h"

namespace candor::crypto {
namespace {

SecretArray<32> TestKey(uint8_t fill) {
  SecretArray<32> key;
  for (auto& b : key.Expose()) b = fill;
  return key;
}

bool SameBytes(const SecretBytes& a, ByteView b) {
  return std::equal(a.Expose().begin(), a.Expose().end(), b.begin(), b.end());
}

TEST(XChaCha20Poly1305, RoundTripWithFreshNonces) {
  InsecureDeterministicRandom rng(1);
  const XChaCha20Poly1305 aead(TestKey(1));
  const ByteView msg = AsBytes("hello, header");
  const Bytes a = aead.Seal(msg, AsBytes("ad"), rng);
  const Bytes b = aead.Seal(msg, AsBytes("ad"), rng);
  EXPECT_EQ(a.size(), XChaCha20Poly1305::SealedSize(msg.size()));
  EXPECT_NE(a, b) << "two seals of the same message must use different nonces";
  auto opened = aead.Open(a, AsBytes("ad"));
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(SameBytes(*opened, msg));
}

TEST(XChaCha20Poly1305, RejectsEveryTamperedByteWrongAdWrongKeyAndShortInput) {
  InsecureDeterministicRandom rng(2);
  const XChaCha20Poly1305 aead(TestKey(1));
  const Bytes sealed = aead.Seal(AsBytes("payload"), AsBytes("ad"), rng);
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x01;
    auto r = aead.Open(bad, AsBytes("ad"));
    ASSERT_FALSE(r.has_value()) << "flip at byte " << i;
    EXPECT_EQ(r.error().code(), Errc::kDecryptFailed);
  }
  EXPECT_FALSE(aead.Open(sealed, AsBytes("AD")).has_value());
  EXPECT_FALSE(XChaCha20Poly1305(TestKey(2)).Open(sealed, AsBytes("ad")).has_value());
  for (size_t n = 0; n < kAeadNonceBytes + kAeadTagBytes; ++n) {
    auto r = aead.Open(ByteView(sealed).first(n), AsBytes("ad"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), Errc::kDecryptFailed);
  }
}

TEST(XChaCha20Poly1305, CreateChecksKeyLength) {
  EXPECT_EQ(XChaCha20Poly1305::Create(SecretBytes(31)).error().code(), Errc::kInvalidKey);
  EXPECT_EQ(XChaCha20Poly1305::Create(SecretBytes(33)).error().code(), Errc::kInvalidKey);
  EXPECT_TRUE(XChaCha20Poly1305::Create(SecretBytes(32)).has_value());
}

TEST(SingleUseKey, RoundTripAndKeyIsConsumed) {
  SecretArray<32> key = TestKey(9);
  SecretArray<32> copy = key.Clone();
  std::array<uint8_t, kAeadNonceBytes> nonce{};
  nonce[0] = 7;
  const Bytes ct = SealWithSingleUseKey(std::move(key), nonce, AsBytes("msg"), AsBytes("ad"));
  EXPECT_EQ(ct.size(), 3 + kAeadTagBytes);
  EXPECT_TRUE(key == SecretArray<32>()) << "moved-in key must be wiped";  // NOLINT(bugprone-use-after-move)
  auto pt = OpenWithSingleUseKey(copy.Clone(), nonce, ct, AsBytes("ad"));
  ASSERT_TRUE(pt.has_value());
  EXPECT_TRUE(SameBytes(*pt, AsBytes("msg")));
  Bytes bad = ct;
  bad.back() ^= 0x80;
  EXPECT_EQ(OpenWithSingleUseKey(copy.Clone(), nonce, bad, AsBytes("ad")).error().code(),
            Errc::kDecryptFailed);
  EXPECT_FALSE(OpenWithSingleUseKey(copy.Clone(), nonce, ct, AsBytes("da")).has_value());
  std::array<uint8_t, kAeadNonceBytes> other = nonce;
  other[23] ^= 1;
  EXPECT_FALSE(OpenWithSingleUseKey(copy.Clone(), other, ct, AsBytes("ad")).has_value());
  EXPECT_FALSE(OpenWithSingleUseKey(std::move(copy), nonce, ByteView(ct).first(15), {}).has_value());
}

// One key, two nonces: the keystreams differ, which is what keeps a
// re-derived ratchet message key from leaking the XOR of two plaintexts.
TEST(SingleUseKey, SameKeyDifferentNoncesGiveIndependentKeystreams) {
  const std::array<uint8_t, 32> zeros{};
  std::array<uint8_t, kAeadNonceBytes> n1{}, n2{};
  n2[0] = 1;
  const Bytes c1 = SealWithSingleUseKey(TestKey(3), n1, zeros, {});
  const Bytes c2 = SealWithSingleUseKey(TestKey(3), n2, zeros, {});
  // Encrypting zeros exposes the keystream itself.
  EXPECT_FALSE(std::equal(c1.begin(), c1.begin() + 32, c2.begin()));
}

}  // namespace
}  // namespace candor::crypto
