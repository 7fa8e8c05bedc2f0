// The egress guard: the one check every byte string candor hands out passes
// (DESIGN.md "Metadata exposure policy", docs/metadata-policy.md). Envelopes
// and bundles (candor::Client), reports (report::SubmitReport, before
// sealing) and the reference relay's deliveries and acknowledgements all go
// through CheckEgress.
//
// It decodes the bytes as the named top-level message and walks them by
// reflection — nested messages and serialized messages carried in bytes
// fields included — and refuses, with nothing emitted:
//   - a message type whose (candor.privacy.egress) channels do not include
//     the channel (kPolicyViolation: e.g. local session state on the relay);
//   - any set field without an exposure annotation, or whose audience does
//     not include the channel (kPolicyViolation);
//   - any unknown field (kUnknownField), and bytes that do not decode.
// The returned record is what the optional egress log writes.
#ifndef CANDOR_PROTOCOL_EGRESS_H_
#define CANDOR_PROTOCOL_EGRESS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"

namespace candor::protocol {

// kTokenService: the moderation service's token issuance (sealed sender),
// a role apart from receiving reports.
enum class EgressChannel : uint8_t {
  kRelay = 1,
  kDirectory = 2,
  kModeration = 3,
  kBlobStore = 4,
  kTokenService = 5,
};
// "relay", "directory", "moderation", "blob_store", "token_service"
std::string_view EgressChannelName(EgressChannel channel);
Result<EgressChannel> ParseEgressChannel(std::string_view name);

// Full protobuf names of the top-level messages candor emits.
inline constexpr std::string_view kEnvelopeType = "candor.wire.Envelope";
inline constexpr std::string_view kDeliveryType = "candor.wire.Delivery";
inline constexpr std::string_view kRelayAckType = "candor.wire.RelayAck";
inline constexpr std::string_view kGroupEnvelopeType = "candor.wire.GroupEnvelope";
inline constexpr std::string_view kPrekeyBundleType = "candor.wire.PrekeyBundle";
inline constexpr std::string_view kReportBundleType = "candor.report.ReportBundle";
inline constexpr std::string_view kBlobUploadType = "candor.wire.BlobUpload";
inline constexpr std::string_view kBlobFetchType = "candor.wire.BlobFetch";
inline constexpr std::string_view kSenderCertificateType = "candor.wire.SenderCertificate";
inline constexpr std::string_view kTokenRequestType = "candor.wire.TokenRequest";
inline constexpr std::string_view kTokenResponseType = "candor.wire.TokenResponse";

struct EgressRecord {
  uint64_t time = 0;  // Unix seconds; set by whoever emits
  EgressChannel channel;
  std::string message_type;         // full protobuf name
  std::vector<std::string> fields;  // full names of the set fields, nested ones included, sorted
  uint64_t bytes = 0;               // what leaves (for a report: the sealed size)
};

// `bytes`: the version byte and the message, as candor encodes it.
Result<EgressRecord> CheckEgress(EgressChannel channel, std::string_view message_type,
                                 ByteView bytes);

// One line of the egress log (JSON, no newline):
//   {"time":…,"channel":"relay","message_type":"candor.wire.Envelope",
//    "fields":["candor.wire.Envelope.sender",…],"bytes":…}
std::string EgressRecordToJson(const EgressRecord& record);
// Strict: kMalformed unless the line is exactly such an object.
Result<EgressRecord> EgressRecordFromJson(std::string_view line);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_EGRESS_H_
