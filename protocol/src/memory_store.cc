#include "candor/protocol/memory_store.h"

#include <algorithm>
#include <limits>

#include "candor/crypto/limits.h"


namespace candor::protocol {

StoredMessage CopyStoredMessage(const StoredMessage& m) {
  return StoredMessage{m.id,         m.peer,       m.direction,  m.sender,
                       m.recipient,  m.local_order, m.server_time, m.stored_at,
                       m.expires_at, m.content,    m.franking_key.Clone(),
                       m.franking_commitment,      m.relay_tag,  m.sealed_proof};
}

namespace {
bool Live(const StoredMessage& m, uint64_t now) { return !m.expires_at || *m.expires_at > now; }
// Whether something kept `retention` seconds from `since` is due at `now`.
bool RetentionOver(uint64_t since, uint64_t retention, uint64_t now) {
  return now >= since && now - since >= retention;
}
}  // namespace

Result<void> MemoryStore::SaveIdentity(std::string_view account,
                                       const crypto::Ed25519KeyPair& identity, uint64_t) {
  if (identity_) return Error(Errc::kAlreadyExists, "this store already has an identity");
  identity_.emplace(LocalIdentity{std::string(account), identity.Clone()});
  return Ok();
}

Result<std::optional<LocalIdentity>> MemoryStore::LoadIdentity() {
  if (!identity_) return std::optional<LocalIdentity>();
  return std::optional<LocalIdentity>(LocalIdentity{identity_->account, identity_->identity.Clone()});
}

Result<void> MemoryStore::SaveSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                           const crypto::Ed25519Signature& signature, uint64_t) {
  if (!signed_prekeys_.emplace(id, SignedPrekey{key.Clone(), signature, std::nullopt}).second) {
    return Error(Errc::kAlreadyExists, "signed prekey id already used");
  }
  return Ok();
}

Result<std::optional<SignedPrekeyRecord>> MemoryStore::CurrentSignedPrekey() {
  if (signed_prekeys_.empty()) return std::optional<SignedPrekeyRecord>();
  const auto& [id, spk] = *signed_prekeys_.rbegin();
  return std::optional<SignedPrekeyRecord>(SignedPrekeyRecord{id, spk.key.Clone(), spk.signature});
}

Result<void> MemoryStore::RotateSignedPrekey(uint32_t id, const crypto::X25519KeyPair& key,
                                             const crypto::Ed25519Signature& signature,
                                             uint64_t now) {
  if (!signed_prekeys_.empty() && id <= signed_prekeys_.rbegin()->first) {
    return Error(Errc::kInvalidArgument, "a new signed prekey id must be above every stored one");
  }
  for (auto& entry : signed_prekeys_) {
    if (!entry.second.retired_at) entry.second.retired_at = now;
  }
  signed_prekeys_.emplace(id, SignedPrekey{key.Clone(), signature, std::nullopt});
  return Ok();
}

Result<uint32_t> MemoryStore::AddOneTimePrekey(const crypto::X25519KeyPair& key) {
  if (!identity_) return Error(Errc::kInvalidState, "no identity: create the device first");
  uint64_t id = next_one_time_prekey_id_;
  if (!one_time_prekeys_.empty()) id = std::max<uint64_t>(id, one_time_prekeys_.rbegin()->first + 1ull);
  if (id > std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kInvalidState, "one-time prekey ids exhausted");
  }
  one_time_prekeys_.emplace(static_cast<uint32_t>(id), key.Clone());
  next_one_time_prekey_id_ = id + 1;
  return static_cast<uint32_t>(id);
}

Result<void> MemoryStore::SaveOneTimePrekey(uint32_t id, const crypto::X25519KeyPair& key) {
  if (!one_time_prekeys_.emplace(id, key.Clone()).second) {
    return Error(Errc::kAlreadyExists, "one-time prekey id already used");
  }
  return Ok();
}

