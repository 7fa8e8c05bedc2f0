// Content, the part of a message the user wrote, and the rules every
// reader of it applies (docs/wire-format.md "Content"): the sender's
// EncodeContent refuses what the recipient's DecodeContentText would refuse,
// and the report Verifier decodes with the same function, so send, receive
// and report can never disagree about a message.
#include <cstring>

#include "candor/crypto/limits.h"
#include "candor/protocol/frame.h"
#include "candor/wire/content.pb.h"
#include "proto_writer.h"
#include "strict_parse.h"
#include "utf8.h"

namespace candor::protocol {

namespace {

// UTF-8 without forbidden controls (utf8.h says which, and why).
Result<void> CheckText(std::string_view text) {
  if (!internal::IsValidUtf8(text)) {
    return Error(Errc::kFieldOutOfRange, "content.text is not valid UTF-8");
  }
  if (internal::HasForbiddenControl(text)) {
    return Error(Errc::kFieldOutOfRange,
                 "content.text holds a control character (NUL, CR, ESC, DEL or another "
                 "below 0x20); only tab and newline are allowed");
  }
  return Ok();
}

// content == EncodeContent(text) for the `text` just parsed out of it,
// without building the copy: one Content { text = 1 } field with minimal
// varints, or nothing for empty text. A repeated `text` field, an explicit
// empty one or an over-long varint all decode to some text, but to bytes
// that readers may disagree on (protobuf keeps the last `text`; another
// parser may keep the first), so only this one encoding is accepted.
bool IsCanonical(ByteView content, std::string_view text) {
  const size_t size = internal::BytesFieldSize(1, text.size());
  if (content.size() != size) return false;
  if (size == 0) return true;
  uint8_t header[16];
  internal::ProtoWriter w(header);
  w.BytesHeader(1, text.size());
  return std::memcmp(header, content.data(), w.position()) == 0 &&
         std::memcmp(text.data(), content.data() + w.position(), text.size()) == 0;
}

}  // namespace

Result<Bytes> EncodeContent(std::string_view text) {
  // Content today is text only, so empty text is empty content: a message
  // that says nothing. It is refused here and at decode (see there).
  if (text.empty()) {
    return Error(Errc::kInvalidArgument, "a message cannot be empty: the text is empty");
  }
  CANDOR_RETURN_IF_ERROR(CheckText(text));
  // Content { text = 1 }
  const size_t size = internal::BytesFieldSize(1, text.size());
  if (size > kMaxContentBytes) {
    return Error(Errc::kMessageTooLarge, "content larger than kMaxContentBytes");
  }
  Bytes out(size);
  internal::ProtoWriter(out).BytesField(1, AsBytes(text));
  return out;
}

namespace {

// The parse layers, and the text moved out of the reused parse message, so
// no plaintext stays behind in it.
Result<std::string> ParseText(ByteView content) {
  auto& pb = internal::ReusableMessage<wire::Content>();
  CANDOR_RETURN_IF_ERROR(internal::ParseStrict(content, kMaxContentBytes, internal::kUnversioned, pb));
  std::string text = std::move(*pb.mutable_text());
  pb.Clear();
  return text;
}

}  // namespace

Result<std::string> DecodeContentText(ByteView content) {
  CANDOR_ASSIGN_OR_RETURN(std::string text, ParseText(content));
  auto refuse = [&text](Error error) -> Result<std::string> {
    internal::WipeStringCapacity(text);
    return error;
  };
  if (auto checked = CheckText(text); !checked.has_value()) return refuse(checked.error());
  if (!IsCanonical(content, text)) {
    return refuse(Error(Errc::kMalformed,
                        "content is not in its canonical encoding (a repeated or explicitly "
                        "empty text field, or an over-long length)"));
  }
  // Empty content, not "empty text": a later Content field (an attachment)
  // will make a message without text non-empty. Refused because a report
  // window may not hold it (docs/reports.md), and every stored message must
  // stay reportable.
  if (content.empty()) {
    return refuse(Error(Errc::kMissingField, "content is empty: a message carries text"));
  }
  return text;
}

Result<std::string> DecodeStoredContentText(ByteView content) {
  CANDOR_ASSIGN_OR_RETURN(std::string text, ParseText(content));
  if (!internal::IsValidUtf8(text)) {
    internal::WipeStringCapacity(text);
    return Error(Errc::kFieldOutOfRange, "content.text is not valid UTF-8");
  }
  if (!internal::HasForbiddenControl(text)) return text;
  std::string shown;
  shown.reserve(text.size() * 3);  // no reallocation leaves a copy unwiped
  for (const char c : text) {
    if (internal::HasForbiddenControl(std::string_view(&c, 1))) {
      shown += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
    } else {
      shown += c;
    }
  }
  internal::WipeStringCapacity(text);
  return shown;
}

}  // namespace candor::protocol
