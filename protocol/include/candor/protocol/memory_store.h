// DeviceStore in memory, for tests and fuzzers: the same semantics as the
// SQLCipher store (the shared test suite holds both to them), no durability.
#ifndef CANDOR_PROTOCOL_MEMORY_STORE_H_
#define CANDOR_PROTOCOL_MEMORY_STORE_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "candor/protocol/device_store.h"

namespace candor::protocol {

class MemoryStore final : public DeviceStore {
 public:
  Result<void> SaveIdentity(std::string_view account, const crypto::Ed25519KeyPair& identity,
                            uint64_t now) override;
  Result<std::optional<LocalIdentity>> LoadIdentity() override;
  Result<void> SaveSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                const crypto::Ed25519Signature& signature, uint64_t now) override;
  Result<void> SaveOneTimePrekey(uint32_t id, const crypto::X25519KeyPair& key) override;
  Result<std::optional<SignedPrekeyRecord>> CurrentSignedPrekey() override;
  Result<void> RotateSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                  const crypto::Ed25519Signature& signature,
                                  uint64_t now) override;
  Result<uint32_t> AddOneTimePrekey(const crypto::X25519KeyPair& key) override;
  const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) override;
  const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) override;
  Result<void> RotatePqSignedPrekey(uint32_t id, const crypto::MlKem768KeyPair& key,
                                    const crypto::Ed25519Signature& signature,
                                    uint64_t now) override;
  Result<std::optional<PqSignedPrekeyRecord>> CurrentPqSignedPrekey() override;
  Result<uint32_t> AddPqOneTimePrekey(const crypto::MlKem768KeyPair& key) override;
  Result<crypto::ClassicalFallback> ClassicalFallbackFor(std::string_view peer) override;
  Result<void> SetClassicalFallback(std::string_view peer,
                                    crypto::ClassicalFallback fallback) override;
  Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind kind,
                                                      uint32_t id) override;
  Result<bool> PqRequired() override;
  Result<bool> LastResortUsed(const LastResortUse& use) override;

  Result<std::optional<Session>> LoadSession(std::string_view peer) override;
  Result<bool> HasReceived(const EnvelopeDigest& digest) override;
  Result<int64_t> CommitReceived(const Session& session, const IncomingMessage& message,
                                 const EnvelopeDigest& digest, uint64_t now) override;
  Result<int64_t> CommitSent(const Session& session, const OutgoingMessage& message,
                             uint64_t now) override;
  Result<int64_t> SaveRelayAck(const RelayAck& ack) override;
  using DeviceStore::InTransaction;
  Result<void> InTransaction(const std::function<Result<void>()>& work,
                             Durability durability) override;

  Result<std::vector<StoredMessage>> LatestMessages(std::string_view peer, size_t limit,
                                                    uint64_t now) override;
  Result<std::vector<StoredMessage>> MessagesBefore(std::string_view peer, int64_t local_order,
                                                    size_t limit, uint64_t now) override;
  Result<std::optional<StoredMessage>> MessageById(int64_t id, uint64_t now) override;
  Result<std::optional<PeerIdentity>> LoadPeerIdentity(std::string_view peer) override;
  Result<void> TrustFirstIdentity(std::string_view peer,
                                  const crypto::Ed25519PublicKey& key) override;
  Result<void> RecordIdentityChange(std::string_view peer, const crypto::Ed25519PublicKey& key,
                                    uint64_t now, std::optional<ByteView> delivery) override;
  Result<std::vector<Bytes>> AcceptIdentityChange(std::string_view peer, uint64_t now) override;
  Result<void> RejectIdentityChange(std::string_view peer) override;
  Result<void> SetIdentityVerified(std::string_view peer, bool verified) override;
  Result<std::vector<IdentityChangeRecord>> IdentityChanges(std::string_view peer) override;
  Result<void> SetDisappearingTimer(std::string_view peer,
                                    std::optional<uint64_t> seconds) override;
  Result<size_t> PurgeExpired(uint64_t now) override;
  Result<int64_t> SaveReport(const ReportRecord& record) override;
  Result<std::vector<ReportRecord>> ListReports() override;
  Result<void> DeleteReport(int64_t id) override;

 private:
  struct HeldDelivery {
    EnvelopeDigest digest;
    crypto::Ed25519PublicKey identity_key;
    Bytes delivery;
  };
  struct Conversation {
    std::optional<SecretBytes> session;  // serialized, as a database holds it
    int64_t next_order = 0;
    std::optional<uint64_t> disappear_after;
    std::optional<PeerIdentity> identity;
    std::vector<IdentityChangeRecord> changes;
    std::vector<HeldDelivery> held;  // oldest first
  };
  Conversation& ConversationFor(std::string_view peer);
  int64_t Append(const std::string& peer, Direction direction, const std::string& sender,
                 const std::string& recipient, std::optional<uint64_t> server_time, uint64_t now,
                 const Bytes& content, const crypto::FrankingKey& fk,
                 const crypto::FrankingCommitment& commitment,
                 std::optional<crypto::RelayTag> relay_tag, Bytes sealed_proof = {});
  std::vector<StoredMessage> Select(std::string_view peer, int64_t before, size_t limit,
                                    uint64_t now) const;

  // A deep copy of everything, for InTransaction's undo.
  struct State;
  State Snapshot() const;
  void Restore(State&& state);

  std::optional<LocalIdentity> identity_;
  struct SignedPrekey {
    crypto::X25519KeyPair key;
    crypto::Ed25519Signature signature;
    std::optional<uint64_t> retired_at;  // nullopt while current
  };
  std::map<uint32_t, SignedPrekey> signed_prekeys_;
  std::map<uint32_t, crypto::X25519KeyPair> one_time_prekeys_;
  uint64_t next_one_time_prekey_id_ = 1;
  // ML-KEM keys never change once stored: shared, so a snapshot for
  // InTransaction copies pointers, not 2,400-byte keys.
  struct PqSignedPrekey {
    std::shared_ptr<const crypto::MlKem768KeyPair> key;
    crypto::Ed25519Signature signature;
    std::optional<uint64_t> retired_at;
  };
  using LastResortKey = std::tuple<uint32_t, uint32_t, std::array<uint8_t, 32>>;
  struct PqState {
    std::map<uint32_t, PqSignedPrekey> signed_prekeys;
    std::map<uint32_t, std::shared_ptr<const crypto::MlKem768KeyPair>> one_time_prekeys;
    uint64_t next_one_time_prekey_id = 1;
    bool required = false;
    std::set<LastResortKey> last_resort_uses;  // (pq id, signed prekey id, EK_A)
    std::set<std::string, std::less<>> classical_peers;
  };
  PqState pq_;
  std::map<std::string, Conversation, std::less<>> conversations_;
  std::map<int64_t, StoredMessage> messages_;
  std::map<EnvelopeDigest, uint64_t> received_;  // replay marker -> receive time
  std::set<std::pair<std::string, Bytes>> seen_tokens_;  // sealed: (sender, one-use key)
  int64_t next_id_ = 1;
  std::vector<ReportRecord> reports_;
};

// A deep copy of a stored message (StoredMessage is move-only: it holds a key).
StoredMessage CopyStoredMessage(const StoredMessage& m);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_MEMORY_STORE_H_
