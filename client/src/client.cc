#include "candor/client/client.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>
#include <utility>

#include "candor/crypto/encoding.h"
#include "candor/crypto/fingerprint.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/x25519.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/json.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"
#include "candor/report/report.h"
#include "client_state.h"

namespace candor::client {

using protocol::Direction;

std::string AttachmentsToJson(const std::vector<protocol::AttachmentInfo>& attachments) {
  std::vector<std::string> out;
  for (const protocol::AttachmentInfo& a : attachments) {
    out.push_back(protocol::JsonObject()
                      .Str("blob_id", ToHex(a.blob_id))
                      .UInt("length", a.length)
                      .UInt("blob_size", a.blob_size)
                      .Str("media_type", a.media_type)
                      .Str("file_name", a.file_name)
                      .UInt("thumbnail_bytes", a.thumbnail.size())
                      .Finish());
  }
  return protocol::JsonArray(out);
}

std::string HistoryToJson(const std::vector<HistoryEntry>& entries) {
  std::vector<std::string> messages;
  for (const HistoryEntry& e : entries) {
    if (e.identity_change) {
      const IdentityChange& c = *e.identity_change;
      messages.push_back(protocol::JsonObject()
                             .Str("event", "identity_changed")
                             .Str("peer", c.peer)
                             .Str("old_safety_number", c.old_safety_number)
                             .Str("new_safety_number", c.new_safety_number)
                             .UInt("detected_at", c.detected_at)
                             .OptUInt("accepted_at", c.accepted_at)
                             .Finish());
      continue;
    }
    messages.push_back(protocol::JsonObject()
                           .Str("event", "message")
                           .Int("id", e.id)
                           .Str("direction", e.direction == Direction::kIncoming ? "in" : "out")
                           .Str("from", e.from)
                           .Str("to", e.to)
                           .Str("text", e.text)
                           .OptUInt("server_time", e.server_time)
                           .Raw("attachments", AttachmentsToJson(e.attachments))
                           .Finish());
  }
  return protocol::JsonObject().Raw("messages", protocol::JsonArray(messages)).Finish();
}

std::string SearchToJson(const std::vector<storage::SearchHit>& hits) {
  std::vector<std::string> results;
  for (const storage::SearchHit& h : hits) {
    results.push_back(protocol::JsonObject()
                          .Int("id", h.message_id)
                          .Str("with", h.peer)
                          .Raw("group", h.group ? protocol::JsonQuote(GroupIdToHex(*h.group))
                                                : "null")
                          .Str("direction", h.direction == Direction::kIncoming ? "in" : "out")
                          .Str("from", h.sender)
                          .Str("to", h.recipient)
                          .UInt("stored_at", h.stored_at)
                          .OptUInt("server_time", h.server_time)
                          .Str("snippet", h.snippet)
                          .Finish());
  }
  return protocol::JsonObject().Raw("results", protocol::JsonArray(results)).Finish();
}

Client::Client(std::unique_ptr<State> state) : state_(std::move(state)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

namespace {

// The first signed prekeys (X25519 and ML-KEM) get id 1; rotation adds
// higher ids.
constexpr uint32_t kFirstSignedPrekeyId = 1;

// A new signed ML-KEM prekey under `id`, made current.
Result<void> AddPqSignedPrekey(storage::Store& store, const crypto::Ed25519KeyPair& identity,
                               uint32_t id, crypto::RandomSource& rng, uint64_t now) {
  const crypto::MlKem768KeyPair key = crypto::MlKem768KeyPair::Generate(rng);
  const crypto::Ed25519Signature signature =
      crypto::SignPqPrekey(identity, crypto::PqPrekeyKind::kLastResort, id, key.public_key());
  return store.RotatePqSignedPrekey(id, key, signature, now);
}

Result<void> SetUpDevice(storage::Store& store, std::string_view account,
                         const crypto::Ed25519KeyPair& identity, crypto::RandomSource& rng,
                         uint64_t now) {
  return store.InTransaction([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(store.SaveIdentity(account, identity, now));
    const crypto::X25519KeyPair spk = crypto::X25519KeyPair::Generate(rng);
    const crypto::Ed25519Signature signature =
        crypto::SignSignedPrekey(identity, kFirstSignedPrekeyId, spk.public_key());
    CANDOR_RETURN_IF_ERROR(store.SaveSignedPrekey(kFirstSignedPrekeyId, spk, signature, now));
    return AddPqSignedPrekey(store, identity, kFirstSignedPrekeyId, rng, now);
  });
}

SessionSetup SetupOf(const protocol::Session& session) {
  return session.post_quantum() ? SessionSetup::kPqxdh : SessionSetup::kX3dh;
}

void RemoveStoreFiles(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

Result<Client> Client::Create(const std::string& path, const storage::StoreKey& key,
                              std::string_view account, crypto::RandomSource& rng, Clock& clock,
                              ClientOptions options) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(account));
  Result<void> set_up = Ok();
  {
    CANDOR_ASSIGN_OR_RETURN(storage::Store store,
                            storage::Store::Create(path, key, rng, options.store));
    crypto::Ed25519KeyPair identity = crypto::Ed25519KeyPair::Generate(rng);
    set_up = SetUpDevice(store, account, identity, rng, clock.NowSeconds());
    if (set_up.has_value()) {
      return Client(std::make_unique<State>(State{std::move(store),
                                                  {std::string(account), std::move(identity)},
                                                  rng, clock, options.egress_observer,
                                                  options.identity_change_observer,
                                                  options.seal_conversation}));
    }
  }
  // The store is closed here; a device without its keys is no device.
  RemoveStoreFiles(path);
  return set_up.error();
}

Result<Client> Client::Open(const std::string& path, const storage::StoreKey& key,
                            crypto::RandomSource& rng, Clock& clock, ClientOptions options) {
  CANDOR_ASSIGN_OR_RETURN(storage::Store store, storage::Store::Open(path, key, options.store));
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::LocalIdentity> identity, store.LoadIdentity());
  if (!identity) return Error(Errc::kInvalidState, "this store holds no device identity");
  return Client(std::make_unique<State>(
      State{std::move(store), std::move(*identity), rng, clock, options.egress_observer,
            options.identity_change_observer, options.seal_conversation}));
}

const std::string& Client::account() const { return state_->identity.account; }
const crypto::Ed25519PublicKey& Client::identity_key() const {
  return state_->identity.identity.public_key();
}

Result<std::string> Client::IdentityFingerprint() const {
  return crypto::ComputeIdentityFingerprint(account(), identity_key());
}

const char* SessionSetupName(SessionSetup setup) {
  return setup == SessionSetup::kPqxdh ? "pqxdh" : "x3dh";
}

Result<OutgoingItem> Client::PublishBundle() {
  auto& store = state_->store;
  auto& rng = state_->rng;
  const crypto::Ed25519KeyPair& identity = state_->identity.identity;
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::SignedPrekeyRecord> spk,
                          store.CurrentSignedPrekey());
  if (!spk) return Error(Errc::kInvalidState, "this device has no signed prekey");
  const crypto::X25519KeyPair opk = crypto::X25519KeyPair::Generate(rng);
  const crypto::MlKem768KeyPair pq_opk = crypto::MlKem768KeyPair::Generate(rng);
  // Synced: the bundle leaves the device, and a one-time prekey id rolled
  // back by a power cut would be handed out again under another key.
  uint32_t opk_id = 0;
  uint32_t pq_opk_id = 0;
  std::optional<protocol::PqSignedPrekeyRecord> pq_spk;
  const Result<void> committed = store.InTransaction(
      [&]() -> Result<void> {
        CANDOR_ASSIGN_OR_RETURN(pq_spk, store.CurrentPqSignedPrekey());
        if (!pq_spk) {  // a store from before PQXDH
          CANDOR_RETURN_IF_ERROR(AddPqSignedPrekey(store, identity, kFirstSignedPrekeyId, rng,
                                                   state_->clock.NowSeconds()));
          CANDOR_ASSIGN_OR_RETURN(pq_spk, store.CurrentPqSignedPrekey());
          if (!pq_spk) return Error(Errc::kInternal, "the new ML-KEM prekey is not stored");
        }
        CANDOR_ASSIGN_OR_RETURN(opk_id, store.AddOneTimePrekey(opk));
        CANDOR_ASSIGN_OR_RETURN(pq_opk_id, store.AddPqOneTimePrekey(pq_opk));
        return Ok();
      },
      protocol::Durability::kSynced);
  CANDOR_RETURN_IF_ERROR(committed);
  const crypto::Ed25519Signature pq_opk_signature = crypto::SignPqPrekey(
      identity, crypto::PqPrekeyKind::kOneTime, pq_opk_id, pq_opk.public_key());
  const crypto::PrekeyBundle bundle{
      account(),
      identity_key(),
      spk->id,
      spk->key.public_key(),
      spk->signature,
      opk_id,
      opk.public_key(),
      crypto::SignedPqPrekey{pq_spk->id, pq_spk->key, pq_spk->signature},
      crypto::SignedPqPrekey{pq_opk_id, pq_opk.public_key(), pq_opk_signature}};
  CANDOR_ASSIGN_OR_RETURN(Bytes bytes, protocol::EncodePrekeyBundle(bundle));
  return Emit(Channel::kDirectory, protocol::kPrekeyBundleType, std::move(bytes));
}

