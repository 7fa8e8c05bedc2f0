// candor::Client — the embeddable façade over one device: its encrypted
// store, its sessions, its history. Sans-I/O: it never opens a socket or a
// file other than its store. Whatever must leave the device is returned as
// an OutgoingItem (channel + bytes) for the embedder to transmit; whatever
// arrives is handed in as bytes.
//
// Durability: everything a call returns is already committed to the store.
// Send stores the outgoing message and the advanced session before it
// returns the envelope; Receive stores the message, the session, the
// franking opening and the replay marker in one transaction before it
// returns the text. A call that fails changes nothing.
//
// Each send and receive holds the store's write lock from loading the
// session to committing its successor, so another process on the same store
// waits (StoreOptions::busy_timeout_ms) rather than interleaving; a send's
// commit is fsync'd before the envelope is returned, whatever the store's
// synchronous setting. A store file is open in at most one Client per
// process (a second Open is kAlreadyOpen).
//
// Not thread-safe: use one Client from one thread at a time (it owns one
// SQLite connection). The RandomSource and Clock passed in must outlive it.
#ifndef CANDOR_CLIENT_CLIENT_H_
#define CANDOR_CLIENT_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/attachment/blob.h"
#include "candor/client/clock.h"
#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/x25519.h"
#include "candor/group/group_state.h"
#include "candor/protocol/device_store.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/report_wire.h"
#include "candor/storage/store.h"

