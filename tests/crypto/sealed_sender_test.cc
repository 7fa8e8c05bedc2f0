// Sender certificates, moderation tokens, the token's signature over a
// commitment and the sealed relay tag (crypto/sealed_sender.h): each check
// fails on every change an attacker could make.
#include "candor/crypto/sealed_sender.h"

#include <gtest/gtest.h>

#include "candor/crypto/limits.h"

namespace candor::crypto {
namespace {

class SealedSenderCrypto : public ::testing::Test {
 protected:
  InsecureDeterministicRandom rng_{19};
  Ed25519KeyPair directory_ = Ed25519KeyPair::Generate(rng_);
  Ed25519KeyPair moderation_ = Ed25519KeyPair::Generate(rng_);
  TokenKey token_key_ = GenerateTokenKey(rng_);
  Ed25519KeyPair alice_identity_ = Ed25519KeyPair::Generate(rng_);
  Ed25519KeyPair one_use_ = Ed25519KeyPair::Generate(rng_);
  FrankingCommitment commitment_{};

  ModerationToken Token(std::string_view account = "alice", uint64_t expires_at = 2000) {
    auto token = IssueModerationToken(token_key_, moderation_, account, 1000,
                                      one_use_.public_key(), expires_at, rng_);
    EXPECT_TRUE(token.has_value());
    return *token;
  }
};

TEST_F(SealedSenderCrypto, ACertificateVerifiesUntilItExpires) {
  auto cert = IssueSenderCertificate(directory_, "alice", alice_identity_.public_key(), 5000);
  ASSERT_TRUE(cert.has_value());
  EXPECT_TRUE(VerifySenderCertificate(directory_.public_key(), *cert, 5000).has_value());
  EXPECT_EQ(VerifySenderCertificate(directory_.public_key(), *cert, 5001).error().code(),
            Errc::kBadSenderCertificate);
  // Signed by anyone else, or with any field changed: refused.
  EXPECT_EQ(VerifySenderCertificate(moderation_.public_key(), *cert, 1).error().code(),
            Errc::kBadSenderCertificate);
  auto renamed = *cert;
  renamed.account = "alicf";
  EXPECT_EQ(VerifySenderCertificate(directory_.public_key(), renamed, 1).error().code(),
            Errc::kBadSenderCertificate);
  auto rekeyed = *cert;
  rekeyed.identity_key = one_use_.public_key();
  EXPECT_EQ(VerifySenderCertificate(directory_.public_key(), rekeyed, 1).error().code(),
            Errc::kBadSenderCertificate);
  auto extended = *cert;
  extended.expires_at += 1;
  EXPECT_EQ(VerifySenderCertificate(directory_.public_key(), extended, 1).error().code(),
            Errc::kBadSenderCertificate);
  auto flipped = *cert;
  flipped.signature[10] ^= 1;
  EXPECT_EQ(VerifySenderCertificate(directory_.public_key(), flipped, 1).error().code(),
            Errc::kBadSenderCertificate);
  // An account candor would refuse anywhere is refused here too.
  EXPECT_EQ(IssueSenderCertificate(directory_, std::string("a\0b", 3),
                                   alice_identity_.public_key(), 1)
                .error()
                .code(),
            Errc::kInvalidAccount);
}

TEST_F(SealedSenderCrypto, ATokenVerifiesAndOnlyTheServiceReadsItsOwner) {
  const ModerationToken token = Token();
  EXPECT_TRUE(VerifyModerationToken(moderation_.public_key(), token, 2000).has_value());
  EXPECT_EQ(VerifyModerationToken(moderation_.public_key(), token, 2001).error().code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(VerifyModerationToken(directory_.public_key(), token, 1).error().code(),
            Errc::kBadModerationToken);
  auto owner = OpenModerationToken(token_key_, token);
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->account, "alice");
  EXPECT_EQ(owner->issued_at, 1000u);
  // x hides the account: it is not in the token's bytes, and another key
  // does not open it.
  const std::string x(token.sealed_account.begin(), token.sealed_account.end());
  EXPECT_EQ(x.find("alice"), std::string::npos);
  InsecureDeterministicRandom other(5);
  EXPECT_EQ(OpenModerationToken(GenerateTokenKey(other), token).error().code(),
            Errc::kBadModerationToken);
  // Two tokens for the same account do not look alike.
  const ModerationToken second = Token();
  EXPECT_NE(second.sealed_account, token.sealed_account);
  EXPECT_NE(second.nonce, token.nonce);
}

TEST_F(SealedSenderCrypto, EveryTokenFieldIsSigned) {
  const ModerationToken token = Token();
  auto check = [&](ModerationToken t) {
    return VerifyModerationToken(moderation_.public_key(), t, 1).error().code();
  };
  auto t = token;
  t.nonce[0] ^= 1;
  EXPECT_EQ(check(t), Errc::kBadModerationToken);
  t = token;
  t.sealed_account[0] ^= 1;
  EXPECT_EQ(check(t), Errc::kBadModerationToken);
  t = token;
  t.sealed_account.push_back(0);
  EXPECT_EQ(check(t), Errc::kBadModerationToken);
  t = token;
  t.one_use_key = alice_identity_.public_key();
  EXPECT_EQ(check(t), Errc::kBadModerationToken);
  t = token;
  t.expires_at = 1u << 31;
  EXPECT_EQ(check(t), Errc::kBadModerationToken);
  t = token;
  t.signature[63] ^= 0x40;
  EXPECT_EQ(check(t), Errc::kBadModerationToken);
  // A changed x no longer opens either.
  t = token;
  t.sealed_account.back() ^= 1;
  EXPECT_EQ(OpenModerationToken(token_key_, t).error().code(), Errc::kBadModerationToken);
}

TEST_F(SealedSenderCrypto, TheTokenSignsExactlyOneCommitment) {
  commitment_[0] = 7;
  auto tsig = SignSealedCommitment(one_use_, commitment_);
  ASSERT_TRUE(tsig.has_value());
  EXPECT_TRUE(VerifySealedCommitment(one_use_.public_key(), commitment_, *tsig).has_value());
  FrankingCommitment other = commitment_;
  other[31] ^= 1;
  EXPECT_EQ(VerifySealedCommitment(one_use_.public_key(), other, *tsig).error().code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(VerifySealedCommitment(alice_identity_.public_key(), commitment_, *tsig)
                .error()
                .code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(VerifySealedCommitment(one_use_.public_key(), ByteView(commitment_).first(31), *tsig)
                .error()
                .code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(SignSealedCommitment(one_use_, ByteView(commitment_).first(31)).error().code(),
            Errc::kInvalidArgument);
}

TEST_F(SealedSenderCrypto, TheSealedRelayTagBindsCommitmentRecipientAndTime) {
  InsecureDeterministicRandom rng(3);
  const RelayKey key = GenerateRelayKey(rng);
  auto tag = ComputeSealedRelayTag(key, commitment_, "bob", 77);
  ASSERT_TRUE(tag.has_value());
  EXPECT_TRUE(VerifySealedRelayTag(key, commitment_, "bob", 77, *tag).has_value());
  EXPECT_FALSE(VerifySealedRelayTag(key, commitment_, "bob", 78, *tag).has_value());
  EXPECT_FALSE(VerifySealedRelayTag(key, commitment_, "bo", 77, *tag).has_value());
  EXPECT_FALSE(VerifySealedRelayTag(key, commitment_, "", 77, *tag).has_value());
  FrankingCommitment other = commitment_;
  other[5] = 1;
  EXPECT_FALSE(VerifySealedRelayTag(key, other, "bob", 77, *tag).has_value());
  // Never the unsealed tag for the same inputs, whatever the sender.
  auto unsealed = ComputeRelayTag(key, commitment_, "x", "bob", 77);
  ASSERT_TRUE(unsealed.has_value());
  EXPECT_NE(*unsealed, *tag);
  // The empty recipient (a group message's copy for its sender) is its own tag.
  auto empty = ComputeSealedRelayTag(key, commitment_, "", 77);
  ASSERT_TRUE(empty.has_value());
  EXPECT_NE(*empty, *tag);
  EXPECT_EQ(ComputeSealedRelayTag(key, commitment_, std::string(kMaxAccountBytes + 1, 'a'), 1)
                .error()
                .code(),
            Errc::kInvalidAccount);
}

}  // namespace
}  // namespace candor::crypto
