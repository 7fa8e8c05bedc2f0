// Codecs for what the relay handles: Envelope, GroupEnvelope (with the
// GroupMessage it carries), Delivery, RelayAck.
#include <algorithm>

#include "candor/crypto/aead.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_box.h"
#include "candor/crypto/sender_key.h"
#include "candor/protocol/wire.h"
#include "candor/wire/envelope.pb.h"
#include "candor/wire/message.pb.h"
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
    case wire::CONTENT_TYPE_GROUP_MESSAGE: return ContentType::kGroupMessage;
    case wire::CONTENT_TYPE_SEALED: return ContentType::kSealed;
    default: return Error(Errc::kFieldOutOfRange, "envelope.content_type is not a known type");
  }
}

Result<void> CheckPayload(ContentType type, size_t size) {
  if (size == 0) return Error(Errc::kMissingField, "envelope.payload is empty");
  if (type == ContentType::kSealed) {
    // The box's overhead around lp(sender) padded to the longest account,
    // the type byte and at least one byte of message.
    if (size < crypto::kSealedBoxOverheadBytes + 2 + kMaxAccountBytes + 1 + 1) {
      return Error(Errc::kBadFieldLength, "envelope.payload is too short for a sealed box");
    }
    if (size > kMaxSealedPayloadBytes) {
      return Error(Errc::kFieldOutOfRange, "envelope.payload is too large");
    }
    return Ok();
  }
  if (size > kMaxPrekeyMessageBytes) {
    return Error(Errc::kFieldOutOfRange, "envelope.payload is too large");
  }
  return Ok();
}

// A sealed envelope names no sender; a prekey or ratchet message always
// does; a group message's copy does unless it was sent sealed.
Result<void> CheckSender(std::string_view sender, ContentType type) {
  if (type == ContentType::kSealed) {
    if (!sender.empty()) {
      return Error(Errc::kFieldOutOfRange, "a sealed envelope names no sender");
    }
    return Ok();
  }
  if (type == ContentType::kGroupMessage && sender.empty()) return Ok();
  return CheckAccountField(sender, "envelope.sender");
}

uint64_t WireContentType(ContentType type) {
  switch (type) {
    case ContentType::kPrekeyMessage: return wire::CONTENT_TYPE_PREKEY_MESSAGE;
    case ContentType::kRatchetMessage: return wire::CONTENT_TYPE_RATCHET_MESSAGE;
    case ContentType::kGroupMessage: return wire::CONTENT_TYPE_GROUP_MESSAGE;
    case ContentType::kSealed: return wire::CONTENT_TYPE_SEALED;
  }
  return wire::CONTENT_TYPE_UNSPECIFIED;
}

Result<void> CheckServerTime(uint64_t ts, std::string_view name) {
  if (ts == 0) return Error(Errc::kMissingField, std::string(name) + " is missing");
  return Ok();
}

}  // namespace

Result<Envelope> DecodeEnvelope(ByteView bytes) {
  auto& pb = internal::ReusableMessage<wire::Envelope>();
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxEnvelopeBytes, kWireVersion, pb));
  CANDOR_ASSIGN_OR_RETURN(ContentType type, ToContentType(pb.content_type()));
  CANDOR_RETURN_IF_ERROR(CheckSender(pb.sender(), type));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.recipient(), "envelope.recipient"));
  CANDOR_ASSIGN_OR_RETURN(auto commitment, FixedBytes<crypto::kFrankingCommitmentBytes>(
                                               pb.franking_commitment(),
                                               "envelope.franking_commitment"));
  // A sealed envelope's box travels in its own field (no type for the
  // egress guard to walk into); every other kind has a payload and no box.
  const bool sealed = type == ContentType::kSealed;
  if (sealed ? !pb.payload().empty() : !pb.sealed_box().empty()) {
    return Error(Errc::kFieldOutOfRange,
                 "envelope: a sealed box exactly when the content type is sealed");
  }
  const std::string& payload = sealed ? pb.sealed_box() : pb.payload();
  CANDOR_RETURN_IF_ERROR(CheckPayload(type, payload.size()));
  return Envelope{pb.sender(), pb.recipient(), commitment, type, internal::ToBytes(payload)};
}

