// candor demo: the whole flow in a temporary directory, told as a story.
// Two devices (alice, bob) with encrypted stores, a relay key and a
// moderator key; a conversation both ways including an out-of-order
// delivery and a refused duplicate; and, for every envelope, exactly what
// the relay could see. Every step goes through the same Client and relay
// code the other commands use, and writes the same files they would.
//
// Then bob reports a message from alice: the preview he is shown, the
// sealed report, the moderator's verdicts, and what happens to a report a
// modified client edits. It ends with a group: alice, bob and carol talk,
// bob reports carol's spam and the moderator verifies it, carol is removed,
// and a copy of the next message gets her nothing.
//
// The one command whose stdout is not a JSON object by default: it exists
// to be read. --json prints a single summary object instead.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>

#include "candor/crypto/encoding.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/sealed_box.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/crypto/sender_key.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/sealed_services.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/attachment/blob_store.h"
#include "candor/attachment/file_io.h"
#include "candor/protocol/wire.h"
#include "candor/report/report.h"
#include "candor/report/verifier.h"
#include "commands.h"
#include "device.h"
#include "egress_log.h"
#include "files.h"
#include "key_files.h"
#include "candor/protocol/json.h"

namespace candor::cli {

using protocol::JsonArray;
using protocol::JsonObject;
using protocol::JsonStringArray;
namespace {

namespace fs = std::filesystem;

struct Device {
  std::string name;
  client::Client client;
};

class Demo {
 public:
  Demo(std::string dir, bool keep, EgressLog& egress_log)
      : dir_(std::move(dir)), keep_(keep), egress_log_(egress_log), clock_(Start()) {}

  Result<void> Run();
  std::string Narrative() const { return narrative_; }
  std::string Summary() const;

 private:
  static uint64_t Start() { return CliClock().NowSeconds(); }
  std::string Path(const std::string& file) const { return (fs::path(dir_) / file).string(); }
  void Say(const std::string& line) { narrative_ += line + "\n"; }

  Result<Device> NewDevice(const std::string& name);
  // Sends, relays (telling what the relay saw), acknowledges; returns the
  // delivery for the recipient.
  Result<Bytes> SendAndRelay(Device& from, Device& to, const std::string& text,
                             std::optional<ByteView> bundle, bool ack_arrives = true,
                             client::Sealing sealing = client::Sealing::kUnsealed);
  // Returns the stored message's id (0 for a refused duplicate).
  Result<int64_t> Deliver(Device& to, ByteView delivery);
  Result<void> Report(Device& reporter, int64_t message_id, const crypto::X25519KeyPair& moderator);
  // alice sends bob a photo; bob reports it; a swapped copy is forged.
  Result<void> AttachmentScene(Device& alice, Device& bob, const crypto::X25519KeyPair& moderator);
  // alice is provisioned for sealed sending and writes bob sealed; bob
  // reports it; a fabrication bob sends himself is forged.
  Result<void> SealedScene(Device& alice, Device& bob, const ModeratorKeys& moderator);
  // alice, bob and carol in a group; carol is removed and reads nothing after.
  Result<void> GroupScene(Device& alice, Device& bob, const crypto::X25519KeyPair& moderator);
  // `reporter` reports the newest message of group `g`; the moderator judges it.
  Result<void> GroupReport(Device& reporter, const crypto::GroupId& g,
                           const crypto::X25519KeyPair& moderator);
  // Everything a group operation hands out, through the relay, received by
  // its recipients; tells what the relay saw.
  Result<void> RelayGroup(Device& from, const client::GroupOperation& op,
                          const std::map<std::string, Device*>& devices);

  std::string dir_;
  bool keep_;
  EgressLog& egress_log_;
  client::ManualClock clock_;
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(crypto::SystemRandom());
  std::string narrative_;
  std::vector<std::string> relay_log_;  // JSON, one per envelope
  int envelope_count_ = 0;
  int delivered_ = 0;
  int duplicates_refused_ = 0;
  bool fingerprints_match_ = false;
  int64_t search_hits_ = 0;
  std::string session_setup_;  // of alice's session with bob, as bob stored it
  std::vector<std::string> verdicts_;
  std::string forged_copy_verdict_;
  std::string edited_preview_error_;
  int group_reads_ = 0;                 // group messages members read
  std::string removed_member_error_;   // what carol got for the message after her removal
  std::string group_report_verdict_;
  bool attachment_opened_ = false;        // bob's copy of the photo equals alice's
  std::string attachment_report_verdict_;  // the moderator's verdict on the photo
  std::string swapped_attachment_verdict_;  // on a report whose photo was swapped
  std::string sealed_relay_sender_ = "-";    // the sender the relay saw on alice's sealed message
  std::string sealed_report_verdict_;       // bob's report of it, judged with the sealed keys
  std::string sealed_token_account_;        // whom the moderator learned from the token
  std::string sealed_fabrication_verdict_;  // bob's message "from alice" sent to himself
};

Result<Device> Demo::NewDevice(const std::string& name) {
  SecretArray<32> key;
  crypto::SystemRandom().Fill(key.Expose());
  if (keep_) {
    // Only so the kept stores can be opened with the other commands; a real
    // app keeps this key in the platform keystore, never in a file.
    CANDOR_RETURN_IF_ERROR(WriteNewSecretFile(Path(name + ".dbkey"), ToHexSecret(key.Expose(), {}, "\n").Expose()));
  }
  const storage::StoreKey store_key = storage::StoreKey::Raw(std::move(key));
  client::ClientOptions options;
  options.egress_observer = egress_log_.Observer();
  CANDOR_ASSIGN_OR_RETURN(client::Client c, client::Client::Create(Path(name + ".db"), store_key,
                                                                   name, crypto::SystemRandom(),
                                                                   clock_, options));
  CANDOR_ASSIGN_OR_RETURN(std::string fp, c.IdentityFingerprint());
  Say("  " + name + ": new device, encrypted store " + name + ".db, identity key " +
      ToHex(c.identity_key().bytes()).substr(0, 16) + "...");
  return Device{name, std::move(c)};
}

Result<Bytes> Demo::SendAndRelay(Device& from, Device& to, const std::string& text,
                                 std::optional<ByteView> bundle, bool ack_arrives,
                                 client::Sealing sealing) {
  clock_.Advance(2);
  CANDOR_ASSIGN_OR_RETURN(client::SentMessage sent,
                          from.client.Send(to.name, text, bundle, sealing));
  const std::string stem = "msg" + std::to_string(++envelope_count_);
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(Path(stem + ".envelope"), sent.envelope.bytes));
  Say(from.name + " -> " + to.name + ": \"" + text + "\"" +
      (bundle ? std::string("  (first message: ") +
                    (sent.setup == client::SessionSetup::kPqxdh
                         ? "PQXDH, X25519 + ML-KEM-768,"
                         : "classical X3DH") +
                    " from " + to.name + "'s bundle)"
              : ""));

