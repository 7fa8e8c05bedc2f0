// The C ABI's sealed sender (include/candor/candor.h "Sealed sender"): a
// device's pins, certificate and tokens, and the reference directory's,
// token service's and moderator's sides. The sealed send is with the other
// sends (candor_c_attachments.cc).
#include <algorithm>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/sealed_services.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/report/verifier.h"
#include "capi_internal.h"

namespace {

using candor::Errc;
using candor::Error;
using candor::Result;
using candor::kMaxSealedCredentialDays;
using candor::capi::Call;
using candor::capi::CopyString;
using candor::capi::Fill;
using candor::capi::KeyFrom;
using candor::capi::Need;
namespace crypto = candor::crypto;

// The reference services issue credentials that expire after `now` and
// within kMaxSealedCredentialDays, as the CLI's do.
Result<void> CheckExpiry(uint64_t now, uint64_t expires_at) {
  if (expires_at <= now || expires_at - now > kMaxSealedCredentialDays * 86'400) {
    return Error(Errc::kInvalidArgument,
                 "expires_at must be after now and within " +
                     std::to_string(kMaxSealedCredentialDays) + " days");
  }
  return candor::Ok();
}

Result<crypto::Ed25519PublicKey> PublicKey(const uint8_t key[CANDOR_KEY_BYTES]) {
  return crypto::Ed25519PublicKey::FromBytes(candor::ByteView(key, CANDOR_KEY_BYTES));
}

}  // namespace

extern "C" {

int candor_client_pin_sealed_keys(candor_client* client, const uint8_t directory[CANDOR_KEY_BYTES],
                                  const uint8_t moderation[CANDOR_KEY_BYTES]) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && directory && moderation, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto d, PublicKey(directory));
    CANDOR_ASSIGN_OR_RETURN(auto m, PublicKey(moderation));
    return client->client.PinSealedKeys(d, m);
  });
}

int candor_client_add_sender_certificate(candor_client* client, const uint8_t* certificate,
                                         size_t certificate_size, uint64_t* expires_at) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && certificate, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(uint64_t expiry, client->client.AddSenderCertificate(
                                                 candor::ByteView(certificate, certificate_size)));
    if (expires_at != nullptr) *expires_at = expiry;
    return candor::Ok();
  });
}

int candor_client_request_tokens(candor_client* client, size_t count, candor_buffer* request) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && request, "null argument"));
    *request = candor_buffer{};
    CANDOR_ASSIGN_OR_RETURN(auto item, client->client.RequestTokens(count));
    Fill(request, item.bytes);
    return candor::Ok();
  });
}

int candor_client_add_tokens(candor_client* client, const uint8_t* response, size_t response_size,
                             size_t* added) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && response, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(size_t n, client->client.AddTokens(
                                          candor::ByteView(response, response_size)));
    if (added != nullptr) *added = n;
    return candor::Ok();
  });
}

int candor_client_tokens(candor_client* client, size_t* usable, size_t* requested, int* low) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && usable && requested && low, "null argument"));
    *usable = *requested = 0;
    *low = 0;
    CANDOR_ASSIGN_OR_RETURN(auto supply, client->client.Tokens());
    *usable = supply.usable;
    *requested = supply.requested;
    *low = supply.low ? 1 : 0;
    return candor::Ok();
  });
}

int candor_generate_signing_key(uint8_t seed[CANDOR_KEY_BYTES],
                                uint8_t public_key[CANDOR_KEY_BYTES]) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(seed && public_key, "null argument"));
    const auto key = crypto::Ed25519KeyPair::Generate(crypto::SystemRandom());
    const auto s = key.Seed();
    std::copy(s.Expose().begin(), s.Expose().end(), seed);
    std::copy(key.public_key().bytes().begin(), key.public_key().bytes().end(), public_key);
    return candor::Ok();
  });
}

int candor_generate_token_key(uint8_t token_key[CANDOR_KEY_BYTES]) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(token_key != nullptr, "null argument"));
    const crypto::TokenKey key = crypto::GenerateTokenKey(crypto::SystemRandom());
    std::copy(key.Expose().begin(), key.Expose().end(), token_key);
    return candor::Ok();
  });
}

int candor_issue_sender_certificate(const uint8_t directory_seed[CANDOR_KEY_BYTES],
                                    const uint8_t* bundle, size_t bundle_size, uint64_t expires_at,
                                    candor_buffer* certificate) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(directory_seed && bundle && certificate, "null argument"));
    *certificate = candor_buffer{};
    CANDOR_RETURN_IF_ERROR(CheckExpiry(candor::capi::SharedClock().NowSeconds(), expires_at));
    const auto directory = crypto::Ed25519KeyPair::FromSeed(KeyFrom(directory_seed));
    CANDOR_ASSIGN_OR_RETURN(auto cert, candor::protocol::CertifyBundle(
                                           directory, candor::ByteView(bundle, bundle_size),
                                           expires_at));
    CANDOR_ASSIGN_OR_RETURN(auto bytes, candor::protocol::EncodeSenderCertificate(cert));
    Fill(certificate, bytes);
    return candor::Ok();
  });
}

int candor_issue_tokens(const uint8_t signing_seed[CANDOR_KEY_BYTES],
                        const uint8_t token_key[CANDOR_KEY_BYTES], const char* account,
                        const uint8_t* request, size_t request_size, uint64_t now,
                        uint64_t expires_at, candor_buffer* response) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(
        Need(signing_seed && token_key && account && request && response, "null argument"));
    *response = candor_buffer{};
    CANDOR_RETURN_IF_ERROR(CheckExpiry(now, expires_at));
    const auto signing = crypto::Ed25519KeyPair::FromSeed(KeyFrom(signing_seed));
    CANDOR_ASSIGN_OR_RETURN(auto bytes, candor::protocol::AnswerTokenRequest(
                                            KeyFrom(token_key), signing, account,
                                            candor::ByteView(request, request_size), now,
                                            expires_at, crypto::SystemRandom()));
    Fill(response, bytes);
    return candor::Ok();
  });
}

int candor_moderate_sealed_json(const uint8_t moderator_secret_key[CANDOR_KEY_BYTES],
                                const uint8_t relay_key[CANDOR_KEY_BYTES],
                                const uint8_t directory_public[CANDOR_KEY_BYTES],
                                const uint8_t token_signing_public[CANDOR_KEY_BYTES],
                                const uint8_t token_key[CANDOR_KEY_BYTES], const uint8_t* sealed,
                                size_t sealed_size, char** verdict_json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(moderator_secret_key && relay_key && directory_public &&
                                    token_signing_public && token_key && sealed && verdict_json,
                                "null argument"));
    *verdict_json = nullptr;
    CANDOR_ASSIGN_OR_RETURN(auto directory, PublicKey(directory_public));
    CANDOR_ASSIGN_OR_RETURN(auto signing, PublicKey(token_signing_public));
    const candor::report::Verifier verifier(
        crypto::X25519KeyPair::FromPrivate(KeyFrom(moderator_secret_key)), KeyFrom(relay_key),
        candor::report::SealedModerationKeys{directory, signing, KeyFrom(token_key)});
    CANDOR_ASSIGN_OR_RETURN(auto report, verifier.Verify(candor::ByteView(sealed, sealed_size)));
    *verdict_json = CopyString(candor::report::VerifiedReportToJson(report));
    return candor::Ok();
  });
}

}  // extern "C"
