// What a device persists, as the session layer needs it. storage::Store
// implements it on SQLCipher; MemoryStore (memory_store.h) serves tests and
// fuzzers. Both pass the same test suite (tests/storage/device_store_test.cc).
//
// The two operations that matter for crash safety are single transactions:
//  - CommitReceived stores the advanced session, the history row, its
//    franking opening and the envelope's replay marker (and deletes the
//    one-time prekeys a new session consumed, and records its use of the
//    last-resort ML-KEM prekey) — all or nothing; a group control message
//    stores no history row (its id is 0). An envelope already
//    received, or a last-resort use already recorded, is kDuplicateMessage
//    and changes nothing. A message received sealed also stores its proof
//    and records its token as seen from the sender: a token seen before is
//    kTokenReused, and changes nothing.
//  - CommitSent stores the advanced session and the outgoing message before
//    the caller hands the envelope out; its commit is synced (Durability).
//    A group control message (empty content) stores no history row.
// Loading a session and committing its successor are two calls: when other
// handles may write the same store (another process), run both inside one
// InTransaction, which holds the store's write lock throughout (Client does).
// Not thread-safe.
#ifndef CANDOR_PROTOCOL_DEVICE_STORE_H_
#define CANDOR_PROTOCOL_DEVICE_STORE_H_

#include <cstdint>
#include <functional>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/protocol/content.h"
#include "candor/protocol/sealed_check.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"