Result<uint32_t> Client::RotateSignedPrekey() {
  auto& store = state_->store;
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::SignedPrekeyRecord> current,
                          store.CurrentSignedPrekey());
  if (!current) return Error(Errc::kInvalidState, "this device has no signed prekey");
  if (current->id == std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kInvalidState, "signed prekey ids exhausted");
  }
  const uint32_t id = current->id + 1;
  const crypto::X25519KeyPair spk = crypto::X25519KeyPair::Generate(state_->rng);
  const crypto::Ed25519Signature signature =
      crypto::SignSignedPrekey(state_->identity.identity, id, spk.public_key());
  // Synced, as a bundle: the new keys are published once this returns.
  const Result<void> committed = store.InTransaction(
      [&]() -> Result<void> {
        const uint64_t now = state_->clock.NowSeconds();
        CANDOR_RETURN_IF_ERROR(store.RotateSignedPrekey(id, spk, signature, now));
        // The ML-KEM key rotates with it, under ids of its own.
        CANDOR_ASSIGN_OR_RETURN(auto pq_current, store.CurrentPqSignedPrekey());
        uint32_t pq_id = kFirstSignedPrekeyId;
        if (pq_current) {
          if (pq_current->id == std::numeric_limits<uint32_t>::max()) {
            return Error(Errc::kInvalidState, "signed ML-KEM prekey ids exhausted");
          }
          pq_id = pq_current->id + 1;
        }
        return AddPqSignedPrekey(store, state_->identity.identity, pq_id, state_->rng, now);
      },
      protocol::Durability::kSynced);
  CANDOR_RETURN_IF_ERROR(committed);
  return id;
}

