// The moderation side of a report: open the sealed bundle and judge every
// message on its franking evidence (DESIGN.md "Message franking", step 6),
// then the window as a whole (docs/reports.md "Verdicts").
//
//   verified      the sender's commitment opens to exactly this sender,
//                 recipient and content, and the relay's tag binds that
//                 commitment to this sender, recipient and server time;
//   forged        a check fails: altered text, sender, recipient or time;
//                 content the recipient would have refused; a message not
//                 between the reporter and the reported account; a message
//                 to the reporter without a relay tag (every delivery has
//                 one); a repeat of an earlier message of the window;
//   unverifiable  the commitment opens, but there is no relay tag on the
//                 reporter's own outgoing message (its acknowledgement never
//                 arrived).
//
// A message sent sealed (it carries a sealed-sender proof: DESIGN.md
// "Sealed sender with verifiable reports") is judged by the design's rule.
// Its relay tag is the sealed one, over (commitment, recipient, time): it
// only proves that a sealed envelope with this commitment reached the
// recipient — anyone can get one by sending to themselves — so the sender
// is whoever the moderation token belongs to. The certificate (directory
// key, unexpired at the time), the token (the service's key, unexpired),
// the token's signature over the commitment and the sealed relay tag must
// all check, and the certificate must name the message's sender; then,
// with the token opened:
//   verified      the token is the certificate's account's;
//   forged        any check fails, or the token is the reporter's own while
//                 the message claims another sender (a fabrication the
//                 reporter sent to themselves);
//   flagged       the token belongs to a third account (a sender using
//                 someone else's tokens): attributed to that account, both
//                 accounts named.
// A verifier without the sealed keys calls such a message unverifiable.
//
// A report from a group (the bundle names G) is judged the same way with
// the group's commitment (sender, G, content) and the reporter's copies:
// every message's recipient is the reporter, and the reported (last)
// message's sender is the reported account.
//
// Attachments (DESIGN.md "Attachments"): with access to the blob store, each
// attachment of a message is fetched by its blob id, checked against it,
// decrypted and checked against the pointer's digest:
//   verified          every check passed and the message is verified: the
//                     bytes are the ones the sender sent (the pointer is
//                     inside the franking commitment);
//   unverifiable      the bytes match the pointer, but the message is
//                     unverifiable (the reporter's own, never acknowledged);
//   forged            the message is forged (an edited pointer breaks the
//                     commitment);
//   broken_by_sender  the blob's own bytes (they hash to the committed blob
//                     id) do not open to the pointer: the sender sent an
//                     attachment no recipient can open — a corrupt blob, or
//                     a second opening under another key;
//   unavailable       the store does not (or no longer) have the blob, the
//                     transfer failed, or it served bytes that are not the
//                     blob (they do not hash to its id);
//   not_checked       no blob store was given.
// Attachments never change the report's verdict: only a forged message can
// make it forged, and neither the sender nor the store can forge a report
// by breaking an attachment. The report's JSON names each attachment's
// verdict, with its thumbnail (hex: the sender chose it, and a recipient's
// app may show it).
//
// The report's verdict: forged if any message is, else flagged if any is,
// else unverifiable if any is, else verified. A message is never "verified" unless it was sent as
// shown. What franking cannot show: that the window is complete (a modified
// client could leave messages out), that it is in the order the messages
// were sent (a transport may reorder one sender's messages, so server
// times out of order are no evidence; each message's time is), or who
// submitted the report (a sealed box is anonymous; the service
// authenticates the submitter's connection).
#ifndef CANDOR_REPORT_VERIFIER_H_
#define CANDOR_REPORT_VERIFIER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <functional>
#include <memory>

#include "candor/attachment/blob.h"
#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/crypto/sender_key.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/report_wire.h"

