// The content rules (protocol/frame.h) at both ends: what EncodeContent
// refuses to send, DecodeContentText refuses to read, and a session refuses
// such a message from a modified sender without changing state.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "candor/crypto/limits.h"
#include "candor/protocol/content.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/session.h"
#include "candor/wire/content.pb.h"
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


// --- Attachment pointers -----------------------------------------------------

AttachmentPointer Pointer(uint8_t fill, uint64_t length = 123456) {
  AttachmentPointer p;
  p.blob_id.fill(fill);
  p.key.Expose()[0] = fill;
  p.length = length;
  p.digest.fill(static_cast<uint8_t>(fill + 1));
  p.media_type = "image/jpeg";
  p.file_name = "beach photo.jpg";
  p.thumbnail = Bytes(300, 0x77);
  return p;
}

MessageContent With(std::string text, std::vector<AttachmentPointer> attachments) {
  return MessageContent{std::move(text), std::move(attachments)};
}

TEST(ContentAttachments, RoundTripWithAndWithoutText) {
  for (const std::string& text : {""s, "look at this"s}) {
    std::vector<AttachmentPointer> list;
    list.push_back(Pointer(1));
    list.push_back(Pointer(2, 0));  // an empty file
    list.front().file_name = std::string(150, 'x') + ".jpeg";  // 155 bytes: allowed
    list.front().file_name += "\xE2\x80\x94";  // an em dash is no formatting character
    list.back().media_type.clear();
    list.back().file_name.clear();
    list.back().thumbnail.clear();
    auto bytes = EncodeContent(With(text, std::move(list)));
    ASSERT_TRUE(bytes.has_value()) << bytes.error().message();
    auto back = DecodeContent(*bytes);
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ(back->text, text);
    ASSERT_EQ(back->attachments.size(), 2u);
    EXPECT_EQ(back->attachments[0].blob_id, Pointer(1).blob_id);
    EXPECT_EQ(back->attachments[0].key, Pointer(1).key);
    EXPECT_EQ(back->attachments[0].length, 123456u);
    EXPECT_EQ(back->attachments[0].digest, Pointer(1).digest);
    EXPECT_EQ(back->attachments[0].media_type, "image/jpeg");
    EXPECT_EQ(back->attachments[0].file_name, std::string(150, 'x') + ".jpeg\xE2\x80\x94");
    EXPECT_EQ(back->attachments[0].thumbnail, Bytes(300, 0x77));
    EXPECT_EQ(back->attachments[1].length, 0u);
    EXPECT_EQ(*DecodeContentText(*bytes), text);
    const auto shown = DescribeAttachments(*bytes);
    ASSERT_EQ(shown.size(), 2u);
    EXPECT_EQ(shown[1].blob_size, 24u + 17u) << "an empty file: header and one empty chunk";
  }
  // Text-only content is byte for byte what it always was.
  EXPECT_EQ(*EncodeContent(With("hello", {})), *EncodeContent("hello"));
}

