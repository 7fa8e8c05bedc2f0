// candor's encrypted local store: a SQLCipher 3.4.1 database holding keys,
// sessions, history and the report log (DESIGN.md "Storage").
//
// Opening. The database key is either a raw 32-byte key from the embedder's
// keystore, or a passphrase stretched with Argon2id. Either way it reaches
// SQLCipher in its raw-key form (x'<hex>', built in wiped memory), so
// SQLCipher's own PBKDF2 never runs. For a passphrase, the Argon2id salt is
// SQLCipher's per-database salt: the 16 plaintext bytes at the start of the
// file. Create draws it and hands it to SQLCipher with the key; Open reads it
// back from the file. There is no sidecar file to lose.
//
// Refusals leave the file byte-identical: a wrong key (kWrongKey), a file
// that is not a candor store — plain SQLite, another application's
// database, anything else (kNotACandorDatabase) — or a store written by a
// newer candor (kSchemaTooNew). An older store is migrated forward in one
// transaction.
//
// Settings: cipher_page_size 4096, WAL, secure_delete on, foreign keys on,
// synchronous FULL unless StoreOptions says NORMAL (and even then a synced
// transaction — a send — is fsync'd before it returns).
//
// One writer: every write runs in a BEGIN IMMEDIATE transaction, so another
// process on the same file waits for it (StoreOptions::busy_timeout_ms)
// instead of interleaving with it. In one process a file is open at most
// once: a second Create/Open of it is kAlreadyOpen. Not thread-safe: use a
// Store from one thread at a time (SQLite connections are not shared).
#ifndef CANDOR_STORAGE_STORE_H_
#define CANDOR_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "candor/crypto/pwhash.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/group/group_message.h"
#include "candor/group/group_state.h"
#include "candor/group/sender_key_ring.h"
#include "candor/protocol/device_store.h"

namespace candor::storage {

namespace internal {
struct StoreFactory;  // storage's own construction paths (store.cc)
}  // namespace internal

// Argon2id parameters for passphrase stores. Fixed, because Open must derive
// the same key without anything stored in the clear but the salt:
// libsodium's MODERATE profile (3 passes, 256 MiB), ~0.7 s on the project's
// machine. Changing them is a format change that needs a re-key migration.
inline constexpr crypto::Argon2idParams kStorePassphraseParams{
    kArgon2idDefaultOpsLimit, kArgon2idDefaultMemLimitBytes};

class StoreKey {
 public:
  static StoreKey Raw(SecretArray<32> key);
  // kInvalidArgument for an empty passphrase or one over kMaxPassphraseBytes.
  static Result<StoreKey> Passphrase(SecretBytes passphrase);

  StoreKey(StoreKey&&) noexcept = default;
  StoreKey& operator=(StoreKey&&) noexcept = default;

  bool is_passphrase() const { return std::holds_alternative<SecretBytes>(key_); }

