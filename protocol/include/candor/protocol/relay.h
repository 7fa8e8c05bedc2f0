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
#include <string>
#include <utility>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/sealed_sender.h"
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
// A sealed envelope (content type kSealed, no sender) is tagged with the
// sealed relay tag over (commitment, recipient, time): the relay learns the
// recipient only, and its caller must not attach an account to it (the
// sealed path takes no credential; docs/relay.md). A
// group message comes in a GroupEnvelope (RelayGroupEnvelope), never in an
// Envelope from a device: kFieldOutOfRange.
Result<Relayed> RelayEnvelope(const crypto::RelayKey& key, ByteView envelope_bytes,
                              uint64_t server_time);

// A group message's fan-out: for each recipient an Envelope (sender, that
// recipient, the commitment, content type 3, the same GroupMessage) in a
// Delivery tagged for that recipient; and one acknowledgement to the
// sender, tagged with the sender as recipient (so the sender's copy is
// reportable as any member's, DESIGN.md "Groups"). A group envelope sent
// sealed (empty sender) gets sealed tags, the sender's over the empty
// recipient, and an acknowledgement naming no recipient.
struct GroupRelayed {
  GroupEnvelope envelope;
  uint64_t server_time;
  std::vector<std::pair<std::string, Bytes>> deliveries;  // (recipient, delivery)
  Bytes ack;
  std::vector<EgressRecord> egress;  // every delivery's, then the ack's
};
Result<GroupRelayed> RelayGroupEnvelope(const crypto::RelayKey& key, ByteView envelope_bytes,
                                        uint64_t server_time);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_RELAY_H_