namespace candor::client {

// Who an outgoing item is for: kRelay (envelopes, forwarded to the
// recipient), kDirectory (prekey bundles, fetched by peers), kModeration
// (sealed reports). The metadata policy names the same channels
// (protocol::EgressChannelName).
using Channel = protocol::EgressChannel;

struct OutgoingItem {
  Channel channel;
  Bytes bytes;
};

// How a session was set up (DESIGN.md): PQXDH, hybrid with ML-KEM-768, by
// default; classical X3DH only for sessions from before PQXDH, or with a
// peer the embedder allowed it with (Client::AllowClassicalSessions).
enum class SessionSetup : uint8_t { kX3dh, kPqxdh };
// "x3dh" / "pqxdh", for JSON and logs.
const char* SessionSetupName(SessionSetup setup);

struct SentMessage {
  int64_t message_id;
  OutgoingItem envelope;  // channel kRelay
  SessionSetup setup;     // of the session the message was sent in
};

using protocol::ReceivedMessage;  // {message_id, from, text, server_time}

// "The safety number changed": the peer came with an identity key other
// than the trusted one (a reinstall, a new phone — or an attacker). Nothing
// is sent to the new key or accepted from it until the user accepts it
// (AcceptIdentityChange), or, for a contact whose safety number they had
// verified, verifies the new one (VerifyIdentity).
struct IdentityChange {
  std::string peer;
  std::string old_safety_number;  // 60 digits, with the trusted key
  std::string new_safety_number;  // with the new key
  uint64_t detected_at;
  std::optional<uint64_t> accepted_at;  // history markers: when the user accepted
  bool was_verified;  // the old key had been verified: only VerifyIdentity accepts
};

struct HistoryEntry {
  int64_t id;  // 0 for a marker
  protocol::Direction direction;
  std::string from;
  std::string to;
  std::string text;
  // Incoming: the relay's time. Outgoing: set once the relay's
  // acknowledgement was handled; nullopt before.
  std::optional<uint64_t> server_time;
  // Set on a history marker instead of a message: the peer's safety number
  // changed between the entries before and after it.
  std::optional<IdentityChange> identity_change;
  std::vector<protocol::AttachmentInfo> attachments = {};
};

// [{"blob_id","length","blob_size","media_type","file_name","thumbnail_bytes"},…]
std::string AttachmentsToJson(const std::vector<protocol::AttachmentInfo>& attachments);
// {"messages":[{"id","direction":"in"|"out","from","to","text","server_time"
// (null until acknowledged),"attachments":[…]},…]} (the CLI's and the C
// ABI's form).
std::string HistoryToJson(const std::vector<HistoryEntry>& entries);
// {"results":[{"id","with" ("" for a group's message),"group" (hex, or
// null),"direction","from","to","stored_at","server_time","snippet"},…]}, newest first (the CLI's and the C ABI's form of Search).
std::string SearchToJson(const std::vector<storage::SearchHit>& hits);
// [{"message_id","from","text","server_time"} | {"error":{"code","message"}}, …]:
// what accepting or verifying a changed identity received.
std::string ReceivedListToJson(const std::vector<Result<ReceivedMessage>>& received);

struct SubmittedReport {
  int64_t report_id;
  size_t message_count;
  OutgoingItem report;  // channel kModeration
};

// Whether a message leaves sealed (docs/sealed-sender.md): the relay then
// learns its recipient but not its sender. kAsConfigured follows
// ClientOptions::seal_conversation.
enum class Sealing : uint8_t { kAsConfigured, kSealed, kUnsealed };

struct ClientOptions {
  storage::StoreOptions store;
  // The embedder's choice per conversation: true sends to `peer` sealed
  // unless a call says otherwise. Empty: unsealed.
  std::function<bool(std::string_view peer)> seal_conversation;
  // Called with the egress guard's record of every item handed out (for an
  // audit log; docs/metadata-policy.md). Records name fields, never values.
  std::function<void(const protocol::EgressRecord&)> egress_observer;
  // Called when a receive or a send meets a changed identity key (the call
  // itself fails with kIdentityChanged); show the user the two safety
  // numbers.
  std::function<void(const IdentityChange&)> identity_change_observer;
};

// A group as this device holds it (docs/groups.md).
struct GroupInfo {
  crypto::GroupId id;
  std::string name;
  uint32_t epoch;
  std::vector<group::GroupMember> members;  // sorted by account
  bool active;  // this device is a member (not removed, not left)
};
// {"groups":[{"id" (hex),"name","epoch","active","members":[{"account","admin"}]}]}
std::string GroupsToJson(const std::vector<GroupInfo>& groups);
// A group id in hex (64 digits), and back (kInvalidArgument otherwise).
std::string GroupIdToHex(const crypto::GroupId& id);
Result<crypto::GroupId> GroupIdFromHex(std::string_view hex);

// What a group operation hands out, to transmit in this order: envelopes
// over the pairwise sessions (changes, welcomes, sender keys; channel
// kRelay, as Send's), then, for a group message, its group envelope
// (channel kRelay, for the relay's fan-out). Everything is committed before
// it is returned.
struct GroupOperation {
  crypto::GroupId group;
  int64_t message_id = 0;  // SendGroup: the message's history entry
  std::vector<OutgoingItem> envelopes;
  std::optional<OutgoingItem> group_envelope;  // SendGroup
};

// What the sender gives besides an attachment's bytes (all optional; the
// content rules of protocol/content.h apply).
struct AttachmentMeta {
  std::string media_type;  // "image/jpeg"
  std::string file_name;   // a base name: "beach.jpg"
  Bytes thumbnail;         // up to kMaxThumbnailBytes
};

// An attachment sealed for sending (Client::SealAttachment): the blob has
// been written to the caller's sink; `upload` (channel kBlobStore, checked
// by the egress guard) is the request to send the blob store with it. The
// pointer — key included — stays inside: pass the attachment to Send or
// SendGroup. Move-only; the key is wiped with it.
class SealedAttachment {
 public:
  const attachment::BlobId& blob_id() const { return pointer_.blob_id; }
  uint64_t blob_size() const;
  const OutgoingItem& upload() const { return upload_; }
  protocol::AttachmentInfo info() const { return protocol::Describe(pointer_); }
  // Another handle on the same attachment (the key copied into wiped memory).
  SealedAttachment Clone() const {
    return SealedAttachment(pointer_.Clone(), OutgoingItem{upload_.channel, upload_.bytes});
  }

