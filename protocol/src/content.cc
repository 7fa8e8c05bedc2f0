// Content, the part of a message the user wrote, and the rules every
// reader of it applies (protocol/content.h, docs/wire-format.md "Content"):
// the sender's EncodeContent refuses what the recipient's DecodeContent
// would refuse, and the report Verifier decodes with the same function, so
// send, receive and report can never disagree about a message.
#include <cstring>

#include "candor/crypto/limits.h"
#include "candor/crypto/padme.h"
#include "candor/protocol/content.h"
#include "candor/wire/content.pb.h"
#include "proto_writer.h"
#include "strict_parse.h"
#include "utf8.h"

namespace candor::protocol {

AttachmentPointer AttachmentPointer::Clone() const {
  AttachmentPointer copy;
  copy.blob_id = blob_id;
  copy.key = key.Clone();
  copy.length = length;
  copy.digest = digest;
  copy.media_type = media_type;
  copy.file_name = file_name;
  copy.thumbnail = thumbnail;
  return copy;
}

AttachmentInfo Describe(const AttachmentPointer& p) {
  // The blob's size, as attachment::BlobSize computes it (protocol does not
  // depend on attachment/): header, padded plaintext, 17 bytes per chunk.
  const uint64_t padded = crypto::Padme(p.length);
  const uint64_t chunks = padded == 0 ? 1 : (padded + kBlobChunkBytes - 1) / kBlobChunkBytes;
  return AttachmentInfo{p.blob_id,  p.length,    24 + padded + 17 * chunks,
                        p.media_type, p.file_name, p.thumbnail};
}

std::vector<AttachmentInfo> DescribeAttachments(ByteView content) {
  std::vector<AttachmentInfo> out;
  auto decoded = DecodeContent(content);
  if (!decoded.has_value()) return out;
  for (const AttachmentPointer& a : decoded->attachments) out.push_back(Describe(a));
  return out;
}

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

// RFC 6838 restricted-name characters: a letter or digit first, then
// letters, digits and ! # $ & - ^ _ . +
bool IsRestrictedName(std::string_view name) {
  if (name.empty() || name.size() > 127) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name[0])) return false;
  for (const char c : name) {
    if (!alnum(c) && std::strchr("!#$&-^_.+", c) == nullptr) return false;
  }
  return true;
}

// U+200E/F, U+202A..E and U+2066..9: they reorder what is shown, so
// "gpj.exe" can read as "exe.jpg" (a name must look like what it is).
bool HasBidiControl(std::string_view s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (static_cast<uint8_t>(s[i]) != 0xE2) continue;
    const auto b1 = static_cast<uint8_t>(s[i + 1]);
    const auto b2 = static_cast<uint8_t>(s[i + 2]);
    if (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) return true;
    if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
  }
  return false;
}

Result<void> CheckPointer(const AttachmentPointer& a) {
  if (a.length > kMaxAttachmentBytes) {
    return Error(Errc::kFieldOutOfRange, "attachment.length is above kMaxAttachmentBytes (2 GiB)");
  }
  if (!a.media_type.empty()) {
    const size_t slash = a.media_type.find('/');
    if (a.media_type.size() > kMaxMediaTypeBytes || slash == std::string::npos ||
        !IsRestrictedName(std::string_view(a.media_type).substr(0, slash)) ||
        !IsRestrictedName(std::string_view(a.media_type).substr(slash + 1))) {
      return Error(Errc::kFieldOutOfRange,
                   "attachment.media_type is not \"type/subtype\" in RFC 6838 characters");
    }
  }
  if (!a.file_name.empty()) {
    // A base name only: a reader saving the file must not be steered into
    // another directory, and a terminal must not be rewritten.
    const std::string_view name = a.file_name;
    if (name.size() > kMaxFileNameBytes || !internal::IsValidUtf8(name) ||
        name.find_first_of("/\\") != std::string_view::npos || name == "." || name == ".." ||
        internal::HasForbiddenControl(name) || name.find_first_of("\t\n") != std::string_view::npos ||
        HasBidiControl(name)) {
      return Error(Errc::kFieldOutOfRange,
                   "attachment.file_name is not a UTF-8 base name (no path separator, no "
                   "control or bidirectional formatting character, not \".\" or \"..\", at "
                   "most 160 bytes)");
    }
  }
  if (a.thumbnail.size() > kMaxThumbnailBytes) {
    return Error(Errc::kMessageTooLarge, "attachment.thumbnail is above kMaxThumbnailBytes");
  }
  return Ok();
}

Result<void> CheckContent(const MessageContent& content) {
  if (content.text.empty() && content.attachments.empty()) {
    return Error(Errc::kInvalidArgument,
                 "a message cannot be empty: no text and no attachment");
  }
  if (content.attachments.size() > kMaxAttachmentsPerMessage) {
    return Error(Errc::kInvalidArgument, "more attachments than kMaxAttachmentsPerMessage");
  }
  CANDOR_RETURN_IF_ERROR(CheckText(content.text));
  for (const AttachmentPointer& a : content.attachments) CANDOR_RETURN_IF_ERROR(CheckPointer(a));
  return Ok();
}

// AttachmentPointer's body: fields in number order, defaults omitted.
size_t PointerSize(const AttachmentPointer& a) {
  return internal::BytesFieldSize(1, 32) + internal::BytesFieldSize(2, 32) +
         internal::VarintFieldSize(3, a.length) + internal::BytesFieldSize(4, 32) +
         internal::BytesFieldSize(5, a.media_type.size()) +
         internal::BytesFieldSize(6, a.file_name.size()) +
         internal::BytesFieldSize(7, a.thumbnail.size());
}