TEST(ContentAttachments, TheRulesHoldAtBothEnds) {
  struct Case {
    const char* what;
    std::function<void(AttachmentPointer&)> edit;
    Errc code;
  };
  const std::vector<Case> cases = {
      {"length over 2 GiB", [](auto& p) { p.length = kMaxAttachmentBytes + 1; },
       Errc::kFieldOutOfRange},
      {"media type without subtype", [](auto& p) { p.media_type = "image"; }, Errc::kFieldOutOfRange},
      {"media type with a space", [](auto& p) { p.media_type = "image/j peg"; },
       Errc::kFieldOutOfRange},
      {"media type with a control", [](auto& p) { p.media_type = "image/\x1bjpeg"; },
       Errc::kFieldOutOfRange},
      {"file name with a path", [](auto& p) { p.file_name = "../../.bashrc"; },
       Errc::kFieldOutOfRange},
      {"file name with a backslash", [](auto& p) { p.file_name = "..\\evil.exe"; },
       Errc::kFieldOutOfRange},
      {"file name ..", [](auto& p) { p.file_name = ".."; }, Errc::kFieldOutOfRange},
      {"file name with NUL", [](auto& p) { p.file_name = "a\0b.jpg"s; }, Errc::kFieldOutOfRange},
      {"file name with a newline", [](auto& p) { p.file_name = "a\nb.jpg"; },
       Errc::kFieldOutOfRange},
      {"file name not UTF-8", [](auto& p) { p.file_name = "\xff.jpg"; }, Errc::kFieldOutOfRange},
      {"file name too long", [](auto& p) { p.file_name = std::string(161, 'a'); },
       Errc::kFieldOutOfRange},
      {"file name with a right-to-left override", [](auto& p) { p.file_name = "gpj\xE2\x80\xAE.exe"; },
       Errc::kFieldOutOfRange},
      {"file name with a first-strong isolate", [](auto& p) { p.file_name = "a\xE2\x81\xA8.jpg"; },
       Errc::kFieldOutOfRange},
      {"thumbnail too large", [](auto& p) { p.thumbnail = Bytes(kMaxThumbnailBytes + 1); },
       Errc::kMessageTooLarge},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::vector<AttachmentPointer> list;
    list.push_back(Pointer(3));
    c.edit(list.back());
    // The reader's side: the same pointer written by protobuf itself.
    wire::Content pb;
    pb.set_text("x");
    const AttachmentPointer& p = list.back();
    auto* a = pb.add_attachments();
    a->set_blob_id(std::string(p.blob_id.begin(), p.blob_id.end()));
    a->set_key(std::string(p.key.Expose().begin(), p.key.Expose().end()));
    a->set_length(p.length);
    a->set_digest(std::string(p.digest.begin(), p.digest.end()));
    a->set_media_type(p.media_type);
    a->set_file_name(p.file_name);
    a->set_thumbnail(std::string(p.thumbnail.begin(), p.thumbnail.end()));
    auto read = DecodeContent(B(pb.SerializeAsString()));
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code(), c.code) << read.error().message();
    auto refused = EncodeContent(With("x", std::move(list)));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), c.code) << refused.error().message();
  }
  std::vector<AttachmentPointer> many;
  for (size_t i = 0; i <= kMaxAttachmentsPerMessage; ++i) many.push_back(Pointer(1, 1));
  EXPECT_EQ(EncodeContent(With("", std::move(many))).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(EncodeContent(With("", {})).error().code(), Errc::kInvalidArgument);
}

// Pointers a modified sender writes by hand: the reader refuses what the
// encoder would not write, and every other encoding of the same pointer.
TEST(ContentAttachments, CraftedPointersAreRefused) {
  auto body = [](std::string fields) { return "\x12"s + static_cast<char>(fields.size()) + fields; };
  const std::string id = "\x0a\x20" + std::string(32, 'i');
  const std::string key = "\x12\x20" + std::string(32, 'k');
  const std::string digest = "\x22\x20" + std::string(32, 'd');
  const std::string len = "\x18\x05";
  // The canonical pointer decodes.
  ASSERT_TRUE(DecodeContent(B(body(id + key + len + digest))).has_value());
  // Short id, short key, no digest.
  EXPECT_EQ(DecodeContent(B(body("\x0a\x1f" + std::string(31, 'i') + key + len + digest)))
                .error().code(), Errc::kBadFieldLength);
  EXPECT_EQ(DecodeContent(B(body(id + "\x12\x10" + std::string(16, 'k') + len + digest)))
                .error().code(), Errc::kBadFieldLength);
  EXPECT_EQ(DecodeContent(B(body(id + key + len))).error().code(), Errc::kBadFieldLength);
  // Fields out of order, a repeated field, an explicit zero length, an
  // over-long varint: the same pointer, other bytes.
  EXPECT_EQ(DecodeContent(B(body(key + id + len + digest))).error().code(), Errc::kMalformed);
  EXPECT_EQ(DecodeContent(B(body(id + key + len + len + digest))).error().code(), Errc::kMalformed);
  EXPECT_EQ(DecodeContent(B(body(id + key + "\x18\x00"s + digest))).error().code(),
            Errc::kMalformed);
  EXPECT_EQ(DecodeContent(B(body(id + key + "\x18\x85\x00"s + digest))).error().code(),
            Errc::kMalformed);
  // A pointer before the text.
  EXPECT_EQ(DecodeContent(B(body(id + key + len + digest) + "\x0a\x02hi")).error().code(),
            Errc::kMalformed);
  // An unknown field inside the pointer.
  EXPECT_EQ(DecodeContent(B(body(id + key + len + digest + "\x40\x01"))).error().code(),
            Errc::kUnknownField);
  EXPECT_TRUE(DescribeAttachments(B(body(key + id + len + digest))).empty());
}

}  // namespace
}  // namespace candor::protocol