Result<void> MemoryStore::RotatePqSignedPrekey(uint32_t id, const crypto::MlKem768KeyPair& key,
                                               const crypto::Ed25519Signature& signature,
                                               uint64_t now) {
  // As the SQLCipher store: pq_required lives with the identity.
  if (!identity_) return Error(Errc::kInvalidState, "no identity stored");
  if (!pq_.signed_prekeys.empty() && id <= pq_.signed_prekeys.rbegin()->first) {
    return Error(Errc::kInvalidArgument,
                 "a new signed ML-KEM prekey id must be above every stored one");
  }
  CANDOR_ASSIGN_OR_RETURN(auto copy,
                          crypto::MlKem768KeyPair::FromDecapsulationKey(
                              key.decapsulation_key().Expose()));
  for (auto& entry : pq_.signed_prekeys) {
    if (!entry.second.retired_at) entry.second.retired_at = now;
  }
  pq_.signed_prekeys.emplace(
      id, PqSignedPrekey{std::make_shared<const crypto::MlKem768KeyPair>(std::move(copy)),
                         signature, std::nullopt});
  pq_.required = true;
  return Ok();
}

Result<std::optional<PqSignedPrekeyRecord>> MemoryStore::CurrentPqSignedPrekey() {
  for (auto it = pq_.signed_prekeys.rbegin(); it != pq_.signed_prekeys.rend(); ++it) {
    if (!it->second.retired_at) {
      return std::optional<PqSignedPrekeyRecord>(
          PqSignedPrekeyRecord{it->first, it->second.key->public_key(), it->second.signature});
    }
  }
  return std::optional<PqSignedPrekeyRecord>();
}

Result<uint32_t> MemoryStore::AddPqOneTimePrekey(const crypto::MlKem768KeyPair& key) {
  if (!identity_) return Error(Errc::kInvalidState, "no identity stored");
  uint64_t id = pq_.next_one_time_prekey_id;
  if (!pq_.one_time_prekeys.empty()) {
    id = std::max<uint64_t>(id, pq_.one_time_prekeys.rbegin()->first + 1ull);
  }
  if (id > std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kInvalidState, "one-time ML-KEM prekey ids exhausted");
  }
  CANDOR_ASSIGN_OR_RETURN(auto copy, crypto::MlKem768KeyPair::FromDecapsulationKey(
                                         key.decapsulation_key().Expose()));
  pq_.one_time_prekeys.emplace(static_cast<uint32_t>(id),
                               std::make_shared<const crypto::MlKem768KeyPair>(std::move(copy)));
  pq_.next_one_time_prekey_id = id + 1;
  return static_cast<uint32_t>(id);
}

Result<crypto::ClassicalFallback> MemoryStore::ClassicalFallbackFor(std::string_view peer) {
  return pq_.classical_peers.contains(peer) ? crypto::ClassicalFallback::kAllow
                                            : crypto::ClassicalFallback::kRefuse;
}

Result<void> MemoryStore::SetClassicalFallback(std::string_view peer,
                                               crypto::ClassicalFallback fallback) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(peer));
  if (fallback == crypto::ClassicalFallback::kAllow) {
    pq_.classical_peers.emplace(peer);
  } else {
    pq_.classical_peers.erase(std::string(peer));
  }
  return Ok();
}

Result<const crypto::MlKem768KeyPair*> MemoryStore::FindPqPrekey(crypto::PqPrekeyKind kind,
                                                                  uint32_t id) {
  const crypto::MlKem768KeyPair* found = nullptr;
  if (kind == crypto::PqPrekeyKind::kLastResort) {
    auto it = pq_.signed_prekeys.find(id);
    if (it != pq_.signed_prekeys.end()) found = it->second.key.get();
  } else {
    auto it = pq_.one_time_prekeys.find(id);
    if (it != pq_.one_time_prekeys.end()) found = it->second.get();
  }
  return found;
}

Result<bool> MemoryStore::PqRequired() { return pq_.required; }

namespace {
std::array<uint8_t, 32> KeyBytes(const crypto::X25519PublicKey& k) {
  std::array<uint8_t, 32> out;
  std::copy(k.bytes().begin(), k.bytes().end(), out.begin());
  return out;
}
}  // namespace