namespace {

// Envelope { sender = 1; recipient = 2; franking_commitment = 3;
//            content_type = 4; payload = 5 (sealed_box = 6 when sealed) },
// after the version byte. The payload is written by `write_payload`
// (exactly `payload_size` bytes).
template <typename WritePayload>
Result<Bytes> WriteEnvelope(std::string_view sender, std::string_view recipient,
                            const crypto::FrankingCommitment& commitment, ContentType type,
                            size_t payload_size, WritePayload write_payload) {
  CANDOR_RETURN_IF_ERROR(CheckSender(sender, type));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(recipient, "envelope.recipient"));
  CANDOR_RETURN_IF_ERROR(CheckPayload(type, payload_size));
  const uint64_t type_value = WireContentType(type);
  const uint32_t payload_field = type == ContentType::kSealed ? 6 : 5;
  Bytes out(1 + internal::BytesFieldSize(1, sender.size()) +
            internal::BytesFieldSize(2, recipient.size()) +
            internal::BytesFieldSize(3, commitment.size()) +
            internal::VarintFieldSize(4, type_value) + internal::BytesFieldSize(payload_field, payload_size));
  internal::ProtoWriter w(out);
  w.Raw(kWireVersion);
  w.BytesField(1, AsBytes(sender));
  w.BytesField(2, AsBytes(recipient));
  w.BytesField(3, commitment);
  w.VarintField(4, type_value);
  w.BytesHeader(payload_field, payload_size);
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

Result<Bytes> EncodeGroupMessage(ByteView sealed) {
  if (sealed.size() < crypto::kGroupMessageOverheadBytes) {
    return Error(Errc::kBadFieldLength, "group_message.sealed is too short");
  }
  // kid || header || ciphertext || signature: the ciphertext is a padding
  // bucket + tag, as a ratchet message's.
  CANDOR_RETURN_IF_ERROR(internal::CheckCiphertextSize(
      sealed.size() - crypto::kGroupMessageOverheadBytes + crypto::kAeadTagBytes));
  wire::GroupMessage pb;
  CANDOR_SET_BYTES(pb, sealed, sealed);
  return internal::Serialize(pb, internal::kUnversioned);
}

Result<Bytes> DecodeGroupMessage(ByteView bytes) {
  wire::GroupMessage pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxGroupMessageBytes, internal::kUnversioned, pb));
  const ByteView sealed = AsBytes(pb.sealed());
  if (sealed.size() < crypto::kGroupMessageOverheadBytes) {
    return Error(Errc::kBadFieldLength, "group_message.sealed is too short");
  }
  CANDOR_RETURN_IF_ERROR(internal::CheckCiphertextSize(
      sealed.size() - crypto::kGroupMessageOverheadBytes + crypto::kAeadTagBytes));
  // One field, once: a repeated `sealed` would let a sender pass more bytes
  // than the size it claims (the relay forwards the payload as it came).
  CANDOR_ASSIGN_OR_RETURN(Bytes again, EncodeGroupMessage(sealed));
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) {
    return Error(Errc::kMalformed, "group message is not in its canonical encoding");
  }
  return internal::ToBytes(pb.sealed());
}

namespace {

Result<void> CheckRecipients(std::string_view sender, const std::vector<std::string>& recipients) {
  if (recipients.empty()) return Error(Errc::kMissingField, "group_envelope.recipients is empty");
  if (recipients.size() > kMaxGroupMembers - 1) {
    return Error(Errc::kFieldOutOfRange, "a group message has at most " +
                                             std::to_string(kMaxGroupMembers - 1) +
                                             " recipients");
  }
  std::vector<std::string_view> sorted(recipients.begin(), recipients.end());
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    CANDOR_RETURN_IF_ERROR(CheckAccountField(sorted[i], "group_envelope.recipients"));
    if (sorted[i] == sender) {
      return Error(Errc::kFieldOutOfRange, "a group message is not sent to its sender");
    }
    if (i > 0 && sorted[i] == sorted[i - 1]) {
      return Error(Errc::kFieldOutOfRange, "a recipient is named twice");
    }
  }
  return Ok();
}