 private:
  friend class Client;
  SealedAttachment(protocol::AttachmentPointer pointer, OutgoingItem upload)
      : pointer_(std::move(pointer)), upload_(std::move(upload)) {}
  protocol::AttachmentPointer pointer_;
  OutgoingItem upload_;
};

// Prekey bundles of members this device has no session with yet, by account.
using Bundles = std::map<std::string, Bytes, std::less<>>;

class Client {
 public:
  // A new device: creates the store at `path` (kAlreadyExists if something
  // is there), an identity for `account` and a signed prekey, in one
  // transaction. On failure no file is left behind.
  static Result<Client> Create(const std::string& path, const storage::StoreKey& key,
                               std::string_view account, crypto::RandomSource& rng,
                               Clock& clock, ClientOptions options = {});
  // An existing device. Store::Open's errors (kNotFound, kWrongKey,
  // kNotACandorDatabase, kSchemaTooNew, kDatabaseLocked); kInvalidState for
  // a store that holds no device identity.
  static Result<Client> Open(const std::string& path, const storage::StoreKey& key,
                             crypto::RandomSource& rng, Clock& clock, ClientOptions options = {});

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  const std::string& account() const;
  const crypto::Ed25519PublicKey& identity_key() const;
  // This device's 30-digit half of every safety number it has.
  Result<std::string> IdentityFingerprint() const;

  // A prekey bundle for the directory: the signed X25519 and ML-KEM-768
  // prekeys, and a one-time prekey of each kind that is generated, stored
  // and never handed out again. A store from before PQXDH gets its signed
  // ML-KEM prekey here; from then on this device refuses classical (X3DH)
  // first messages.
  Result<OutgoingItem> PublishBundle();

  // A new signed prekey (DESIGN.md: rotate about weekly), and a new signed
  // ML-KEM prekey with it (retiring the last-resort key and, after the
  // grace period, what it remembered of first messages on it), each signed
  // by this device's identity under its next id; publish a bundle afterwards so
  // peers fetch it. The one it replaces keeps opening first messages for
  // kRetiredSignedPrekeySeconds, then PurgeExpired deletes it and a first
  // message naming it is refused (kInvalidKey). Returns the new id;
  // kInvalidState once the u32 ids are exhausted.
  Result<uint32_t> RotateSignedPrekey();

  // Encrypts `text` for `peer`. The first message to a peer needs the peer's
  // bundle (kInvalidState without one) and sets the session up with PQXDH;
  // a bundle without a signed ML-KEM prekey is kPqPrekeyMissing unless
  // classical sessions with `peer` were allowed, and one whose ML-KEM
  // prekey is badly signed is kBadPrekeySignature. With a session in place a bundle is
  // not used, but it must carry the session's identity key (kWrongPeer
  // otherwise: compare fingerprints). kInvalidArgument for this device's own
  // account or empty text; kFieldOutOfRange for text that is not UTF-8 or
  // holds a control character other than tab and newline; kMessageTooLarge.
  // Nothing is stored when Send fails.
  //
  // Sealed (`sealing`, or the conversation's setting): the envelope names
  // no sender and carries no identity key; the Frame carries this device's
  // certificate and one moderation token, which the send uses up (in its
  // transaction). kSealedCredentialMissing, with nothing sent or stored,
  // when no certificate or token stays valid for
  // kSealedCredentialMarginSeconds: never an unsealed send instead.
  // kMessageTooLarge above kMaxSealedContentBytes of content.
  Result<SentMessage> Send(std::string_view peer, std::string_view text,
                           std::optional<ByteView> bundle = std::nullopt,
                           Sealing sealing = Sealing::kAsConfigured);
  // A message with attachments (text may then be empty): at most
  // kMaxAttachmentsPerMessage, each sealed by SealAttachment. Upload the
  // blobs before the recipient fetches them; the message only points at
  // them. Send's errors, and protocol/content.h's rules.
  Result<SentMessage> Send(std::string_view peer, std::string_view text,
                           std::span<const SealedAttachment> attachments,
                           std::optional<ByteView> bundle = std::nullopt,
                           Sealing sealing = Sealing::kAsConfigured);

