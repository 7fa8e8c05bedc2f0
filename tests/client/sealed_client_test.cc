// A device provisioned for sealed sending through candor::Client: pinned
// keys, a certificate from the directory, tokens from the service. The
// request that leaves carries public keys only and passes the egress guard
// on the token service's channel; a response the device cannot check is
// refused whole.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/sealed_wire.h"
#include "support/client_world.h"

namespace candor {
namespace {

constexpr uint64_t kWeek = 7 * 86'400;

bool Contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

class SealedClientTest : public testing::ClientWorld {
 protected:
  // The service's side of a request: a token for each key, for `account`.
  Bytes Answer(ByteView request, std::string_view account, const crypto::Ed25519KeyPair& signer) {
    auto keys = protocol::DecodeTokenRequest(request);
    EXPECT_TRUE(keys.has_value());
    std::vector<crypto::ModerationToken> tokens;
    for (const auto& key : *keys) {
      auto t = crypto::IssueModerationToken(token_key_, signer, account, clock_.NowSeconds(),
                                            key, clock_.NowSeconds() + kWeek, rng_);
      EXPECT_TRUE(t.has_value());
      tokens.push_back(std::move(t).value());
    }
    auto response = protocol::EncodeTokenResponse(tokens);
    EXPECT_TRUE(response.has_value());
    return std::move(response).value();
  }

  crypto::Ed25519KeyPair directory_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::Ed25519KeyPair moderator_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::TokenKey token_key_ = crypto::GenerateTokenKey(rng_);
};

TEST_F(SealedClientTest, ADeviceIsProvisionedWithACertificateAndTokens) {
  client::Client alice = Make("alice", 1);
  ASSERT_TRUE(alice.PinSealedKeys(directory_.public_key(), moderator_.public_key()).has_value());

  auto cert = crypto::IssueSenderCertificate(directory_, "alice", alice.identity_key(),
                                             clock_.NowSeconds() + kWeek);
  ASSERT_TRUE(cert.has_value());
  auto expiry = alice.AddSenderCertificate(*protocol::EncodeSenderCertificate(*cert));
  ASSERT_TRUE(expiry.has_value()) << expiry.error().message();
  EXPECT_EQ(*expiry, clock_.NowSeconds() + kWeek);

  auto request = alice.RequestTokens(20);
  ASSERT_TRUE(request.has_value()) << request.error().message();
  EXPECT_EQ(request->channel, client::Channel::kTokenService);
  // Public keys only: no account, no identity key in what leaves.
  EXPECT_FALSE(Contains(request->bytes, AsBytes(std::string_view("alice"))));
  EXPECT_FALSE(Contains(request->bytes, alice.identity_key().bytes()));
  EXPECT_EQ(alice.Tokens()->requested, 20u);
  EXPECT_TRUE(alice.Tokens()->low);

  auto added = alice.AddTokens(Answer(request->bytes, "alice", moderator_));
  ASSERT_TRUE(added.has_value()) << added.error().message();
  EXPECT_EQ(*added, 20u);
  auto supply = alice.Tokens();
  ASSERT_TRUE(supply.has_value());
  EXPECT_EQ(supply->usable, 20u);
  EXPECT_EQ(supply->requested, 0u);
  EXPECT_FALSE(supply->low);
  EXPECT_EQ(alice.RequestTokens(0).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(alice.RequestTokens(kMaxTokensPerRequest + 1).error().code(), Errc::kInvalidArgument);
}

TEST_F(SealedClientTest, CredentialsThatDoNotCheckOutAreRefusedAndNothingIsKept) {
  client::Client alice = Make("alice", 1);
  auto cert = crypto::IssueSenderCertificate(directory_, "alice", alice.identity_key(),
                                             clock_.NowSeconds() + kWeek);
  const Bytes cert_bytes = *protocol::EncodeSenderCertificate(*cert);
  // Nothing pinned yet.
  EXPECT_EQ(alice.AddSenderCertificate(cert_bytes).error().code(),
            Errc::kSealedCredentialMissing);
  ASSERT_TRUE(alice.PinSealedKeys(directory_.public_key(), moderator_.public_key()).has_value());
  // Garbage, and a certificate for bob.
  EXPECT_EQ(alice.AddSenderCertificate(AsBytes(std::string_view("not a certificate")))
                .error()
                .code(),
            Errc::kUnsupportedVersion);
  auto bobs = crypto::IssueSenderCertificate(directory_, "bob", alice.identity_key(),
                                             clock_.NowSeconds() + kWeek);
  EXPECT_EQ(alice.AddSenderCertificate(*protocol::EncodeSenderCertificate(*bobs)).error().code(),
            Errc::kBadSenderCertificate);

  auto request = alice.RequestTokens(3);
  ASSERT_TRUE(request.has_value());
  // Signed by someone other than the pinned service: refused whole.
  const auto stranger = crypto::Ed25519KeyPair::Generate(rng_);
  EXPECT_EQ(alice.AddTokens(Answer(request->bytes, "alice", stranger)).error().code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(alice.Tokens()->usable, 0u);
  EXPECT_EQ(alice.Tokens()->requested, 3u);
  // Answered for keys of another request: refused whole.
  client::Client bob = Make("bob", 2);
  auto bobs_request = bob.RequestTokens(3);
  ASSERT_TRUE(bobs_request.has_value());
  EXPECT_EQ(alice.AddTokens(Answer(bobs_request->bytes, "alice", moderator_)).error().code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(alice.Tokens()->usable, 0u);
  // The real answer still goes in afterwards.
  EXPECT_EQ(*alice.AddTokens(Answer(request->bytes, "alice", moderator_)), 3u);
  EXPECT_EQ(alice.Tokens()->usable, 3u);
}

}  // namespace
}  // namespace candor
