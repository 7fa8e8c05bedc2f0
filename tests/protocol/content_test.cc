// The content rules (protocol/frame.h) at both ends: what EncodeContent
// refuses to send, DecodeContentText refuses to read, and a session refuses
// such a message from a modified sender without changing state.
#include <gtest/gtest.h>

#include <string>

#include "candor/protocol/frame.h"
#include "candor/protocol/session.h"
#include "utf8.h"
#include "support/crafted_sender.h"
#include "support/session_pair.h"

namespace candor::protocol {
namespace {

using namespace std::string_literals;

constexpr uint64_t kTime = 1'750'000'000;

Bytes B(std::string s) { return Bytes(s.begin(), s.end()); }

// Texts a C ABI user would see truncated (NUL) or that rewrite a terminal
// line (CR, ESC, backspace), and DEL.
const std::string kControlTexts[] = {"before\0after"s, "a\rb", "\x1b[2Jcleared", "bell\x07",
                                     "back\x08", "del\x7f", "\x1f", "\x01"};

TEST(Content, EmptyTextIsRefusedAtSend) {
  auto r = EncodeContent("");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kInvalidArgument) << r.error().message();
}

TEST(Content, ControlCharactersAreRefusedButTabAndNewlineAreText) {
  for (const std::string& text : kControlTexts) {
    auto r = EncodeContent(text);
    ASSERT_FALSE(r.has_value()) << ::testing::PrintToString(text);
    EXPECT_EQ(r.error().code(), Errc::kFieldOutOfRange);
  }
  auto ok = EncodeContent("line one\n\tline two, indented; grüße 🙂");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*DecodeContentText(*ok), "line one\n\tline two, indented; grüße 🙂");
}

// The word-at-a-time scan against the plain rule: every byte value at every
// position of the first two words and the tail, among ASCII or high bytes
// (which must not mask or fake a control byte).
TEST(Content, ControlScanAgreesWithTheByteRuleEverywhere) {
  for (const char filler : {'a', '\xC3', '\t'}) {
    for (size_t length : {1u, 7u, 8u, 9u, 16u, 19u}) {
      for (size_t pos = 0; pos < length; ++pos) {
        for (int c = 0; c < 256; ++c) {
          std::string text(length, filler);
          text[pos] = static_cast<char>(c);
          const bool forbidden = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
          ASSERT_EQ(protocol::internal::HasForbiddenControl(text), forbidden)
              << "byte " << c << " at " << pos << " of " << length;
        }
      }
    }
  }
}

TEST(Content, DecodeRefusesWhatEncodeNeverWrites) {
  // Empty content: Content {} (what Send("") used to store and deliver).
  EXPECT_EQ(DecodeContentText(Bytes{}).error().code(), Errc::kMissingField);
  // Not canonical: an explicit empty text, a repeated text (protobuf keeps
  // the last, another parser the first), an over-long length varint.
  EXPECT_EQ(DecodeContentText(Bytes{0x0a, 0x00}).error().code(), Errc::kMalformed);
  EXPECT_EQ(DecodeContentText(B("\x0a\x04safe\x0a\x05" "abuse")).error().code(), Errc::kMalformed);
  EXPECT_EQ(DecodeContentText(Bytes{0x0a, 0x81, 0x00, 'a'}).error().code(), Errc::kMalformed);
  // Control characters, hand-encoded.
  for (const std::string& text : kControlTexts) {
    Bytes raw = {0x0a, static_cast<uint8_t>(text.size())};
    raw.insert(raw.end(), text.begin(), text.end());
    EXPECT_EQ(DecodeContentText(raw).error().code(), Errc::kFieldOutOfRange)
        << ::testing::PrintToString(text);
  }
  // The canonical form decodes: content == EncodeContent(DecodeContentText(content)).
  const Bytes canonical = B("\x0a\x05hello");
  EXPECT_EQ(*DecodeContentText(canonical), "hello");
  EXPECT_EQ(*EncodeContent("hello"), canonical);
}

TEST(Content, SendRefusesBeforeTheRatchetAdvances) {
  crypto::InsecureDeterministicRandom rng(70);
  testing::TestDevice alice(rng, "alice"), bob(rng, "bob");
  auto a = Session::Initiate(alice.identity, "alice", bob.Bundle(rng), rng);
  ASSERT_TRUE(a.has_value());
  const SecretBytes before = a->Serialize();
  EXPECT_EQ(a->Encrypt("", rng).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(a->Encrypt("cut\0here"s, rng).error().code(), Errc::kFieldOutOfRange);
  EXPECT_TRUE(a->Serialize() == before);
}

// Bob holds a session with alice; alice's client is modified.
class CraftedContent : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Session::Initiate(alice_.identity, "alice", bob_.Bundle(rng_), rng_);
    ASSERT_TRUE(s.has_value());
    a_.emplace(std::move(s).value());
    auto first = a_->Encrypt("hello", rng_);
    auto accepted = Session::Accept(bob_.identity, "bob", bob_, Deliver(first->envelope), kTime, rng_);
    ASSERT_TRUE(accepted.has_value()) << accepted.error().message();
    b_.emplace(std::move(accepted->first));
  }
  Delivery Deliver(ByteView envelope) {
    auto d = testing::Relay(relay_key_, envelope, kTime);
    EXPECT_TRUE(d.has_value());
    return std::move(d).value();
  }
  void ExpectRefused(const Bytes& content, Errc code) {
    auto envelope = testing::CraftEnvelope(*a_, content, rng_);
    ASSERT_TRUE(envelope.has_value()) << envelope.error().message();
    const SecretBytes before = b_->Serialize();
    auto r = b_->Decrypt(Deliver(*envelope), kTime, rng_);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), code) << r.error().message();
    EXPECT_TRUE(b_->Serialize() == before) << "the session is unchanged";
  }

  crypto::InsecureDeterministicRandom rng_{71};
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  testing::TestDevice alice_{rng_, "alice"}, bob_{rng_, "bob"};
  std::optional<Session> a_, b_;
};

TEST_F(CraftedContent, EmptyNonCanonicalAndControlContentIsRefusedAtReceive) {
  ExpectRefused(Bytes{}, Errc::kMissingField);
  ExpectRefused(Bytes{0x0a, 0x00}, Errc::kMalformed);
  ExpectRefused(B("\x0a\x04safe\x0a\x05" "abuse"), Errc::kMalformed);
  ExpectRefused(B("\x0a\x0bhello\0world"s), Errc::kFieldOutOfRange);
  ExpectRefused(B("\x0a\x03\x1b[H"), Errc::kFieldOutOfRange);
  // Refused messages left nothing behind: alice's next genuine message
  // (under the same message key as the crafted ones) is read.
  auto next = a_->Encrypt("still here", rng_);
  auto r = b_->Decrypt(Deliver(next->envelope), kTime, rng_);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text, "still here");
}

}  // namespace
}  // namespace candor::protocol
