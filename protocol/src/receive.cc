#include "candor/protocol/device_store.h"

#include <algorithm>
#include <map>
#include <string>

#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"

namespace candor::protocol {

EnvelopeDigest DigestEnvelope(ByteView envelope_bytes) {
  return crypto::Blake2b256(envelope_bytes);
}

Result<void> CheckDisappearingTimer(std::optional<uint64_t> seconds) {
  if (seconds && (*seconds == 0 || *seconds > kMaxDisappearingTimerSeconds)) {
    return Error(Errc::kInvalidArgument, "a disappearing timer must be 1 second to " +
                                             std::to_string(kMaxDisappearingTimerSeconds) +
                                             " seconds (or none)");
  }
  return Ok();
}

Result<std::optional<PeerIdentity>> TrustedIdentity(DeviceStore& store, std::string_view peer,
                                                    const std::optional<Session>* session) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<PeerIdentity> known, store.LoadPeerIdentity(peer));
  if (known) return known;
  std::optional<Session> loaded;
  if (session == nullptr) {
    CANDOR_ASSIGN_OR_RETURN(loaded, store.LoadSession(peer));
    session = &loaded;
  }
  if (!*session) return std::optional<PeerIdentity>();
  return std::optional<PeerIdentity>(
      PeerIdentity{(*session)->remote_identity(), false, std::nullopt, std::nullopt});
}

namespace {

// A prekey message under a key other than the trusted one. Only a holder of
// that key's private half can make one that opens, so it is opened first
// (nothing of it kept); then the key is recorded as a pending change and the
// delivery held, still encrypted, until the user accepts the change.
Result<ReceivedMessage> HoldIdentityChange(DeviceStore& store,
                                           const crypto::Ed25519KeyPair& identity,
                                           std::string_view account, const Delivery& delivery,
                                           const PeerIdentity& known,
                                           const crypto::Ed25519PublicKey& claimed, uint64_t now,
                                           crypto::RandomSource& rng, const SealedTrust* sealed) {
  const std::string& peer = delivery.envelope.sender;
  // One pending key at a time: a second new key while the user has not
  // decided on the first is refused, not swapped in, so what the user
  // accepts is the key whose safety number they were shown.
  if (known.pending && *known.pending != claimed) {
    return Error(Errc::kIdentityChanged,
                 peer + " came with yet another identity key while a change is pending: "
                        "refused, nothing kept; the user decides on the first one");
  }
  CANDOR_ASSIGN_OR_RETURN(auto opened, Session::Accept(identity, account, store, delivery, now,
                                                       rng, sealed != nullptr));
  // Found in review: a sealed box names its sender itself, with no relay
  // to vouch for it, so a sealed first message under a new key must carry
  // a certificate for that account and that key, and a valid token, before
  // it may raise "the safety number changed" (else anyone could freeze a
  // conversation, or queue held deliveries, in another account's name).
  if (sealed != nullptr) {
    CANDOR_RETURN_IF_ERROR(CheckSealedSender(*sealed, *opened.second.sealed, peer, claimed,
                                             opened.second.franking_commitment,
                                             opened.second.server_time));
  }
  CANDOR_RETURN_IF_ERROR(store.TrustFirstIdentity(peer, known.identity_key));  // a store from before v5
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, EncodeDelivery(delivery.envelope_bytes,
                                                        delivery.server_time, delivery.relay_tag));
  CANDOR_RETURN_IF_ERROR(store.RecordIdentityChange(peer, claimed, now, encoded));
  return Error(Errc::kIdentityChanged,
               peer + "'s identity key changed (a reinstall, or someone else): the message is "
                      "held until the user accepts the new safety number");
}

// A group control message over a pairwise session is the group layer's:
// without it (`groups`), it is refused here, and nothing is stored.
Error RefuseGroupControl(IncomingMessage& in) {
  candor::internal::SecureWipe(in.content.data(), in.content.size());  // it may hold keys
  return Error(Errc::kInvalidState,
               "a group control message, and no group layer to take it: nothing stored");
}

using GroupWrites = std::function<Result<ReceivedMessage>()>;

// The group layer's check of a control message (before any write).
Result<GroupWrites> PrepareGroupControl(IncomingMessage& in, const crypto::Ed25519PublicKey& from,
                                        uint64_t now, const GroupReceiveHooks* groups) {
  if (groups == nullptr || !groups->control) return RefuseGroupControl(in);
  auto writes = groups->control(in, from, now);
  candor::internal::SecureWipe(in.content.data(), in.content.size());
  return writes;
}

