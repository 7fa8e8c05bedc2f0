// The ratchet plaintext: a Frame (serialized Content + franking key), padded
// to a size bucket (docs/wire-format.md):
//   padded = Frame bytes || 0x80 || 0x00 ... up to
//            max(256, Padme(len(Frame bytes) + 1)), at most 65536 bytes.
// Padmé keeps the top floor(log2 E) + 1 bits of a length (E = floor(log2 L))
// and rounds the rest up: at most ~12% overhead, and the relay learns only
// the bucket. The padded plaintext holds the franking key: SecretBytes.
#ifndef CANDOR_PROTOCOL_FRAME_H_
#define CANDOR_PROTOCOL_FRAME_H_

#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::protocol {

// Padmé rounding of a length (exposed for tests and documentation).
size_t Padme(size_t length);
// The bucket a plaintext of `size` bytes (before the 0x80 marker) pads to;
// kMessageTooLarge above the largest bucket, `max_bucket` (a Padmé bucket:
// kMaxPaddedPlaintextBytes for ratchet plaintexts, kMaxReportPaddedBytes
// for reports).
Result<size_t> PaddedSize(size_t size, size_t max_bucket = kMaxPaddedPlaintextBytes);
Result<SecretBytes> Pad(ByteView plaintext, size_t max_bucket = kMaxPaddedPlaintextBytes);
// Inverse of Pad; kBadPadding unless the input is a bucket size ending in
// 0x80 then only zeros.
Result<ByteView> Unpad(ByteView padded, size_t max_bucket = kMaxPaddedPlaintextBytes);

struct Frame {
  Bytes content;  // serialized Content, verbatim
  crypto::FrankingKey franking_key;
};

Result<SecretBytes> EncodePaddedFrame(ByteView content, const crypto::FrankingKey& franking_key);
Result<Frame> DecodePaddedFrame(ByteView padded);

// Content { text }: the serialized form is what the franking commitment
// covers. The rules (protocol/src/content.cc), the same for the sender, the
// recipient and the moderator: text is UTF-8 with no control character but
// tab and newline (no NUL, CR, ESC, DEL); content is not empty; and it is
// in its one canonical encoding.
// kInvalidArgument for empty text (nothing would be sent); kFieldOutOfRange
// for bad UTF-8 or a control character; kMessageTooLarge.
Result<Bytes> EncodeContent(std::string_view text);
// The strict parse layers, then: kFieldOutOfRange (text rules above);
// kMalformed unless content == EncodeContent(text) byte for byte (a
// repeated or explicitly empty field, an over-long varint); kMissingField
// for empty content.
Result<std::string> DecodeContentText(ByteView content);
// For showing a message already stored: a store written before the content
// rules (empty text, CR, NUL and other controls were accepted then) must
// still list its history. Each forbidden control byte comes out as U+FFFD,
// so no C string is cut short; empty and non-canonical content is shown as
// it decodes. Still kMalformed / kFieldOutOfRange for content that is no
// Content or no UTF-8.
Result<std::string> DecodeStoredContentText(ByteView content);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_FRAME_H_
