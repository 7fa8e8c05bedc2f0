// ReportBundle codec and the preview's JSON form.
#include "candor/protocol/report_wire.h"

#include <google/protobuf/util/json_util.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/report/report.pb.h"
#include "strict_parse.h"
#include "utf8.h"

namespace candor::protocol {

using internal::CheckAccountField;
using internal::FixedBytes;
using internal::ParseStrict;
using internal::ToBytes;
using internal::View;

namespace {

constexpr std::string_view kReasonNames[] = {"spam",           "harassment",    "threat",
                                             "sexual_content", "impersonation", "other"};
constexpr std::string_view kChannel = "moderation";

bool IsKnownReason(int value) {
  return value >= 1 && value <= static_cast<int>(std::size(kReasonNames));
}

// "out" for the reporter's own messages, "in" for the other side's.
std::string_view DirectionOf(const ReportedMessage& m, std::string_view reporter) {
  return m.sender == reporter ? "out" : "in";
}

// The checks Encode and Decode share: what makes a bundle well formed.
Result<void> CheckBundle(const ReportBundle& b) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(b.reporter, "report.reporter"));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(b.reported, "report.reported"));
  if (b.reporter == b.reported) {
    return Error(Errc::kFieldOutOfRange, "report.reported is the reporter");
  }
  if (!IsKnownReason(static_cast<int>(b.reason))) {
    return Error(Errc::kFieldOutOfRange, "report.reason is not a known reason");
  }
  if (b.created_at == 0) return Error(Errc::kMissingField, "report.created_at is missing");
  if (b.messages.empty()) return Error(Errc::kMissingField, "report has no messages");
  if (b.messages.size() > kReportWindow) {
    return Error(Errc::kFieldOutOfRange, "report has more than kReportWindow messages");
  }
  // Whether each message is between reporter and reported is not checked
  // here: it is the Verifier's to judge ("forged"), and a bundle must
  // decode for the moderator to say so rather than "unreadable". Previews
  // check it (CheckOneConversation).
  for (const ReportedMessage& m : b.messages) {
    CANDOR_RETURN_IF_ERROR(CheckAccountField(m.sender, "report.message.sender"));
    CANDOR_RETURN_IF_ERROR(CheckAccountField(m.recipient, "report.message.recipient"));
    if (m.content.empty() || m.content.size() > kMaxContentBytes) {
      return Error(Errc::kFieldOutOfRange, "report.message.content is empty or too large");
    }
  }
  return Ok();
}

// A preview is made from one conversation of the reporter's, so each of its
// messages is between reporter and reported. (A bundle is not refused for
// this: the Verifier judges it, see CheckBundle.)
Result<void> CheckOneConversation(const ReportBundle& b) {
  if (b.messages.empty()) return Error(Errc::kMissingField, "report has no messages");
  if (b.group) {
    // A group's history holds the reporter's copies: each addressed to it.
    for (const ReportedMessage& m : b.messages) {
      if (m.recipient != b.reporter) {
        return Error(Errc::kWrongPeer, "a reported group message is not the reporter's copy");
      }
    }
    if (b.messages.back().sender != b.reported) {
      return Error(Errc::kWrongPeer, "the reported group message is not from the reported account");
    }
    return Ok();
  }
  for (const ReportedMessage& m : b.messages) {
    const bool out = m.sender == b.reporter && m.recipient == b.reported;
    const bool in = m.sender == b.reported && m.recipient == b.reporter;
    if (!out && !in) {
      return Error(Errc::kWrongPeer, "a reported message is not between reporter and reported");
    }
  }
  return Ok();
}

