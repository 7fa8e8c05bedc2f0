#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/protocol/frame.h"
#include "candor/wire/content.pb.h"
#include "strict_parse.h"

namespace candor::protocol {
namespace {

TEST(Padding, PadmeBucketsFrom256) {
  // Padmé values from the PURBs paper's definition, worked by hand.
  EXPECT_EQ(Padme(1000), 1024u);  // E = 9, S = 4: round up to a multiple of 2^5
  EXPECT_EQ(Padme(1024), 1024u);  // already a bucket
  EXPECT_EQ(*PaddedSize(0), 256u);  // the minimum bucket
  EXPECT_EQ(*PaddedSize(255), 256u);
  EXPECT_EQ(*PaddedSize(256), 272u);    // 257: E = 8, S = 4 -> multiples of 16
  EXPECT_EQ(*PaddedSize(1000), 1024u);  // 1001: E = 9, S = 4 -> multiples of 32
  EXPECT_EQ(*PaddedSize(1023), 1024u);
  EXPECT_EQ(*PaddedSize(1024), 1088u);  // 1025: E = 10, S = 4 -> multiples of 64
  EXPECT_EQ(*PaddedSize(1066), 1088u);  // a 1 KiB text's Frame
  EXPECT_EQ(*PaddedSize(40000), 40960u);  // E = 15, S = 4 -> multiples of 2048
  EXPECT_EQ(*PaddedSize(65535), 65536u);
  EXPECT_EQ(PaddedSize(65536).error().code(), Errc::kMessageTooLarge);
  // Every bucket is its own bucket, and the overhead stays under 12.5%.
  for (size_t n = 256; n < 65536; n += 97) {
    const size_t b = *PaddedSize(n);
    EXPECT_EQ(*PaddedSize(b - 1), b) << n;
    EXPECT_LE(b - (n + 1), (n + 1) / 8) << n;
  }
}

TEST(Padding, RoundTripsEverySizeAroundBucketEdges) {
  for (size_t n : {0, 1, 254, 255, 256, 271, 272, 511, 512, 1023, 1087, 4095, 65535}) {
    SCOPED_TRACE(n);
    Bytes data(n, 0x00);  // trailing zeros in the data itself must survive
    if (n > 0) data[0] = 0x80;
    auto padded = Pad(data);
    ASSERT_TRUE(padded.has_value());
    EXPECT_EQ(padded->size(), *PaddedSize(n));
    auto back = Unpad(padded->Expose());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(Bytes(back->begin(), back->end()), data);
  }
}

TEST(Padding, RejectsMalformedPadding) {
  Bytes no_marker(256, 0);
  EXPECT_EQ(Unpad(no_marker).error().code(), Errc::kBadPadding);
  Bytes junk_after_marker(256, 0);
  junk_after_marker[10] = 0x80;
  junk_after_marker[255] = 0x01;
  EXPECT_EQ(Unpad(junk_after_marker).error().code(), Errc::kBadPadding);
  Bytes not_a_bucket(260, 0);
  not_a_bucket[0] = 0x80;
  EXPECT_EQ(Unpad(not_a_bucket).error().code(), Errc::kBadPadding);
  EXPECT_EQ(Unpad({}).error().code(), Errc::kBadPadding);
}

TEST(Frame, RoundTripsAndIsStrict) {
  crypto::FrankingKey fk;
  fk.Expose()[0] = 9;
  auto content = EncodeContent("hello");
  ASSERT_TRUE(content.has_value());
  auto padded = EncodePaddedFrame(*content, fk);
  ASSERT_TRUE(padded.has_value());
  EXPECT_EQ(padded->size(), 256u);
  auto frame = DecodePaddedFrame(padded->Expose());
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->content, *content);
  EXPECT_TRUE(frame->franking_key == fk);
  EXPECT_EQ(*DecodeContentText(frame->content), "hello");
  // Re-encoding the decoded frame gives the same bytes.
  auto again = EncodePaddedFrame(frame->content, frame->franking_key);
  EXPECT_TRUE(*again == *padded);
}

TEST(Frame, RejectsWrongKeyLengthAndOversizeContent) {
  // A Frame with a 31-byte franking key, hand-encoded: field 2, length 31.
  Bytes raw = {0x0a, 0x00, 0x12, 31};
  raw.resize(raw.size() + 31, 0x11);
  auto padded = Pad(raw);
  ASSERT_TRUE(padded.has_value());
  EXPECT_EQ(DecodePaddedFrame(padded->Expose()).error().code(), Errc::kBadFieldLength);
  crypto::FrankingKey fk;
  EXPECT_EQ(EncodePaddedFrame(Bytes(kMaxContentBytes + 1), fk).error().code(),
            Errc::kMessageTooLarge);
  EXPECT_TRUE(EncodePaddedFrame(Bytes(kMaxContentBytes), fk).has_value());
}

TEST(Content, TextMustBeUtf8) {
  EXPECT_TRUE(EncodeContent("grüße, 你好, 🙂").has_value());
  for (std::string bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "ok\xc3"}) {
    EXPECT_EQ(EncodeContent(bad).error().code(), Errc::kFieldOutOfRange) << bad;
  }
  // A decoder sees the same rule: Content{text: "\xff"} hand-encoded.
  const Bytes raw = {0x0a, 0x01, 0xff};
  EXPECT_EQ(DecodeContentText(raw).error().code(), Errc::kFieldOutOfRange);
  const Bytes unknown_field = {0x0a, 0x01, 'a', 0x10, 0x01};
  EXPECT_EQ(DecodeContentText(unknown_field).error().code(), Errc::kUnknownField);
}

}  // namespace
}  // namespace candor::protocol

namespace candor::protocol {
namespace {

// Decoders reuse one parse message per thread (strict_parse.h). A long frame
// followed by a short one must not leak bytes into the second result, and
// the reused Frame message must be left holding no plaintext or key.
TEST(Frame, ReusedParseBuffersLeaveNothingBehind) {
  crypto::FrankingKey fk;
  fk.Expose()[0] = 0x42;
  const Bytes long_content(40000, 'L');
  const Bytes short_content = {'s', 'h'};
  auto long_frame = EncodePaddedFrame(long_content, fk);
  auto short_frame = EncodePaddedFrame(short_content, fk);
  ASSERT_TRUE(long_frame.has_value() && short_frame.has_value());
  ASSERT_EQ(DecodePaddedFrame(long_frame->Expose())->content, long_content);
  auto second = DecodePaddedFrame(short_frame->Expose());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->content, short_content);
  const auto& reused = internal::ReusableMessage<wire::Frame>();
  EXPECT_TRUE(reused.content().empty());
  EXPECT_TRUE(reused.franking_key().empty());
  // The same after a failed decode (bad key length).
  Bytes raw = {0x0a, 0x01, 'x', 0x12, 31};
  raw.resize(raw.size() + 31, 0x11);
  auto bad = Pad(raw);
  EXPECT_FALSE(DecodePaddedFrame(bad->Expose()).has_value());
  EXPECT_TRUE(reused.content().empty());
  EXPECT_TRUE(reused.franking_key().empty());
}

}  // namespace
}  // namespace candor::protocol
