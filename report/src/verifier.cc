#include "candor/report/verifier.h"

#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/json.h"
#include "sealed_verdict.h"

namespace candor::report {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kVerified: return "verified";
    case Verdict::kForged: return "forged";
    case Verdict::kUnverifiable: return "unverifiable";
    case Verdict::kFlagged: return "flagged";
  }
  return "unknown";
}

std::string_view AttachmentVerdictName(AttachmentVerdict verdict) {
  switch (verdict) {
    case AttachmentVerdict::kVerified: return "verified";
    case AttachmentVerdict::kForged: return "forged";
    case AttachmentVerdict::kUnavailable: return "unavailable";
    case AttachmentVerdict::kNotChecked: return "not_checked";
    case AttachmentVerdict::kBrokenBySender: return "broken_by_sender";
    case AttachmentVerdict::kUnverifiable: return "unverifiable";
  }
  return "unknown";
}

namespace {

// Who the message claims to be between, as the report names them.
enum class Party { kFromReporter, kToReporter, kNeither };

Party PartyOf(const protocol::ReportedMessage& m, const protocol::ReportBundle& b) {
  if (b.group) {
    // A group report holds the reporter's copies, from any member: each one
    // a delivery to the reporter, or the reporter's own message, which the
    // relay acknowledged with the sender as recipient.
    if (m.recipient != b.reporter) return Party::kNeither;
    return m.sender == b.reporter ? Party::kFromReporter : Party::kToReporter;
  }
  if (m.sender == b.reporter && m.recipient == b.reported) return Party::kFromReporter;
  if (m.sender == b.reported && m.recipient == b.reporter) return Party::kToReporter;
  return Party::kNeither;
}

VerifiedMessage Judge(const protocol::ReportedMessage& m, const protocol::ReportBundle& bundle,
                      const crypto::RelayKey& relay_key, const SealedModerationKeys* sealed) {
  VerifiedMessage v{m.sender, m.recipient, m.server_time, {}, Verdict::kForged, {}};
  v.sealed = !m.sealed_proof.empty();
  // The same decoder as the recipient's: content it would have refused
  // (empty, control characters, not canonical) was never received.
  auto text = protocol::DecodeContentText(m.content);
  if (!text.has_value()) {
    v.why = "the content is not a valid candor Content message: " + text.error().message();
    return v;
  }
  v.text = std::move(text).value();
  const Party party = PartyOf(m, bundle);
  if (party == Party::kNeither) {
    v.why = bundle.group ? "not the reporter's copy of a group message (its recipient is "
                           "someone else)"
                         : "not a message between the reporter and the reported account: a "
                           "report holds one conversation of the reporter's";
    return v;
  }
  // The commitment first: it binds sender, recipient and content (a
  // group's: sender, group and content), and decides even without a relay
  // tag.
  if (bundle.group) {
    if (!crypto::VerifyGroupFrankingCommitment(m.franking_key, m.sender, *bundle.group,
                                               m.content, m.commitment).has_value()) {
      v.why = "the commitment does not open to this sender, group and content";
      return v;
    }
  } else if (!crypto::VerifyFrankingCommitment(m.franking_key, m.sender, m.recipient, m.content,
                                               m.commitment).has_value()) {
    v.why = "the commitment does not open to this sender, recipient and content";
    return v;
  }
  if (!protocol::IsVerifiable(m)) {
    // Only the reporter's own outgoing copy can lack the relay's word (its
    // acknowledgement may never have arrived). A delivery always carries a
    // tag and time, so a message "to the reporter" without them never
    // passed the relay: the reporter made it up.
    if (party == Party::kToReporter) {
      v.why = "no relay tag on a message to the reporter: every delivery carries one, so this "
              "message never passed the relay";
      return v;
    }
    v.verdict = Verdict::kUnverifiable;
    v.why = "no relay tag: the relay's acknowledgement never reached the reporter";
    return v;
  }
  if (v.sealed) {
    internal::JudgeSealed(m, bundle, relay_key, sealed, v);
    return v;
  }
  if (!crypto::VerifyRelayTag(relay_key, m.commitment, m.sender, m.recipient, m.server_time,
                              *m.relay_tag).has_value()) {
    v.why = "the relay tag does not match this commitment, sender, recipient and time";
    return v;
  }
  v.verdict = Verdict::kVerified;
  v.why = "commitment and relay tag check out";
  return v;
}

// The window as a whole: its messages are distinct. A commitment is drawn
// under a fresh random key per message, and a recipient refuses a second
// copy of a delivery, so two honest entries never share one; a repeat would
// show a real message as "said twice", or pad a window. The repeat is
// forged; the first copy keeps its own verdict.
//
// Not checked: that server times follow the window's order. The window is
// in the reporter's storing order, and a transport may deliver one
// sender's messages out of order (the ratchet accepts them; `candor demo`
// shows it), so an honest window can hold times out of order.
void JudgeRepeats(const protocol::ReportBundle& bundle, std::vector<VerifiedMessage>& judged) {
  const auto& messages = bundle.messages;
  for (size_t i = 0; i < messages.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (messages[i].commitment != messages[j].commitment) continue;
      judged[i].verdict = Verdict::kForged;
      judged[i].why = "repeats message " + std::to_string(j + 1) +
                      " of the window (same commitment): a window lists distinct messages";
      break;
    }
  }
}

