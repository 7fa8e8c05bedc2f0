// The ratchet plaintext: a Frame (serialized Content + franking key), padded
// to a size bucket (docs/wire-format.md):
//   padded = Frame bytes || 0x80 || 0x00 ... up to
//            max(256, Padme(len(Frame bytes) + 1)), at most 65536 bytes.
// Padmé keeps the top floor(log2 E) + 1 bits of a length (E = floor(log2 L))
// and rounds the rest up: at most ~12% overhead, and the relay learns only
// the bucket. The padded plaintext holds the franking key: SecretBytes.
#ifndef CANDOR_PROTOCOL_FRAME_H_
#define CANDOR_PROTOCOL_FRAME_H_

#include <optional>
#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/protocol/content.h"
#include "candor/protocol/sealed_wire.h"

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
  // Present exactly when the message was sent sealed (sealed_wire.h).
  std::optional<SealedProof> sealed;
};

// With `sealed`, the content may be at most kMaxSealedContentBytes (the
// proof takes the rest of the largest bucket): kMessageTooLarge above.
Result<SecretBytes> EncodePaddedFrame(ByteView content, const crypto::FrankingKey& franking_key,
                                      const SealedProof* sealed = nullptr);
Result<Frame> DecodePaddedFrame(ByteView padded);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_FRAME_H_