 private:
  explicit StoreKey(std::variant<SecretArray<32>, SecretBytes> key) : key_(std::move(key)) {}
  std::variant<SecretArray<32>, SecretBytes> key_;
  friend struct internal::StoreFactory;
};

// Progress of long work: `done` of `total` steps (called after each step).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

inline constexpr int kDefaultBusyTimeoutMs = 5000;

struct StoreOptions {
  // FULL: a committed transaction survives power loss. NORMAL (WAL): it
  // survives a crash of the process and the database is never corrupted,
  // but NOT a power loss: the last receives can be lost then (their
  // messages come again from the relay only if it still has them). Sends
  // are synced whatever this says: a lost send commit would let the
  // ratchet derive the key of an envelope that already left once more.
  bool synchronous_full = true;
  // How long an operation waits while another process holds the write
  // lock before it fails with kDatabaseLocked.
  int busy_timeout_ms = kDefaultBusyTimeoutMs;
  // Called during Open while an older store is migrated: once per schema
  // version applied (all inside the one migration transaction).
  ProgressFn migration_progress;
};

// One message found by Store::Search.
struct SearchHit {
  int64_t message_id;
  std::string peer;
  protocol::Direction direction;
  std::string sender;
  std::string recipient;
  uint64_t stored_at;
  std::optional<uint64_t> server_time;
  // FTS5's snippet: up to kSnippetWords words of the text around the
  // best-matching ones, "…" where it was cut.
  std::string snippet;
  // A group's message: its group; `peer` is empty then.
  std::optional<crypto::GroupId> group = std::nullopt;
};

class Store final : public protocol::DeviceStore {
 public:
  // A new store at `path`, created exclusively (O_EXCL, mode 0600):
  // kAlreadyExists if something is there, even if another process created it
  // a moment ago. On failure nothing this call made is left behind.
  static Result<Store> Create(const std::string& path, const StoreKey& key,
                              crypto::RandomSource& rng, StoreOptions options = {});
  // An existing store; kNotFound, kWrongKey, kNotACandorDatabase,
  // kSchemaTooNew, kDatabaseLocked, kAlreadyOpen (this process has it open).
  static Result<Store> Open(const std::string& path, const StoreKey& key,
                            StoreOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int64_t schema_version() const;

  // protocol::DeviceStore (see device_store.h for the contract).
  Result<void> SaveIdentity(std::string_view account, const crypto::Ed25519KeyPair& identity,
                            uint64_t now) override;
  Result<std::optional<protocol::LocalIdentity>> LoadIdentity() override;
  Result<void> SaveSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                const crypto::Ed25519Signature& signature, uint64_t now) override;
  Result<void> SaveOneTimePrekey(uint32_t id, const crypto::X25519KeyPair& key) override;
  Result<std::optional<protocol::SignedPrekeyRecord>> CurrentSignedPrekey() override;
  Result<void> RotateSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                  const crypto::Ed25519Signature& signature,
                                  uint64_t now) override;
  Result<uint32_t> AddOneTimePrekey(const crypto::X25519KeyPair& key) override;
  const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) override;
  const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) override;
  Result<void> RotatePqSignedPrekey(uint32_t id, const crypto::MlKem768KeyPair& key,
                                    const crypto::Ed25519Signature& signature,
                                    uint64_t now) override;
  Result<std::optional<protocol::PqSignedPrekeyRecord>> CurrentPqSignedPrekey() override;
  Result<uint32_t> AddPqOneTimePrekey(const crypto::MlKem768KeyPair& key) override;
  Result<crypto::ClassicalFallback> ClassicalFallbackFor(std::string_view peer) override;
  Result<void> SetClassicalFallback(std::string_view peer,
                                    crypto::ClassicalFallback fallback) override;
  Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind kind,
                                                      uint32_t id) override;
  Result<bool> PqRequired() override;
  Result<bool> LastResortUsed(const protocol::LastResortUse& use) override;
  Result<std::optional<protocol::Session>> LoadSession(std::string_view peer) override;
  Result<bool> HasReceived(const protocol::EnvelopeDigest& digest) override;
  Result<int64_t> CommitReceived(const protocol::Session& session,
                                 const protocol::IncomingMessage& message,
                                 const protocol::EnvelopeDigest& digest, uint64_t now) override;
  Result<int64_t> CommitSent(const protocol::Session& session,
                             const protocol::OutgoingMessage& message, uint64_t now) override;
  Result<int64_t> SaveRelayAck(const protocol::RelayAck& ack) override;
  using protocol::DeviceStore::InTransaction;
  Result<void> InTransaction(const std::function<Result<void>()>& work,
                             protocol::Durability durability) override;
  Result<std::vector<protocol::StoredMessage>> LatestMessages(std::string_view peer, size_t limit,
                                                              uint64_t now) override;
  Result<std::vector<protocol::StoredMessage>> MessagesBefore(std::string_view peer,
                                                              int64_t local_order, size_t limit,
                                                              uint64_t now) override;
  Result<std::optional<protocol::StoredMessage>> MessageById(int64_t id, uint64_t now) override;
  Result<std::optional<protocol::PeerIdentity>> LoadPeerIdentity(std::string_view peer) override;
  Result<void> TrustFirstIdentity(std::string_view peer,
                                  const crypto::Ed25519PublicKey& key) override;
  Result<void> RecordIdentityChange(std::string_view peer, const crypto::Ed25519PublicKey& key,
                                    uint64_t now, std::optional<ByteView> delivery) override;
  Result<std::vector<Bytes>> AcceptIdentityChange(std::string_view peer, uint64_t now) override;
  Result<void> RejectIdentityChange(std::string_view peer) override;
  Result<void> SetIdentityVerified(std::string_view peer, bool verified) override;
  Result<std::vector<protocol::IdentityChangeRecord>> IdentityChanges(
      std::string_view peer) override;
  Result<void> SetDisappearingTimer(std::string_view peer,
                                    std::optional<uint64_t> seconds) override;
  Result<size_t> PurgeExpired(uint64_t now) override;
  Result<int64_t> SaveReport(const protocol::ReportRecord& record) override;
  Result<std::vector<protocol::ReportRecord>> ListReports() override;
  Result<void> DeleteReport(int64_t id) override;

  // Full-text search of stored message texts, newest first: an FTS5 query
  // (words, "a phrase", prefix*, AND / OR / NOT, NEAR(...)), matched
  // case-insensitively and without diacritics, over every conversation or
  // only the one with `peer`. At most `limit` (1..kMaxSearchResults) hits.
  // Expired messages are never found (the index loses them in the same
  // transaction as the message). kInvalidArgument for a query that is
  // empty, longer than kMaxSearchQueryBytes or not valid FTS5 syntax.
  Result<std::vector<SearchHit>> Search(std::string_view query,
                                        std::optional<std::string_view> peer, size_t limit,
                                        uint64_t now);

  // --- Groups (docs/groups.md) ---------------------------------------------------
  // A group's history is the conversation whose peer is GroupConversation(G)
  // (LatestMessages, MessagesBefore, MessageById and reports read it as any
  // other): a control character and the group id in hex, which no account
  // can be.
  static std::string GroupConversation(const crypto::GroupId& group);
  // The group a conversation key names, if it is one.
  static std::optional<crypto::GroupId> GroupOfConversation(std::string_view peer);

  struct StoredGroup {
    group::GroupState state;
    group::SenderKeyRing ring;  // this device's part, and every member key with kAll
  };
  // Every group this device is or was in (a group it left stays, inactive,
  // with its history), by group id.
  Result<std::vector<group::GroupState>> ListGroups();
  // kNone skips the member keys (one row each: a 1,024-device group's send
  // or listing needs none of them); a ring loaded so must not be saved with
  // `senders` (their rows would be replaced by nothing).
  enum class MemberKeys : uint8_t { kAll, kNone };
  Result<std::optional<StoredGroup>> LoadGroup(const crypto::GroupId& group,
                                               MemberKeys member_keys = MemberKeys::kAll);
  // Stores the group's state and this device's part of `ring`, and replaces
  // the stored keys of `senders` by the ring's (none left: deleted). One
  // transaction; the caller runs it in the transaction of the pairwise
  // message that carried the change, so both land or neither.
  Result<void> SaveGroup(const group::GroupState& state, const group::SenderKeyRing& ring,
                         const std::vector<std::string>& senders, uint64_t now);
  // The keys a group message from `sender` with key id `kid` may be under
  // (one, unless two groups drew the same random id), with their group.
  Result<std::vector<std::pair<crypto::GroupId, crypto::MemberSenderKey>>> FindGroupKeys(
      std::string_view sender, uint32_t kid);
  // A group message received: the member key's successor, the message in
  // the group's history, and the envelope's replay marker, all or nothing
  // (kDuplicateMessage, nothing written, for an envelope already received).
  Result<int64_t> CommitGroupReceived(const crypto::GroupId& group, std::string_view sender,
                                      const crypto::MemberSenderKey& next,
                                      const protocol::IncomingMessage& message,
                                      const protocol::EnvelopeDigest& digest, uint64_t now);
  // A group message sent: this device's advanced key and the message (the
  // recipient recorded is this device's own account: the relay's
  // acknowledgement tags the sender's copy so). Synced, as CommitSent.
  Result<int64_t> CommitGroupSent(const group::GroupState& state, const group::SenderKeyRing& ring,
                                  const group::OutgoingGroupMessage& message, uint64_t now);

  // --- Sealed sender (docs/sealed-sender.md) ---------------------------------
  // The public keys this device trusts for sealed sending: the directory's
  // certificate key and the moderation service's token-signing key.
  // Replaces earlier pins; a changed directory key deletes the stored
  // certificates, a changed moderation key the stored tokens (drawn keys
  // still waiting for theirs stay).
  struct SealedPins {
    crypto::Ed25519PublicKey directory;
    crypto::Ed25519PublicKey moderation;
  };
  Result<void> PinSealedKeys(const SealedPins& pins);
  Result<std::optional<SealedPins>> LoadSealedPins();
  // Keeps a certificate for this device: kSealedCredentialMissing without a
  // pinned directory key or an identity; kBadSenderCertificate unless it
  // verifies under the pin, is unexpired at `now`, and names this device's
  // account and identity key. Nothing is stored on a refusal.
  Result<void> AddSenderCertificate(const crypto::SenderCertificate& certificate, uint64_t now);
  // The certificate that expires last, if it stays valid for
  // kSealedCredentialMarginSeconds after `now` (the recipient checks it at
  // the relay's later time).
  Result<std::optional<crypto::SenderCertificate>> CurrentSenderCertificate(uint64_t now);
  // Draws `count` (1..kMaxTokensPerRequest) one-use key pairs, keeps them
  // and returns their public halves for a token request.
  Result<std::vector<crypto::Ed25519PublicKey>> DrawTokenKeys(size_t count, uint64_t now,
                                                               crypto::RandomSource& rng);
  // The service's tokens, all or nothing: each must verify under the pinned
  // moderation key (kSealedCredentialMissing without one), be unexpired at
  // `now` and be for a key this device drew that has no token yet
  // (kBadModerationToken otherwise); kInvalidArgument for none. Returns
  // how many were added.
  Result<size_t> AddTokens(const std::vector<crypto::ModerationToken>& tokens, uint64_t now);
  struct UsableToken {
    crypto::ModerationToken token;
    crypto::Ed25519KeyPair one_use;
  };
  // The usable token (valid for kSealedCredentialMarginSeconds after `now`)
  // that expires first; nullopt when none is left.
  Result<std::optional<UsableToken>> NextToken(uint64_t now);
  // Deletes a token with its secret key (run it in the send's transaction):
  // kNotFound if it is not there (used already).
  Result<void> UseToken(const crypto::Ed25519PublicKey& one_use_key);
  struct TokenSupply {
    size_t usable;     // with a token, valid for the margin beyond now
    size_t requested;  // drawn, no token yet
    bool low;          // usable < kLowTokenThreshold: time to request more
  };
  Result<TokenSupply> CountTokens(uint64_t now);
  // Receive side: remembers that `sender` used `one_use_key`; kTokenReused
  // (nothing written) if it did before. Kept until kReplayMarkerSeconds
  // after the token's expiry, then PurgeExpired deletes it.
  Result<void> RecordSeenToken(std::string_view sender,
                               const crypto::Ed25519PublicKey& one_use_key, uint64_t expires_at);

  // For tests and tools inside storage/ (the RAII database layer is private).
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct internal::StoreFactory;
};

}  // namespace candor::storage

#endif  // CANDOR_STORAGE_STORE_H_
