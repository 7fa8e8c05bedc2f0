// Domain types for what crosses the wire, and their codecs. Decoders run in
// layers (STYLE.md): size cap -> version byte (top-level messages) ->
// protobuf parse -> no unknown fields -> exact lengths and bounds -> struct.
// Each layer fails with its own code (kMessageTooLarge, kUnsupportedVersion,
// kMalformed, kUnknownField, kBadFieldLength / kFieldOutOfRange /
// kMissingField). Encoders validate the same bounds, so what candor emits
// always decodes. Top-level messages (bundle, envelope, delivery, ack) start
// with the version byte kWireVersion; payloads nested inside an envelope do
// not.
#ifndef CANDOR_PROTOCOL_WIRE_H_
#define CANDOR_PROTOCOL_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/ratchet.h"
#include "candor/crypto/result.h"
#include "candor/crypto/x25519.h"
#include "candor/crypto/x3dh.h"

namespace candor::protocol {

// Version 2: a ratchet body's nonce is its encrypted header's random nonce
// (version 1 used zeros, which a rolled-back sender state turned into
// keystream reuse). Version-1 messages are refused (kUnsupportedVersion),
// bundles included, so an older peer fails at once instead of starting a
// session whose messages this side cannot read.
inline constexpr uint8_t kWireVersion = 2;
// The report bundle (device -> moderation) and the local session format
// have versions of their own: neither changed with the wire.
inline constexpr uint8_t kReportBundleVersion = 1;
inline constexpr uint8_t kSessionStateVersion = 1;

// kGroupMessage: a GroupMessage, in the Envelope the relay makes for each
// recipient of a GroupEnvelope (never sent by a device as an Envelope).
// kSealed: sealed sender, one-to-one: the payload is a sealed box to the
// recipient's identity holding the sender and a prekey or ratchet message
// (sealed_wire.h SealedInner).
enum class ContentType : uint8_t {
  kPrekeyMessage = 1,
  kRatchetMessage = 2,
  kGroupMessage = 3,
  kSealed = 4,
};

// Sender -> relay. `sender` is empty exactly when the envelope is sealed:
// always for kSealed, never for kPrekeyMessage and kRatchetMessage, and for
// kGroupMessage when the group message was sent sealed.
struct Envelope {
  std::string sender;
  std::string recipient;
  crypto::FrankingCommitment franking_commitment;
  ContentType content_type;
  Bytes payload;  // encoded PrekeyMessage or RatchetMessage
};

// Sender -> relay, for a group message: `payload` is an encoded
// GroupMessage; `recipients` the other members (1..kMaxGroupMembers - 1,
// distinct, not the sender). `sender` is empty when sent sealed.
struct GroupEnvelope {
  std::string sender;
  std::vector<std::string> recipients;
  crypto::FrankingCommitment franking_commitment;
  Bytes payload;
};

// Relay -> recipient. `envelope_bytes` are the sender's bytes, verbatim.
struct Delivery {
  Bytes envelope_bytes;
  Envelope envelope;
  uint64_t server_time;
  crypto::RelayTag relay_tag;
};

// Relay -> sender. `recipient` is empty for a sealed group message: its
// tag is the sealed one over the empty recipient.
struct RelayAck {
  std::string recipient;
  crypto::FrankingCommitment franking_commitment;
  uint64_t server_time;
  crypto::RelayTag relay_tag;
};

struct PrekeyMessage {
  crypto::Ed25519PublicKey identity_key;
  crypto::X25519PublicKey ephemeral_key;
  uint32_t signed_prekey_id;
  std::optional<uint32_t> one_time_prekey_id;
  crypto::RatchetCiphertext message;
  std::optional<crypto::PqPrekeyUse> pq;  // PQXDH; absent for classical X3DH
};

Result<crypto::PrekeyBundle> DecodePrekeyBundle(ByteView bytes);
Result<Bytes> EncodePrekeyBundle(const crypto::PrekeyBundle& bundle);

Result<Envelope> DecodeEnvelope(ByteView bytes);
Result<Bytes> EncodeEnvelope(const Envelope& envelope);

// Decodes the inner envelope as well.
Result<GroupEnvelope> DecodeGroupEnvelope(ByteView bytes);
Result<Bytes> EncodeGroupEnvelope(const GroupEnvelope& envelope);

// GroupMessage { sealed }: crypto::GroupEncrypt's bytes, its sizes checked
// (kid, header, a padding bucket + tag, signature).
Result<Bytes> EncodeGroupMessage(ByteView sealed);
Result<Bytes> DecodeGroupMessage(ByteView bytes);

Result<Delivery> DecodeDelivery(ByteView bytes);
Result<Bytes> EncodeDelivery(ByteView envelope_bytes, uint64_t server_time,
                             const crypto::RelayTag& relay_tag);

Result<RelayAck> DecodeRelayAck(ByteView bytes);
Result<Bytes> EncodeRelayAck(const RelayAck& ack);

Result<crypto::RatchetCiphertext> DecodeRatchetMessage(ByteView bytes);
Result<Bytes> EncodeRatchetMessage(const crypto::RatchetCiphertext& message);

Result<PrekeyMessage> DecodePrekeyMessage(ByteView bytes);
Result<Bytes> EncodePrekeyMessage(const PrekeyMessage& message);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_WIRE_H_