// The session to send to `peer` in (the caller holds the transaction): the
// stored one, or a new one from `bundle`; nullopt when the bundle carries a
// new identity key (recorded as pending; nothing may be sent).
Result<std::optional<protocol::Session>> Client::SendingSession(
    std::string_view peer, const std::optional<crypto::PrekeyBundle>& bundle,
    bool& identity_changed) {
  auto& store = state_->store;
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::Session> session, store.LoadSession(peer));
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                            protocol::TrustedIdentity(store, peer, &session));
    if (known && known->pending) {
      return Error(Errc::kIdentityChanged,
                   "this peer's safety number changed: nothing is sent until the user "
                   "accepts (or verifies) the new one");
    }
    if (bundle && known && bundle->identity_key != known->identity_key) {
      // Held as a pending change only if the bundle is the new key's
      // own, checked as a session would check it.
      CANDOR_RETURN_IF_ERROR(crypto::VerifyPrekeyBundle(*bundle));
      // A store from before identities were recorded keeps the old key first.
      CANDOR_RETURN_IF_ERROR(store.TrustFirstIdentity(peer, known->identity_key));
      CANDOR_RETURN_IF_ERROR(store.RecordIdentityChange(peer, bundle->identity_key,
                                                        state_->clock.NowSeconds(),
                                                        std::nullopt));
      identity_changed = true;
      return std::optional<protocol::Session>();  // the pending change is kept
    }
    if (!session) {
      if (!bundle) {
        return Error(Errc::kInvalidState,
                     "no session with this peer: the first message needs the peer's bundle");
      }
      CANDOR_ASSIGN_OR_RETURN(crypto::ClassicalFallback fallback,
                              store.ClassicalFallbackFor(peer));
      CANDOR_ASSIGN_OR_RETURN(session, protocol::Session::Initiate(
                                           state_->identity.identity, account(), *bundle,
                                           state_->rng, fallback));
      // The peer publishes ML-KEM prekeys now: a classical session with
      // it is no longer needed, and a bundle stripped of them later must
      // not start one.
      if (session->post_quantum() && fallback == crypto::ClassicalFallback::kAllow) {
        CANDOR_RETURN_IF_ERROR(
            store.SetClassicalFallback(peer, crypto::ClassicalFallback::kRefuse));
      }
      if (!known) CANDOR_RETURN_IF_ERROR(store.TrustFirstIdentity(peer, bundle->identity_key));
    }
  return session;
}