void ToProto(const ReportBundle& b, report::ReportBundle& pb) {
  pb.set_reporter(b.reporter);
  pb.set_reported(b.reported);
  pb.set_reason(static_cast<report::Reason>(b.reason));
  pb.set_created_at(b.created_at);
  if (b.group) CANDOR_SET_BYTES(pb, group_id, *b.group);
  for (const ReportedMessage& m : b.messages) {
    report::ReportedMessage* p = pb.add_messages();
    p->set_sender(m.sender);
    p->set_recipient(m.recipient);
    p->set_server_time(m.server_time);
    CANDOR_SET_BYTES(*p, content, m.content);
    CANDOR_SET_BYTES(*p, franking_key, m.franking_key.Expose());
    CANDOR_SET_BYTES(*p, commitment, m.commitment);
    if (m.relay_tag) CANDOR_SET_BYTES(*p, relay_tag, *m.relay_tag);
    if (!m.sealed_proof.empty()) CANDOR_SET_BYTES(*p, sealed_proof, m.sealed_proof);
  }
}

// Field lengths of one message, from protobuf's strings.
Result<ReportedMessage> MessageFromFields(const std::string& sender, const std::string& recipient,
                                          uint64_t server_time, const std::string& content,
                                          const std::string& fk, const std::string& commitment,
                                          const std::string& tag, const std::string& proof) {
  CANDOR_ASSIGN_OR_RETURN(auto key, FixedBytes<crypto::kFrankingKeyBytes>(
                                        fk, "report.message.franking_key"));
  CANDOR_ASSIGN_OR_RETURN(auto c, FixedBytes<crypto::kFrankingCommitmentBytes>(
                                      commitment, "report.message.commitment"));
  std::optional<crypto::RelayTag> relay_tag;
  if (!tag.empty()) {
    CANDOR_ASSIGN_OR_RETURN(relay_tag, (FixedBytes<crypto::kRelayTagBytes>(
                                           tag, "report.message.relay_tag")));
  }
  if (!proof.empty()) {
    // Its form only; whether it proves anything is the moderator's check.
    CANDOR_RETURN_IF_ERROR(DecodeSealedProof(AsBytes(proof)));
  }
  CANDOR_ASSIGN_OR_RETURN(auto franking_key, crypto::FrankingKey::CopyFrom(key));
  return ReportedMessage{sender,         recipient,       server_time, ToBytes(content),
                         std::move(franking_key), c, relay_tag, ToBytes(proof)};
}

Result<ReportReason> ReasonFromProto(int value) {
  if (!IsKnownReason(value)) {
    return Error(Errc::kFieldOutOfRange, "report.reason is not a known reason");
  }
  return static_cast<ReportReason>(value);
}

}  // namespace

std::string_view ReportReasonName(ReportReason reason) {
  const int i = static_cast<int>(reason);
  return IsKnownReason(i) ? kReasonNames[i - 1] : "unknown";
}

Result<ReportReason> ParseReportReason(std::string_view name) {
  for (size_t i = 0; i < std::size(kReasonNames); ++i) {
    if (kReasonNames[i] == name) return static_cast<ReportReason>(i + 1);
  }
  return Error(Errc::kFieldOutOfRange,
               "unknown report reason; use spam, harassment, threat, sexual_content, "
               "impersonation or other");
}

ReportedMessage CopyReportedMessage(const ReportedMessage& m) {
  return ReportedMessage{m.sender,  m.recipient,             m.server_time, m.content,
                         m.franking_key.Clone(), m.commitment, m.relay_tag, m.sealed_proof};
}

Result<Bytes> EncodeReportBundle(const ReportBundle& bundle) {
  CANDOR_RETURN_IF_ERROR(CheckBundle(bundle));
  report::ReportBundle pb;
  ToProto(bundle, pb);
  Bytes out = internal::Serialize(pb, kReportBundleVersion);
  for (auto& m : *pb.mutable_messages()) internal::WipeStringCapacity(*m.mutable_franking_key());
  if (out.size() > kMaxReportBundleBytes) {
    return Error(Errc::kMessageTooLarge, "report bundle larger than kMaxReportBundleBytes");
  }
  return out;
}

