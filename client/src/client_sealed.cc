// Client's sealed sender (docs/sealed-sender.md): the pinned keys, this
// device's certificate and its moderation tokens, and what a sealed send
// and receive take from them. What leaves the device (the token request,
// sealed envelopes) goes through the egress guard.
#include <algorithm>

#include "candor/client/client.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/sealed_check.h"
#include "candor/protocol/sealed_wire.h"
#include "client_state.h"

namespace candor::client {

Result<void> Client::PinSealedKeys(const crypto::Ed25519PublicKey& directory,
                                   const crypto::Ed25519PublicKey& moderation) {
  return state_->store.PinSealedKeys({directory, moderation});
}

Result<uint64_t> Client::AddSenderCertificate(ByteView certificate) {
  CANDOR_ASSIGN_OR_RETURN(crypto::SenderCertificate decoded,
                          protocol::DecodeSenderCertificate(certificate));
  CANDOR_RETURN_IF_ERROR(
      state_->store.AddSenderCertificate(decoded, state_->clock.NowSeconds()));
  return decoded.expires_at;
}

Result<OutgoingItem> Client::RequestTokens(size_t count) {
  // The count is checked by DrawTokenKeys, before anything is written.
  // The keys are kept before the request leaves: a response is only ever
  // for keys this device holds. Keys whose request is lost are deleted by
  // PurgeExpired after kUnansweredTokenRequestSeconds.
  CANDOR_ASSIGN_OR_RETURN(
      std::vector<crypto::Ed25519PublicKey> keys,
      state_->store.DrawTokenKeys(count, state_->clock.NowSeconds(), state_->rng));
  CANDOR_ASSIGN_OR_RETURN(Bytes request, protocol::EncodeTokenRequest(keys));
  return Emit(Channel::kTokenService, protocol::kTokenRequestType, std::move(request));
}

Result<size_t> Client::AddTokens(ByteView response) {
  CANDOR_ASSIGN_OR_RETURN(std::vector<crypto::ModerationToken> tokens,
                          protocol::DecodeTokenResponse(response));
  return state_->store.AddTokens(tokens, state_->clock.NowSeconds());
}

Result<storage::Store::TokenSupply> Client::Tokens() {
  return state_->store.CountTokens(state_->clock.NowSeconds());
}

bool Client::SendsSealed(std::string_view peer, Sealing sealing) const {
  switch (sealing) {
    case Sealing::kSealed:
      return true;
    case Sealing::kUnsealed:
      return false;
    case Sealing::kAsConfigured:
      break;
  }
  return state_->seal_conversation && state_->seal_conversation(peer);
}

Result<protocol::OutgoingMessage> Client::EncryptSealed(protocol::Session& session,
                                                        const Bytes& content) {
  auto& store = state_->store;
  const uint64_t now = state_->clock.NowSeconds();
  CANDOR_ASSIGN_OR_RETURN(std::optional<crypto::SenderCertificate> certificate,
                          store.CurrentSenderCertificate(now));
  if (!certificate) {
    return Error(Errc::kSealedCredentialMissing,
                 "no sender certificate valid long enough to send sealed: add a new one "
                 "(nothing was sent)");
  }
  CANDOR_ASSIGN_OR_RETURN(std::optional<storage::Store::UsableToken> token, store.NextToken(now));
  if (!token) {
    return Error(Errc::kSealedCredentialMissing,
                 "no moderation token left to send sealed: request more (nothing was sent)");
  }
  CANDOR_ASSIGN_OR_RETURN(
      protocol::OutgoingMessage out,
      session.EncryptSealed(Bytes(content),
                            protocol::SealedCredential{*certificate, token->token, token->one_use},
                            state_->rng));
  // One token, one message: gone with its key before the envelope leaves.
  CANDOR_RETURN_IF_ERROR(store.UseToken(token->token.one_use_key));
  return out;
}

Result<std::optional<protocol::SealedReceiver>> Client::SealedReceiverFor(
    std::span<const protocol::Delivery> deliveries) {
  const bool any_sealed = std::any_of(deliveries.begin(), deliveries.end(), [](const auto& d) {
    return d.envelope.content_type == protocol::ContentType::kSealed;
  });
  if (!any_sealed) return std::optional<protocol::SealedReceiver>();
  CANDOR_ASSIGN_OR_RETURN(std::optional<storage::Store::SealedPins> pins,
                          state_->store.LoadSealedPins());
  if (!pins) return std::optional<protocol::SealedReceiver>();
  if (!state_->box_key) state_->box_key.emplace(state_->identity.identity.ToX25519());
  return std::optional<protocol::SealedReceiver>(protocol::SealedReceiver{
      protocol::SealedTrust{pins->directory, pins->moderation}, *state_->box_key});
}

std::string Client::SenderOf(const protocol::Delivery& delivery) const {
  if (delivery.envelope.content_type != protocol::ContentType::kSealed) {
    return delivery.envelope.sender;
  }
  // Rare (a changed identity key): the box key is derived again if needed.
  const crypto::X25519KeyPair derived =
      state_->box_key ? state_->box_key->Clone() : state_->identity.identity.ToX25519();
  auto opened = protocol::OpenSealedDelivery(derived, delivery);
  return opened.has_value() ? opened->envelope.sender : std::string();
}

}  // namespace candor::client
