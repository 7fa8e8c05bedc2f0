// Client: identity changes — the pending key, the user's acceptance or
// verification, and the messages held meanwhile (docs/identity.md).
#include "candor/crypto/fingerprint.h"
#include "candor/protocol/json.h"
#include "candor/protocol/wire.h"
#include "client_state.h"

namespace candor::client {

Result<IdentityChange> Client::DescribeChange(std::string_view peer,
                                              const crypto::Ed25519PublicKey& old_key,
                                              const crypto::Ed25519PublicKey& new_key,
                                              uint64_t detected_at,
                                              std::optional<uint64_t> accepted_at,
                                              bool was_verified) const {
  CANDOR_ASSIGN_OR_RETURN(std::string old_number,
                          crypto::ComputeFingerprint(account(), identity_key(), peer, old_key));
  CANDOR_ASSIGN_OR_RETURN(std::string new_number,
                          crypto::ComputeFingerprint(account(), identity_key(), peer, new_key));
  return IdentityChange{std::string(peer), std::move(old_number), std::move(new_number),
                        detected_at, accepted_at, was_verified};
}

Result<std::optional<IdentityChange>> Client::PendingIdentityChange(std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                          state_->store.LoadPeerIdentity(peer));
  if (!known || !known->pending) return std::optional<IdentityChange>();
  CANDOR_ASSIGN_OR_RETURN(IdentityChange change,
                          DescribeChange(peer, known->identity_key, *known->pending,
                                         known->pending_since.value_or(0), std::nullopt,
                                         known->verified));
  return std::optional<IdentityChange>(std::move(change));
}

void Client::NotifyIdentityChange(std::string_view peer) {
  if (!state_->identity_change_observer) return;
  auto change = PendingIdentityChange(peer);
  if (change.has_value() && change->has_value()) state_->identity_change_observer(**change);
}

std::vector<Result<ReceivedMessage>> Client::ReceiveHeld(const std::vector<Bytes>& held) {
  std::vector<Result<ReceivedMessage>> results;
  const protocol::GroupReceiveHooks hooks = GroupHooks();
  for (const Bytes& bytes : held) {
    auto delivery = protocol::DecodeDelivery(bytes);
    if (!delivery.has_value()) {
      results.emplace_back(delivery.error());
      continue;
    }
    auto sealed = SealedReceiverFor(std::span(&*delivery, 1));
    if (!sealed.has_value()) {
      results.emplace_back(sealed.error());
      continue;
    }
    results.push_back(protocol::ReceiveAndStore(state_->store, state_->identity.identity,
                                                account(), *delivery, state_->clock.NowSeconds(),
                                                state_->rng, &hooks, *sealed ? &**sealed : nullptr));
  }
  return results;
}

Result<std::vector<Result<ReceivedMessage>>> Client::AcceptIdentityChange(
    std::string_view peer, std::string_view shown_safety_number) {
  std::vector<Result<ReceivedMessage>> results;
  const Result<void> committed = state_->store.InTransaction([&]() -> Result<void> {
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                            state_->store.LoadPeerIdentity(peer));
    if (!known || !known->pending) {
      return Error(Errc::kInvalidState, "no identity change is pending for this peer");
    }
    if (known->verified) {
      return Error(Errc::kInvalidState,
                   "this contact's safety number had been verified: compare the new one with "
                   "the peer and confirm it with VerifyIdentity");
    }
    if (!shown_safety_number.empty()) {
      CANDOR_ASSIGN_OR_RETURN(std::string pending_number,
                              crypto::ComputeFingerprint(account(), identity_key(), peer,
                                                         *known->pending));
      if (pending_number != shown_safety_number) {
        return Error(Errc::kInvalidArgument,
                     "the pending key is not the one with that safety number: nothing changed");
      }
    }
    CANDOR_ASSIGN_OR_RETURN(std::vector<Bytes> held,
                            state_->store.AcceptIdentityChange(peer, state_->clock.NowSeconds()));
    // An allowance of classical sessions was given for the old device.
    CANDOR_RETURN_IF_ERROR(
        state_->store.SetClassicalFallback(peer, crypto::ClassicalFallback::kRefuse));
    CANDOR_RETURN_IF_ERROR(ForgetGroupDevice(peer));
    results = ReceiveHeld(held);
    return Ok();
  });
  CANDOR_RETURN_IF_ERROR(committed);
  return results;
}