Result<SentMessage> Client::Send(std::string_view peer, std::string_view text,
                                 std::optional<ByteView> bundle_bytes, Sealing sealing) {
  CANDOR_ASSIGN_OR_RETURN(Bytes content, protocol::EncodeContent(text));
  return SendContent(peer, content, bundle_bytes, sealing);
}

Result<SentMessage> Client::SendContent(std::string_view peer, const Bytes& content,
                                        std::optional<ByteView> bundle_bytes, Sealing sealing) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(peer));
  if (peer == account()) return Error(Errc::kInvalidArgument, "a device cannot message itself");
  std::optional<crypto::PrekeyBundle> bundle;
  if (bundle_bytes) {
    CANDOR_ASSIGN_OR_RETURN(bundle, protocol::DecodePrekeyBundle(*bundle_bytes));
    if (bundle->account != peer) {
      return Error(Errc::kWrongPeer, "the bundle is for another account");
    }
  }
  auto& store = state_->store;
  int64_t id = 0;
  Bytes envelope;
  protocol::EgressRecord record;
  SessionSetup setup = SessionSetup::kPqxdh;
  bool identity_changed = false;
  const bool sealed = SendsSealed(peer, sealing);
  // Load, encrypt and commit under the store's write lock, so no other
  // handle can advance the same session in between (two envelopes from one
  // chain state), and synced, so a power cut cannot roll the commit back
  // under an envelope that already left.
  const Result<void> committed = store.InTransaction(
      [&]() -> Result<void> {
        CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::Session> session,
                                SendingSession(peer, bundle, identity_changed));
        if (!session) return Ok();  // the pending change is kept; nothing is sent
        protocol::OutgoingMessage out;
        if (sealed) {
          CANDOR_ASSIGN_OR_RETURN(out, EncryptSealed(*session, content));
        } else {
          CANDOR_ASSIGN_OR_RETURN(out, session->EncryptEncoded(Bytes(content), state_->rng));
        }
        // The guard runs before the commit: a refused envelope leaves no trace.
        CANDOR_ASSIGN_OR_RETURN(record, protocol::CheckEgress(Channel::kRelay,
                                                              protocol::kEnvelopeType, out.envelope));
        CANDOR_ASSIGN_OR_RETURN(id, store.CommitSent(*session, out, state_->clock.NowSeconds()));
        envelope = std::move(out.envelope);
        setup = SetupOf(*session);
        return Ok();
      },
      protocol::Durability::kSynced);
  CANDOR_RETURN_IF_ERROR(committed);
  if (identity_changed) {
    NotifyIdentityChange(peer);
    return Error(Errc::kIdentityChanged,
                 "the bundle carries a new identity key for this peer: nothing was sent; the "
                 "user must accept (or verify) the new safety number first");
  }
  return SentMessage{id, Hand(std::move(record), std::move(envelope)), setup};
}

Result<ReceivedMessage> Client::Receive(ByteView delivery_bytes) {
  CANDOR_ASSIGN_OR_RETURN(protocol::Delivery delivery, protocol::DecodeDelivery(delivery_bytes));
  // Under the write lock from the replay check to the commit: another
  // process cannot receive the same envelope, consume the same one-time
  // prekey or advance the same session in between.
  Result<ReceivedMessage> received = Error(Errc::kInternal, "not received");
  const protocol::GroupReceiveHooks hooks = GroupHooks();
  const Result<void> committed = state_->store.InTransaction([&]() -> Result<void> {
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::SealedReceiver> sealed,
                            SealedReceiverFor(std::span(&delivery, 1)));
    received = protocol::ReceiveAndStore(state_->store, state_->identity.identity, account(),
                                         delivery, state_->clock.NowSeconds(), state_->rng,
                                         &hooks, sealed ? &*sealed : nullptr);
    // A changed identity key keeps its pending record and held delivery.
    if (!received.has_value() && received.error().code() != Errc::kIdentityChanged) {
      return received.error();
    }
    return Ok();
  });
  CANDOR_RETURN_IF_ERROR(committed);
  if (!received.has_value() && received.error().code() == Errc::kIdentityChanged) {
    NotifyIdentityChange(SenderOf(delivery));
  }
  return received;
}

