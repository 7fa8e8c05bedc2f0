#include "support/sealed_authority.h"

#include <gtest/gtest.h>

#include "candor/protocol/sealed_services.h"
#include "candor/protocol/sealed_wire.h"

namespace candor::testing {

SealedAuthority::SealedAuthority(crypto::RandomSource& rng, client::Clock& clock)
    : rng_(rng),
      clock_(clock),
      directory_(crypto::Ed25519KeyPair::Generate(rng)),
      moderator_(crypto::Ed25519KeyPair::Generate(rng)),
      token_key_(crypto::GenerateTokenKey(rng)) {}

Bytes SealedAuthority::Answer(ByteView request, std::string_view account,
                              const crypto::Ed25519KeyPair* signer) {
  auto response = protocol::AnswerTokenRequest(token_key_, signer ? *signer : moderator_, account,
                                               request, clock_.NowSeconds(),
                                               clock_.NowSeconds() + kWeek, rng_);
  EXPECT_TRUE(response.has_value()) << response.error().message();
  return std::move(response).value();
}

crypto::SenderCertificate SealedAuthority::Certify(std::string_view account,
                                                   const crypto::Ed25519PublicKey& identity,
                                                   uint64_t seconds) {
  auto cert = crypto::IssueSenderCertificate(directory_, account, identity,
                                             clock_.NowSeconds() + seconds);
  EXPECT_TRUE(cert.has_value());
  return std::move(cert).value();
}

std::pair<crypto::ModerationToken, crypto::Ed25519KeyPair> SealedAuthority::Token(
    std::string_view account) {
  auto one_use = crypto::Ed25519KeyPair::Generate(rng_);
  auto token = crypto::IssueModerationToken(token_key_, moderator_, account, clock_.NowSeconds(),
                                            one_use.public_key(), clock_.NowSeconds() + kWeek, rng_);
  EXPECT_TRUE(token.has_value());
  return {std::move(token).value(), std::move(one_use)};
}

void SealedAuthority::Provision(client::Client& c, size_t tokens) {
  ASSERT_TRUE(c.PinSealedKeys(directory_.public_key(), moderator_.public_key()).has_value());
  const auto cert = Certify(c.account(), c.identity_key(), kWeek);
  ASSERT_TRUE(c.AddSenderCertificate(*protocol::EncodeSenderCertificate(cert)).has_value());
  if (tokens == 0) return;
  auto request = c.RequestTokens(tokens);
  ASSERT_TRUE(request.has_value());
  ASSERT_TRUE(c.AddTokens(Answer(request->bytes, c.account())).has_value());
}

report::SealedModerationKeys SealedAuthority::ModerationKeys() const {
  return report::SealedModerationKeys{directory_.public_key(), moderator_.public_key(),
                                      token_key_.Clone()};
}

}  // namespace candor::testing
