#include "candor/report/verifier.h"

#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/json.h"

namespace candor::report {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kVerified: return "verified";
    case Verdict::kForged: return "forged";
    case Verdict::kUnverifiable: return "unverifiable";
  }
  return "unknown";
}

std::string_view AttachmentVerdictName(AttachmentVerdict verdict) {
  switch (verdict) {
    case AttachmentVerdict::kVerified: return "verified";
    case AttachmentVerdict::kForged: return "forged";
    case AttachmentVerdict::kUnavailable: return "unavailable";
    case AttachmentVerdict::kNotChecked: return "not_checked";
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
                      const crypto::RelayKey& relay_key) {
  VerifiedMessage v{m.sender, m.recipient, m.server_time, {}, Verdict::kForged, {}};
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

// One attachment: fetch, then every check DecryptBlob makes (blob id,
// chunks, end, padding, digest). The plaintext goes to a temporary file
// kept only when all passed, or nowhere.
VerifiedAttachment JudgeAttachment(const protocol::AttachmentPointer& p, size_t message,
                                   size_t index, const AttachmentAccess& access) {
  VerifiedAttachment v{protocol::Describe(p), AttachmentVerdict::kForged, {}, {}};
  auto source = access.fetch(p.blob_id);
  if (!source.has_value()) {
    v.verdict = AttachmentVerdict::kUnavailable;
    v.why = source.error().code() == Errc::kNotFound
                ? "the blob store no longer has the blob"
                : "the blob could not be fetched: " + source.error().message();
    return v;
  }
  std::unique_ptr<attachment::AtomicFileSink> file;
  attachment::DiscardSink discard;
  if (!access.save_dir.empty()) {
    // Appended step by step: GCC 12 -O3 warns (-Wrestrict, falsely) on
    // "literal" + std::string.
    std::string name = "m";
    name += std::to_string(message + 1);
    name += "-a";
    name += std::to_string(index + 1);
    name += "-";
    name += p.file_name.empty() ? ToHex(p.blob_id) : p.file_name;
    auto created = attachment::AtomicFileSink::Create(access.save_dir + "/" + name);
    if (!created.has_value()) {
      v.verdict = AttachmentVerdict::kUnavailable;
      v.why = "cannot save it: " + created.error().message();
      return v;
    }
    file = std::move(*created);
    v.saved_as = name;
  }
  attachment::Sink& sink = file ? static_cast<attachment::Sink&>(*file) : discard;
  auto opened = attachment::DecryptBlob(
      **source, attachment::BlobKey{p.blob_id, p.key.Clone(), p.length, p.digest}, sink);
  if (!opened.has_value()) {
    v.saved_as.clear();
    v.why = "the blob does not open to the attachment the message names: " +
            opened.error().message();
    return v;
  }
  if (file) {
    if (auto committed = file->Commit(); !committed.has_value()) {
      v.saved_as.clear();
      v.verdict = AttachmentVerdict::kVerified;
      v.why = "blob id, every chunk and the digest check out (not saved: " +
              committed.error().message() + ")";
      return v;
    }
  }
  v.verdict = AttachmentVerdict::kVerified;
  v.why = "blob id, every chunk and the digest check out";
  return v;
}

void JudgeAttachments(const protocol::ReportBundle& bundle, std::vector<VerifiedMessage>& judged,
                      const AttachmentAccess* access) {
  for (size_t i = 0; i < bundle.messages.size(); ++i) {
    auto content = protocol::DecodeContent(bundle.messages[i].content);
    if (!content.has_value()) continue;  // the message is forged already
    for (size_t k = 0; k < content->attachments.size(); ++k) {
      const protocol::AttachmentPointer& p = content->attachments[k];
      if (judged[i].verdict == Verdict::kForged) {
        judged[i].attachments.push_back({protocol::Describe(p), AttachmentVerdict::kForged,
                                         "its message is forged: the pointer is not what its "
                                         "sender sent",
                                         {}});
      } else if (access == nullptr || !access->fetch) {
        judged[i].attachments.push_back({protocol::Describe(p), AttachmentVerdict::kNotChecked,
                                         "no blob store was given", {}});
      } else {
        judged[i].attachments.push_back(JudgeAttachment(p, i, k, *access));
      }
    }
  }
}

// The report's verdict from its messages': forged if any message is (a
// report holding one fabricated message is a fabricated report), else
// unverifiable if any is, else verified.
void JudgeReport(VerifiedReport& report) {
  report.verdict = Verdict::kVerified;
  report.why = "every message checks out";
  for (size_t i = 0; i < report.messages.size(); ++i) {
    const VerifiedMessage& m = report.messages[i];
    const std::string which = "message " + std::to_string(i + 1) + ": ";
    if (m.verdict == Verdict::kForged) {
      report.verdict = Verdict::kForged;
      report.why = which + m.why;
      return;
    }
    for (size_t k = 0; k < m.attachments.size(); ++k) {
      if (m.attachments[k].verdict == AttachmentVerdict::kForged) {
        report.verdict = Verdict::kForged;
        report.why = which + "attachment " + std::to_string(k + 1) + ": " + m.attachments[k].why;
        return;
      }
    }
    if (m.verdict == Verdict::kUnverifiable && report.verdict == Verdict::kVerified) {
      report.verdict = Verdict::kUnverifiable;
      report.why = which + m.why;
    }
  }
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
    report.messages.push_back(Judge(m, bundle, relay_key_));
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
                                .Finish());
    }
    messages.push_back(protocol::JsonObject()
                           .Str("sender", m.sender)
                           .Str("recipient", m.recipient)
                           .UInt("server_time", m.server_time)
                           .Str("text", m.text)
                           .Str("verdict", VerdictName(m.verdict))
                           .Str("why", m.why)
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
      .Raw("group_id", report.group ? protocol::JsonQuote(ToHex(*report.group)) : "null")
      .Raw("messages", protocol::JsonArray(messages))
      .Finish();
}

}  // namespace candor::report
