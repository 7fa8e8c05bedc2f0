// The report formats (protocol/proto/candor/report.proto, docs/reports.md):
// the ReportBundle the moderation service receives, and the preview the
// user is shown before submit, as JSON. Both decoders are strict, in the
// usual layers (wire.h), because both read input a hostile party can shape:
// a moderator opens bundles from anyone, and a preview file can be edited.
#ifndef CANDOR_PROTOCOL_REPORT_WIRE_H_
#define CANDOR_PROTOCOL_REPORT_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"
#include "candor/protocol/device_store.h"

namespace candor::protocol {

enum class ReportReason : uint8_t {
  kSpam = 1,
  kHarassment = 2,
  kThreat = 3,
  kSexualContent = 4,
  kImpersonation = 5,
  kOther = 6,
};
// "spam", "harassment", "threat", "sexual_content", "impersonation", "other".
std::string_view ReportReasonName(ReportReason reason);
// kFieldOutOfRange for any other name.
Result<ReportReason> ParseReportReason(std::string_view name);

struct ReportedMessage {
  std::string sender;
  std::string recipient;
  uint64_t server_time;  // 0: unknown (an outgoing message never acknowledged)
  Bytes content;         // serialized Content, verbatim
  crypto::FrankingKey franking_key;
  crypto::FrankingCommitment commitment;
  std::optional<crypto::RelayTag> relay_tag;  // absent: unverifiable
  // Sent sealed: the Frame's proof (EncodeSealedProof's bytes, checked to
  // decode); `relay_tag` is then the sealed form. Empty otherwise.
  Bytes sealed_proof = {};
};

// What the preview tells the user about a sealed message in the window.
inline constexpr std::string_view kSealedReportNotice =
    "sent sealed: the moderation service will open this message's moderation token and learn "
    "which account sent it";
ReportedMessage CopyReportedMessage(const ReportedMessage& m);
// Whether the moderator can check the relay's word on it: a relay tag and
// the server time it binds (an acknowledgement brings both).
inline bool IsVerifiable(const ReportedMessage& m) {
  return m.relay_tag.has_value() && m.server_time != 0;
}

struct ReportBundle {
  std::string reporter;
  std::string reported;
  ReportReason reason;
  uint64_t created_at;
  std::vector<ReportedMessage> messages;  // 1..kReportWindow, oldest first
  // A report from a group (DESIGN.md "Groups"): G, inside each message's
  // group franking commitment. Its messages are the copies the reporter
  // holds (each one's recipient is the reporter: a delivery to it, or its
  // own message, which the relay acknowledged with the sender as recipient),
  // from any member; `reported` is the reported (last) message's sender.
  std::optional<crypto::GroupId> group = std::nullopt;
};

// Version byte + ReportBundle. Both check the form: accounts, reporter and
// reported distinct, 1..kReportWindow messages, key/commitment/tag lengths,
// content size. What the messages say (who they are between, franking,
// order, repeats) is the Verifier's to judge: a fabricated bundle decodes,
// and comes out "forged".
Result<Bytes> EncodeReportBundle(const ReportBundle& bundle);
Result<ReportBundle> DecodeReportBundle(ByteView bytes);

// What the user is shown: the bundle exactly as it will be serialized, plus
// the local ids of its messages (the last is the reported one).
struct ReportPreview {
  std::vector<int64_t> message_ids;  // parallel to bundle.messages
  ReportBundle bundle;
};

inline constexpr std::string_view kReportPreviewFormat = "candor-report-preview-v1";

// The JSON document (report.proto's ReportPreview). Besides the bundle's
// fields it spells out, for the reader, each message's direction, decoded
// text and verifiability, the channel, and the exact sizes of the bundle and
// of the sealed bytes that leave the device.
Result<std::string> ReportPreviewToJson(const ReportPreview& preview, bool pretty);
// Strict: size cap (kMaxReportPreviewBytes), UTF-8, JSON syntax, no unknown
// fields, every bundle check, every message between reporter and reported
// (kWrongPeer; for a group, every message's recipient is the reporter and
// the last one's sender the reported account; also checked by
// ReportPreviewToJson), and every derived field (direction, text,
// verifiable, sizes, format, channel) equal to what the bytes imply — an
// edited text without its content is refused here.
Result<ReportPreview> ReportPreviewFromJson(std::string_view json);

// The size `bundle_bytes` pads and seals to.
Result<size_t> SealedReportSize(size_t bundle_bytes);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_REPORT_WIRE_H_