  // Attachments (DESIGN.md "Attachments", docs/attachments.md). Seals
  // `length` bytes from `plaintext` into a blob written to `blob` (bounded
  // memory: one 64 KiB chunk), padded to its Padmé bucket, under a fresh
  // key. kMessageTooLarge above kMaxAttachmentBytes; kTruncated /
  // kTrailingBytes when the source holds fewer / more than `length` bytes;
  // kCancelled when `progress` returns false (discard what the sink got);
  // the content rules for `meta`. Nothing is stored: an attachment is
  // stored with the message that sends it.
  Result<SealedAttachment> SealAttachment(attachment::Source& plaintext, uint64_t length,
                                          attachment::Sink& blob, const AttachmentMeta& meta = {},
                                          const attachment::Progress& progress = {});
  // The request to fetch attachment `index` of stored message `message_id`
  // from the blob store (channel kBlobStore, checked by the egress guard).
  // kNotFound for no such message (or expired), kInvalidArgument for no
  // such attachment.
  Result<OutgoingItem> FetchAttachment(int64_t message_id, size_t index);
  // The attachments of stored message `message_id` (none for a message
  // without); kNotFound for no such message (or expired).
  Result<std::vector<protocol::AttachmentInfo>> Attachments(int64_t message_id);
  // Decrypts the fetched blob of attachment `index` of message `message_id`
  // into `plaintext`, checking the blob id, every chunk, the padding, the
  // end and the plaintext digest (attachment::DecryptBlob's errors). What
  // `plaintext` received is only good when this returns success: write it
  // somewhere temporary and keep it only then (attachment::AtomicFileSink).
  Result<void> OpenAttachment(int64_t message_id, size_t index, attachment::Source& blob,
                              attachment::Sink& plaintext,
                              const attachment::Progress& progress = {});

  // A delivery from the relay. Wire errors, kDuplicateMessage for an
  // envelope already received, kWrongPeer for one addressed to someone else,
  // crypto and franking errors, content that breaks the rules Send applies
  // (protocol/frame.h); nothing is stored then. A sealed delivery is
  // opened with this device's identity key and stored only if its sender's
  // certificate and token verify under the pinned keys at the relay's time,
  // name the sender the box names with the session's identity key, and the
  // token was never used by that sender before (kBadSenderCertificate,
  // kBadModerationToken, kTokenReused; kInvalidState before PinSealedKeys).
  Result<ReceivedMessage> Receive(ByteView delivery);
  // A catch-up: many deliveries in one transaction (one durable commit).
  // One result per delivery; a refused one does not affect the others.
  // `progress` (may be empty) is told after each delivery is processed.
  Result<std::vector<Result<ReceivedMessage>>> ReceiveBatch(
      std::span<const ByteView> deliveries, const storage::ProgressFn& progress = {});

  // The relay's acknowledgement of a sent message: stores its server time
  // and franking tag on the sender's copy (what makes an outgoing message
  // reportable). Returns the message's id; kNotFound unless an outgoing
  // message to the ack's recipient has that commitment. A repeated ack
  // overwrites the first (the relay's word is the one the moderator checks).
  Result<int64_t> HandleAck(ByteView ack);

  // The newest `limit` (1..kMaxHistoryPage) messages with `peer`, oldest
  // first; expired messages are never returned.
  Result<std::vector<HistoryEntry>> History(std::string_view peer, size_t limit);
  // Full-text search of this device's stored messages (storage::Store::Search:
  // FTS5 query syntax, newest first, expired messages never found), over
  // every conversation or only the one with `peer`; 1..kMaxSearchResults.
  // kInvalidArgument for a query FTS5 cannot parse.
  Result<std::vector<storage::SearchHit>> Search(std::string_view query,
                                                 std::optional<std::string_view> peer,
                                                 size_t limit);

  // Lets this device start classical (X3DH) sessions with `peer` when the
  // peer's bundle has no ML-KEM prekey (an older candor), or refuses them
  // again (the default). Stored; it decides nothing else: a bundle with an
  // ML-KEM prekey always gets PQXDH, and this device's own refusal of
  // classical first messages does not change. It lapses by itself once a
  // PQXDH session with the peer is set up from its bundle (the peer has
  // upgraded: a stripped bundle must not get a classical session from then
  // on) and when the peer's identity key changes (another device).
  Result<void> AllowClassicalSessions(std::string_view peer, bool allow);
  // How the session with `peer` was set up; nullopt without a session.
  Result<std::optional<SessionSetup>> SessionSetupWith(std::string_view peer);