  clock_.Advance(1);
  CANDOR_ASSIGN_OR_RETURN(protocol::Relayed r, protocol::RelayEnvelope(relay_key_, sent.envelope.bytes,
                                                                      clock_.NowSeconds()));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(Path(stem + ".delivery"), r.delivery));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(Path(stem + ".ack"), r.ack));
  const char* type = r.envelope.content_type == protocol::ContentType::kPrekeyMessage ? "prekey message"
                     : r.envelope.content_type == protocol::ContentType::kSealed  ? "sealed box"
                                                                                 : "ratchet message";
  if (sealing == client::Sealing::kSealed) sealed_relay_sender_ = r.envelope.sender;
  Say("    the relay sees: sender=" + (r.envelope.sender.empty() ? "(none)" : r.envelope.sender) +
      " recipient=" + r.envelope.recipient +
      " type=" + type + " ciphertext=" + std::to_string(r.envelope.payload.size()) +
      " bytes (padded) commitment=" + ToHex(r.envelope.franking_commitment).substr(0, 16) +
      "...; it stamps server_time=" + std::to_string(r.server_time) +
      " and a franking tag. Text, counters and ratchet keys: not visible.");
  relay_log_.push_back(JsonObject()
                           .Str("sender", r.envelope.sender)
                           .Str("recipient", r.envelope.recipient)
                           .Str("content_type", type)
                           .UInt("payload_bytes", r.envelope.payload.size())
                           .UInt("envelope_bytes", sent.envelope.bytes.size())
                           .UInt("server_time", r.server_time)
                           .Finish());
  if (!ack_arrives) {
    Say("    the relay's acknowledgement to " + from.name +
        " is lost: its copy stays without the relay's tag (unverifiable in a report)");
    return std::move(r.delivery);
  }
  CANDOR_ASSIGN_OR_RETURN(int64_t acked, from.client.HandleAck(r.ack));
  Say("    " + from.name + " stores the relay's acknowledgement on message " +
      std::to_string(acked) + " (it can now be reported verifiably)");
  return std::move(r.delivery);
}

Result<int64_t> Demo::Deliver(Device& to, ByteView delivery) {
  clock_.Advance(1);
  auto received = to.client.Receive(delivery);
  if (!received.has_value()) {
    if (received.error().code() != Errc::kDuplicateMessage) return received.error();
    ++duplicates_refused_;
    Say("  " + to.name + " refuses a second copy of an envelope: duplicate_message, nothing stored");
    return int64_t{0};
  }
  ++delivered_;
  Say("  " + to.name + " reads from " + received->from + ": \"" + received->text +
      "\" (server time " + std::to_string(received->server_time) + ")");
  return received->message_id;
}