size_t ContentSize(const MessageContent& content) {
  size_t size = internal::BytesFieldSize(1, content.text.size());
  for (const AttachmentPointer& a : content.attachments) {
    size += internal::BytesFieldSize(2, PointerSize(a));
  }
  return size;
}

void WriteContent(const MessageContent& content, std::span<uint8_t> out) {
  internal::ProtoWriter w(out);
  w.BytesField(1, AsBytes(content.text));
  for (const AttachmentPointer& a : content.attachments) {
    w.BytesHeader(2, PointerSize(a));
    w.BytesField(1, a.blob_id);
    w.BytesField(2, a.key.Expose());
    w.VarintField(3, a.length);
    w.BytesField(4, a.digest);
    w.BytesField(5, AsBytes(a.media_type));
    w.BytesField(6, AsBytes(a.file_name));
    w.BytesField(7, a.thumbnail);
  }
}

}  // namespace

Result<Bytes> EncodeContent(const MessageContent& content) {
  CANDOR_RETURN_IF_ERROR(CheckContent(content));
  const size_t size = ContentSize(content);
  if (size > kMaxContentBytes) {
    return Error(Errc::kMessageTooLarge, "content larger than kMaxContentBytes");
  }
  Bytes out(size);
  WriteContent(content, out);
  return out;
}

Result<Bytes> EncodeContent(std::string_view text) {
  // Text alone: empty text would be a message that says nothing.
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

// The parse layers, and everything moved out of the reused parse message,
// whose key buffers are wiped, so no plaintext or key stays behind in it.
Result<MessageContent> Parse(ByteView content) {
  auto& pb = internal::ReusableMessage<wire::Content>();
  if (auto parsed = internal::ParseStrict(content, kMaxContentBytes, internal::kUnversioned, pb);
      !parsed.has_value()) {
    // A refused parse may have filled keys in before it failed.
    for (auto& a : *pb.mutable_attachments()) internal::WipeStringCapacity(*a.mutable_key());
    pb.Clear();
    return parsed.error();
  }
  MessageContent out;
  out.text = std::move(*pb.mutable_text());
  Result<void> fields = Ok();
  for (auto& a : *pb.mutable_attachments()) {
    if (fields.has_value()) {
      AttachmentPointer p;
      auto id = internal::FixedBytes<32>(a.blob_id(), "attachment.blob_id");
      auto key = SecretArray<32>::CopyFrom(internal::View(a.key()));
      auto digest = internal::FixedBytes<32>(a.digest(), "attachment.digest");
      if (!id.has_value()) {
        fields = id.error();
      } else if (!key.has_value()) {
        fields = Error(Errc::kBadFieldLength, "attachment.key is not 32 bytes");
      } else if (!digest.has_value()) {
        fields = digest.error();
      } else {
        p.blob_id = *id;
        p.key = std::move(*key);
        p.length = a.length();
        p.digest = *digest;
        p.media_type = std::move(*a.mutable_media_type());
        p.file_name = std::move(*a.mutable_file_name());
        p.thumbnail = internal::ToBytes(a.thumbnail());
        out.attachments.push_back(std::move(p));
      }
    }
    internal::WipeStringCapacity(*a.mutable_key());
  }
  pb.Clear();
  if (!fields.has_value()) {
    internal::WipeStringCapacity(out.text);
    return fields.error();
  }
  return out;
}

}  // namespace

Result<MessageContent> DecodeContent(ByteView content) {
  CANDOR_ASSIGN_OR_RETURN(MessageContent decoded, Parse(content));
  auto refuse = [&decoded](Error error) -> Result<MessageContent> {
    internal::WipeStringCapacity(decoded.text);
    return error;
  };
  // Empty content, not "empty text": refused because a report window may
  // not hold it (docs/reports.md), and every stored message must stay
  // reportable.
  if (content.empty()) {
    return refuse(Error(Errc::kMissingField,
                        "content is empty: a message carries text or an attachment"));
  }
  // content == EncodeContent(decoded): a repeated text field, an explicit
  // empty one, fields out of order or an over-long varint all decode to
  // some content, but to bytes that readers may disagree on (protobuf keeps
  // the last `text`; another parser may keep the first), so only this one
  // encoding is accepted. The copy holds keys: wiped memory.
  SecretBytes canonical(ContentSize(decoded));
  WriteContent(decoded, canonical.Expose());
  if (canonical.size() != content.size() ||
      std::memcmp(canonical.Expose().data(), content.data(), content.size()) != 0) {
    return refuse(Error(Errc::kMalformed,
                        "content is not in its canonical encoding (a repeated, reordered or "
                        "explicitly empty field, or an over-long length)"));
  }
  if (auto checked = CheckContent(decoded); !checked.has_value()) {
    // The encoder's "nothing to send" is, on the wire, a malformed message.
    if (checked.error().code() == Errc::kInvalidArgument) {
      return refuse(Error(Errc::kFieldOutOfRange, checked.error().message()));
    }
    return refuse(checked.error());
  }
  return decoded;
}

Result<std::string> DecodeContentText(ByteView content) {
  CANDOR_ASSIGN_OR_RETURN(MessageContent decoded, DecodeContent(content));
  return std::move(decoded.text);
}

Result<std::string> DecodeStoredContentText(ByteView content) {
  CANDOR_ASSIGN_OR_RETURN(MessageContent decoded, Parse(content));
  std::string text = std::move(decoded.text);
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
