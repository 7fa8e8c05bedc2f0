// Private to protocol/: allocation-saving variants of wire codecs for the
// per-message path of Session. Same formats and checks as the public codecs.
#ifndef CANDOR_PROTOCOL_SRC_WIRE_INTERNAL_H_
#define CANDOR_PROTOCOL_SRC_WIRE_INTERNAL_H_

#include <string_view>

#include "candor/protocol/wire.h"

namespace candor::protocol::internal {

// The ciphertext of a RatchetMessage must be a padding bucket plus the
// 16-byte tag; kBadFieldLength otherwise.
Result<void> CheckCiphertextSize(size_t size);

// An Envelope carrying a RatchetMessage, written in one buffer (the public
// path serializes the payload first and copies it into the envelope).
Result<Bytes> EncodeRatchetEnvelope(std::string_view sender, std::string_view recipient,
                                    const crypto::FrankingCommitment& commitment,
                                    const crypto::RatchetCiphertext& message);

// A RatchetMessage decoded into views of this thread's reused parse message:
// valid only until the next DecodeRatchetMessage* call on the same thread.
struct RatchetMessageView {
  ByteView header;  // 80 bytes
  ByteView body;
};
Result<RatchetMessageView> DecodeRatchetMessageView(ByteView bytes);

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_WIRE_INTERNAL_H_