Result<void> Demo::Report(Device& reporter, int64_t message_id,
                          const crypto::X25519KeyPair& moderator) {
  clock_.Advance(30);
  CANDOR_ASSIGN_OR_RETURN(protocol::ReportPreview preview,
                          reporter.client.PrepareReport("alice", message_id,
                                                        protocol::ReportReason::kSpam));
  CANDOR_ASSIGN_OR_RETURN(std::string pretty, protocol::ReportPreviewToJson(preview, true));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(Path("report.preview.json"), AsBytes(pretty)));
  const auto& b = preview.bundle;
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeReportBundle(b));
  CANDOR_ASSIGN_OR_RETURN(size_t sealed_size, protocol::SealedReportSize(encoded.size()));
  Say(reporter.name + " reports message #" + std::to_string(message_id) +
      " as spam. The preview (report.preview.json) shows exactly what would leave the device:");
  Say("  reporter=" + b.reporter + " reported=" + b.reported + " reason=spam created_at=" +
      std::to_string(b.created_at) + ", and these " + std::to_string(b.messages.size()) +
      " messages (the reported one and the " + std::to_string(b.messages.size() - 1) +
      " before it, both directions):");
  for (size_t i = 0; i < b.messages.size(); ++i) {
    const auto& m = b.messages[i];
    CANDOR_ASSIGN_OR_RETURN(std::string text, protocol::DecodeContentText(m.content));
    Say("    #" + std::to_string(preview.message_ids[i]) + " " + m.sender + " -> " + m.recipient +
        " t=" + std::to_string(m.server_time) + " \"" + text + "\" + franking opening" +
        (m.relay_tag ? " + relay tag" : " (no relay tag: unverifiable)"));
  }
  Say("  as " + std::to_string(encoded.size()) + " bundle bytes, padded and sealed to " +
      std::to_string(sealed_size) + " bytes for the moderation channel. Nothing has been sent yet.");

  // A preview edited after it was shown is refused before anything is sealed.
  protocol::ReportPreview edited{preview.message_ids, protocol::ReportBundle{
      b.reporter, b.reported, b.reason, b.created_at, {}}};
  for (const auto& m : b.messages) edited.bundle.messages.push_back(protocol::CopyReportedMessage(m));
  CANDOR_ASSIGN_OR_RETURN(edited.bundle.messages.front().content,
                          protocol::EncodeContent("something alice never wrote"));
  auto refused = reporter.client.SubmitReport(edited, moderator.public_key());
  if (refused.has_value()) return Error(Errc::kInternal, "an edited preview was submitted");
  edited_preview_error_ = std::string(ErrcName(refused.error().code()));
  Say("  (an edited preview is refused by submit: " + edited_preview_error_ + ")");

  CANDOR_ASSIGN_OR_RETURN(client::SubmittedReport submitted,
                          reporter.client.SubmitReport(preview, moderator.public_key()));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(Path("report.sealed"), submitted.report.bytes));
  Say(reporter.name + " submits: " + std::to_string(submitted.report.bytes.size()) +
      " sealed bytes (report.sealed), recorded as report #" + std::to_string(submitted.report_id) +
      " in " + reporter.name + "'s local report log.");

  const report::Verifier verifier(moderator.Clone(), relay_key_.Clone());
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport verified, verifier.Verify(submitted.report.bytes));
  Say("The moderation service opens it with its key and checks the franking evidence with the relay's key:");
  for (const auto& m : verified.messages) {
    verdicts_.push_back(std::string(report::VerdictName(m.verdict)));
    Say("  " + std::string(report::VerdictName(m.verdict)) + ": " + m.sender + " -> " +
        m.recipient + " \"" + m.text + "\"");
  }

  // A modified client that seals an altered bundle itself, past submit.
  CANDOR_ASSIGN_OR_RETURN(Bytes forged, report::SealReport(edited.bundle, moderator.public_key()));
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport judged, verifier.Verify(forged));
  forged_copy_verdict_ = std::string(report::VerdictName(judged.messages.front().verdict));
  Say("A modified client that changes alice's words and seals the report itself gets: " +
      forged_copy_verdict_ + " (" + judged.messages.front().why + ")");
  return Ok();
}

