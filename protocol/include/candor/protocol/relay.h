// The reference relay's one step (DESIGN.md "Message franking", step 3): take
// a sender's envelope, check it, stamp it with the server time and the
// franking tag, and produce the delivery for the recipient and the
// acknowledgement for the sender. It keeps no state.
//
// A production relay also authenticates the sender's connection and refuses
// an envelope whose `sender` is not the authenticated account: the relay tag
// is the platform's word that this account sent this commitment at this
// time. This function cannot know who is connected; the caller vouches for
// the sender (docs/relay.md).
#ifndef CANDOR_PROTOCOL_RELAY_H_
#define CANDOR_PROTOCOL_RELAY_H_

#include <cstdint>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/wire.h"

namespace candor::protocol {

struct Relayed {
  Envelope envelope;  // as decoded, for the relay's own records
  uint64_t server_time;
  Bytes delivery;     // relay -> recipient
  Bytes ack;          // relay -> sender
  // The egress guard's records of both (time = server_time).
  EgressRecord delivery_egress;
  EgressRecord ack_egress;
};

// Refuses (with the decoder's code) an envelope that does not decode, whose
// payload does not decode as the type it claims, or a zero server time.
Result<Relayed> RelayEnvelope(const crypto::RelayKey& key, ByteView envelope_bytes,
                              uint64_t server_time);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_RELAY_H_