namespace candor::protocol {

enum class Direction : uint8_t { kIncoming = 0, kOutgoing = 1 };

struct StoredMessage {
  int64_t id;
  std::string peer;
  Direction direction;
  std::string sender;
  std::string recipient;
  int64_t local_order;                 // per conversation, increasing
  std::optional<uint64_t> server_time;  // outgoing: set by the relay's ack
  uint64_t stored_at;
  std::optional<uint64_t> expires_at;  // disappearing messages
  Bytes content;                       // serialized Content, verbatim
  crypto::FrankingKey franking_key;
  crypto::FrankingCommitment franking_commitment;
  std::optional<crypto::RelayTag> relay_tag;  // outgoing: set by the relay's ack
  // Sent or received sealed: the proof its Frame carried (EncodeSealedProof's
  // bytes), which a report carries; empty for a message sent unsealed. Its
  // relay tag is then the sealed form (crypto::ComputeSealedRelayTag).
  Bytes sealed_proof = {};
};

struct LocalIdentity {
  std::string account;
  crypto::Ed25519KeyPair identity;
};

// The signed prekey a bundle publishes.
struct SignedPrekeyRecord {
  uint32_t id;
  crypto::X25519KeyPair key;
  crypto::Ed25519Signature signature;
};

// The signed ML-KEM prekey (PQXDH's last resort) a bundle publishes: only
// its public half leaves the store this way.
struct PqSignedPrekeyRecord {
  uint32_t id;
  crypto::MlKem768PublicKey key;
  crypto::Ed25519Signature signature;
};

// What this device trusts about a peer's identity key (trust on first use,
// then only changes the user accepted).
struct PeerIdentity {
  crypto::Ed25519PublicKey identity_key;  // the trusted key
  bool verified = false;  // the user compared safety numbers for this key
  // A different key the peer came with (a reinstall, or an attacker): not
  // trusted, nothing is sent to it or accepted from it until accepted.
  std::optional<crypto::Ed25519PublicKey> pending;
  std::optional<uint64_t> pending_since;
};

// A history marker: the peer's identity key changed at `detected_at`.
struct IdentityChangeRecord {
  int64_t local_order;  // among the conversation's messages
  crypto::Ed25519PublicKey old_key;
  crypto::Ed25519PublicKey new_key;
  uint64_t detected_at;
  std::optional<uint64_t> accepted_at;
};

// One entry of the local report log: what this device disclosed, when, and
// to whom.
struct ReportRecord {
  int64_t id;  // assigned by SaveReport
  std::string peer;
  std::string reason;
  uint64_t created_at;
  size_t message_count;
  std::string preview;  // the preview JSON, exactly as the user was shown it
  std::array<uint8_t, 32> moderator_key;
  Bytes sealed;         // exactly the bytes handed out
  // When the preview and the sealed copy go (PurgeExpired): the last expiry
  // of the messages reported, if every one of them disappears; nullopt:
  // kept until DeleteReport. The rest of the entry stays until then.
  std::optional<uint64_t> content_expires_at;
  // Set by ListReports once PurgeExpired removed `preview` and `sealed`.
  bool content_purged = false;
};

// kInvalidArgument unless `seconds` is nullopt (no timer) or within
// 1..kMaxDisappearingTimerSeconds; what both stores check before storing one.
Result<void> CheckDisappearingTimer(std::optional<uint64_t> seconds);

// When a transaction's commit must be on disk. kSynced: before it returns,
// whatever the store's synchronous setting — for commits whose result leaves
// the device at once (a sent envelope), since a commit lost to a power cut
// would roll the sender's ratchet back under an envelope already out.
enum class Durability : uint8_t { kStoreSetting, kSynced };

// The replay marker of an envelope: BLAKE2b-256 of its bytes.
using EnvelopeDigest = std::array<uint8_t, 32>;
EnvelopeDigest DigestEnvelope(ByteView envelope_bytes);

class DeviceStore : public PrekeySource {
 public:
  // --- This device --------------------------------------------------------------
  // kAlreadyExists if an identity is stored.
  virtual Result<void> SaveIdentity(std::string_view account, const crypto::Ed25519KeyPair& identity,
                                    uint64_t now) = 0;
  virtual Result<std::optional<LocalIdentity>> LoadIdentity() = 0;
  virtual Result<void> SaveSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                        const crypto::Ed25519Signature& signature,
                                        uint64_t now) = 0;
  virtual Result<void> SaveOneTimePrekey(uint32_t id, const crypto::X25519KeyPair& key) = 0;
  // The newest signed prekey (highest id) not retired; nullopt if none.
  virtual Result<std::optional<SignedPrekeyRecord>> CurrentSignedPrekey() = 0;
  // Makes `key` (signed under `id`) the current signed prekey and retires
  // the one before it at `now`. A retired key still opens prekey messages
  // until PurgeExpired deletes it, kRetiredSignedPrekeySeconds later.
  // kInvalidArgument unless `id` is above every stored signed prekey id;
  // nothing changes then.
  virtual Result<void> RotateSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                          const crypto::Ed25519Signature& signature,
                                          uint64_t now) = 0;
  // Stores `key` as a one-time prekey under an id this device never used
  // before (a counter that survives consumption, so a peer holding an old
  // bundle can never name a different key by the same id); returns the id.
  // kInvalidState without an identity, or once the u32 ids are exhausted.
  virtual Result<uint32_t> AddOneTimePrekey(const crypto::X25519KeyPair& key) = 0;
  // PQXDH (DESIGN.md "Post-quantum session setup"). Makes `key` (signed
  // under `id`, label "candor/pqspk/v1") the current signed ML-KEM prekey
  // — the first one too — and retires the one before it at `now`, as
  // RotateSignedPrekey does (a retired key opens first messages until
  // PurgeExpired deletes it with the last-resort uses it remembers). From
  // the first one on, PqRequired() is true for good. kInvalidArgument
  // unless `id` is above every stored one; nothing changes then.
  virtual Result<void> RotatePqSignedPrekey(uint32_t id, const crypto::MlKem768KeyPair& key,
                                            const crypto::Ed25519Signature& signature,
                                            uint64_t now) = 0;
  // The newest signed ML-KEM prekey not retired; nullopt if none (a store
  // from before PQXDH).
  virtual Result<std::optional<PqSignedPrekeyRecord>> CurrentPqSignedPrekey() = 0;
  // As AddOneTimePrekey, for a one-time ML-KEM prekey (ids of its own).
  virtual Result<uint32_t> AddPqOneTimePrekey(const crypto::MlKem768KeyPair& key) = 0;
  // Whether this device may start a classical (X3DH) session with `peer`
  // when the peer's bundle has no ML-KEM prekey: kRefuse unless the
  // embedder allowed it (SetClassicalFallback).
  virtual Result<crypto::ClassicalFallback> ClassicalFallbackFor(std::string_view peer) = 0;
  virtual Result<void> SetClassicalFallback(std::string_view peer,
                                            crypto::ClassicalFallback fallback) = 0;
  // PrekeySource: pointers stay valid until the next call on the store.

  // --- Sessions and messages ------------------------------------------------------
  virtual Result<std::optional<Session>> LoadSession(std::string_view peer) = 0;
  virtual Result<bool> HasReceived(const EnvelopeDigest& digest) = 0;
  // Returns the new message's id.
  virtual Result<int64_t> CommitReceived(const Session& session, const IncomingMessage& message,
                                         const EnvelopeDigest& digest, uint64_t now) = 0;
  virtual Result<int64_t> CommitSent(const Session& session, const OutgoingMessage& message,
                                     uint64_t now) = 0;
  // Records the relay's time and tag on the outgoing message with that
  // commitment; kNotFound if there is none (or it expired). Returns its id.
  virtual Result<int64_t> SaveRelayAck(const RelayAck& ack) = 0;

  // Runs `work` (which calls the operations above) as one transaction: all
  // of its commits become durable together (a catch-up of queued messages
  // pays for one commit, not one per message). A commit that is refused
  // before writing (a duplicate, say) leaves the rest standing; if `work`
  // returns an error, or a commit inside failed after it had started
  // writing, everything is undone — a record is never stored half-written.
  // The store's write lock is held from the start: another handle's writes
  // wait until the commit (a store for one user, like MemoryStore, has no
  // other handles).
  virtual Result<void> InTransaction(const std::function<Result<void>()>& work,
                                     Durability durability) = 0;
  Result<void> InTransaction(const std::function<Result<void>()>& work) {
    return InTransaction(work, Durability::kStoreSetting);
  }

  // --- Peer identities (docs/identity.md) ----------------------------------------
  virtual Result<std::optional<PeerIdentity>> LoadPeerIdentity(std::string_view peer) = 0;
  // Trust on first use: records `key` for a peer that has none; a peer that
  // has one keeps it (kWrongPeer if it differs: that is a change).
  virtual Result<void> TrustFirstIdentity(std::string_view peer,
                                          const crypto::Ed25519PublicKey& key) = 0;
  // `key` differs from the trusted one: records it as pending, adds a
  // history marker, and holds `delivery` (the encoded delivery,
  // deduplicated; at most kMaxHeldDeliveries per peer, oldest dropped) until
  // AcceptIdentityChange. The same pending key again only holds the
  // delivery. kNotFound without a trusted key; kInvalidArgument if `key` is
  // the trusted one; kInvalidState if another key is pending (one at a
  // time: what the user accepts must be what they were shown).
  virtual Result<void> RecordIdentityChange(std::string_view peer,
                                            const crypto::Ed25519PublicKey& key, uint64_t now,
                                            std::optional<ByteView> delivery) = 0;
  // The pending key becomes the trusted one (not verified), the session
  // with the old key is deleted, the marker notes `now`; returns the held
  // deliveries from the new key, oldest first, no longer stored (the caller
  // receives them in the same transaction). kInvalidState if none pending.
  virtual Result<std::vector<Bytes>> AcceptIdentityChange(std::string_view peer, uint64_t now) = 0;
  // The user refuses the pending key: it and the deliveries held under it
  // are dropped, the trusted key stays (the marker stays, never accepted).
  // kInvalidState if none pending.
  virtual Result<void> RejectIdentityChange(std::string_view peer) = 0;
  // kNotFound without a trusted key.
  virtual Result<void> SetIdentityVerified(std::string_view peer, bool verified) = 0;
  // The conversation's markers, oldest first.
  virtual Result<std::vector<IdentityChangeRecord>> IdentityChanges(std::string_view peer) = 0;

  // --- History (expired messages are never returned) ----------------------------
  // The newest `limit` messages, oldest first.
  virtual Result<std::vector<StoredMessage>> LatestMessages(std::string_view peer, size_t limit,
                                                            uint64_t now) = 0;
  // The `limit` messages just before `local_order`, oldest first.
  virtual Result<std::vector<StoredMessage>> MessagesBefore(std::string_view peer,
                                                            int64_t local_order, size_t limit,
                                                            uint64_t now) = 0;
  virtual Result<std::optional<StoredMessage>> MessageById(int64_t id, uint64_t now) = 0;

  // --- Report log ---------------------------------------------------------------
  // Returns the new entry's id (record.id is ignored).
  virtual Result<int64_t> SaveReport(const ReportRecord& record) = 0;
  // Every submitted report, oldest first. The log is the user's record of
  // what they disclosed, so an entry stays until DeleteReport; but its
  // plaintext (the preview, and the sealed copy) is no longer kept than the
  // messages it shows: PurgeExpired empties both at content_expires_at.
  virtual Result<std::vector<ReportRecord>> ListReports() = 0;
  // Deletes one entry of the log entirely; kNotFound if there is none.
  virtual Result<void> DeleteReport(int64_t id) = 0;

  // --- Disappearing messages ----------------------------------------------------
  // Messages stored from now on in this conversation expire `seconds` after
  // they were stored (nullopt: never). kInvalidArgument (nothing changed)
  // unless 1 <= seconds <= kMaxDisappearingTimerSeconds.
  virtual Result<void> SetDisappearingTimer(std::string_view peer,
                                            std::optional<uint64_t> seconds) = 0;
  // Deletes expired messages with their franking openings; returns how many.
  // Also empties the preview and sealed copy of report-log entries past
  // their content_expires_at, and deletes what has outlived its retention:
  // signed prekeys (X25519 and ML-KEM, the latter with the last-resort uses
  // remembered for it) retired
  // kRetiredSignedPrekeySeconds ago or more, and replay markers of envelopes
  // received kReplayMarkerSeconds ago or more (a replay of one is then
  // refused by the ratchet instead: the message key is gone).
  virtual Result<size_t> PurgeExpired(uint64_t now) = 0;
};