Result<void> Demo::SealedScene(Device& alice, Device& bob, const ModeratorKeys& moderator) {
  crypto::RandomSource& rng = crypto::SystemRandom();
  const crypto::Ed25519KeyPair directory = crypto::Ed25519KeyPair::Generate(rng);
  CANDOR_RETURN_IF_ERROR(
      WriteDirectoryKeyFiles(Path("directory.secret"), Path("directory.public"), directory));
  const crypto::Ed25519KeyPair& token_signing = *moderator.token_signing;
  for (Device* d : {&alice, &bob}) {
    CANDOR_RETURN_IF_ERROR(d->client.PinSealedKeys(directory.public_key(), token_signing.public_key()));
  }
  Say("the directory's certificate key (directory.secret / .public) and the moderation "
      "service's token-signing key are pinned on both devices");
  const uint64_t week = kDefaultSealedCredentialDays * 86'400;
  CANDOR_ASSIGN_OR_RETURN(crypto::SenderCertificate cert,
                          crypto::IssueSenderCertificate(directory, "alice",
                                                         alice.client.identity_key(),
                                                         clock_.NowSeconds() + week));
  CANDOR_ASSIGN_OR_RETURN(Bytes cert_bytes, protocol::EncodeSenderCertificate(cert));
  CANDOR_RETURN_IF_ERROR(alice.client.AddSenderCertificate(cert_bytes));
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem request, alice.client.RequestTokens(5));
  CANDOR_ASSIGN_OR_RETURN(Bytes response, protocol::AnswerTokenRequest(
                                              *moderator.token_key, token_signing, "alice",
                                              request.bytes, clock_.NowSeconds(),
                                              clock_.NowSeconds() + week, rng));
  CANDOR_ASSIGN_OR_RETURN(size_t added, alice.client.AddTokens(response));
  Say("alice gets a sender certificate from the directory and " + std::to_string(added) +
      " one-use moderation tokens (her device sent " + std::to_string(request.bytes.size()) +
      " bytes of public keys; each token hides her account from everyone but the service)");
  CANDOR_ASSIGN_OR_RETURN(Bytes d, SendAndRelay(alice, bob, "This one is sealed: the relay "
                                                            "cannot tell it is from me.",
                                                std::nullopt, true, client::Sealing::kSealed));
  CANDOR_ASSIGN_OR_RETURN(int64_t id, Deliver(bob, d));
  Say("  (bob's device opened the box with its identity key and checked alice's certificate "
      "and token before storing anything)");

  clock_.Advance(30);
  CANDOR_ASSIGN_OR_RETURN(protocol::ReportPreview preview,
                          bob.client.PrepareReport("alice", id, protocol::ReportReason::kOther));
  Say("bob reports it; the preview says of the sealed message: \"" +
      std::string(protocol::kSealedReportNotice) + "\"");
  CANDOR_ASSIGN_OR_RETURN(client::SubmittedReport submitted,
                          bob.client.SubmitReport(preview, moderator.report_key.public_key()));
  const report::Verifier verifier(
      moderator.report_key.Clone(), relay_key_.Clone(),
      report::SealedModerationKeys{directory.public_key(), token_signing.public_key(),
                                   moderator.token_key->Clone()});
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport judged, verifier.Verify(submitted.report.bytes));
  const report::VerifiedMessage& sealed_one = judged.messages.back();
  sealed_report_verdict_ = std::string(report::VerdictName(sealed_one.verdict));
  sealed_token_account_ = sealed_one.token_account;
  Say("The moderator opens the token: the sealed message was sent by " + sealed_token_account_ +
      ": " + sealed_report_verdict_ + " (" + sealed_one.why + "). The window as a whole: " +
      std::string(report::VerdictName(judged.verdict)) + " (" + judged.why + ")");

  // A modified client: bob makes up a message "from alice", with alice's
  // real certificate (every sealed message of hers carries it) and his own
  // token, and sends it to himself through the relay for a tag.
  CANDOR_ASSIGN_OR_RETURN(protocol::SealedProof real,
                          protocol::DecodeSealedProof(preview.bundle.messages.back().sealed_proof));
  crypto::FrankingKey fk = crypto::GenerateFrankingKey(rng);
  CANDOR_ASSIGN_OR_RETURN(Bytes content, protocol::EncodeContent("alice never wrote this"));
  CANDOR_ASSIGN_OR_RETURN(crypto::FrankingCommitment c,
                          crypto::ComputeFrankingCommitment(fk, "alice", "bob", content));
  const crypto::Ed25519KeyPair one_use = crypto::Ed25519KeyPair::Generate(rng);
  CANDOR_ASSIGN_OR_RETURN(crypto::ModerationToken bobs,
                          crypto::IssueModerationToken(*moderator.token_key, token_signing, "bob",
                                                       clock_.NowSeconds(), one_use.public_key(),
                                                       clock_.NowSeconds() + week, rng));
  CANDOR_ASSIGN_OR_RETURN(crypto::Ed25519Signature tsig, crypto::SignSealedCommitment(one_use, c));
  CANDOR_ASSIGN_OR_RETURN(Bytes proof, protocol::EncodeSealedProof({real.certificate, bobs, tsig}));
  CANDOR_ASSIGN_OR_RETURN(crypto::X25519PublicKey bob_box, bob.client.identity_key().ToX25519());
  CANDOR_ASSIGN_OR_RETURN(Bytes envelope, protocol::EncodeEnvelope(protocol::Envelope{
                                              "", "bob", c, protocol::ContentType::kSealed,
                                              crypto::SealedBoxSeal(bob_box, Bytes(300, 0))}));
  clock_.Advance(1);
  CANDOR_ASSIGN_OR_RETURN(protocol::Relayed self_sent,
                          protocol::RelayEnvelope(relay_key_, envelope, clock_.NowSeconds()));
  CANDOR_ASSIGN_OR_RETURN(protocol::Delivery to_self, protocol::DecodeDelivery(self_sent.delivery));
  protocol::ReportBundle fabricated{"bob", "alice", protocol::ReportReason::kThreat,
                                    clock_.NowSeconds(), {}};
  fabricated.messages.push_back(protocol::ReportedMessage{
      "alice", "bob", to_self.server_time, content, std::move(fk), c, to_self.relay_tag,
      proof});
  CANDOR_ASSIGN_OR_RETURN(Bytes forged,
                          report::SealReport(fabricated, moderator.report_key.public_key()));
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport fake, verifier.Verify(forged));
  sealed_fabrication_verdict_ = std::string(report::VerdictName(fake.verdict));
  Say("A modified client: bob makes up a sealed message \"from alice\" (her real certificate, "
      "his own token) and sends it to himself through the relay for a tag. The moderator: " +
      sealed_fabrication_verdict_ + " (" + fake.messages.back().why + ")");
  return Ok();
}

Result<void> Demo::RelayGroup(Device& from, const client::GroupOperation& op,
                              const std::map<std::string, Device*>& devices) {
  for (const client::OutgoingItem& item : op.envelopes) {
    clock_.Advance(1);
    CANDOR_ASSIGN_OR_RETURN(protocol::Relayed r,
                            protocol::RelayEnvelope(relay_key_, item.bytes, clock_.NowSeconds()));
    Device& to = *devices.at(r.envelope.recipient);
    CANDOR_ASSIGN_OR_RETURN(protocol::ReceivedMessage got, to.client.Receive(r.delivery));
    const std::map<std::string, std::string> what{
        {"joined", "joins the group"},
        {"changed", "applies the change"},
        {"removed", "learns it was removed, and deletes its keys for the group"},
        {"sender_key", "stores " + from.name + "'s sender key"}};
    const auto said = what.find(got.group_event);
    Say("    " + from.name + " -> " + to.name + " over their pairwise session (the relay sees a " +
        std::to_string(r.envelope.payload.size()) + "-byte " +
        (r.envelope.content_type == protocol::ContentType::kPrekeyMessage ? "prekey" : "ratchet") +
        " message, like any other): " + to.name + " " +
        (said != what.end() ? said->second : got.group_event));
  }
  if (!op.group_envelope) return Ok();
  clock_.Advance(1);
  CANDOR_ASSIGN_OR_RETURN(protocol::GroupRelayed r,
                          protocol::RelayGroupEnvelope(relay_key_, op.group_envelope->bytes,
                                                       clock_.NowSeconds()));
  CANDOR_ASSIGN_OR_RETURN(Bytes sealed, protocol::DecodeGroupMessage(r.envelope.payload));
  CANDOR_ASSIGN_OR_RETURN(uint32_t kid, crypto::GroupMessageKid(sealed));
  std::string recipients;
  for (const std::string& a : r.envelope.recipients) recipients += (recipients.empty() ? "" : ",") + a;
  Say("    the relay sees: sender=" + r.envelope.sender + " recipients=" + recipients +
      " one ciphertext of " + std::to_string(r.envelope.payload.size()) +
      " bytes (sender key id " + std::to_string(kid) +
      "); it fans it out, one tagged copy per recipient. Group id, name, members' roles, "
      "iteration and text: not visible.");
  for (const auto& [account, delivery] : r.deliveries) {
    CANDOR_ASSIGN_OR_RETURN(protocol::ReceivedMessage got, devices.at(account)->client.Receive(delivery));
    ++group_reads_;
    Say("    " + account + " reads from " + got.from + ": \"" + got.text + "\"");
  }
  CANDOR_RETURN_IF_ERROR(from.client.HandleAck(r.ack));
  return Ok();
}

