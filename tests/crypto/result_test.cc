#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "candor/crypto/result.h"

namespace candor {
namespace {

Result<int> Parse(bool ok) {
  if (!ok) return Error(Errc::kInvalidArgument, "no");
  return 7;
}

Result<int> Doubled(bool ok) {
  CANDOR_ASSIGN_OR_RETURN(int v, Parse(ok));
  return v * 2;
}

Result<void> Check(bool ok) {
  CANDOR_RETURN_IF_ERROR(Parse(ok));
  return Ok();
}

TEST(Result, ValueAndErrorAccess) {
  auto good = Parse(true);
  ASSERT_TRUE(good.has_value());
  EXPECT_TRUE(static_cast<bool>(good));
  EXPECT_EQ(*good, 7);
  EXPECT_EQ(good.value(), 7);
  auto bad = Parse(false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(bad.error().message(), "no");
}

TEST(Result, MacrosPropagate) {
  EXPECT_EQ(*Doubled(true), 14);
  EXPECT_EQ(Doubled(false).error().code(), Errc::kInvalidArgument);
  EXPECT_TRUE(Check(true).has_value());
  EXPECT_EQ(Check(false).error().message(), "no");
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(3));
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 3);
}

TEST(ResultDeathTest, ValueOfAnErrorTerminatesWithItsMessage) {
  EXPECT_DEATH({ (void)Parse(false).value(); }, "invalid_argument: no");
  EXPECT_DEATH({ (void)Result<void>(Error(Errc::kBadMac, "m")).value(); }, "bad_mac");
  EXPECT_DEATH({ (void)Parse(true).error(); }, "internal");
}

TEST(Errc, EveryCodeHasAUniqueName) {
  const Errc all[] = {Errc::kInternal, Errc::kInvalidArgument, Errc::kOutOfMemory,
                      Errc::kCryptoInitFailed, Errc::kTruncated, Errc::kTrailingBytes,
                      Errc::kInvalidEncoding, Errc::kInvalidKey, Errc::kWeakKey,
                      Errc::kBadSignature, Errc::kDecryptFailed, Errc::kBadMac,
                      Errc::kOutputTooLong, Errc::kInvalidAccount,
                      Errc::kBadPrekeySignature, Errc::kInvalidState,
                      Errc::kHeaderDecryptFailed, Errc::kDuplicateMessage,
                      Errc::kTooManySkipped, Errc::kFrankingMismatch, Errc::kPreviewMismatch,
                      Errc::kMessageTooLarge, Errc::kUnsupportedVersion, Errc::kMalformed,
                      Errc::kUnknownField, Errc::kBadFieldLength, Errc::kFieldOutOfRange,
                      Errc::kMissingField, Errc::kBadPadding, Errc::kWrongPeer,
                      Errc::kWrongKey, Errc::kNotACandorDatabase, Errc::kDatabaseLocked,
                      Errc::kNotFound, Errc::kAlreadyExists, Errc::kSchemaTooNew,
                      Errc::kStorageFailed, Errc::kPolicyViolation};
  std::set<std::string_view> names;
  for (Errc e : all) {
    EXPECT_NE(ErrcName(e), "unknown");
    names.insert(ErrcName(e));
  }
  EXPECT_EQ(names.size(), std::size(all));
}

}  // namespace
}  // namespace candor