// The peer's identity as this device trusts it: the stored record, or, for
// a store from before identities were recorded, its session's key (not
// verified, nothing pending; not stored — TrustFirstIdentity stores it).
// nullopt for a peer never met. `session`: the peer's session if the caller
// has loaded it (else it is loaded here when needed).
Result<std::optional<PeerIdentity>> TrustedIdentity(DeviceStore& store, std::string_view peer,
                                                    const std::optional<Session>* session = nullptr);

// What a receive stored, as the application shows it.
struct ReceivedMessage {
  int64_t message_id;  // 0 for a group control message (no history entry)
  std::string from;
  std::string text;    // empty for a group control message
  uint64_t server_time;
  // A group message, or a group control message: its group.
  std::optional<crypto::GroupId> group = std::nullopt;
  // A group control message: what it did ("joined", "changed", "removed",
  // "displaced", "sender_key", "confirmed", "view_differs", "already_applied",
  // "lost_tie_break": docs/groups.md); empty for a message.
  std::string group_event = {};
  // The message's attachments (Client::OpenAttachment opens them).
  std::vector<AttachmentInfo> attachments = {};
};

// The group layer's part of a receive (the client supplies it; protocol/
// knows no group state). Both run inside the receive's transaction.
struct GroupReceiveHooks {
  // A GroupControl over the pairwise session with `control.sender`, whose
  // identity key is `sender_identity`: checked first (an error refuses the
  // delivery and nothing is stored), then the returned writes run once the
  // session's commit is in, and say what the control message did.
  std::function<Result<std::function<Result<ReceivedMessage>()>>(
      const IncomingMessage& control, const crypto::Ed25519PublicKey& sender_identity,
      uint64_t now)>
      control;
  // A group message (content type 3), received whole: replay check,
  // decryption and commit.
  std::function<Result<ReceivedMessage>(const Delivery& delivery, uint64_t now)> message;
};