Result<bool> MemoryStore::LastResortUsed(const LastResortUse& use) {
  return pq_.last_resort_uses.contains(
      LastResortKey{use.pq_prekey_id, use.signed_prekey_id, KeyBytes(use.ephemeral_key)});
}

const crypto::X25519KeyPair* MemoryStore::FindSignedPrekey(uint32_t id) {
  auto it = signed_prekeys_.find(id);
  return it == signed_prekeys_.end() ? nullptr : &it->second.key;
}

const crypto::X25519KeyPair* MemoryStore::FindOneTimePrekey(uint32_t id) {
  auto it = one_time_prekeys_.find(id);
  return it == one_time_prekeys_.end() ? nullptr : &it->second;
}

MemoryStore::Conversation& MemoryStore::ConversationFor(std::string_view peer) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end()) it = conversations_.emplace(std::string(peer), Conversation{}).first;
  return it->second;
}

Result<std::optional<Session>> MemoryStore::LoadSession(std::string_view peer) {
  auto it = conversations_.find(peer);
  if (it == conversations_.end() || !it->second.session) return std::optional<Session>();
  CANDOR_ASSIGN_OR_RETURN(Session s, Session::Deserialize(it->second.session->Expose()));
  return std::optional<Session>(std::move(s));
}

Result<bool> MemoryStore::HasReceived(const EnvelopeDigest& digest) {
  return received_.contains(digest);
}

int64_t MemoryStore::Append(const std::string& peer, Direction direction,
                            const std::string& sender, const std::string& recipient,
                            std::optional<uint64_t> server_time, uint64_t now,
                            const Bytes& content, const crypto::FrankingKey& fk,
                            const crypto::FrankingCommitment& commitment,
                            std::optional<crypto::RelayTag> relay_tag, Bytes sealed_proof) {
  Conversation& c = ConversationFor(peer);
  const int64_t id = next_id_++;
  std::optional<uint64_t> expires;
  if (c.disappear_after) expires = now + *c.disappear_after;
  messages_.emplace(id, StoredMessage{id, peer, direction, sender, recipient, c.next_order++,
                                      server_time, now, expires, content, fk.Clone(), commitment,
                                      relay_tag, std::move(sealed_proof)});
  return id;
}

Result<int64_t> MemoryStore::CommitReceived(const Session& session, const IncomingMessage& m,
                                            const EnvelopeDigest& digest, uint64_t now) {
  // Checks first, then every change: all or nothing.
  if (received_.contains(digest)) {
    return Error(Errc::kDuplicateMessage, "this envelope was already received");
  }
  if (session.remote_account() != m.sender) {
    return Error(Errc::kWrongPeer, "session and message are from different peers");
  }
  if ((m.consumed_one_time_prekey && !one_time_prekeys_.contains(*m.consumed_one_time_prekey)) ||
      (m.consumed_pq_one_time_prekey &&
       !pq_.one_time_prekeys.contains(*m.consumed_pq_one_time_prekey))) {
    return Error(Errc::kInvalidKey, "one-time prekey already used");
  }
  std::optional<LastResortKey> last_resort;
  if (m.last_resort_use) {
    last_resort = LastResortKey{m.last_resort_use->pq_prekey_id,
                                m.last_resort_use->signed_prekey_id,
                                KeyBytes(m.last_resort_use->ephemeral_key)};
    if (pq_.last_resort_uses.contains(*last_resort)) {
      return Error(Errc::kDuplicateMessage,
                   "this first message's setup was already received on the last-resort "
                   "ML-KEM prekey");
    }
  }
  Bytes proof;
  std::pair<std::string, Bytes> seen_token;
  if (m.sealed) {
    const auto key = m.sealed->token.one_use_key.bytes();
    seen_token = {m.sender, Bytes(key.begin(), key.end())};
    if (seen_tokens_.contains(seen_token)) {
      return Error(Errc::kTokenReused, "this sender used this moderation token before");
    }
    CANDOR_ASSIGN_OR_RETURN(proof, EncodeSealedProof(*m.sealed));
  }
  ConversationFor(m.sender).session = session.Serialize();
  if (m.sealed) seen_tokens_.insert(seen_token);
  if (m.consumed_one_time_prekey) one_time_prekeys_.erase(*m.consumed_one_time_prekey);
  if (m.consumed_pq_one_time_prekey) pq_.one_time_prekeys.erase(*m.consumed_pq_one_time_prekey);
  if (last_resort) pq_.last_resort_uses.insert(*last_resort);
  received_.emplace(digest, now);
  if (m.group_control) return int64_t{0};  // no message of the history
  return Append(m.sender, Direction::kIncoming, m.sender, m.recipient, m.server_time, now,
                m.content, m.franking_key, m.franking_commitment, m.relay_tag, std::move(proof));
}

