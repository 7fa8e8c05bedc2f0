#include "candor/protocol/relay.h"

#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/egress.h"

namespace candor::protocol {

Result<Relayed> RelayEnvelope(const crypto::RelayKey& key, ByteView envelope_bytes,
                              uint64_t server_time) {
  if (server_time == 0) return Error(Errc::kInvalidArgument, "server time must be positive");
  CANDOR_ASSIGN_OR_RETURN(Envelope envelope, DecodeEnvelope(envelope_bytes));
  // The payload is opaque to the relay, but it must at least be the kind of
  // message the envelope says: a relay that forwards garbage lets a sender
  // make the recipient spend work on it.
  if (envelope.content_type == ContentType::kGroupMessage) {
    return Error(Errc::kFieldOutOfRange,
                 "a group message comes in a GroupEnvelope, for the relay to fan out");
  }
  // A sealed box is opaque to the relay: its size was checked by the decoder.
  if (envelope.content_type == ContentType::kPrekeyMessage) {
    CANDOR_RETURN_IF_ERROR(DecodePrekeyMessage(envelope.payload));
  } else if (envelope.content_type == ContentType::kRatchetMessage) {
    CANDOR_RETURN_IF_ERROR(DecodeRatchetMessage(envelope.payload));
  }
  const bool sealed = envelope.content_type == ContentType::kSealed;
  CANDOR_ASSIGN_OR_RETURN(
      crypto::RelayTag tag,
      sealed ? crypto::ComputeSealedRelayTag(key, envelope.franking_commitment,
                                             envelope.recipient, server_time)
             : crypto::ComputeRelayTag(key, envelope.franking_commitment, envelope.sender,
                                       envelope.recipient, server_time));
  CANDOR_ASSIGN_OR_RETURN(Bytes delivery, EncodeDelivery(envelope_bytes, server_time, tag));
  CANDOR_ASSIGN_OR_RETURN(
      Bytes ack, EncodeRelayAck(RelayAck{envelope.recipient, envelope.franking_commitment,
                                         server_time, tag}));
  // The relay's outputs pass the same egress guard as everything else.
  CANDOR_ASSIGN_OR_RETURN(EgressRecord delivery_egress,
                          CheckEgress(EgressChannel::kRelay, kDeliveryType, delivery));
  CANDOR_ASSIGN_OR_RETURN(EgressRecord ack_egress,
                          CheckEgress(EgressChannel::kRelay, kRelayAckType, ack));
  delivery_egress.time = ack_egress.time = server_time;
  return Relayed{std::move(envelope),       server_time,          std::move(delivery),
                 std::move(ack),            std::move(delivery_egress), std::move(ack_egress)};
}

Result<GroupRelayed> RelayGroupEnvelope(const crypto::RelayKey& key, ByteView envelope_bytes,
                                        uint64_t server_time) {
  if (server_time == 0) return Error(Errc::kInvalidArgument, "server time must be positive");
  // Decoding checks the recipients and that the payload is a GroupMessage.
  CANDOR_ASSIGN_OR_RETURN(GroupEnvelope group, DecodeGroupEnvelope(envelope_bytes));
  // Sent sealed: the envelope names no sender, so neither do the copies,
  // and every tag is the sealed one (the sender's over the empty recipient).
  const bool sealed = group.sender.empty();
  auto tag_for = [&](std::string_view recipient) {
    return sealed ? crypto::ComputeSealedRelayTag(key, group.franking_commitment, recipient,
                                                  server_time)
                  : crypto::ComputeRelayTag(key, group.franking_commitment, group.sender,
                                            recipient, server_time);
  };
  GroupRelayed out{{}, server_time, {}, {}, {}};
  out.deliveries.reserve(group.recipients.size());
  for (const std::string& recipient : group.recipients) {
    CANDOR_ASSIGN_OR_RETURN(
        Bytes copy, EncodeEnvelope(Envelope{group.sender, recipient, group.franking_commitment,
                                            ContentType::kGroupMessage, group.payload}));
    CANDOR_ASSIGN_OR_RETURN(crypto::RelayTag tag, tag_for(recipient));
    CANDOR_ASSIGN_OR_RETURN(Bytes delivery, EncodeDelivery(copy, server_time, tag));
    CANDOR_ASSIGN_OR_RETURN(EgressRecord record,
                            CheckEgress(EgressChannel::kRelay, kDeliveryType, delivery));
    record.time = server_time;
    out.egress.push_back(std::move(record));
    out.deliveries.emplace_back(recipient, std::move(delivery));
  }
  CANDOR_ASSIGN_OR_RETURN(crypto::RelayTag own, tag_for(group.sender));
  CANDOR_ASSIGN_OR_RETURN(out.ack, EncodeRelayAck(RelayAck{group.sender, group.franking_commitment,
                                                           server_time, own}));
  CANDOR_ASSIGN_OR_RETURN(EgressRecord ack_record,
                          CheckEgress(EgressChannel::kRelay, kRelayAckType, out.ack));
  ack_record.time = server_time;
  out.egress.push_back(std::move(ack_record));
  out.envelope = std::move(group);
  return out;
}

}  // namespace candor::protocol