Result<std::vector<Result<ReceivedMessage>>> Client::ReceiveBatch(
    std::span<const ByteView> deliveries, const storage::ProgressFn& progress) {
  // Deliveries that do not decode get their error in place; the others go to
  // the store as one batch.
  std::vector<Result<ReceivedMessage>> results;
  std::vector<protocol::Delivery> decoded;
  std::vector<size_t> positions;
  results.reserve(deliveries.size());
  for (size_t i = 0; i < deliveries.size(); ++i) {
    auto d = protocol::DecodeDelivery(deliveries[i]);
    if (d.has_value()) {
      positions.push_back(i);
      decoded.push_back(std::move(d).value());
      results.emplace_back(Error(Errc::kInternal, "not yet received"));
    } else {
      results.emplace_back(d.error());
    }
  }
  const uint64_t now = state_->clock.NowSeconds();
  // Deliveries refused while decoding count as done before the batch.
  const uint64_t refused = deliveries.size() - decoded.size();
  std::function<void(uint64_t, uint64_t)> step;
  if (progress) {
    step = [&](uint64_t done, uint64_t) { progress(refused + done, deliveries.size()); };
  }
  const protocol::GroupReceiveHooks hooks = GroupHooks();
  // Read outside the batch's transaction: the pins change only by a call
  // of this Client, which is not running now.
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::SealedReceiver> sealed,
                          SealedReceiverFor(decoded));
  CANDOR_ASSIGN_OR_RETURN(auto received, protocol::ReceiveBatchAndStore(
                                             state_->store, state_->identity.identity, account(),
                                             decoded, now, state_->rng, step, &hooks,
                                             sealed ? &*sealed : nullptr));
  std::set<std::string> changed;
  for (size_t k = 0; k < received.size(); ++k) {
    if (!received[k].has_value() && received[k].error().code() == Errc::kIdentityChanged) {
      changed.insert(SenderOf(decoded[k]));
    }
    results[positions[k]] = std::move(received[k]);
  }
  for (const std::string& peer : changed) NotifyIdentityChange(peer);
  return results;
}

Result<int64_t> Client::HandleAck(ByteView ack_bytes) {
  CANDOR_ASSIGN_OR_RETURN(protocol::RelayAck ack, protocol::DecodeRelayAck(ack_bytes));
  return state_->store.SaveRelayAck(ack);
}

Result<OutgoingItem> Client::Emit(Channel channel, std::string_view type, Bytes bytes) {
  CANDOR_ASSIGN_OR_RETURN(protocol::EgressRecord record, protocol::CheckEgress(channel, type, bytes));
  return Hand(std::move(record), std::move(bytes));
}

OutgoingItem Client::Hand(protocol::EgressRecord record, Bytes bytes) {
  record.time = state_->clock.NowSeconds();
  record.bytes = bytes.size();
  if (state_->egress_observer) state_->egress_observer(record);
  return OutgoingItem{record.channel, std::move(bytes)};
}

Result<HistoryEntry> Client::ToEntry(const protocol::StoredMessage& m) const {
  // Lenient: history stored before the content rules must still list.
  CANDOR_ASSIGN_OR_RETURN(std::string text, protocol::DecodeStoredContentText(m.content));
  return HistoryEntry{m.id,          m.direction,  m.sender,
                      m.recipient,   std::move(text), m.server_time,
                      std::nullopt,  protocol::DescribeAttachments(m.content)};
}

Result<std::vector<storage::SearchHit>> Client::Search(std::string_view query,
                                                       std::optional<std::string_view> peer,
                                                       size_t limit) {
  return state_->store.Search(query, peer, limit, state_->clock.NowSeconds());
}