Result<void> Demo::GroupReport(Device& reporter, const crypto::GroupId& g,
                               const crypto::X25519KeyPair& moderator) {
  clock_.Advance(30);
  CANDOR_ASSIGN_OR_RETURN(auto history, reporter.client.GroupHistory(g, 1));
  if (history.empty()) return Error(Errc::kInternal, "no group message to report");
  CANDOR_ASSIGN_OR_RETURN(protocol::ReportPreview preview,
                          reporter.client.PrepareGroupReport(g, history.back().id,
                                                             protocol::ReportReason::kSpam));
  const auto& b = preview.bundle;
  Say(reporter.name + " reports " + b.reported + "'s message as spam. The preview: reporter=" +
      b.reporter + " reported=" + b.reported + ", the group's id (it is inside each message's "
      "franking commitment; never its name or members), and the " +
      std::to_string(b.messages.size()) + " messages of the group's history ending with it:");
  for (const auto& m : b.messages) {
    CANDOR_ASSIGN_OR_RETURN(std::string text, protocol::DecodeContentText(m.content));
    Say("    " + m.sender + ": \"" + text + "\"");
  }
  CANDOR_ASSIGN_OR_RETURN(client::SubmittedReport submitted,
                          reporter.client.SubmitReport(preview, moderator.public_key()));
  const report::Verifier verifier(moderator.Clone(), relay_key_.Clone());
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport verified, verifier.Verify(submitted.report.bytes));
  group_report_verdict_ = std::string(report::VerdictName(verified.verdict));
  Say("  the moderation service checks each copy's commitment (sender, group, text) and the "
      "relay's tag for " + reporter.name + ": " + group_report_verdict_);
  return Ok();
}

Result<void> Demo::GroupScene(Device& alice, Device& bob, const crypto::X25519KeyPair& moderator) {
  CANDOR_ASSIGN_OR_RETURN(Device carol, NewDevice("carol"));
  const std::map<std::string, Device*> devices{{"alice", &alice}, {"bob", &bob}, {"carol", &carol}};
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem carol_bundle, carol.client.PublishBundle());
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem bob_bundle, bob.client.PublishBundle());
  clock_.Advance(5);
  CANDOR_ASSIGN_OR_RETURN(client::GroupOperation created,
                          alice.client.CreateGroup("Book club", {}, {"bob", "carol"},
                                                   client::Bundles{{"carol", carol_bundle.bytes}}));
  const crypto::GroupId g = created.group;
  Say("alice creates the group \"Book club\" with bob and carol. Its id, name and members travel "
      "only inside the pairwise sessions:");
  CANDOR_RETURN_IF_ERROR(RelayGroup(alice, created, devices));
  Say("alice writes to the group (her sender key goes to each member first, then one ciphertext for all):");
  CANDOR_ASSIGN_OR_RETURN(auto m1, alice.client.SendGroup(g, "Welcome to the book club!"));
  CANDOR_RETURN_IF_ERROR(RelayGroup(alice, m1, devices));
  Say("carol answers (she and bob had no session: his bundle starts one for her key):");
  CANDOR_ASSIGN_OR_RETURN(auto m2, carol.client.SendGroup(g, "Thanks! I'm on chapter 3.",
                                                          client::Bundles{{"bob", bob_bundle.bytes}}));
  CANDOR_RETURN_IF_ERROR(RelayGroup(carol, m2, devices));
  Say("carol again:");
  CANDOR_ASSIGN_OR_RETURN(auto spam, carol.client.SendGroup(g, "FREE COINS: send 1, get 2 back!"));
  CANDOR_RETURN_IF_ERROR(RelayGroup(carol, spam, devices));
  CANDOR_RETURN_IF_ERROR(GroupReport(bob, g, moderator));
  Say("alice removes carol:");
  CANDOR_ASSIGN_OR_RETURN(auto removal, alice.client.RemoveGroupMembers(g, {"carol"}));
  CANDOR_RETURN_IF_ERROR(RelayGroup(alice, removal, devices));
  Say("alice writes again: she draws a new sender key and gives it to bob only");
  CANDOR_ASSIGN_OR_RETURN(auto m3, alice.client.SendGroup(g, "Next meeting Friday."));
  CANDOR_RETURN_IF_ERROR(RelayGroup(alice, m3, devices));
  // A relay that hands carol a copy anyway: she holds no key it opens.
  CANDOR_ASSIGN_OR_RETURN(protocol::GroupEnvelope env,
                          protocol::DecodeGroupEnvelope(m3.group_envelope->bytes));
  env.recipients.push_back("carol");
  CANDOR_ASSIGN_OR_RETURN(Bytes widened, protocol::EncodeGroupEnvelope(env));
  CANDOR_ASSIGN_OR_RETURN(protocol::GroupRelayed leak,
                          protocol::RelayGroupEnvelope(relay_key_, widened, clock_.NowSeconds()));
  for (const auto& [account, delivery] : leak.deliveries) {
    if (account != "carol") continue;
    auto read = carol.client.Receive(delivery);
    if (read.has_value()) return Error(Errc::kInternal, "a removed member read a group message");
    removed_member_error_ = std::string(ErrcName(read.error().code()));
    Say("  a relay that hands carol a copy anyway gets nothing read: " + removed_member_error_ +
        " (her keys for the group were deleted when she was removed)");
  }
  CANDOR_ASSIGN_OR_RETURN(auto history, bob.client.GroupHistory(g, 20));
  Say("bob's group history, from his encrypted store:");
  for (const auto& e : history) Say("  #" + std::to_string(e.id) + " " + e.from + ": \"" + e.text + "\"");
  return Ok();
}