// Empty when the group message is sent sealed.
Result<void> CheckGroupSender(std::string_view sender) {
  if (sender.empty()) return Ok();
  return CheckAccountField(sender, "group_envelope.sender");
}

// Empty for a sealed group message's acknowledgement.
Result<void> CheckAckRecipient(std::string_view recipient) {
  if (recipient.empty()) return Ok();
  return CheckAccountField(recipient, "ack.recipient");
}

}  // namespace

Result<GroupEnvelope> DecodeGroupEnvelope(ByteView bytes) {
  wire::GroupEnvelope pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxGroupEnvelopeBytes, kWireVersion, pb));
  CANDOR_RETURN_IF_ERROR(CheckGroupSender(pb.sender()));
  std::vector<std::string> recipients(pb.recipients().begin(), pb.recipients().end());
  CANDOR_RETURN_IF_ERROR(CheckRecipients(pb.sender(), recipients));
  CANDOR_ASSIGN_OR_RETURN(auto commitment, FixedBytes<crypto::kFrankingCommitmentBytes>(
                                               pb.franking_commitment(),
                                               "group_envelope.franking_commitment"));
  if (pb.payload().empty()) return Error(Errc::kMissingField, "group_envelope.payload is empty");
  CANDOR_RETURN_IF_ERROR(DecodeGroupMessage(AsBytes(pb.payload())));
  return GroupEnvelope{pb.sender(), std::move(recipients), commitment,
                       internal::ToBytes(pb.payload())};
}

Result<Bytes> EncodeGroupEnvelope(const GroupEnvelope& e) {
  CANDOR_RETURN_IF_ERROR(CheckGroupSender(e.sender));
  CANDOR_RETURN_IF_ERROR(CheckRecipients(e.sender, e.recipients));
  CANDOR_RETURN_IF_ERROR(DecodeGroupMessage(e.payload));
  wire::GroupEnvelope pb;
  pb.set_sender(e.sender);
  for (const std::string& r : e.recipients) pb.add_recipients(r);
  CANDOR_SET_BYTES(pb, franking_commitment, e.franking_commitment);
  CANDOR_SET_BYTES(pb, payload, e.payload);
  return internal::Serialize(pb, kWireVersion);
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
  CANDOR_RETURN_IF_ERROR(CheckAckRecipient(pb.recipient()));
  CANDOR_ASSIGN_OR_RETURN(auto commitment, FixedBytes<crypto::kFrankingCommitmentBytes>(
                                               pb.franking_commitment(),
                                               "ack.franking_commitment"));
  CANDOR_RETURN_IF_ERROR(CheckServerTime(pb.server_time(), "ack.server_time"));
  CANDOR_ASSIGN_OR_RETURN(auto tag,
                          FixedBytes<crypto::kRelayTagBytes>(pb.relay_tag(), "ack.relay_tag"));
  return RelayAck{pb.recipient(), commitment, pb.server_time(), tag};
}

Result<Bytes> EncodeRelayAck(const RelayAck& ack) {
  CANDOR_RETURN_IF_ERROR(CheckAckRecipient(ack.recipient));
  CANDOR_RETURN_IF_ERROR(CheckServerTime(ack.server_time, "ack.server_time"));
  wire::RelayAck pb;
  pb.set_recipient(ack.recipient);
  CANDOR_SET_BYTES(pb, franking_commitment, ack.franking_commitment);
  pb.set_server_time(ack.server_time);
  CANDOR_SET_BYTES(pb, relay_tag, ack.relay_tag);
  return internal::Serialize(pb, kWireVersion);
}

}  // namespace candor::protocol