Result<ReportBundle> DecodeReportBundle(ByteView bytes) {
  report::ReportBundle pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxReportBundleBytes, kReportBundleVersion, pb));
  CANDOR_ASSIGN_OR_RETURN(ReportReason reason, ReasonFromProto(pb.reason()));
  ReportBundle b{pb.reporter(), pb.reported(), reason, pb.created_at(), {}, std::nullopt};
  if (!pb.group_id().empty()) {
    CANDOR_ASSIGN_OR_RETURN(b.group, (FixedBytes<crypto::kGroupIdBytes>(pb.group_id(),
                                                                       "report.group_id")));
  }
  if (pb.messages_size() > static_cast<int>(kReportWindow)) {
    return Error(Errc::kFieldOutOfRange, "report has more than kReportWindow messages");
  }
  for (const auto& m : pb.messages()) {
    CANDOR_ASSIGN_OR_RETURN(ReportedMessage msg,
                            MessageFromFields(m.sender(), m.recipient(), m.server_time(),
                                              m.content(), m.franking_key(), m.commitment(),
                                              m.relay_tag(), m.sealed_proof()));
    b.messages.push_back(std::move(msg));
  }
  CANDOR_RETURN_IF_ERROR(CheckBundle(b));
  return b;
}

Result<size_t> SealedReportSize(size_t bundle_bytes) {
  CANDOR_ASSIGN_OR_RETURN(size_t padded, PaddedSize(bundle_bytes, kMaxReportPaddedBytes));
  return padded + crypto::kSealedBoxOverheadBytes;
}

// --- Preview JSON ------------------------------------------------------------------

Result<std::string> ReportPreviewToJson(const ReportPreview& preview, bool pretty) {
  const ReportBundle& b = preview.bundle;
  if (preview.message_ids.size() != b.messages.size()) {
    return Error(Errc::kInvalidArgument, "one local id per reported message");
  }
  CANDOR_RETURN_IF_ERROR(CheckOneConversation(b));
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, EncodeReportBundle(b));
  CANDOR_ASSIGN_OR_RETURN(size_t sealed, SealedReportSize(encoded.size()));
  report::ReportPreview pb;
  pb.set_format(std::string(kReportPreviewFormat));
  pb.set_reporter(b.reporter);
  pb.set_reported(b.reported);
  pb.set_reason(std::string(ReportReasonName(b.reason)));
  pb.set_created_at(b.created_at);
  pb.set_reported_message_id(preview.message_ids.back());
  pb.set_channel(std::string(kChannel));
  pb.set_bundle_bytes(encoded.size());
  pb.set_sealed_bytes(sealed);
  if (b.group) pb.set_group_id(ToHex(*b.group));
  for (size_t i = 0; i < b.messages.size(); ++i) {
    const ReportedMessage& m = b.messages[i];
    CANDOR_ASSIGN_OR_RETURN(std::string text, DecodeContentText(m.content));
    report::PreviewMessage* p = pb.add_messages();
    p->set_id(preview.message_ids[i]);
    p->set_direction(std::string(DirectionOf(m, b.reporter)));
    p->set_sender(m.sender);
    p->set_recipient(m.recipient);
    p->set_server_time(m.server_time);
    p->set_text(std::move(text));
    CANDOR_SET_BYTES(*p, content, m.content);
    CANDOR_SET_BYTES(*p, franking_key, m.franking_key.Expose());
    CANDOR_SET_BYTES(*p, commitment, m.commitment);
    if (m.relay_tag) CANDOR_SET_BYTES(*p, relay_tag, *m.relay_tag);
    p->set_verifiable(IsVerifiable(m));
    if (!m.sealed_proof.empty()) {
      CANDOR_SET_BYTES(*p, sealed_proof, m.sealed_proof);
      p->set_notice(std::string(kSealedReportNotice));
    }
    for (const AttachmentInfo& a : DescribeAttachments(m.content)) {
      report::PreviewAttachment* shown = p->add_attachments();
      shown->set_media_type(a.media_type);
      shown->set_file_name(a.file_name);
      shown->set_length(a.length);
      shown->set_blob_id(ToHex(a.blob_id));
      shown->set_thumbnail_bytes(a.thumbnail.size());
    }
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(pb, &json, options).ok()) {
    return Error(Errc::kInternal, "the preview does not print as JSON");
  }
  return json;
}

