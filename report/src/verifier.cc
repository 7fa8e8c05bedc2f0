#include "candor/report/verifier.h"

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

namespace {

VerifiedMessage Judge(const protocol::ReportedMessage& m, const crypto::RelayKey& relay_key) {
  VerifiedMessage v{m.sender, m.recipient, m.server_time, {}, Verdict::kForged, {}};
  auto text = protocol::DecodeContentText(m.content);
  if (!text.has_value()) {
    v.why = "the content is not a candor Content message";
    return v;
  }
  v.text = std::move(text).value();
  // The commitment first: it binds sender, recipient and content, and
  // decides even without a relay tag.
  if (!crypto::VerifyFrankingCommitment(m.franking_key, m.sender, m.recipient, m.content,
                                        m.commitment).has_value()) {
    v.why = "the commitment does not open to this sender, recipient and content";
    return v;
  }
  if (!protocol::IsVerifiable(m)) {
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

}  // namespace

Result<VerifiedReport> Verifier::Verify(ByteView sealed) const {
  if (sealed.size() > kMaxReportSealedBytes) {
    return Error(Errc::kMessageTooLarge, "sealed report larger than kMaxReportSealedBytes");
  }
  CANDOR_ASSIGN_OR_RETURN(SecretBytes padded, crypto::SealedBoxOpen(moderator_, sealed));
  CANDOR_ASSIGN_OR_RETURN(ByteView body, protocol::Unpad(padded.Expose(), kMaxReportPaddedBytes));
  CANDOR_ASSIGN_OR_RETURN(protocol::ReportBundle bundle, protocol::DecodeReportBundle(body));
  VerifiedReport report{bundle.reporter, bundle.reported, bundle.reason, bundle.created_at, {}};
  for (const protocol::ReportedMessage& m : bundle.messages) {
    report.messages.push_back(Judge(m, relay_key_));
  }
  return report;
}

std::string VerifiedReportToJson(const VerifiedReport& report) {
  std::vector<std::string> messages;
  for (const VerifiedMessage& m : report.messages) {
    messages.push_back(protocol::JsonObject()
                           .Str("sender", m.sender)
                           .Str("recipient", m.recipient)
                           .UInt("server_time", m.server_time)
                           .Str("text", m.text)
                           .Str("verdict", VerdictName(m.verdict))
                           .Str("why", m.why)
                           .Finish());
  }
  return protocol::JsonObject()
      .Str("reporter", report.reporter)
      .Str("reported", report.reported)
      .Str("reason", protocol::ReportReasonName(report.reason))
      .UInt("created_at", report.created_at)
      .Raw("messages", protocol::JsonArray(messages))
      .Finish();
}

}  // namespace candor::report