// What the store served: hashed and counted as DecryptBlob reads it, and
// to its end afterwards, so a failure can be pinned on whoever caused it.
class WitnessSource final : public attachment::Source {
 public:
  WitnessSource(attachment::Source& inner, crypto::Blake2b hash)
      : inner_(inner), hash_(std::move(hash)) {}
  Result<size_t> Read(std::span<uint8_t> buffer) override {
    auto n = inner_.Read(buffer);
    if (!n.has_value()) {
      failed_ = n.error().message();
      return n.error();
    }
    hash_.Update(ByteView(buffer.data(), *n));
    count_ += *n;
    return *n;
  }
  // Reads the rest, up to `limit` bytes in all (an endless stream is not
  // the blob anyway); false if the store failed.
  bool Drain(uint64_t limit) {
    std::vector<uint8_t> buffer(kBlobChunkBytes);
    while (count_ <= limit && !failed_) {
      auto n = Read(buffer);
      if (!n.has_value()) return false;
      if (*n == 0) return true;
    }
    return !failed_;
  }
  const std::optional<std::string>& failed() const { return failed_; }
  bool HashIs(const attachment::BlobId& id) {
    const Bytes digest = hash_.Final();
    return std::equal(digest.begin(), digest.end(), id.begin(), id.end());
  }

 private:
  attachment::Source& inner_;
  crypto::Blake2b hash_;
  uint64_t count_ = 0;
  std::optional<std::string> failed_;
};