namespace candor::report {

enum class Verdict : uint8_t { kVerified = 1, kForged = 2, kUnverifiable = 3, kFlagged = 4 };
// "verified", "forged", "unverifiable", "flagged"
std::string_view VerdictName(Verdict verdict);

enum class AttachmentVerdict : uint8_t {
  kVerified = 1,
  kForged = 2,
  kUnavailable = 3,
  kNotChecked = 4,
  kBrokenBySender = 5,
  kUnverifiable = 6,
};
// "verified", "forged", "unavailable", "not_checked", "broken_by_sender",
// "unverifiable"
std::string_view AttachmentVerdictName(AttachmentVerdict verdict);

struct VerifiedAttachment {
  protocol::AttachmentInfo info;
  AttachmentVerdict verdict;
  std::string why;
  std::string saved_as;  // AttachmentAccess::save_dir's file, when verified and saved
};

struct VerifiedMessage {
  std::string sender;
  std::string recipient;
  uint64_t server_time;
  std::string text;  // empty when the content does not decode
  Verdict verdict;
  std::string why;   // for the moderator: which check decided
  std::vector<VerifiedAttachment> attachments = {};
  bool sealed = false;  // sent sealed: judged by its proof
  // Sealed: the account the opened token names, to which the message is
  // attributed (the sender when verified; a third account when flagged).
  std::string token_account = {};
};

// What the moderation service holds to judge sealed messages: the
// directory's certificate key, the public half of its own token-signing
// key, and k_M, which opens tokens.
struct SealedModerationKeys {
  crypto::Ed25519PublicKey directory;
  crypto::Ed25519PublicKey token_signing;
  crypto::TokenKey token_key;
};

// How the moderator reaches the blob store.
struct AttachmentAccess {
  // The blob's bytes; kNotFound when the store does not (or no longer)
  // have it.
  std::function<Result<std::unique_ptr<attachment::Source>>(const attachment::BlobId&)> fetch;
  // When not empty, each attachment whose bytes match its pointer is kept
  // here as "<blob id>-<file name or 'attachment'>", written to a temporary
  // file and linked into place only once every check passed (never over an
  // existing file: one name per blob). A failure to save never changes a
  // verdict; the attachment's `why` says so.
  std::string save_dir;
};

struct VerifiedReport {
  std::string reporter;
  std::string reported;
  protocol::ReportReason reason;
  uint64_t created_at;
  Verdict verdict;  // the whole report's (above)
  std::string why;  // "message N: " and that message's reason, when not verified
  std::vector<VerifiedMessage> messages;  // as in the bundle: oldest first
  // A report from a group: its id (the messages' commitments bind it).
  std::optional<crypto::GroupId> group = std::nullopt;
  // A flagged report: the account its flagged messages are attributed to
  // (their tokens' account), which is not `reported` — the certificate's
  // account did not send them. Act on this one. Empty otherwise. (A
  // reporter using tokens of a second account of their own is flagged the
  // same way: token sharing and a sock puppet look alike.)
  std::string attributed_to = {};
};

// {"reporter","reported","reason","created_at","verdict","why",
//  "attributed_to" (null unless flagged),
//  "group_id" (hex, or null for a one-to-one report),
//  "messages":[{"sender","recipient","server_time","text","verdict","why",
//               "sealed","token_account" (null unless sealed and opened),
//               "attachments":[{"media_type","file_name","length","blob_id",
//                               "verdict","why","saved_as","thumbnail" (hex)},…]},…]}
// (the CLI's and the C ABI's form).
std::string VerifiedReportToJson(const VerifiedReport& report);

class Verifier {
 public:
  // The moderation service's key pair and the franking key it shares with
  // the relay.
  // With `sealed`, sealed messages can be judged (above).
  Verifier(crypto::X25519KeyPair moderator, crypto::RelayKey relay_key,
           std::optional<SealedModerationKeys> sealed = std::nullopt)
      : moderator_(std::move(moderator)),
        relay_key_(std::move(relay_key)),
        sealed_(std::move(sealed)) {}

  // kMessageTooLarge above kMaxReportSealedBytes; kDecryptFailed if it does
  // not open under this service's key (sealed to another key, or altered);
  // kBadPadding, then the bundle decoder's errors.
  // With `attachments`, every attachment is fetched and checked (above).
  Result<VerifiedReport> Verify(ByteView sealed, const AttachmentAccess* attachments = nullptr) const;

 private:
  crypto::X25519KeyPair moderator_;
  crypto::RelayKey relay_key_;
  std::optional<SealedModerationKeys> sealed_;
};

}  // namespace candor::report

#endif  // CANDOR_REPORT_VERIFIER_H_