Result<std::vector<HistoryEntry>> Client::History(std::string_view peer, size_t limit) {
  if (limit == 0 || limit > kMaxHistoryPage) {
    return Error(Errc::kInvalidArgument,
                 "history limit must be 1.." + std::to_string(kMaxHistoryPage));
  }
  CANDOR_ASSIGN_OR_RETURN(auto messages,
                          state_->store.LatestMessages(peer, limit, state_->clock.NowSeconds()));
  CANDOR_ASSIGN_OR_RETURN(auto changes, state_->store.IdentityChanges(peer));
  // Markers sit between messages by local order; those before the page's
  // first message belong to an older page (unless this page is everything).
  const bool whole = messages.size() < limit;
  const int64_t first = messages.empty() ? 0 : messages.front().local_order;
  std::vector<std::pair<int64_t, HistoryEntry>> ordered;
  for (const auto& m : messages) {
    CANDOR_ASSIGN_OR_RETURN(HistoryEntry e, ToEntry(m));
    ordered.emplace_back(m.local_order, std::move(e));
  }
  for (const auto& c : changes) {
    if (!whole && c.local_order < first) continue;
    CANDOR_ASSIGN_OR_RETURN(IdentityChange change,
                            DescribeChange(peer, c.old_key, c.new_key, c.detected_at,
                                           c.accepted_at, false));
    ordered.emplace_back(c.local_order,
                         HistoryEntry{0, Direction::kIncoming, std::string(peer), account(), "",
                                      std::nullopt, std::move(change)});
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (ordered.size() > limit) ordered.erase(ordered.begin(), ordered.end() - static_cast<long>(limit));
  std::vector<HistoryEntry> entries;
  entries.reserve(ordered.size());
  for (auto& [order, e] : ordered) entries.push_back(std::move(e));
  return entries;
}

Result<void> Client::AllowClassicalSessions(std::string_view peer, bool allow) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(peer));
  if (peer == account()) return Error(Errc::kInvalidArgument, "a device has no session with itself");
  auto& store = state_->store;
  return store.InTransaction([&]() {
    return store.SetClassicalFallback(
        peer, allow ? crypto::ClassicalFallback::kAllow : crypto::ClassicalFallback::kRefuse);
  });
}

Result<std::optional<SessionSetup>> Client::SessionSetupWith(std::string_view peer) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(peer));
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::Session> session,
                          state_->store.LoadSession(peer));
  if (!session) return std::optional<SessionSetup>();
  return std::optional<SessionSetup>(SetupOf(*session));
}

Result<std::string> Client::Fingerprint(std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::Session> session,
                          state_->store.LoadSession(peer));
  if (!session) return Error(Errc::kNotFound, "no session with this peer");
  return crypto::ComputeFingerprint(account(), identity_key(), session->remote_account(),
                                    session->remote_identity());
}

Result<protocol::ReportPreview> Client::PrepareReport(std::string_view peer, int64_t message_id,
                                                     protocol::ReportReason reason) {
  return report::PrepareReport(state_->store, account(), peer, message_id, reason,
                               state_->clock.NowSeconds());
}

Result<protocol::ReportPreview> Client::PrepareGroupReport(const crypto::GroupId& group,
                                                          int64_t message_id,
                                                          protocol::ReportReason reason) {
  return report::PrepareGroupReport(state_->store, account(), group, message_id, reason,
                                    state_->clock.NowSeconds());
}

Result<SubmittedReport> Client::SubmitReport(const protocol::ReportPreview& preview,
                                             const crypto::X25519PublicKey& moderator) {
  // SubmitReport runs the egress guard on the bundle before it seals or logs.
  CANDOR_ASSIGN_OR_RETURN(report::SubmittedReport r,
                          report::SubmitReport(state_->store, account(), preview, moderator,
                                               state_->clock.NowSeconds()));
  return SubmittedReport{r.report_id, r.message_count,
                         Hand(std::move(r.egress), std::move(r.sealed))};
}

Result<std::vector<protocol::ReportRecord>> Client::Reports() { return state_->store.ListReports(); }

Result<void> Client::DeleteReport(int64_t report_id) { return state_->store.DeleteReport(report_id); }

Result<void> Client::SetDisappearingTimer(std::string_view peer, std::optional<uint64_t> seconds) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(peer));
  return state_->store.SetDisappearingTimer(peer, seconds);
}

Result<size_t> Client::PurgeExpired() { return state_->store.PurgeExpired(state_->clock.NowSeconds()); }

}  // namespace candor::client
