#include "candor/report/report.h"

#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/frame.h"
#include "candor/storage/store.h"

namespace candor::report {

using protocol::ReportBundle;
using protocol::ReportedMessage;
using protocol::ReportPreview;
using protocol::StoredMessage;

namespace {

ReportedMessage FromStored(const StoredMessage& m) {
  // An acknowledgement brings the time and the tag together; a message with
  // only one of them cannot be checked either way.
  const bool acked = m.relay_tag.has_value() && m.server_time.has_value();
  return ReportedMessage{m.sender,
                         m.recipient,
                         acked ? *m.server_time : 0,
                         m.content,
                         m.franking_key.Clone(),
                         m.franking_commitment,
                         acked ? m.relay_tag : std::nullopt,
                         m.sealed_proof};
}

// Pads an encoded bundle to its Padmé bucket and seals it.
Result<Bytes> SealEncoded(ByteView encoded, const crypto::X25519PublicKey& moderator) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes padded, protocol::Pad(encoded, kMaxReportPaddedBytes));
  return crypto::SealedBoxSeal(moderator, padded.Expose());
}

}  // namespace

namespace {

// The window of conversation `conversation` ending at `message_id`, as a
// bundle against `reported` (nullopt: the reported message's sender).
Result<ReportPreview> PrepareWindow(protocol::DeviceStore& store, std::string_view reporter,
                                    std::string_view conversation,
                                    std::optional<std::string_view> reported_account,
                                    std::optional<crypto::GroupId> group, int64_t message_id,
                                    protocol::ReportReason reason, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<StoredMessage> reported, store.MessageById(message_id, now));
  if (!reported || reported->peer != conversation) {
    return Error(Errc::kNotFound, "no message " + std::to_string(message_id) +
                                      " in this conversation (or it has expired)");
  }
  if (!reported_account && reported->sender == reporter) {
    return Error(Errc::kInvalidArgument,
                 "in a group, a report names the member who wrote the reported message: not "
                 "one of this device's own");
  }
  CANDOR_ASSIGN_OR_RETURN(
      std::vector<StoredMessage> before,
      store.MessagesBefore(conversation, reported->local_order, kReportWindow - 1, now));
  ReportPreview preview{
      {},
      ReportBundle{std::string(reporter),
                   std::string(reported_account.value_or(reported->sender)), reason, now, {},
                   group}};
  for (const StoredMessage& m : before) {
    preview.message_ids.push_back(m.id);
    preview.bundle.messages.push_back(FromStored(m));
  }
  preview.message_ids.push_back(reported->id);
  preview.bundle.messages.push_back(FromStored(*reported));
  // The encoder's checks (window size, accounts, lengths) hold for what the
  // store returned; a failure here is a bug or a damaged store. Every
  // message is between reporter and peer: all come from that conversation.
  CANDOR_RETURN_IF_ERROR(protocol::EncodeReportBundle(preview.bundle));
  return preview;
}

}  // namespace

Result<ReportPreview> PrepareReport(protocol::DeviceStore& store, std::string_view reporter,
                                    std::string_view peer, int64_t message_id,
                                    protocol::ReportReason reason, uint64_t now) {
  return PrepareWindow(store, reporter, peer, peer, std::nullopt, message_id, reason, now);
}

Result<ReportPreview> PrepareGroupReport(protocol::DeviceStore& store, std::string_view reporter,
                                         const crypto::GroupId& group, int64_t message_id,
                                         protocol::ReportReason reason, uint64_t now) {
  return PrepareWindow(store, reporter, storage::Store::GroupConversation(group), std::nullopt,
                       group, message_id, reason, now);
}

Result<Bytes> SealReport(const ReportBundle& bundle, const crypto::X25519PublicKey& moderator) {
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeReportBundle(bundle));
  return SealEncoded(encoded, moderator);
}

namespace {

// The report log keeps a report's plaintext no longer than the messages it
// shows: until the last of them expires, or for good if any never does.
Result<std::optional<uint64_t>> LastExpiry(protocol::DeviceStore& store,
                                           const std::vector<int64_t>& message_ids, uint64_t now) {
  uint64_t last = 0;
  for (int64_t id : message_ids) {
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::StoredMessage> m, store.MessageById(id, now));
    if (!m) return Error(Errc::kPreviewMismatch, "a reported message expired while submitting");
    if (!m->expires_at) return std::optional<uint64_t>();
    last = std::max(last, *m->expires_at);
  }
  return std::optional<uint64_t>(last);
}

}  // namespace

Result<SubmittedReport> SubmitReport(protocol::DeviceStore& store, std::string_view reporter,
                                     const ReportPreview& preview,
                                     const crypto::X25519PublicKey& moderator, uint64_t now) {
  if (preview.message_ids.empty() || preview.message_ids.size() != preview.bundle.messages.size()) {
    return Error(Errc::kInvalidArgument, "a preview has one local id per message");
  }
  if (preview.bundle.reporter != reporter) {
    return Error(Errc::kPreviewMismatch, "the preview was made by another account");
  }
  // What the user saw must be what is stored: prepare again and compare the
  // serialized bundles, byte for byte.
  const int64_t reported_id = preview.message_ids.back();
  CANDOR_ASSIGN_OR_RETURN(
      ReportPreview fresh,
      preview.bundle.group
          ? PrepareGroupReport(store, reporter, *preview.bundle.group, reported_id,
                               preview.bundle.reason, now)
          : PrepareReport(store, reporter, preview.bundle.reported, reported_id,
                          preview.bundle.reason, now));
  fresh.bundle.created_at = preview.bundle.created_at;
  CANDOR_ASSIGN_OR_RETURN(Bytes expected, protocol::EncodeReportBundle(fresh.bundle));
  CANDOR_ASSIGN_OR_RETURN(Bytes shown, protocol::EncodeReportBundle(preview.bundle));
  if (expected != shown || fresh.message_ids != preview.message_ids) {
    return Error(Errc::kPreviewMismatch,
                 "the preview differs from the stored messages (edited, or the conversation "
                 "changed since): prepare it again");
  }
  if (preview.bundle.created_at > now + kMaxReportClockSkewSeconds) {
    return Error(Errc::kPreviewMismatch, "the preview is dated in the future");
  }
  CANDOR_ASSIGN_OR_RETURN(
      protocol::EgressRecord egress,
      protocol::CheckEgress(protocol::EgressChannel::kModeration, protocol::kReportBundleType, shown));
  CANDOR_ASSIGN_OR_RETURN(std::string json, protocol::ReportPreviewToJson(preview, false));
  // `shown` is exactly the bundle the guard checked: seal those bytes.
  CANDOR_ASSIGN_OR_RETURN(Bytes sealed, SealEncoded(shown, moderator));
  egress.time = now;
  egress.bytes = sealed.size();
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> content_expires_at,
                          LastExpiry(store, preview.message_ids, now));
  const protocol::ReportRecord record{0,
                                      preview.bundle.reported,
                                      std::string(protocol::ReportReasonName(preview.bundle.reason)),
                                      preview.bundle.created_at,
                                      preview.bundle.messages.size(),
                                      std::move(json),
                                      moderator.bytes(),
                                      sealed,
                                      content_expires_at};
  CANDOR_ASSIGN_OR_RETURN(int64_t id, store.SaveReport(record));
  return SubmittedReport{id, preview.bundle.messages.size(), std::move(sealed), std::move(egress)};
}

}  // namespace candor::report