Result<std::vector<Result<ReceivedMessage>>> Client::VerifyIdentity(std::string_view peer,
                                                                   std::string_view safety_number) {
  std::vector<Result<ReceivedMessage>> results;
  const Result<void> committed = state_->store.InTransaction([&]() -> Result<void> {
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                            protocol::TrustedIdentity(state_->store, peer));
    if (!known) return Error(Errc::kNotFound, "no identity key known for this peer");
    // Stored, if it was only the session's (SetIdentityVerified needs a row).
    CANDOR_RETURN_IF_ERROR(state_->store.TrustFirstIdentity(peer, known->identity_key));
    const crypto::Ed25519PublicKey key = known->pending.value_or(known->identity_key);
    CANDOR_ASSIGN_OR_RETURN(std::string expected,
                            crypto::ComputeFingerprint(account(), identity_key(), peer, key));
    if (expected != safety_number) {
      return Error(Errc::kInvalidArgument,
                   "that is not the safety number with this peer's " +
                       std::string(known->pending ? "new" : "current") + " key: nothing changed");
    }
    if (known->pending) {
      CANDOR_ASSIGN_OR_RETURN(std::vector<Bytes> held, state_->store.AcceptIdentityChange(
                                                           peer, state_->clock.NowSeconds()));
      CANDOR_RETURN_IF_ERROR(
          state_->store.SetClassicalFallback(peer, crypto::ClassicalFallback::kRefuse));
      CANDOR_RETURN_IF_ERROR(ForgetGroupDevice(peer));
      results = ReceiveHeld(held);
    }
    return state_->store.SetIdentityVerified(peer, true);
  });
  CANDOR_RETURN_IF_ERROR(committed);
  return results;
}

Result<void> Client::RejectIdentityChange(std::string_view peer) {
  return state_->store.RejectIdentityChange(peer);
}

Result<bool> Client::IsVerified(std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                          protocol::TrustedIdentity(state_->store, peer));
  if (!known) return Error(Errc::kNotFound, "no identity key known for this peer");
  return known->verified;
}

std::string ReceivedListToJson(const std::vector<Result<ReceivedMessage>>& received) {
  std::vector<std::string> items;
  for (const auto& r : received) {
    if (r.has_value()) {
      items.push_back(protocol::JsonObject()
                          .Int("message_id", r->message_id)
                          .Str("from", r->from)
                          .Str("text", r->text)
                          .UInt("server_time", r->server_time)
                          .Finish());
    } else {
      items.push_back(protocol::JsonObject()
                          .Raw("error", protocol::JsonObject()
                                            .Str("code", ErrcName(r.error().code()))
                                            .Str("message", r.error().message())
                                            .Finish())
                          .Finish());
    }
  }
  return protocol::JsonArray(items);
}

Result<std::string> IdentityStatusJson(Client& client, std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(bool verified, client.IsVerified(peer));
  CANDOR_ASSIGN_OR_RETURN(std::optional<IdentityChange> pending, client.PendingIdentityChange(peer));
  protocol::JsonObject out;
  out.Str("with", peer).Bool("verified", verified);
  // No session right after an accepted change, until the first message.
  auto current = client.Fingerprint(peer);
  out.Raw("safety_number", current.has_value() ? protocol::JsonQuote(*current) : "null");
  // How the session was set up: "pqxdh", "x3dh" (a session from before
  // PQXDH, or an allowed classical one), or null without a session.
  CANDOR_ASSIGN_OR_RETURN(std::optional<SessionSetup> setup, client.SessionSetupWith(peer));
  out.Raw("session_setup", setup ? protocol::JsonQuote(SessionSetupName(*setup)) : "null");
  if (pending) {
    out.Raw("pending", protocol::JsonObject()
                           .Str("old_safety_number", pending->old_safety_number)
                           .Str("new_safety_number", pending->new_safety_number)
                           .UInt("detected_at", pending->detected_at)
                           .Finish());
  } else {
    out.Raw("pending", "null");
  }
  return out.Finish();
}

}  // namespace candor::client