Result<int64_t> MemoryStore::CommitSent(const Session& session, const OutgoingMessage& m,
                                        uint64_t now) {
  ConversationFor(session.remote_account()).session = session.Serialize();
  if (m.content.empty()) return int64_t{0};  // a group control message: no history
  return Append(session.remote_account(), Direction::kOutgoing, session.local_account(),
                session.remote_account(), std::nullopt, now, m.content, m.franking_key,
                m.franking_commitment, std::nullopt, m.sealed_proof);
}

Result<int64_t> MemoryStore::SaveRelayAck(const RelayAck& ack) {
  for (auto& [id, m] : messages_) {
    if (m.direction == Direction::kOutgoing && m.franking_commitment == ack.franking_commitment &&
        m.recipient == ack.recipient) {
      m.server_time = ack.server_time;
      m.relay_tag = ack.relay_tag;
      return id;
    }
  }
  return Error(Errc::kNotFound, "no outgoing message with that commitment");
}

struct MemoryStore::State {
  std::optional<LocalIdentity> identity;
  std::map<uint32_t, SignedPrekey> signed_prekeys;
  std::map<uint32_t, crypto::X25519KeyPair> one_time_prekeys;
  uint64_t next_one_time_prekey_id;
  std::map<std::string, Conversation, std::less<>> conversations;
  std::map<int64_t, StoredMessage> messages;
  std::map<EnvelopeDigest, uint64_t> received;
  int64_t next_id;
  std::vector<ReportRecord> reports;
  PqState pq;
  std::set<std::pair<std::string, Bytes>> seen_tokens;
};

MemoryStore::State MemoryStore::Snapshot() const {
  State s{std::nullopt, {},       {},       next_one_time_prekey_id_, {}, {}, received_,
          next_id_,     reports_, pq_,     seen_tokens_};
  if (identity_) s.identity.emplace(LocalIdentity{identity_->account, identity_->identity.Clone()});
  for (const auto& [id, k] : signed_prekeys_) {
    s.signed_prekeys.emplace(id, SignedPrekey{k.key.Clone(), k.signature, k.retired_at});
  }
  for (const auto& [id, k] : one_time_prekeys_) s.one_time_prekeys.emplace(id, k.Clone());
  for (const auto& [peer, c] : conversations_) {
    Conversation copy{std::nullopt, c.next_order, c.disappear_after, c.identity, c.changes, c.held};
    if (c.session) copy.session.emplace(c.session->Clone());
    s.conversations.emplace(peer, std::move(copy));
  }
  for (const auto& [id, m] : messages_) s.messages.emplace(id, CopyStoredMessage(m));
  return s;
}

void MemoryStore::Restore(State&& s) {
  identity_ = std::move(s.identity);
  signed_prekeys_ = std::move(s.signed_prekeys);
  one_time_prekeys_ = std::move(s.one_time_prekeys);
  next_one_time_prekey_id_ = s.next_one_time_prekey_id;
  conversations_ = std::move(s.conversations);
  messages_ = std::move(s.messages);
  received_ = std::move(s.received);
  next_id_ = s.next_id;
  reports_ = std::move(s.reports);
  pq_ = std::move(s.pq);
  seen_tokens_ = std::move(s.seen_tokens);
}

