// Codecs for what the relay handles: Envelope, Delivery, RelayAck.
#include "candor/crypto/limits.h"
#include "candor/protocol/wire.h"
#include "candor/wire/envelope.pb.h"
#include "candor/protocol/frame.h"
#include "proto_writer.h"
#include "wire_internal.h"
#include "strict_parse.h"

namespace candor::protocol {

using internal::CheckAccountField;
using internal::FixedBytes;
using internal::ParseStrict;

namespace {

Result<ContentType> ToContentType(wire::ContentType t) {
  switch (t) {
    case wire::CONTENT_TYPE_PREKEY_MESSAGE: return ContentType::kPrekeyMessage;
    case wire::CONTENT_TYPE_RATCHET_MESSAGE: return ContentType::kRatchetMessage;
    default: return Error(Errc::kFieldOutOfRange, "envelope.content_type is not a known type");
  }
}

Result<void> CheckPayload(size_t size) {
  if (size == 0) return Error(Errc::kMissingField, "envelope.payload is empty");
  if (size > kMaxPrekeyMessageBytes) {
    return Error(Errc::kFieldOutOfRange, "envelope.payload is too large");
  }
  return Ok();
}

Result<void> CheckServerTime(uint64_t ts, std::string_view name) {
  if (ts == 0) return Error(Errc::kMissingField, std::string(name) + " is missing");
  return Ok();
}

}  // namespace

Result<Envelope> DecodeEnvelope(ByteView bytes) {
  auto& pb = internal::ReusableMessage<wire::Envelope>();
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxEnvelopeBytes, kWireVersion, pb));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.sender(), "envelope.sender"));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.recipient(), "envelope.recipient"));
  CANDOR_ASSIGN_OR_RETURN(auto commitment, FixedBytes<crypto::kFrankingCommitmentBytes>(
                                               pb.franking_commitment(),
                                               "envelope.franking_commitment"));
  CANDOR_ASSIGN_OR_RETURN(ContentType type, ToContentType(pb.content_type()));
  CANDOR_RETURN_IF_ERROR(CheckPayload(pb.payload().size()));
  return Envelope{pb.sender(), pb.recipient(), commitment, type,
                  internal::ToBytes(pb.payload())};
}

namespace {

// Envelope { sender = 1; recipient = 2; franking_commitment = 3;
//            content_type = 4; payload = 5 }, after the version byte. The
// payload is written by `write_payload` (exactly `payload_size` bytes).
template <typename WritePayload>
Result<Bytes> WriteEnvelope(std::string_view sender, std::string_view recipient,
                            const crypto::FrankingCommitment& commitment, ContentType type,
                            size_t payload_size, WritePayload write_payload) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(sender, "envelope.sender"));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(recipient, "envelope.recipient"));
  CANDOR_RETURN_IF_ERROR(CheckPayload(payload_size));
  const uint64_t type_value = type == ContentType::kPrekeyMessage
                                  ? wire::CONTENT_TYPE_PREKEY_MESSAGE
                                  : wire::CONTENT_TYPE_RATCHET_MESSAGE;
  Bytes out(1 + internal::BytesFieldSize(1, sender.size()) +
            internal::BytesFieldSize(2, recipient.size()) +
            internal::BytesFieldSize(3, commitment.size()) +
            internal::VarintFieldSize(4, type_value) + internal::BytesFieldSize(5, payload_size));
  internal::ProtoWriter w(out);
  w.Raw(kWireVersion);
  w.BytesField(1, AsBytes(sender));
  w.BytesField(2, AsBytes(recipient));
  w.BytesField(3, commitment);
  w.VarintField(4, type_value);
  w.BytesHeader(5, payload_size);
  write_payload(w);
  return out;
}

}  // namespace