  // The 60-digit safety number with `peer`; kNotFound without a session.
  Result<std::string> Fingerprint(std::string_view peer);

  // Identity changes (docs/identity.md). A peer's key is trusted on first
  // use; a different key later is held as pending: Receive refuses its
  // messages with kIdentityChanged and holds them (encrypted, at most
  // kMaxHeldDeliveries), Send refuses to send to the peer at all, and the
  // history gets a marker. nullopt when nothing is pending.
  Result<std::optional<IdentityChange>> PendingIdentityChange(std::string_view peer);
  // The user accepts the new key of a contact they had not verified: it
  // becomes the trusted key, the old session is dropped, and the held
  // messages are received now (one result each, as ReceiveBatch). The next
  // Send needs the peer's new bundle unless a held message started a
  // session. `shown_safety_number`, when given, must be the new safety
  // number the user was shown (kInvalidArgument otherwise: nothing
  // changes). kInvalidState when nothing is pending, or the old key had been
  // verified (then only VerifyIdentity accepts).
  Result<std::vector<Result<ReceivedMessage>>> AcceptIdentityChange(
      std::string_view peer, std::string_view shown_safety_number = {});
  // The user compared safety numbers and `safety_number` is the one they
  // saw on both devices: it must be the safety number of the pending key
  // (if a change is pending: then it is accepted as above) or of the
  // trusted one; that key is marked verified. kInvalidArgument when it does
  // not match (nothing changes), kNotFound for a peer never met.
  Result<std::vector<Result<ReceivedMessage>>> VerifyIdentity(std::string_view peer,
                                                             std::string_view safety_number);
  // The user refuses the new key (e.g. they learned the peer did not
  // reinstall): it and the messages held under it are dropped, the old key
  // and session stay. kInvalidState when nothing is pending.
  Result<void> RejectIdentityChange(std::string_view peer);
  // Whether the trusted key of `peer` was verified; kNotFound for a peer
  // never met.
  Result<bool> IsVerified(std::string_view peer);

  // Reports (docs/reports.md). PrepareReport selects message `message_id`
  // of the conversation with `peer` and the four before it, and returns the
  // preview to show the user; nothing leaves the device. SubmitReport seals
  // exactly that preview to the moderation service's key and logs it;
  // kPreviewMismatch if it is not what the store holds (edited, or the
  // conversation changed), and then nothing is sealed or logged.
  Result<protocol::ReportPreview> PrepareReport(std::string_view peer, int64_t message_id,
                                                protocol::ReportReason reason);
  // The same from a group's history: the message and the four before it in
  // that group, any senders; the bundle carries the group's id (never its
  // name, picture or members) and names the reported message's sender
  // (kInvalidArgument for this device's own message). SubmitReport takes
  // its preview as any other.
  Result<protocol::ReportPreview> PrepareGroupReport(const crypto::GroupId& group,
                                                     int64_t message_id,
                                                     protocol::ReportReason reason);
  Result<SubmittedReport> SubmitReport(const protocol::ReportPreview& preview,
                                       const crypto::X25519PublicKey& moderator);
  // The local report log: every report this device submitted, oldest first.
  // An entry stays until DeleteReport; its preview and sealed copy go with
  // the last of the messages it shows (PurgeExpired), when they disappear.
  Result<std::vector<protocol::ReportRecord>> Reports();
  // Deletes one entry of the log; kNotFound if there is none.
  Result<void> DeleteReport(int64_t report_id);

