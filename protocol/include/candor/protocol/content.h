// Content: what the user wrote and sends — text and attachment pointers.
// The serialized form is what the franking commitment covers, so every
// reader (recipient, moderator) applies the same rules the sender's encoder
// applies (protocol/src/content.cc):
// - text is UTF-8 with no control character but tab and newline (no NUL,
//   CR, ESC, DEL);
// - each attachment pointer has a 32-byte blob id, key and digest, a length
//   up to kMaxAttachmentBytes, an optional media type ("type/subtype" of
//   RFC 6838 characters), an optional file name (UTF-8 base name: no
//   control character, no '/' or '\', not "." or "..") and an optional
//   thumbnail up to kMaxThumbnailBytes; at most kMaxAttachmentsPerMessage;
// - content is not empty (text or an attachment), and it is in its one
//   canonical encoding.
#ifndef CANDOR_PROTOCOL_CONTENT_H_
#define CANDOR_PROTOCOL_CONTENT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::protocol {

// One attachment as the message names it (DESIGN.md "Attachments").
struct AttachmentPointer {
  std::array<uint8_t, 32> blob_id{};
  SecretArray<32> key;
  uint64_t length = 0;
  std::array<uint8_t, 32> digest{};
  std::string media_type;  // "" when the sender gave none
  std::string file_name;   // "" when the sender gave none
  Bytes thumbnail;         // empty when the sender gave none

  AttachmentPointer Clone() const;
};

// What an application shows of an attachment: the pointer without its key
// (the key stays in the store; Client::OpenAttachment uses it).
struct AttachmentInfo {
  std::array<uint8_t, 32> blob_id{};
  uint64_t length = 0;
  uint64_t blob_size = 0;  // what the blob store holds and sends
  std::string media_type;
  std::string file_name;
  Bytes thumbnail;
};
AttachmentInfo Describe(const AttachmentPointer& pointer);

struct MessageContent {
  std::string text;
  std::vector<AttachmentPointer> attachments;
};

// kInvalidArgument when there is nothing to send (no text, no attachment)
// or too many attachments; kFieldOutOfRange for text, media type or file
// name breaking the rules above, or a length over kMaxAttachmentBytes;
// kMessageTooLarge for a thumbnail over kMaxThumbnailBytes or content over
// kMaxContentBytes.
Result<Bytes> EncodeContent(const MessageContent& content);
// Text only.
Result<Bytes> EncodeContent(std::string_view text);

// The strict parse layers, then the rules above: kFieldOutOfRange,
// kBadFieldLength (a blob id, key or digest of another size),
// kMessageTooLarge (a thumbnail), kMalformed unless content ==
// EncodeContent(decoded) byte for byte (repeated, explicitly empty or
// reordered fields, over-long varints), kMissingField for empty content.
Result<MessageContent> DecodeContent(ByteView content);
// DecodeContent's checks; only the text (empty for attachments alone).
Result<std::string> DecodeContentText(ByteView content);
// For showing a message already stored: a store written before the content
// rules (empty text, CR, NUL and other controls were accepted then) must
// still list its history. Each forbidden control byte comes out as U+FFFD,
// so no C string is cut short; empty and non-canonical content is shown as
// it decodes. Still kMalformed / kFieldOutOfRange for content that is no
// Content or no UTF-8. Attachments are not checked here (DecodeContent).
Result<std::string> DecodeStoredContentText(ByteView content);
// The attachments of content already checked (or stored): none for
// content that does not decode (a store from before attachments).
std::vector<AttachmentInfo> DescribeAttachments(ByteView content);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_CONTENT_H_