// Keeps the plaintext in a file while it can: a failed write ends the
// saving, never the check.
class SavingSink final : public attachment::Sink {
 public:
  explicit SavingSink(attachment::AtomicFileSink* file) : file_(file) {}
  Result<void> Write(ByteView bytes) override {
    if (file_ != nullptr && !error_) {
      if (auto w = file_->Write(bytes); !w.has_value()) error_ = w.error().message();
    }
    return Ok();
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  attachment::AtomicFileSink* file_;
  std::optional<std::string> error_;
};

// "<blob id>-<file name>": one name per blob, whatever report names it (a
// blob checked before is the same bytes), within NAME_MAX with the
// temporary suffix (kMaxFileNameBytes is 160).
std::string SaveName(const protocol::AttachmentPointer& p) {
  std::string name = ToHex(p.blob_id);
  name += "-";
  name += p.file_name.empty() ? std::string("attachment") : p.file_name;
  return name;
}

// One attachment. Every check DecryptBlob makes (chunks, end, padding,
// blob id, digest), then who is to blame for a failure: bytes that do not
// hash to the blob id were not the blob (the store's doing, or the
// transfer's: unavailable); the blob's own bytes that do not open to the
// pointer are what the sender committed to (broken_by_sender). Neither
// makes the report forged: the reporter can do neither.
VerifiedAttachment JudgeAttachment(const protocol::AttachmentPointer& p,
                                   const AttachmentAccess& access, Verdict message) {
  VerifiedAttachment v{protocol::Describe(p), AttachmentVerdict::kUnavailable, {}, {}};
  auto fetched = access.fetch(p.blob_id);
  if (!fetched.has_value()) {
    v.why = fetched.error().code() == Errc::kNotFound
                ? "the blob store does not have the blob (expired, or never uploaded)"
                : "the blob could not be fetched: " + fetched.error().message();
    return v;
  }
  auto hash = crypto::Blake2b::Create(32);
  if (!hash.has_value()) {
    v.why = hash.error().message();
    return v;
  }
  WitnessSource source(**fetched, std::move(*hash));
  std::unique_ptr<attachment::AtomicFileSink> file;
  std::string save_note;
  if (!access.save_dir.empty()) {
    const std::string name = SaveName(p);
    auto created = attachment::AtomicFileSink::Create(access.save_dir + "/" + name);
    if (created.has_value()) {
      file = std::move(*created);
      v.saved_as = name;
    } else if (created.error().code() == Errc::kAlreadyExists) {
      v.saved_as = name;  // kept by an earlier check: only the same blob has this name
      save_note = " (kept from an earlier check)";
    } else {
      save_note = " (not saved: " + created.error().message() + ")";
    }
  }
  // The thumbnail is the sender's too (inside the pointer) and may be all a
  // recipient's app showed: the moderator gets it beside the attachment.
  if (!access.save_dir.empty() && !p.thumbnail.empty()) {
    auto thumb = attachment::AtomicFileSink::Create(access.save_dir + "/" + ToHex(p.blob_id) +
                                                    "-thumbnail");
    if (thumb.has_value() && (*thumb)->Write(p.thumbnail).has_value()) (void)(*thumb)->Commit();
  }
  SavingSink sink(file.get());
  auto opened = attachment::DecryptBlob(
      source, attachment::BlobKey{p.blob_id, p.key.Clone(), p.length, p.digest}, sink);
  if (opened.has_value()) {
    if (sink.error()) {
      v.saved_as.clear();
      save_note = " (not saved: " + *sink.error() + ")";
    } else if (file) {
      if (auto committed = file->Commit(); !committed.has_value()) {
        v.saved_as.clear();
        save_note = " (not saved: " + committed.error().message() + ")";
      }
    }
    // The bytes are the ones the pointer names; whether the sender sent the
    // pointer is the message's verdict.
    v.verdict = message == Verdict::kVerified ? AttachmentVerdict::kVerified
                                              : AttachmentVerdict::kUnverifiable;
    v.why = (message == Verdict::kVerified
                 ? std::string("blob id, every chunk and the digest check out")
                 : std::string("opens to its pointer, but its message is unverifiable")) +
            save_note;
    return v;
  }
  v.saved_as.clear();
  if (source.failed() || !source.Drain(attachment::BlobSize(p.length) + 1)) {
    v.why = "the blob could not be fetched whole: " + source.failed().value_or("read failed");
    return v;
  }
  if (!source.HashIs(p.blob_id)) {
    v.why = "the blob store served bytes that are not this blob (their hash is not the blob "
            "id): the store's or the transfer's doing, not the sender's";
    return v;
  }
  v.verdict = AttachmentVerdict::kBrokenBySender;
  v.why = "the sender's blob (these exact bytes: they hash to the blob id in the sender's "
          "committed pointer) does not open to the pointer: " + opened.error().message() +
          ". No recipient could open it either: a corrupt blob, or a second opening under "
          "another key";
  return v;
}

void JudgeAttachments(const protocol::ReportBundle& bundle, std::vector<VerifiedMessage>& judged,
                      const AttachmentAccess* access) {
  for (size_t i = 0; i < bundle.messages.size(); ++i) {
    auto content = protocol::DecodeContent(bundle.messages[i].content);
    if (!content.has_value()) continue;  // the message is forged already
    for (const protocol::AttachmentPointer& p : content->attachments) {
      if (judged[i].verdict == Verdict::kForged) {
        judged[i].attachments.push_back({protocol::Describe(p), AttachmentVerdict::kForged,
                                         "its message is forged: the pointer is not what its "
                                         "sender sent",
                                         {}});
      } else if (access == nullptr || !access->fetch) {
        judged[i].attachments.push_back({protocol::Describe(p), AttachmentVerdict::kNotChecked,
                                         "no blob store was given", {}});
      } else {
        judged[i].attachments.push_back(JudgeAttachment(p, *access, judged[i].verdict));
      }
    }
  }
}

// How much a message's verdict weighs in the report's: forged, then
// flagged, then unverifiable, then verified.
int Weight(Verdict v) {
  switch (v) {
    case Verdict::kForged: return 3;
    case Verdict::kFlagged: return 2;
    case Verdict::kUnverifiable: return 1;
    case Verdict::kVerified: return 0;
  }
  return 3;
}

// The report's verdict from its messages': the heaviest (a report holding
// one fabricated message is a fabricated report), the first message with
// it giving the reason.
void JudgeReport(VerifiedReport& report) {
  report.verdict = Verdict::kVerified;
  report.why = "every message checks out";
  for (size_t i = 0; i < report.messages.size(); ++i) {
    const VerifiedMessage& m = report.messages[i];
    if (Weight(m.verdict) > Weight(report.verdict)) {
      report.verdict = m.verdict;
      report.why = "message " + std::to_string(i + 1) + ": " + m.why;
      if (m.verdict == Verdict::kFlagged) report.attributed_to = m.token_account;
    }
  }
  if (report.verdict != Verdict::kFlagged) report.attributed_to.clear();
}

}  // namespace