// The receive path over a store: the replay check, the stored session (or a
// new one from a prekey message, using the store's prekeys), decryption,
// then one CommitReceived. A prekey message under an identity key other
// than the peer's trusted one is kIdentityChanged: it is checked to open,
// then recorded as a pending change with the delivery held (those writes
// stay) and nothing else changes. The first session with a peer records its
// key as trusted. Returns the stored message (its id, sender, text
// and server time, straight from the decryption); an envelope already
// stored is kDuplicateMessage; any failure changes nothing.
//
// Without `groups`, a group message or group control message is refused
// (kInvalidState) and nothing is stored.
//
// A sealed envelope (content type kSealed) is opened with `identity`, then
// received as above from the sender the box names, and stored only if its
// proof passes CheckSealedSender under `sealed` (kInvalidState without
// pinned keys) and its token was never seen from that sender (kTokenReused).
Result<ReceivedMessage> ReceiveAndStore(DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                                std::string_view account, const Delivery& delivery, uint64_t now,
                                crypto::RandomSource& rng,
                                const GroupReceiveHooks* groups = nullptr,
                                const SealedReceiver* sealed = nullptr);

// A catch-up: `deliveries` received in one transaction (one durable commit
// for all of them), each sender's session loaded once and kept in memory
// across the batch. One result per delivery, as ReceiveAndStore would give;
// a refused delivery does not affect the others. The outer error is for the
// batch itself (e.g. the commit failed: then nothing was stored).
// `progress` (may be empty) is told after each delivery; the results become
// durable only when the whole batch commits.
Result<std::vector<Result<ReceivedMessage>>> ReceiveBatchAndStore(
    DeviceStore& store, const crypto::Ed25519KeyPair& identity, std::string_view account,
    std::span<const Delivery> deliveries, uint64_t now, crypto::RandomSource& rng,
    const std::function<void(uint64_t done, uint64_t total)>& progress = {},
    const GroupReceiveHooks* groups = nullptr, const SealedReceiver* sealed = nullptr);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_DEVICE_STORE_H_