Result<void> Demo::AttachmentScene(Device& alice, Device& bob,
                                   const crypto::X25519KeyPair& moderator) {
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobStore store, attachment::BlobStore::Open(Path("blobs")));
  // A stand-in for a photo: PNG's signature, then 40 KiB of bytes. (A real
  // photo's EXIF block would travel as it is: docs/attachments.md.)
  Bytes photo = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  for (size_t i = 0; photo.size() < 40 * 1024; ++i) photo.push_back(static_cast<uint8_t>(i * 131 + 7));
  clock_.Advance(5);
  attachment::MemorySource source(photo);
  attachment::MemorySink blob;
  CANDOR_ASSIGN_OR_RETURN(client::SealedAttachment sealed,
                          alice.client.SealAttachment(source, photo.size(), blob,
                                                      {"image/png", "beach.png", {}}));
  attachment::MemorySource upload(blob.bytes());
  CANDOR_RETURN_IF_ERROR(store.Put(sealed.blob_id(), blob.bytes().size(), upload, "alice",
                                   clock_.NowSeconds()));
  Say("alice seals a photo (beach.png, " + std::to_string(photo.size()) + " bytes) under a fresh "
      "key and uploads the blob: the blob store sees blob id " +
      ToHex(sealed.blob_id()).substr(0, 16) + "..., " + std::to_string(sealed.blob_size()) +
      " bytes (padded), uploader alice, the time. Not the key, the type or the name.");
  std::vector<client::SealedAttachment> attachments;
  attachments.push_back(std::move(sealed));
  CANDOR_ASSIGN_OR_RETURN(client::SentMessage sent,
                          alice.client.Send("bob", "Look at this!", attachments));
  clock_.Advance(1);
  CANDOR_ASSIGN_OR_RETURN(protocol::Relayed r, protocol::RelayEnvelope(relay_key_, sent.envelope.bytes,
                                                                      clock_.NowSeconds()));
  CANDOR_RETURN_IF_ERROR(alice.client.HandleAck(r.ack));
  Say("alice -> bob: \"Look at this!\" with the photo's pointer (blob id, key, length, digest, "
      "type, name) inside the message, so inside its franking commitment; the relay sees " +
      std::to_string(r.envelope.payload.size()) + " padded bytes");
  ++envelope_count_;
  clock_.Advance(1);
  CANDOR_ASSIGN_OR_RETURN(client::ReceivedMessage got, bob.client.Receive(r.delivery));
  ++delivered_;
  CANDOR_ASSIGN_OR_RETURN(std::unique_ptr<attachment::Source> fetched,
                          store.Get(got.attachments.at(0).blob_id, "bob", clock_.NowSeconds()));
  attachment::MemorySink opened;
  CANDOR_RETURN_IF_ERROR(bob.client.OpenAttachment(got.message_id, 0, *fetched, opened));
  attachment_opened_ = opened.bytes() == photo;
  Say("  bob reads \"" + got.text + "\", fetches the blob (the store sees bob and the time), "
      "and opens it: blob id, every chunk, padding and digest check out" +
      (attachment_opened_ ? " — the same bytes alice sent" : " — BUT THE BYTES DIFFER"));

  clock_.Advance(30);
  CANDOR_ASSIGN_OR_RETURN(protocol::ReportPreview preview,
                          bob.client.PrepareReport("alice", got.message_id,
                                                   protocol::ReportReason::kSexualContent));
  Say("bob reports the photo; the preview names the attachment the moderator will be able to "
      "open: image/png beach.png " + std::to_string(photo.size()) + " bytes");
  CANDOR_ASSIGN_OR_RETURN(client::SubmittedReport submitted,
                          bob.client.SubmitReport(preview, moderator.public_key()));
  const report::Verifier verifier(moderator.Clone(), relay_key_.Clone());
  report::AttachmentAccess access;
  access.fetch = [&](const attachment::BlobId& id) {
    return store.Get(id, "moderation", clock_.NowSeconds());
  };
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport verified,
                          verifier.Verify(submitted.report.bytes, &access));
  const auto& judged = verified.messages.back();
  if (judged.attachments.empty()) return Error(Errc::kInternal, "the report lost the photo");
  attachment_report_verdict_ = std::string(report::AttachmentVerdictName(judged.attachments[0].verdict));
  Say("  the moderation service fetches the blob, checks its id, decrypts it and checks the "
      "digest: photo " + attachment_report_verdict_ + ", message " +
      std::string(report::VerdictName(judged.verdict)));

  // A modified client swaps the photo for other bytes: it seals them
  // itself, uploads them, and points the reported message at them.
  protocol::ReportBundle swapped{preview.bundle.reporter, preview.bundle.reported,
                                 preview.bundle.reason, preview.bundle.created_at, {}};
  for (const auto& m : preview.bundle.messages) swapped.messages.push_back(protocol::CopyReportedMessage(m));
  CANDOR_ASSIGN_OR_RETURN(protocol::MessageContent content,
                          protocol::DecodeContent(swapped.messages.back().content));
  Bytes other(photo.size(), 0x42);
  attachment::MemorySource other_source(other);
  attachment::MemorySink other_blob;
  CANDOR_ASSIGN_OR_RETURN(attachment::SealedBlob other_sealed,
                          attachment::EncryptBlob(other_source, other.size(), other_blob,
                                                  crypto::SystemRandom()));
  attachment::MemorySource other_upload(other_blob.bytes());
  CANDOR_RETURN_IF_ERROR(store.Put(other_sealed.blob_id, other_blob.bytes().size(), other_upload,
                                   "bob", clock_.NowSeconds()));
  content.attachments[0].blob_id = other_sealed.blob_id;
  content.attachments[0].key = std::move(other_sealed.key);
  content.attachments[0].digest = other_sealed.digest;
  CANDOR_ASSIGN_OR_RETURN(swapped.messages.back().content, protocol::EncodeContent(content));
  CANDOR_ASSIGN_OR_RETURN(Bytes forged, report::SealReport(swapped, moderator.public_key()));
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport forged_judged, verifier.Verify(forged, &access));
  swapped_attachment_verdict_ = std::string(report::VerdictName(forged_judged.verdict));
  Say("A modified client that swaps the photo's bytes (its own blob, uploaded, the pointer "
      "edited) gets: " + swapped_attachment_verdict_ + " (" + forged_judged.messages.back().why +
      ")");
  return Ok();
}

