// Reports on the user's device (DESIGN.md "Reports", docs/reports.md):
// select the window, build the preview the user is shown, and on the user's
// explicit submit seal exactly that preview to the moderation service and
// record it in the local report log. Nothing leaves without SubmitReport.
#ifndef CANDOR_REPORT_REPORT_H_
#define CANDOR_REPORT_REPORT_H_

#include <cstdint>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/device_store.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/report_wire.h"

namespace candor::report {

// The window: message `message_id` of the conversation with `peer` plus the
// kReportWindow - 1 live messages stored immediately before it there, both
// directions, oldest first. Expired or deleted messages are never included
// (nor reportable: kNotFound), and nothing from another conversation is.
// A message without franking material (an outgoing one never acknowledged)
// is included and marked unverifiable, never dropped or replaced.
// kNotFound if the conversation has no such message.
Result<protocol::ReportPreview> PrepareReport(protocol::DeviceStore& store,
                                              std::string_view reporter, std::string_view peer,
                                              int64_t message_id, protocol::ReportReason reason,
                                              uint64_t now);

// The same from a group's history (DESIGN.md "Groups"): the reported
// message and the kReportWindow - 1 before it in that group, from any
// members, this device's own included. The bundle names the group (its id,
// never its name, picture or members) and, as the reported account, the
// reported message's sender: kInvalidArgument for one of this device's own
// messages. kNotFound as above.
Result<protocol::ReportPreview> PrepareGroupReport(protocol::DeviceStore& store,
                                                   std::string_view reporter,
                                                   const crypto::GroupId& group,
                                                   int64_t message_id,
                                                   protocol::ReportReason reason, uint64_t now);

struct SubmittedReport {
  int64_t report_id;  // in the local report log
  size_t message_count;
  Bytes sealed;       // for the moderation channel, exactly as logged
  protocol::EgressRecord egress;  // the egress guard's record of the bundle
};

// Submits exactly `preview`. It must be what PrepareReport (for a group:
// PrepareGroupReport) gives now for the same message, reason and time — the stored messages, byte for byte —
// otherwise kPreviewMismatch and nothing is sealed or logged: an edited
// preview never leaves the device. Then: serialize, pass the egress guard
// (moderation channel), pad to a Padmé bucket,
// seal to `moderator` (crypto_box_seal), and log (preview JSON, sealed bytes,
// moderator key) in one transaction before returning the bytes.
Result<SubmittedReport> SubmitReport(protocol::DeviceStore& store, std::string_view reporter,
                                     const protocol::ReportPreview& preview,
                                     const crypto::X25519PublicKey& moderator, uint64_t now);

// The sealing step alone: version byte + ReportBundle, padded, sealed. No
// store, no checks against history — SubmitReport's last step, and how
// tests play a dishonest client whose edits the Verifier must catch.
Result<Bytes> SealReport(const protocol::ReportBundle& bundle,
                         const crypto::X25519PublicKey& moderator);

}  // namespace candor::report

#endif  // CANDOR_REPORT_REPORT_H_