// The session's commit, then the group layer's writes.
Result<ReceivedMessage> FinishGroupControl(GroupWrites& writes, const IncomingMessage& in) {
  CANDOR_ASSIGN_OR_RETURN(ReceivedMessage r, writes());
  r.from = in.sender;
  r.server_time = in.server_time;
  return r;
}

// One pairwise delivery whose envelope (`digest`) ReceiveAny found new:
// `session` if the caller holds one, else the stored one, else a new one
// from a prekey message; decrypt; one CommitReceived. On success `session`
// holds the advanced session; if the commit fails it is cleared, since it
// would be ahead of the store. `sealed`: the delivery came out of a sealed
// box, and its proof is checked under these keys before anything is stored.
Result<ReceivedMessage> ReceiveOne(DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                           std::string_view account, const Delivery& delivery,
                           const EnvelopeDigest& digest, uint64_t now, crypto::RandomSource& rng,
                           std::optional<Session>& session, const GroupReceiveHooks* groups,
                           const SealedTrust* sealed) {
  if (!session) {
    CANDOR_ASSIGN_OR_RETURN(session, store.LoadSession(delivery.envelope.sender));
  }
  // Only prekey messages name an identity key; a ratchet message is bound
  // to its session's key by the session's associated data.
  std::optional<PeerIdentity> known;
  if (delivery.envelope.content_type == ContentType::kPrekeyMessage) {
    CANDOR_ASSIGN_OR_RETURN(PrekeyMessage prekey, DecodePrekeyMessage(delivery.envelope.payload));
    CANDOR_ASSIGN_OR_RETURN(known, TrustedIdentity(store, delivery.envelope.sender, &session));
    if (known && prekey.identity_key != known->identity_key) {
      session.reset();  // the store is unchanged apart from the pending change
      return HoldIdentityChange(store, identity, account, delivery, *known, prekey.identity_key,
                                now, rng, sealed);
    }
  }
  if (!session) {
    CANDOR_ASSIGN_OR_RETURN(auto accepted, Session::Accept(identity, account, store, delivery,
                                                           now, rng, sealed != nullptr));
    if (sealed != nullptr) {
      CANDOR_RETURN_IF_ERROR(CheckSealedSender(*sealed, *accepted.second.sealed,
                                               accepted.second.sender,
                                               accepted.first.remote_identity(),
                                               accepted.second.franking_commitment,
                                               accepted.second.server_time));
    }
    GroupWrites group_writes;
    if (accepted.second.group_control) {
      CANDOR_ASSIGN_OR_RETURN(group_writes,
                              PrepareGroupControl(accepted.second,
                                                  accepted.first.remote_identity(), now, groups));
    }
    IncomingMessage& in = accepted.second;
    std::optional<ReceivedMessage> group_event;
    int64_t id = 0;
    // One transaction: the session, its message and a control message's
    // group writes land together (in a batch, a failure after a write
    // undoes the batch rather than leave half of one delivery).
    const Result<void> committed = store.InTransaction([&]() -> Result<void> {
      CANDOR_ASSIGN_OR_RETURN(id, store.CommitReceived(accepted.first, in, digest, now));
      // Trust on first use: the key of the first session with this peer.
      if (!known) {
        CANDOR_RETURN_IF_ERROR(
            store.TrustFirstIdentity(delivery.envelope.sender, accepted.first.remote_identity()));
      }
      if (group_writes) {
        CANDOR_ASSIGN_OR_RETURN(group_event, FinishGroupControl(group_writes, in));
      }
      return Ok();
    });
    CANDOR_RETURN_IF_ERROR(committed);
    session.emplace(std::move(accepted.first));
    if (group_event) return std::move(*group_event);
    return ReceivedMessage{id,           std::move(in.sender), std::move(in.text), in.server_time, std::nullopt,
                         std::string{}, DescribeAttachments(in.content)};
  }
  // Decrypt changes the session only on success; a refused group control
  // message leaves the loaded copy ahead of the store, so it is dropped.
  const crypto::Ed25519PublicKey peer_identity = session->remote_identity();
  auto decrypted = session->Decrypt(delivery, now, rng, sealed != nullptr);
  if (!decrypted.has_value()) return decrypted.error();
  IncomingMessage& in = *decrypted;
  if (sealed != nullptr) {
    auto checked = CheckSealedSender(*sealed, *in.sealed, in.sender, peer_identity,
                                     in.franking_commitment, in.server_time);
    if (!checked.has_value()) {
      session.reset();  // decrypted ahead of the store
      return checked.error();
    }
  }
  GroupWrites group_writes;
  if (in.group_control) {
    auto prepared = PrepareGroupControl(in, peer_identity, now, groups);
    if (!prepared.has_value()) {
      session.reset();
      return prepared.error();
    }
    group_writes = std::move(*prepared);
  }
  std::optional<ReceivedMessage> group_event;
  int64_t id = 0;
  const Result<void> committed = store.InTransaction([&]() -> Result<void> {
    CANDOR_ASSIGN_OR_RETURN(id, store.CommitReceived(*session, in, digest, now));
    if (group_writes) {
      CANDOR_ASSIGN_OR_RETURN(group_event, FinishGroupControl(group_writes, in));
    }
    return Ok();
  });
  if (!committed.has_value()) {
    session.reset();
    return committed.error();
  }
  if (group_event) return std::move(*group_event);
  return ReceivedMessage{id,           std::move(in.sender), std::move(in.text), in.server_time, std::nullopt,
                         std::string{}, DescribeAttachments(in.content)};
}