Result<void> Demo::Run() {
  Say("candor demo — everything happens locally in " + dir_);
  Say("");
  Say("Keys");
  CANDOR_RETURN_IF_ERROR(WriteRelayKeyFile(Path("relay.key"), relay_key_));
  Say("  relay: franking key relay.key (shared with the moderation service only)");
  crypto::RandomSource& rng = crypto::SystemRandom();
  const ModeratorKeys moderator_keys{crypto::X25519KeyPair::Generate(rng),
                                     crypto::Ed25519KeyPair::Generate(rng),
                                     crypto::GenerateTokenKey(rng)};
  CANDOR_RETURN_IF_ERROR(WriteModeratorKeyFiles(Path("moderator.secret"), Path("moderator.public"),
                                                moderator_keys));
  const crypto::X25519KeyPair& moderator = moderator_keys.report_key;
  Say("  moderation service: key pair moderator.secret / moderator.public");
  CANDOR_ASSIGN_OR_RETURN(Device alice, NewDevice("alice"));
  CANDOR_ASSIGN_OR_RETURN(Device bob, NewDevice("bob"));

  Say("");
  Say("Conversation");
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem bundle, bob.client.PublishBundle());
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(Path("bob.bundle"), bundle.bytes));
  Say("bob publishes a prekey bundle to the directory (" + std::to_string(bundle.bytes.size()) +
      " bytes: account, identity key, signed X25519 prekey and signed ML-KEM-768 prekey, and a "
      "fresh one-time prekey of each kind)");
  CANDOR_ASSIGN_OR_RETURN(Bytes d1, SendAndRelay(alice, bob, "Hi Bob, it's Alice.",
                                                 ByteView(bundle.bytes)));
  CANDOR_RETURN_IF_ERROR(Deliver(bob, d1));
  CANDOR_ASSIGN_OR_RETURN(auto setup, bob.client.SessionSetupWith("alice"));
  session_setup_ = setup ? client::SessionSetupName(*setup) : "none";
  Say("    bob's session with alice: " +
      std::string(setup == client::SessionSetup::kPqxdh
                      ? "PQXDH (X25519 + ML-KEM-768: a quantum computer built later cannot "
                        "decrypt recorded traffic unless ML-KEM is broken too)"
                      : "classical X3DH"));
  CANDOR_ASSIGN_OR_RETURN(Bytes d2, SendAndRelay(bob, alice, "Hi Alice! Got it.", std::nullopt));
  CANDOR_RETURN_IF_ERROR(Deliver(alice, d2));

  Say("");
  Say("Out of order: alice sends three messages; the network delivers the third before the second");
  CANDOR_ASSIGN_OR_RETURN(Bytes d3, SendAndRelay(alice, bob, "Lunch tomorrow?", std::nullopt));
  CANDOR_ASSIGN_OR_RETURN(Bytes d4, SendAndRelay(alice, bob, "At noon, the usual place.", std::nullopt));
  CANDOR_ASSIGN_OR_RETURN(Bytes d5, SendAndRelay(alice, bob, "Bring the book.", std::nullopt));
  CANDOR_RETURN_IF_ERROR(Deliver(bob, d3));
  CANDOR_RETURN_IF_ERROR(Deliver(bob, d5));
  CANDOR_RETURN_IF_ERROR(Deliver(bob, d4));
  Say("The relay delivers the second message again:");
  CANDOR_RETURN_IF_ERROR(Deliver(bob, d4));
  CANDOR_ASSIGN_OR_RETURN(Bytes d6, SendAndRelay(bob, alice, "Noon works. See you!", std::nullopt,
                                                 /*ack_arrives=*/false));
  CANDOR_RETURN_IF_ERROR(Deliver(alice, d6));
  CANDOR_ASSIGN_OR_RETURN(Bytes d7, SendAndRelay(alice, bob,
                                                 "WIN A PRIZE: send your bank login to claim.",
                                                 std::nullopt));
  CANDOR_ASSIGN_OR_RETURN(int64_t spam_id, Deliver(bob, d7));

  Say("");
  Say("Safety numbers (compare them in person to rule out a man in the middle)");
  CANDOR_ASSIGN_OR_RETURN(std::string fa, alice.client.Fingerprint("bob"));
  CANDOR_ASSIGN_OR_RETURN(std::string fb, bob.client.Fingerprint("alice"));
  fingerprints_match_ = fa == fb;
  Say("  alice sees " + fa);
  Say("  bob sees   " + fb + (fingerprints_match_ ? "  (equal)" : "  (DIFFERENT)"));
  if (!fingerprints_match_) return Error(Errc::kInternal, "safety numbers differ");

  Say("");
  Say("bob's history with alice, from his encrypted store:");
  CANDOR_ASSIGN_OR_RETURN(auto history, bob.client.History("alice", 20));
  for (const auto& e : history) {
    Say("  #" + std::to_string(e.id) + " " + e.from + " -> " + e.to + ": \"" + e.text + "\"");
  }
  Say("");
  // Local search: the index is inside the encrypted store; nothing leaves.
  Say("bob searches his store for \"noon\" (full-text, on this device only):");
  CANDOR_ASSIGN_OR_RETURN(auto hits, bob.client.Search("noon", std::nullopt, 10));
  search_hits_ = static_cast<int64_t>(hits.size());
  for (const auto& h : hits) {
    Say("  #" + std::to_string(h.message_id) + " with " + h.peer + ": \"" + h.snippet + "\"");
  }
  Say("");
  Say("Report");
  CANDOR_RETURN_IF_ERROR(Report(bob, spam_id, moderator));
  Say("");
  Say("Sealed sender");
  CANDOR_RETURN_IF_ERROR(SealedScene(alice, bob, moderator_keys));
  Say("");
  Say("Attachments");
  CANDOR_RETURN_IF_ERROR(AttachmentScene(alice, bob, moderator));
  Say("");
  Say("Group");
  CANDOR_RETURN_IF_ERROR(GroupScene(alice, bob, moderator));
  Say("");
  Say(keep_ ? "Files kept in " + dir_ + " (alice.dbkey / bob.dbkey open the stores: demo only)."
            : "The temporary directory is removed; use --keep DIR to inspect the files.");
  return Ok();
}

