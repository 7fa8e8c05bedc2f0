// Group control messages carried over the pairwise sessions (DESIGN.md
// "Groups (Sender Keys)"): a Frame's content is then a GroupControl, not a
// Content (content.proto says why). For now the sender key distribution.
// The group message itself is crypto::GroupEncrypt's format
// (crypto/sender_key.h).
#ifndef CANDOR_PROTOCOL_GROUP_WIRE_H_
#define CANDOR_PROTOCOL_GROUP_WIRE_H_

#include <cstdint>
#include <optional>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"

namespace candor::protocol {

struct SenderKeyDistribution {
  uint32_t epoch;
  crypto::SenderChain chain;  // G, kid, n, ck_n, HK_G
  crypto::Ed25519PublicKey signing_public;
  // The key this one replaces and the first iteration it never used.
  std::optional<uint32_t> previous_key_id;
  std::optional<uint32_t> previous_final_iteration;
};

// The serialized GroupControl (what the pairwise message's franking covers).
// kMissingField unless the previous key's id and final iteration come
// together.
Result<Bytes> EncodeSenderKeyDistribution(const SenderKeyDistribution& distribution);
// The strict layers (size cap, parse, no unknown fields: a Content is
// kUnknownField), then: the distribution present (kMissingField), every key 32 bytes
// (kBadFieldLength), the previous key's fields together (kMissingField),
// and the canonical encoding (kMalformed). Key material is wiped from the
// parse buffers.
Result<SenderKeyDistribution> DecodeSenderKeyDistribution(ByteView control);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_GROUP_WIRE_H_
