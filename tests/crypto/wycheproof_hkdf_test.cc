// Wycheproof HKDF-SHA256, every case. Invalid cases ask for more than
// 255 * 32 bytes and must be refused with kOutputTooLong.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/hkdf.h"
#include "support/wycheproof.h"

namespace candor::crypto {
namespace {

using testing::Expected;
using testing::WycheproofFile;
using testing::WycheproofTally;

TEST(Wycheproof, HkdfSha256) {
  const auto file = WycheproofFile::Load("hkdf_sha256_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      const Bytes okm = tc.Hex("okm");
      auto out = HkdfSha256(tc.Hex("salt"), tc.Hex("ikm"), tc.Hex("info"),
                            static_cast<size_t>(tc.Int("size")));
      if (tc.result() == Expected::kInvalid) {
        ASSERT_FALSE(out.has_value());
        EXPECT_EQ(out.error().code(), Errc::kOutputTooLong);
      } else {
        ASSERT_TRUE(out.has_value());
        EXPECT_TRUE(std::equal(okm.begin(), okm.end(), out->Expose().begin(),
                               out->Expose().end()));
      }
    }
  }
  file.Report(tally);
}

}  // namespace
}  // namespace candor::crypto