  // Groups (docs/groups.md). Membership changes and sender keys travel over
  // the pairwise sessions (a member without one needs its bundle in
  // `bundles`: kInvalidState otherwise); group messages travel once, in a
  // group envelope the relay fans out. Each operation is one transaction:
  // on any error nothing is stored and nothing handed out.
  //
  // A new group: this device its only admin, `members` the others
  // (1..kMaxGroupMembers - 1; kMaxGroupChangeAccounts per change). `name`
  // 1..kMaxGroupNameBytes of UTF-8 on one line, `avatar` <= kMaxGroupAvatarBytes.
  Result<GroupOperation> CreateGroup(std::string_view name, ByteView avatar,
                                     std::vector<std::string> members, const Bundles& bundles = {});
  // Admin changes; the members named get the change, an added member also
  // the group as it is now (a welcome). kInvalidState, naming the rule, for
  // a change this device may not make; kNotFound for an unknown group.
  Result<GroupOperation> AddGroupMembers(const crypto::GroupId& group,
                                         std::vector<std::string> accounts,
                                         const Bundles& bundles = {});
  // A removed account (or the members a leaving device leaves) is told too
  // when that can be done; one this device cannot reach (no session, a
  // changed identity key) is skipped — it is out either way.
  Result<GroupOperation> RemoveGroupMembers(const crypto::GroupId& group,
                                            std::vector<std::string> accounts,
                                            const Bundles& bundles = {});
  Result<GroupOperation> RenameGroup(const crypto::GroupId& group, std::string_view name,
                                     const Bundles& bundles = {});
  Result<GroupOperation> MakeGroupAdmins(const crypto::GroupId& group,
                                         std::vector<std::string> accounts,
                                         const Bundles& bundles = {});
  // Any member; the last admin first makes another admin (kInvalidState).
  Result<GroupOperation> LeaveGroup(const crypto::GroupId& group, const Bundles& bundles = {});
  // A group message. After a member departed, this device draws a new
  // sender key first and sends it to the remaining members only; a member
  // added since gets the current key (it cannot read earlier messages).
  // Send's content rules; kInvalidState once this device is no member.
  Result<GroupOperation> SendGroup(const crypto::GroupId& group, std::string_view text,
                                   const Bundles& bundles = {});
  // With attachments, as Send.
  Result<GroupOperation> SendGroup(const crypto::GroupId& group, std::string_view text,
                                   std::span<const SealedAttachment> attachments,
                                   const Bundles& bundles = {});
  Result<std::vector<GroupInfo>> Groups();
  Result<GroupInfo> Group(const crypto::GroupId& group);
  // The group's newest `limit` messages, oldest first (as History).
  Result<std::vector<HistoryEntry>> GroupHistory(const crypto::GroupId& group, size_t limit);

  // Disappearing messages (see protocol::DeviceStore).
  Result<void> SetDisappearingTimer(std::string_view peer, std::optional<uint64_t> seconds);
  // Deletes expired messages (returns how many), and signed prekeys and
  // replay markers past their retention (protocol::DeviceStore).
  Result<size_t> PurgeExpired();

  // --- Sealed sender credentials (docs/sealed-sender.md) ---------------------
  // What a sealed Send uses and a sealed Receive checks against. The directory's and the moderation service's public keys to trust
  // (replaces earlier ones).
  Result<void> PinSealedKeys(const crypto::Ed25519PublicKey& directory,
                             const crypto::Ed25519PublicKey& moderation);
  // A certificate from the directory (an encoded SenderCertificate, as the
  // directory's answer carries it): decoded strictly, then checked and kept
  // (storage::Store::AddSenderCertificate). Returns its expiry.
  Result<uint64_t> AddSenderCertificate(ByteView certificate);
  // Draws `count` one-use key pairs (1..kMaxTokensPerRequest), keeps their
  // secret halves, and returns the TokenRequest to send to the token service
  // (channel kTokenService, checked by the egress guard).
  Result<OutgoingItem> RequestTokens(size_t count);
  // The service's TokenResponse: decoded strictly, each token checked and
  // kept, all or nothing (storage::Store::AddTokens). Returns how many were
  // added (Tokens() says how many are usable).
  Result<size_t> AddTokens(ByteView response);
  // How many tokens are usable and requested, and whether to ask for more.
  Result<storage::Store::TokenSupply> Tokens();