Result<VerifiedReport> Verifier::Verify(ByteView sealed, const AttachmentAccess* attachments) const {
  if (sealed.size() > kMaxReportSealedBytes) {
    return Error(Errc::kMessageTooLarge, "sealed report larger than kMaxReportSealedBytes");
  }
  CANDOR_ASSIGN_OR_RETURN(SecretBytes padded, crypto::SealedBoxOpen(moderator_, sealed));
  CANDOR_ASSIGN_OR_RETURN(ByteView body, protocol::Unpad(padded.Expose(), kMaxReportPaddedBytes));
  CANDOR_ASSIGN_OR_RETURN(protocol::ReportBundle bundle, protocol::DecodeReportBundle(body));
  VerifiedReport report{bundle.reporter, bundle.reported, bundle.reason, bundle.created_at,
                        Verdict::kForged, {},     {},              bundle.group};
  for (const protocol::ReportedMessage& m : bundle.messages) {
    report.messages.push_back(Judge(m, bundle, relay_key_, sealed_ ? &*sealed_ : nullptr));
  }
  // In a group the reported account is the reported (last) message's
  // sender: a report may not pin another member's words on it.
  if (bundle.group && bundle.messages.back().sender != bundle.reported) {
    report.messages.back().verdict = Verdict::kForged;
    report.messages.back().why = "the reported message is not from the reported account";
  }
  JudgeRepeats(bundle, report.messages);
  JudgeAttachments(bundle, report.messages, attachments);
  JudgeReport(report);
  return report;
}

std::string VerifiedReportToJson(const VerifiedReport& report) {
  std::vector<std::string> messages;
  for (const VerifiedMessage& m : report.messages) {
    std::vector<std::string> attachments;
    for (const VerifiedAttachment& a : m.attachments) {
      attachments.push_back(protocol::JsonObject()
                                .Str("media_type", a.info.media_type)
                                .Str("file_name", a.info.file_name)
                                .UInt("length", a.info.length)
                                .Str("blob_id", ToHex(a.info.blob_id))
                                .Str("verdict", AttachmentVerdictName(a.verdict))
                                .Str("why", a.why)
                                .Str("saved_as", a.saved_as)
                                .Str("thumbnail", ToHex(a.info.thumbnail))
                                .Finish());
    }
    messages.push_back(protocol::JsonObject()
                           .Str("sender", m.sender)
                           .Str("recipient", m.recipient)
                           .UInt("server_time", m.server_time)
                           .Str("text", m.text)
                           .Str("verdict", VerdictName(m.verdict))
                           .Str("why", m.why)
                           .Raw("sealed", m.sealed ? "true" : "false")
                           .Raw("token_account", m.token_account.empty()
                                                     ? std::string("null")
                                                     : protocol::JsonQuote(m.token_account))
                           .Raw("attachments", protocol::JsonArray(attachments))
                           .Finish());
  }
  return protocol::JsonObject()
      .Str("reporter", report.reporter)
      .Str("reported", report.reported)
      .Str("reason", protocol::ReportReasonName(report.reason))
      .UInt("created_at", report.created_at)
      .Str("verdict", VerdictName(report.verdict))
      .Str("why", report.why)
      .Raw("attributed_to", report.attributed_to.empty()
                                ? std::string("null")
                                : protocol::JsonQuote(report.attributed_to))
      .Raw("group_id", report.group ? protocol::JsonQuote(ToHex(*report.group)) : "null")
      .Raw("messages", protocol::JsonArray(messages))
      .Finish();
}

}  // namespace candor::report
