// Client's sealed-sender credentials (docs/sealed-sender.md): the pinned
// keys, this device's certificate and its moderation tokens. What leaves
// the device (the token request) goes through the egress guard.
#include "candor/client/client.h"
#include "candor/protocol/egress.h"
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

}  // namespace candor::client
