#include <gtest/gtest.h>

#include "candor/crypto/bytes.h"
#include "candor/crypto/encoding.h"

namespace candor {
namespace {

TEST(ByteReader, ReadsBigEndianFieldsAndFinishes) {
  const Bytes in = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                    0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0x02, 0xaa, 0xbb, 0xcc};
  ByteReader r(in);
  EXPECT_EQ(*r.ReadU8(), 0x01);
  EXPECT_EQ(*r.ReadBe16(), 0x0203);
  EXPECT_EQ(*r.ReadBe32(), 0x04050607u);
  EXPECT_EQ(*r.ReadBe64(), 0x08090a0b0c0d0e0full);
  auto lp = r.ReadLengthPrefixed();
  ASSERT_TRUE(lp.has_value());
  EXPECT_EQ(Bytes(lp->begin(), lp->end()), (Bytes{0xaa, 0xbb}));
  EXPECT_EQ(r.Finish().error().code(), Errc::kTrailingBytes);
  EXPECT_EQ((*r.ReadArray<1>())[0], 0xcc);
  EXPECT_TRUE(r.Finish().has_value());
}

TEST(ByteReader, TruncationIsAnErrorAndConsumesNothing) {
  const Bytes in = {0x01, 0x02, 0x03};
  ByteReader r(in);
  EXPECT_EQ(r.ReadBe32().error().code(), Errc::kTruncated);
  EXPECT_EQ(r.remaining(), 3u);
  EXPECT_EQ(r.ReadBytes(4).error().code(), Errc::kTruncated);
  EXPECT_EQ(*r.ReadBe16(), 0x0102);
  EXPECT_EQ(r.ReadBe16().error().code(), Errc::kTruncated);
  EXPECT_EQ(r.ReadBe64().error().code(), Errc::kTruncated);
}

TEST(ByteReader, LengthPrefixBeyondInputRewinds) {
  const Bytes in = {0x00, 0x05, 0xaa};
  ByteReader r(in);
  EXPECT_EQ(r.ReadLengthPrefixed().error().code(), Errc::kTruncated);
  EXPECT_EQ(r.remaining(), 3u) << "a failed lp read must not leave the cursor mid-field";
}

TEST(ByteReader, EmptyInputFinishes) {
  ByteReader r({});
  EXPECT_TRUE(r.Finish().has_value());
  EXPECT_EQ(r.ReadU8().error().code(), Errc::kTruncated);
}

TEST(ByteWriter, WritesWhatReaderReads) {
  ByteWriter w;
  w.PutU8(0xfe);
  w.PutBe16(0xbeef);
  w.PutBe32(0xdeadbeef);
  w.PutBe64(0x0102030405060708ull);
  ASSERT_TRUE(w.PutLengthPrefixed(AsBytes("alice")).has_value());
  EXPECT_EQ(ToHex(w.bytes()), "febeefdeadbeef0102030405060708" "0005" "616c696365");
  const Bytes too_long(65536, 0);
  const size_t before = w.bytes().size();
  EXPECT_EQ(w.PutLengthPrefixed(too_long).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(w.bytes().size(), before) << "a refused lp write must write nothing";
  EXPECT_TRUE(w.PutLengthPrefixed(Bytes(65535, 0)).has_value());
}

TEST(Hex, RoundTripAndRejectsBadInput) {
  EXPECT_EQ(ToHex(Bytes{0x00, 0xab, 0xff}), "00abff");
  EXPECT_EQ(*FromHex("00ABff"), (Bytes{0x00, 0xab, 0xff}));
  EXPECT_TRUE(FromHex("")->empty());
  EXPECT_EQ(FromHex("abc").error().code(), Errc::kInvalidEncoding);
  EXPECT_EQ(FromHex("zz").error().code(), Errc::kInvalidEncoding);
  EXPECT_EQ(FromHex("0 ").error().code(), Errc::kInvalidEncoding);
}

TEST(Hex, SecretDecodingAgreesWithThePublicOne) {
  for (std::string_view hex : {"", "00ABff", "0123456789abcdef"}) {
    auto secret = FromHexSecret(hex);
    ASSERT_TRUE(secret.has_value());
    EXPECT_EQ(Bytes(secret->Expose().begin(), secret->Expose().end()), *FromHex(hex));
  }
  for (std::string_view bad : {"abc", "zz", "0 ", "0x00"}) {
    EXPECT_EQ(FromHexSecret(bad).error().code(), Errc::kInvalidEncoding) << bad;
  }
}

}  // namespace
}  // namespace candor
