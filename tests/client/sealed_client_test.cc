// A device provisioned for sealed sending through candor::Client: pinned
// keys, a certificate from the directory, tokens from the service. The
// request that leaves carries public keys only and passes the egress guard
// on the token service's channel; a response the device cannot check is
// refused whole.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/sealed_wire.h"
#include "support/client_world.h"
#include "support/sealed_authority.h"

namespace candor {
namespace {

constexpr uint64_t kWeek = testing::SealedAuthority::kWeek;

bool Contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

class SealedClientTest : public testing::ClientWorld {
 protected:
  Bytes Answer(ByteView request, std::string_view account,
               const crypto::Ed25519KeyPair& signer) {
    return authority_.Answer(request, account, &signer);
  }
  void Provision(client::Client& c, size_t tokens) { authority_.Provision(c, tokens); }

  testing::SealedAuthority authority_{rng_, clock_};
  const crypto::Ed25519KeyPair& directory_ = authority_.directory();
  const crypto::Ed25519KeyPair& moderator_ = authority_.moderator();
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

TEST_F(SealedClientTest, ASealedConversationHidesTheSenderFromTheRelay) {
  client::Client alice = Make("alice", 1);
  client::Client bob = Make("bob", 2);
  Provision(alice, 3);
  Provision(bob, 0);
  std::vector<Bytes> relay_saw;
  auto bundle = bob.PublishBundle();
  ASSERT_TRUE(bundle.has_value());
  auto sent = alice.Send("bob", "sealed hello", ByteView(bundle->bytes), client::Sealing::kSealed);
  ASSERT_TRUE(sent.has_value()) << sent.error().message();
  relay_saw.push_back(sent->envelope.bytes);
  clock_.Advance(1);
  auto relayed = protocol::RelayEnvelope(relay_key_, sent->envelope.bytes, clock_.NowSeconds());
  ASSERT_TRUE(relayed.has_value()) << relayed.error().message();
  relay_saw.push_back(relayed->delivery);
  relay_saw.push_back(relayed->ack);
  // The sealed ack completes alice's copy as any other.
  EXPECT_EQ(*alice.HandleAck(relayed->ack), sent->message_id);
  auto got = bob.Receive(relayed->delivery);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(got->from, "alice");
  EXPECT_EQ(got->text, "sealed hello");
  EXPECT_EQ(alice.Tokens()->usable, 2u);  // one token, one message

  // A later sealed message, and bob's unsealed answer.
  auto next = alice.Send("bob", "and again", std::nullopt, client::Sealing::kSealed);
  ASSERT_TRUE(next.has_value()) << next.error().message();
  relay_saw.push_back(next->envelope.bytes);
  const Bytes d = Relay(alice, *next);
  relay_saw.push_back(d);
  ASSERT_TRUE(bob.Receive(d).has_value());
  ASSERT_TRUE(alice.Receive(SendNext(bob, alice, "answer")).has_value());
  auto history = bob.History("alice", 10);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].from, "alice");
  EXPECT_EQ(alice.Tokens()->usable, 1u);

  for (const Bytes& b : relay_saw) {
    EXPECT_FALSE(Contains(b, AsBytes(std::string_view("alice"))));
    EXPECT_FALSE(Contains(b, alice.identity_key().bytes()));
  }
}

TEST_F(SealedClientTest, WithoutACredentialASealedSendFailsAndNothingLeaves) {
  client::Client alice = Make("alice", 1);
  client::Client bob = Make("bob", 2);
  auto bundle = bob.PublishBundle();
  ASSERT_TRUE(bundle.has_value());
  // Nothing provisioned; then a certificate but no token; then a token but
  // a certificate that runs out within the margin.
  auto refused = alice.Send("bob", "x", ByteView(bundle->bytes), client::Sealing::kSealed);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kSealedCredentialMissing);
  Provision(alice, 0);
  refused = alice.Send("bob", "x", ByteView(bundle->bytes), client::Sealing::kSealed);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kSealedCredentialMissing);
  EXPECT_EQ(alice.History("bob", 10)->size(), 0u);
  EXPECT_FALSE(alice.SessionSetupWith("bob")->has_value());
  auto request = alice.RequestTokens(1);
  ASSERT_TRUE(request.has_value());
  ASSERT_TRUE(alice.AddTokens(Answer(request->bytes, "alice", moderator_)).has_value());
  clock_.Advance(kWeek - kSealedCredentialMarginSeconds + 1);
  refused = alice.Send("bob", "x", ByteView(bundle->bytes), client::Sealing::kSealed);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kSealedCredentialMissing);
  EXPECT_EQ(alice.History("bob", 10)->size(), 0u);
  // Unsealed sending keeps working, by the caller's choice only.
  EXPECT_TRUE(alice.Send("bob", "plain", ByteView(bundle->bytes)).has_value());
}

TEST_F(SealedClientTest, TheConversationSettingSealsUnlessACallSaysOtherwise) {
  client::ClientOptions options;
  options.seal_conversation = [](std::string_view peer) { return peer == "bob"; };
  auto made = client::Client::Create(tmp_.File("alice.db"), Key(1), "alice", rng_, clock_, options);
  ASSERT_TRUE(made.has_value());
  client::Client alice = std::move(made).value();
  client::Client bob = Make("bob", 2);
  client::Client carol = Make("carol", 3);
  Provision(alice, 5);
  Provision(bob, 0);
  const auto sealed = [](const client::SentMessage& m) {
    return protocol::DecodeEnvelope(m.envelope.bytes)->content_type ==
           protocol::ContentType::kSealed;
  };
  auto to_bob = alice.Send("bob", "to bob", ByteView(bob.PublishBundle()->bytes));
  ASSERT_TRUE(to_bob.has_value()) << to_bob.error().message();
  EXPECT_TRUE(sealed(*to_bob));
  auto to_carol = alice.Send("carol", "to carol", ByteView(carol.PublishBundle()->bytes));
  ASSERT_TRUE(to_carol.has_value());
  EXPECT_FALSE(sealed(*to_carol));
  auto unsealed = alice.Send("bob", "plain", std::nullopt, client::Sealing::kUnsealed);
  ASSERT_TRUE(unsealed.has_value());
  EXPECT_FALSE(sealed(*unsealed));
  auto forced = alice.Send("carol", "sealed", std::nullopt, client::Sealing::kSealed);
  ASSERT_TRUE(forced.has_value());
  EXPECT_TRUE(sealed(*forced));
  // bob reads both kinds in order; carol has pinned nothing, and her
  // device refuses the sealed one without storing it.
  EXPECT_EQ(bob.Receive(Relay(alice, *to_bob))->text, "to bob");
  EXPECT_EQ(bob.Receive(Relay(alice, *unsealed))->text, "plain");
  EXPECT_EQ(carol.Receive(Relay(alice, *to_carol))->text, "to carol");
  auto refused = carol.Receive(Relay(alice, *forced));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kInvalidState);
  EXPECT_EQ(carol.History("alice", 10)->size(), 1u);
}

}  // namespace
}  // namespace candor