std::string Demo::Summary() const {
  return JsonObject()
      .Str("directory", dir_)
      .Bool("kept", keep_)
      .Int("envelopes", envelope_count_)
      .Int("delivered", delivered_)
      .Int("duplicates_refused", duplicates_refused_)
      .Bool("fingerprints_match", fingerprints_match_)
      .Int("search_hits", search_hits_)
      .Str("session_setup", session_setup_)
      .Raw("report", JsonObject()
                         .Raw("verdicts", JsonStringArray(verdicts_))
                         .Str("edited_preview", edited_preview_error_)
                         .Str("forged_copy", forged_copy_verdict_)
                         .Finish())
      .Raw("attachment", JsonObject()
                             .Bool("opened", attachment_opened_)
                             .Str("report", attachment_report_verdict_)
                             .Str("swapped", swapped_attachment_verdict_)
                             .Finish())
      .Raw("sealed", JsonObject()
                         .Str("relay_saw_sender", sealed_relay_sender_)
                         .Str("report", sealed_report_verdict_)
                         .Str("token_account", sealed_token_account_)
                         .Str("fabrication", sealed_fabrication_verdict_)
                         .Finish())
      .Raw("group", JsonObject()
                        .Int("messages_read", group_reads_)
                        .Str("removed_member", removed_member_error_)
                        .Str("report", group_report_verdict_)
                        .Finish())
      .Raw("relay_saw", JsonArray(relay_log_))
      .Finish();
}

// The directory to work in: --keep DIR (created; it must be empty), else a
// fresh one under $TMPDIR that is removed afterwards.
Result<std::string> WorkDirectory(const std::optional<std::string>& keep) {
  std::error_code ec;
  if (keep) {
    fs::create_directories(*keep, ec);
    if (ec || !fs::is_directory(*keep)) {
      return Error(Errc::kStorageFailed, "cannot create directory " + *keep);
    }
    if (!fs::is_empty(*keep, ec)) {
      return Error(Errc::kAlreadyExists, *keep + " is not empty; the demo needs an empty directory");
    }
    return *keep;
  }
  std::string templ = (fs::temp_directory_path(ec) / "candor-demo-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return Error(Errc::kStorageFailed, "cannot create a temporary directory");
  }
  return templ;
}

}  // namespace

Result<std::string> RunDemo(const Args& args) {
  const std::optional<std::string> keep = args.Find("keep");
  CANDOR_ASSIGN_OR_RETURN(std::string dir, WorkDirectory(keep));
  EgressLog egress_log(args.Find("egress-log"));
  Demo demo(dir, keep.has_value(), egress_log);
  Result<void> ran = demo.Run();
  if (ran.has_value()) ran = egress_log.Flush();
  if (!keep) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  CANDOR_RETURN_IF_ERROR(ran);
  if (args.Has("json")) return demo.Summary();
  std::string text = demo.Narrative();
  if (!text.empty() && text.back() == '\n') text.pop_back();  // main adds one
  return text;
}

}  // namespace candor::cli