Result<Bytes> EncodeEnvelope(const Envelope& e) {
  return WriteEnvelope(e.sender, e.recipient, e.franking_commitment, e.content_type,
                       e.payload.size(), [&](internal::ProtoWriter& w) {
                         std::copy(e.payload.begin(), e.payload.end(), w.Rest().begin());
                         w.Skip(e.payload.size());
                       });
}

Result<Bytes> internal::EncodeRatchetEnvelope(std::string_view sender, std::string_view recipient,
                                              const crypto::FrankingCommitment& commitment,
                                              const crypto::RatchetCiphertext& m) {
  // RatchetMessage { encrypted_header = 1; ciphertext = 2 }, nested in place.
  CANDOR_RETURN_IF_ERROR(CheckCiphertextSize(m.body.size()));
  const size_t inner = BytesFieldSize(1, m.header.size()) + BytesFieldSize(2, m.body.size());
  return WriteEnvelope(sender, recipient, commitment, ContentType::kRatchetMessage, inner,
                       [&](ProtoWriter& w) {
                         w.BytesField(1, m.header);
                         w.BytesField(2, m.body);
                       });
}

Result<Delivery> DecodeDelivery(ByteView bytes) {
  wire::Delivery pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxDeliveryBytes, kWireVersion, pb));
  if (pb.envelope().empty()) return Error(Errc::kMissingField, "delivery.envelope is missing");
  CANDOR_RETURN_IF_ERROR(CheckServerTime(pb.server_time(), "delivery.server_time"));
  CANDOR_ASSIGN_OR_RETURN(auto tag, FixedBytes<crypto::kRelayTagBytes>(pb.relay_tag(),
                                                                       "delivery.relay_tag"));
  Bytes envelope_bytes = internal::ToBytes(pb.envelope());
  CANDOR_ASSIGN_OR_RETURN(Envelope envelope, DecodeEnvelope(envelope_bytes));
  return Delivery{std::move(envelope_bytes), std::move(envelope), pb.server_time(), tag};
}

Result<Bytes> EncodeDelivery(ByteView envelope_bytes, uint64_t server_time,
                             const crypto::RelayTag& relay_tag) {
  CANDOR_RETURN_IF_ERROR(DecodeEnvelope(envelope_bytes));  // only valid envelopes go out
  CANDOR_RETURN_IF_ERROR(CheckServerTime(server_time, "delivery.server_time"));
  wire::Delivery pb;
  CANDOR_SET_BYTES(pb, envelope, envelope_bytes);
  pb.set_server_time(server_time);
  CANDOR_SET_BYTES(pb, relay_tag, relay_tag);
  return internal::Serialize(pb, kWireVersion);
}

Result<RelayAck> DecodeRelayAck(ByteView bytes) {
  wire::RelayAck pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxRelayAckBytes, kWireVersion, pb));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.recipient(), "ack.recipient"));
  CANDOR_ASSIGN_OR_RETURN(auto commitment, FixedBytes<crypto::kFrankingCommitmentBytes>(
                                               pb.franking_commitment(),
                                               "ack.franking_commitment"));
  CANDOR_RETURN_IF_ERROR(CheckServerTime(pb.server_time(), "ack.server_time"));
  CANDOR_ASSIGN_OR_RETURN(auto tag,
                          FixedBytes<crypto::kRelayTagBytes>(pb.relay_tag(), "ack.relay_tag"));
  return RelayAck{pb.recipient(), commitment, pb.server_time(), tag};
}

Result<Bytes> EncodeRelayAck(const RelayAck& ack) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(ack.recipient, "ack.recipient"));
  CANDOR_RETURN_IF_ERROR(CheckServerTime(ack.server_time, "ack.server_time"));
  wire::RelayAck pb;
  pb.set_recipient(ack.recipient);
  CANDOR_SET_BYTES(pb, franking_commitment, ack.franking_commitment);
  pb.set_server_time(ack.server_time);
  CANDOR_SET_BYTES(pb, relay_tag, ack.relay_tag);
  return internal::Serialize(pb, kWireVersion);
}

}  // namespace candor::protocol