Result<int64_t> MemoryStore::SaveReport(const ReportRecord& record) {
  // The highest id plus one, as SQLite assigns a rowid.
  const int64_t id = reports_.empty() ? 1 : reports_.back().id + 1;
  reports_.push_back(record);
  reports_.back().id = id;
  reports_.back().content_purged = false;
  return id;
}

Result<std::vector<ReportRecord>> MemoryStore::ListReports() { return reports_; }

Result<void> MemoryStore::DeleteReport(int64_t id) {
  if (std::erase_if(reports_, [id](const ReportRecord& r) { return r.id == id; }) == 0) {
    return Error(Errc::kNotFound, "no report with that id");
  }
  return Ok();
}

Result<void> MemoryStore::InTransaction(const std::function<Result<void>()>& work,
                                        Durability /*durability: nothing to sync*/) {
  State before = Snapshot();
  auto result = work();
  if (!result.has_value()) Restore(std::move(before));
  return result;
}

std::vector<StoredMessage> MemoryStore::Select(std::string_view peer, int64_t before, size_t limit,
                                               uint64_t now) const {
  std::vector<const StoredMessage*> hits;
  for (const auto& [id, m] : messages_) {
    if (m.peer == peer && m.local_order < before && Live(m, now)) hits.push_back(&m);
  }
  std::sort(hits.begin(), hits.end(),
            [](const StoredMessage* a, const StoredMessage* b) { return a->local_order < b->local_order; });
  if (hits.size() > limit) hits.erase(hits.begin(), hits.end() - static_cast<long>(limit));
  std::vector<StoredMessage> out;
  for (const StoredMessage* m : hits) out.push_back(CopyStoredMessage(*m));
  return out;
}

Result<std::vector<StoredMessage>> MemoryStore::LatestMessages(std::string_view peer, size_t limit,
                                                               uint64_t now) {
  return Select(peer, std::numeric_limits<int64_t>::max(), limit, now);
}

Result<std::vector<StoredMessage>> MemoryStore::MessagesBefore(std::string_view peer,
                                                               int64_t local_order, size_t limit,
                                                               uint64_t now) {
  return Select(peer, local_order, limit, now);
}

Result<std::optional<StoredMessage>> MemoryStore::MessageById(int64_t id, uint64_t now) {
  auto it = messages_.find(id);
  if (it == messages_.end() || !Live(it->second, now)) return std::optional<StoredMessage>();
  return std::optional<StoredMessage>(CopyStoredMessage(it->second));
}

Result<void> MemoryStore::SetDisappearingTimer(std::string_view peer,
                                               std::optional<uint64_t> seconds) {
  CANDOR_RETURN_IF_ERROR(CheckDisappearingTimer(seconds));
  ConversationFor(peer).disappear_after = seconds;
  return Ok();
}

Result<size_t> MemoryStore::PurgeExpired(uint64_t now) {
  std::erase_if(signed_prekeys_, [now](const auto& kv) {
    return kv.second.retired_at &&
           RetentionOver(*kv.second.retired_at, kRetiredSignedPrekeySeconds, now);
  });
  std::erase_if(pq_.signed_prekeys, [now](const auto& kv) {
    return kv.second.retired_at &&
           RetentionOver(*kv.second.retired_at, kRetiredSignedPrekeySeconds, now);
  });
  // A use is remembered while its key can still open first messages.
  std::erase_if(pq_.last_resort_uses, [this](const LastResortKey& k) {
    return !pq_.signed_prekeys.contains(std::get<0>(k));
  });
  std::erase_if(received_, [now](const auto& kv) {
    return RetentionOver(kv.second, kReplayMarkerSeconds, now);
  });
  for (ReportRecord& r : reports_) {
    if (r.content_expires_at && *r.content_expires_at <= now && !r.content_purged) {
      r.preview.clear();
      r.sealed.clear();
      r.content_purged = true;
    }
  }
  return static_cast<size_t>(
      std::erase_if(messages_, [now](const auto& kv) { return !Live(kv.second, now); }));
}

}  // namespace candor::protocol