// Any delivery. A group message goes to the group layer (which keeps its
// own replay markers). Any other: the replay marker first (cheaper than a
// decryption or opening a box, and it still knows envelopes whose messages
// have expired since); then a sealed one is opened (its sender is only
// known then); then it is received from its sender, with `sessions` keyed
// by sender.
template <typename Sessions>
Result<ReceivedMessage> ReceiveAny(DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                                   std::string_view account, const Delivery& delivery,
                                   uint64_t now, crypto::RandomSource& rng, Sessions& sessions,
                                   const GroupReceiveHooks* groups, const SealedReceiver* sealed) {
  if (delivery.envelope.content_type == ContentType::kGroupMessage) {
    if (groups == nullptr || !groups->message) {
      return Error(Errc::kInvalidState, "a group message, and no group layer to take it");
    }
    return groups->message(delivery, now);
  }
  const EnvelopeDigest digest = DigestEnvelope(delivery.envelope_bytes);
  CANDOR_ASSIGN_OR_RETURN(bool seen, store.HasReceived(digest));
  if (seen) return Error(Errc::kDuplicateMessage, "envelope already received");
  if (delivery.envelope.content_type != ContentType::kSealed) {
    return ReceiveOne(store, identity, account, delivery, digest, now, rng,
                      sessions[delivery.envelope.sender], groups, nullptr);
  }
  if (sealed == nullptr) {
    return Error(Errc::kInvalidState,
                 "a sealed message, and no pinned directory and moderation keys to check its "
                 "sender: nothing stored");
  }
  CANDOR_ASSIGN_OR_RETURN(Delivery opened, OpenSealedDelivery(sealed->box_key, delivery));
  return ReceiveOne(store, identity, account, opened, digest, now, rng,
                    sessions[opened.envelope.sender], groups, &sealed->trust);
}

}  // namespace

Result<ReceivedMessage> ReceiveAndStore(DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                                std::string_view account, const Delivery& delivery, uint64_t now,
                                crypto::RandomSource& rng, const GroupReceiveHooks* groups,
                                const SealedReceiver* sealed) {
  std::map<std::string, std::optional<Session>, std::less<>> sessions;
  return ReceiveAny(store, identity, account, delivery, now, rng, sessions, groups, sealed);
}

Result<std::vector<Result<ReceivedMessage>>> ReceiveBatchAndStore(
    DeviceStore& store, const crypto::Ed25519KeyPair& identity, std::string_view account,
    std::span<const Delivery> deliveries, uint64_t now, crypto::RandomSource& rng,
    const std::function<void(uint64_t, uint64_t)>& progress, const GroupReceiveHooks* groups,
    const SealedReceiver* sealed) {
  std::vector<Result<ReceivedMessage>> results;
  results.reserve(deliveries.size());
  // Each sender's session, loaded once and advanced in step with the store.
  std::map<std::string, std::optional<Session>, std::less<>> sessions;
  CANDOR_RETURN_IF_ERROR(store.InTransaction([&]() -> Result<void> {
    for (const Delivery& d : deliveries) {
      results.push_back(
          ReceiveAny(store, identity, account, d, now, rng, sessions, groups, sealed));
      if (progress) progress(results.size(), deliveries.size());
    }
    return Ok();
  }));
  return results;
}

}  // namespace candor::protocol