namespace {

Error Mismatch(const std::string& what) {
  return Error(Errc::kFieldOutOfRange, "report preview: " + what +
                                           " does not match the bytes it describes");
}

}  // namespace

Result<ReportPreview> ReportPreviewFromJson(std::string_view json) {
  if (json.size() > kMaxReportPreviewBytes) {
    return Error(Errc::kMessageTooLarge, "report preview larger than kMaxReportPreviewBytes");
  }
  if (!internal::IsValidUtf8(json)) {
    return Error(Errc::kMalformed, "report preview is not UTF-8");
  }
  report::ReportPreview pb;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &pb, options).ok()) {
    return Error(Errc::kMalformed,
                 "report preview is not a JSON preview document (syntax, types or unknown fields)");
  }
  if (pb.format() != kReportPreviewFormat) {
    return Error(Errc::kUnsupportedVersion, "report preview format is not " +
                                                std::string(kReportPreviewFormat));
  }
  if (pb.channel() != kChannel) return Mismatch("channel");
  CANDOR_ASSIGN_OR_RETURN(ReportReason reason, ParseReportReason(pb.reason()));
  ReportPreview preview{
      {}, ReportBundle{pb.reporter(), pb.reported(), reason, pb.created_at(), {}, std::nullopt}};
  if (!pb.group_id().empty()) {
    auto id = FromHex(pb.group_id());
    if (!id.has_value() || id->size() != crypto::kGroupIdBytes || ToHex(*id) != pb.group_id()) {
      return Error(Errc::kFieldOutOfRange, "report preview: group_id is not 64 lowercase hex digits");
    }
    preview.bundle.group.emplace();
    std::copy(id->begin(), id->end(), preview.bundle.group->begin());
  }
  if (pb.messages_size() > static_cast<int>(kReportWindow)) {
    return Error(Errc::kFieldOutOfRange, "report has more than kReportWindow messages");
  }
  for (const auto& p : pb.messages()) {
    CANDOR_ASSIGN_OR_RETURN(ReportedMessage m,
                            MessageFromFields(p.sender(), p.recipient(), p.server_time(),
                                              p.content(), p.franking_key(), p.commitment(),
                                              p.relay_tag(), p.sealed_proof()));
    auto text = DecodeContentText(m.content);
    if (!text.has_value() || *text != p.text()) return Mismatch("a message's text");
    if (p.direction() != DirectionOf(m, pb.reporter())) return Mismatch("a message's direction");
    if (p.verifiable() != IsVerifiable(m)) {
      return Mismatch("a message's verifiable flag");
    }
    if (p.notice() != (m.sealed_proof.empty() ? std::string_view() : kSealedReportNotice)) {
      return Mismatch("a message's notice");
    }
    const std::vector<AttachmentInfo> attachments = DescribeAttachments(m.content);
    if (p.attachments_size() != static_cast<int>(attachments.size())) {
      return Mismatch("a message's attachment list");
    }
    for (size_t i = 0; i < attachments.size(); ++i) {
      const auto& shown = p.attachments(static_cast<int>(i));
      if (shown.media_type() != attachments[i].media_type ||
          shown.file_name() != attachments[i].file_name ||
          shown.length() != attachments[i].length ||
          shown.blob_id() != ToHex(attachments[i].blob_id) ||
          shown.thumbnail_bytes() != attachments[i].thumbnail.size()) {
        return Mismatch("an attachment's description");
      }
    }
    preview.message_ids.push_back(p.id());
    preview.bundle.messages.push_back(std::move(m));
  }
  CANDOR_RETURN_IF_ERROR(CheckOneConversation(preview.bundle));
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, EncodeReportBundle(preview.bundle));
  if (preview.message_ids.back() != pb.reported_message_id()) {
    return Mismatch("reported_message_id");
  }
  CANDOR_ASSIGN_OR_RETURN(size_t sealed, SealedReportSize(encoded.size()));
  if (pb.bundle_bytes() != encoded.size() || pb.sealed_bytes() != sealed) {
    return Mismatch("bundle_bytes / sealed_bytes");
  }
  return preview;
}

}  // namespace candor::protocol
