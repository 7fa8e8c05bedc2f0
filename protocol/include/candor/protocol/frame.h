// The ratchet plaintext: a Frame (serialized Content + franking key), padded
// to a power-of-two bucket (docs/wire-format.md):
//   padded = Frame bytes || 0x80 || 0x00 ... up to the smallest bucket in
//            {256, 512, ..., 65536} that holds at least Frame bytes + 1.
// The relay learns only the bucket. The padded plaintext holds the franking
// key, so it lives in SecretBytes.
#ifndef CANDOR_PROTOCOL_FRAME_H_
#define CANDOR_PROTOCOL_FRAME_H_

#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::protocol {

// The bucket a plaintext of `size` bytes (before the 0x80 marker) pads to;
// kMessageTooLarge above the largest bucket.
Result<size_t> PaddedSize(size_t size);
Result<SecretBytes> Pad(ByteView plaintext);
// Inverse of Pad; kBadPadding unless the input is a bucket size ending in
// 0x80 then only zeros.
Result<ByteView> Unpad(ByteView padded);

struct Frame {
  Bytes content;  // serialized Content, verbatim
  crypto::FrankingKey franking_key;
};

Result<SecretBytes> EncodePaddedFrame(ByteView content, const crypto::FrankingKey& franking_key);
Result<Frame> DecodePaddedFrame(ByteView padded);

// Content { text }: the serialized form is what the franking commitment covers.
Result<Bytes> EncodeContent(std::string_view text);
Result<std::string> DecodeContentText(ByteView content);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_FRAME_H_
