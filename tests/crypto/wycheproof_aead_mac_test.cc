// Wycheproof XChaCha20-Poly1305 and HMAC-SHA256/512, every case of every group.
//
// HMAC groups with truncated tags (tagSize < hash size): candor never
// truncates, so its Verify* functions refuse any tag that is not full length.
// For those groups the test checks that the computed tag's prefix matches
// (valid) or does not (invalid), and that Verify* refuses the short tag.
#include <gtest/gtest.h>

#include <algorithm>

#include "aead_raw.h"
#include "candor/crypto/mac.h"
#include "support/wycheproof.h"

namespace candor::crypto {
namespace {

using testing::Expected;
using testing::WycheproofFile;
using testing::WycheproofTally;

TEST(Wycheproof, XChaCha20Poly1305) {
  const auto file = WycheproofFile::Load("xchacha20_poly1305_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      const Bytes key = tc.Hex("key"), nonce = tc.Hex("iv"), aad = tc.Hex("aad");
      const Bytes msg = tc.Hex("msg");
      Bytes ct_tag = tc.Hex("ct");
      const Bytes tag = tc.Hex("tag");
      ct_tag.insert(ct_tag.end(), tag.begin(), tag.end());

      auto opened = internal::XChaChaOpenRaw(key, nonce, ct_tag, aad);
      Bytes sealed(msg.size() + tag.size());
      auto sealed_ok = internal::XChaChaSealRaw(key, nonce, msg, aad, sealed);
      if (tc.result() == Expected::kValid) {
        ASSERT_TRUE(opened.has_value());
        EXPECT_TRUE(std::equal(msg.begin(), msg.end(), opened->Expose().begin(),
                               opened->Expose().end()));
        ASSERT_TRUE(sealed_ok.has_value());
        EXPECT_EQ(sealed, ct_tag);
      } else if (tc.HasFlag("InvalidNonceSize")) {
        ASSERT_FALSE(opened.has_value());
        EXPECT_EQ(opened.error().code(), Errc::kInvalidArgument);
        ASSERT_FALSE(sealed_ok.has_value());
        EXPECT_EQ(sealed_ok.error().code(), Errc::kInvalidArgument);
      } else {
        ASSERT_FALSE(opened.has_value());
        EXPECT_EQ(opened.error().code(), Errc::kDecryptFailed);
      }
    }
  }
  file.Report(tally);
}

template <typename MacFn, typename VerifyFn>
void RunHmacFile(const char* file_name, size_t full_tag_bytes, MacFn mac, VerifyFn verify) {
  const auto file = WycheproofFile::Load(file_name);
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    const size_t tag_bytes = static_cast<size_t>(group.Int("tagSize")) / 8;
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      const Bytes key = tc.Hex("key"), msg = tc.Hex("msg"), tag = tc.Hex("tag");
      const auto computed = mac(key, msg);
      const bool prefix_matches =
          tag.size() == tag_bytes && std::equal(tag.begin(), tag.end(), computed.begin());
      auto verified = verify(key, msg, tag);
      if (tc.result() == Expected::kInvalid) {
        EXPECT_FALSE(prefix_matches);
        ASSERT_FALSE(verified.has_value());
        EXPECT_EQ(verified.error().code(), Errc::kBadMac);
      } else {
        EXPECT_TRUE(prefix_matches);
        // Full-length valid tags verify; truncated ones are refused by design.
        EXPECT_EQ(verified.has_value(), tag_bytes == full_tag_bytes);
      }
    }
  }
  file.Report(tally);
}

TEST(Wycheproof, HmacSha256) {
  RunHmacFile("hmac_sha256_test.json", kHmacSha256Bytes, HmacSha256, VerifyHmacSha256);
}

TEST(Wycheproof, HmacSha512) {
  RunHmacFile("hmac_sha512_test.json", kHmacSha512Bytes, HmacSha512, VerifyHmacSha512);
}

}  // namespace
}  // namespace candor::crypto