 private:
  struct State;
  explicit Client(std::unique_ptr<State> state);
  Result<HistoryEntry> ToEntry(const protocol::StoredMessage& m) const;
  Result<SentMessage> SendContent(std::string_view peer, const Bytes& content,
                                  std::optional<ByteView> bundle, Sealing sealing);
  // Sealed sending (client_sealed.cc): whether a send to `peer` is sealed,
  // and the message encrypted with this device's certificate and next
  // token, the token used up (the caller holds the transaction).
  bool SendsSealed(std::string_view peer, Sealing sealing) const;
  Result<protocol::OutgoingMessage> EncryptSealed(protocol::Session& session,
                                                  const Bytes& content);
  // The pinned keys and this device's box key (nullopt before
  // PinSealedKeys), loaded only when one of `deliveries` is sealed.
  Result<std::optional<protocol::SealedReceiver>> SealedReceiverFor(
      std::span<const protocol::Delivery> deliveries);
  // Who sent `delivery`: the envelope's sender, or the name in a sealed
  // box (empty if it does not open).
  std::string SenderOf(const protocol::Delivery& delivery) const;
  Result<GroupOperation> SendGroupContent(const crypto::GroupId& group, const Bytes& content,
                                          const Bundles& bundles);
  // The change's two safety numbers, for the embedder.
  Result<IdentityChange> DescribeChange(std::string_view peer, const crypto::Ed25519PublicKey& old_key,
                                        const crypto::Ed25519PublicKey& new_key,
                                        uint64_t detected_at, std::optional<uint64_t> accepted_at,
                                        bool was_verified) const;
  void NotifyIdentityChange(std::string_view peer);
  Result<std::optional<protocol::Session>> SendingSession(
      std::string_view peer, const std::optional<crypto::PrekeyBundle>& bundle,
      bool& identity_changed);
  // The held deliveries of an accepted change, received in the caller's
  // transaction.
  std::vector<Result<ReceivedMessage>> ReceiveHeld(const std::vector<Bytes>& held);
  // Groups (client_groups.cc): a change made here, sent to `recipients`
  // (and a welcome to `welcomed`), and the hooks a receive runs.
  Result<GroupOperation> IssueGroupChange(const crypto::GroupId& group,
                                          protocol::GroupChangeKind kind,
                                          std::vector<std::string> accounts,
                                          std::string_view name, const Bundles& bundles);
  using Outgoing = std::vector<std::pair<protocol::EgressRecord, Bytes>>;
  Result<void> SendControl(const std::vector<std::string>& peers,
                           const protocol::CheckedGroupControl& control, const Bundles& bundles,
                           Outgoing& out);
  Result<std::pair<protocol::EgressRecord, Bytes>> SendControlTo(
      std::string_view peer, const protocol::CheckedGroupControl& control, const Bundles& bundles);
  std::vector<OutgoingItem> HandAll(Outgoing out);
  // Bundles of `recipients` that carry a new identity key for their account
  // are recorded as pending changes (and the embedder told) in a
  // transaction of their own, before a group operation that then refuses
  // to send to them.
  Result<void> RecordBundleIdentityChanges(const Bundles& bundles,
                                           const std::vector<std::string>& recipients);
  // After the user accepted a peer's new identity key: in every group, the
  // old device's keys go and the new one gets this device's key next time.
  Result<void> ForgetGroupDevice(std::string_view peer);
  protocol::GroupReceiveHooks GroupHooks();
  // The single exit: every OutgoingItem is made by Hand, from a record of
  // the egress guard (Emit runs the guard; Send and SubmitReport run it
  // before they commit, and pass the record).
  Result<OutgoingItem> Emit(Channel channel, std::string_view type, Bytes bytes);
  OutgoingItem Hand(protocol::EgressRecord record, Bytes bytes);
  std::unique_ptr<State> state_;
};

// {"with","verified","safety_number" (null without a session),
//  "pending":{"old_safety_number","new_safety_number","detected_at"} | null}.
Result<std::string> IdentityStatusJson(Client& client, std::string_view peer);

}  // namespace candor::client

#endif  // CANDOR_CLIENT_CLIENT_H_
