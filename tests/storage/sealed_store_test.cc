// The store's sealed-sender part: pins, this device's certificate, one-use
// token keys and tokens, the seen-token record. Every refusal leaves the
// store as it was, and what survives a reopen is what was committed.
#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/storage/store.h"
#include "store_impl.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

using storage::Store;

constexpr uint64_t kNow = 1'760'000'000;
constexpr uint64_t kDay = 86'400;

class SealedStoreTest : public ::testing::Test {
 protected:
  SealedStoreTest() {
    rng_.Fill(key_.Expose());
    store_.emplace(Open(/*create=*/true));
    EXPECT_TRUE(store_->SaveIdentity("alice", identity_, kNow).has_value());
  }
  Store Open(bool create) {
    auto key = SecretArray<32>::CopyFrom(key_.Expose());
    auto store = create ? Store::Create(dir_.File("store.db"), storage::StoreKey::Raw(std::move(*key)), rng_)
                        : Store::Open(dir_.File("store.db"), storage::StoreKey::Raw(std::move(*key)));
    EXPECT_TRUE(store.has_value()) << store.error().message();
    return std::move(store).value();
  }
  int64_t CertificateRows() {
    auto n = store_->impl().db.QueryInt("SELECT count(*) FROM sender_certificates");
    EXPECT_TRUE(n.has_value());
    return n.has_value() ? *n : -1;
  }
  int64_t TokenRows() {
    auto n = store_->impl().db.QueryInt("SELECT count(*) FROM moderation_tokens");
    EXPECT_TRUE(n.has_value());
    return n.has_value() ? *n : -1;
  }
  void Pin() {
    ASSERT_TRUE(store_->PinSealedKeys({directory_.public_key(), moderator_.public_key()})
                    .has_value());
  }
  crypto::SenderCertificate Certificate(std::string_view account, uint64_t expires_at,
                                        const crypto::Ed25519KeyPair* by = nullptr) {
    auto c = crypto::IssueSenderCertificate(by ? *by : directory_, account,
                                            identity_.public_key(), expires_at);
    EXPECT_TRUE(c.has_value());
    return std::move(c).value();
  }
  std::vector<crypto::ModerationToken> Issue(const std::vector<crypto::Ed25519PublicKey>& keys,
                                             uint64_t expires_at,
                                             const crypto::Ed25519KeyPair* by = nullptr) {
    std::vector<crypto::ModerationToken> out;
    for (const auto& k : keys) {
      auto t = crypto::IssueModerationToken(token_key_, by ? *by : moderator_, "alice", kNow, k,
                                            expires_at, rng_);
      EXPECT_TRUE(t.has_value());
      out.push_back(std::move(t).value());
    }
    return out;
  }

  crypto::InsecureDeterministicRandom rng_{1919};
  testing::ScopedTempDir dir_;
  SecretArray<32> key_;
  crypto::Ed25519KeyPair identity_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::Ed25519KeyPair directory_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::Ed25519KeyPair moderator_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::TokenKey token_key_ = crypto::GenerateTokenKey(rng_);
  std::optional<Store> store_;
};

TEST_F(SealedStoreTest, NothingIsAcceptedBeforeTheKeysArePinned) {
  EXPECT_FALSE(store_->LoadSealedPins()->has_value());
  EXPECT_EQ(store_->AddSenderCertificate(Certificate("alice", kNow + kDay), kNow).error().code(),
            Errc::kSealedCredentialMissing);
  auto keys = store_->DrawTokenKeys(2, kNow, rng_);
  ASSERT_TRUE(keys.has_value()) << keys.error().message();
  EXPECT_EQ(store_->AddTokens(Issue(*keys, kNow + kDay), kNow).error().code(),
            Errc::kSealedCredentialMissing);
  EXPECT_FALSE(store_->CurrentSenderCertificate(kNow)->has_value());
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 0u);
}

TEST_F(SealedStoreTest, OnlyThisDevicesValidCertificateIsKept) {
  Pin();
  const auto stranger = crypto::Ed25519KeyPair::Generate(rng_);
  EXPECT_EQ(store_->AddSenderCertificate(Certificate("alice", kNow + kDay, &stranger), kNow)
                .error()
                .code(),
            Errc::kBadSenderCertificate);
  EXPECT_EQ(store_->AddSenderCertificate(Certificate("bob", kNow + kDay), kNow).error().code(),
            Errc::kBadSenderCertificate);
  EXPECT_EQ(store_->AddSenderCertificate(Certificate("alice", kNow - 1), kNow).error().code(),
            Errc::kBadSenderCertificate);
  auto other_key = crypto::IssueSenderCertificate(
      directory_, "alice", crypto::Ed25519KeyPair::Generate(rng_).public_key(), kNow + kDay);
  EXPECT_EQ(store_->AddSenderCertificate(*other_key, kNow).error().code(),
            Errc::kBadSenderCertificate);
  EXPECT_FALSE(store_->CurrentSenderCertificate(kNow)->has_value()) << "refusals store nothing";

  ASSERT_TRUE(store_->AddSenderCertificate(Certificate("alice", kNow + kDay), kNow).has_value());
  ASSERT_TRUE(
      store_->AddSenderCertificate(Certificate("alice", kNow + 3 * kDay), kNow).has_value());
  auto current = store_->CurrentSenderCertificate(kNow);
  ASSERT_TRUE(current.has_value() && current->has_value());
  EXPECT_EQ((*current)->expires_at, kNow + 3 * kDay) << "the one that expires last";
  // Not handed out for its last kSealedCredentialMarginSeconds: the
  // recipient checks it at the relay's later time.
  const uint64_t last_use = kNow + 3 * kDay - kSealedCredentialMarginSeconds;
  EXPECT_TRUE(store_->CurrentSenderCertificate(last_use)->has_value());
  EXPECT_FALSE(store_->CurrentSenderCertificate(last_use + 1)->has_value());
  EXPECT_EQ(CertificateRows(), 2);
  // A later purge deletes the expired one only (and none on its last second).
  ASSERT_TRUE(store_->PurgeExpired(kNow + kDay).has_value());
  EXPECT_EQ(CertificateRows(), 2);
  ASSERT_TRUE(store_->PurgeExpired(kNow + 2 * kDay).has_value());
  EXPECT_EQ(CertificateRows(), 1);
  store_.reset();
  store_.emplace(Open(/*create=*/false));
  current = store_->CurrentSenderCertificate(kNow);
  ASSERT_TRUE(current.has_value() && current->has_value());
  EXPECT_EQ((*current)->expires_at, kNow + 3 * kDay);
}

TEST_F(SealedStoreTest, TokensAreUsedOnceWithTheirKeysAndRunLow) {
  Pin();
  auto keys = store_->DrawTokenKeys(12, kNow, rng_);
  ASSERT_TRUE(keys.has_value());
  ASSERT_EQ(keys->size(), 12u);
  auto supply = store_->CountTokens(kNow);
  EXPECT_EQ(supply->usable, 0u);
  EXPECT_EQ(supply->requested, 12u);
  EXPECT_TRUE(supply->low);
  EXPECT_FALSE(store_->NextToken(kNow)->has_value());

  auto added = store_->AddTokens(Issue(*keys, kNow + 7 * kDay), kNow);
  ASSERT_TRUE(added.has_value()) << added.error().message();
  EXPECT_EQ(*added, 12u);
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 12u);
  EXPECT_FALSE(store_->CountTokens(kNow)->low);

  auto next = store_->NextToken(kNow);
  ASSERT_TRUE(next.has_value() && next->has_value());
  const crypto::Ed25519PublicKey used = (*next)->token.one_use_key;
  EXPECT_EQ((*next)->one_use.public_key(), used) << "the secret half that belongs to it";
  ASSERT_TRUE(store_->UseToken(used).has_value());
  EXPECT_EQ(store_->UseToken(used).error().code(), Errc::kNotFound) << "one use";
  EXPECT_NE((*store_->NextToken(kNow))->token.one_use_key, used);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store_->UseToken((*store_->NextToken(kNow))->token.one_use_key).has_value());
  }
  supply = store_->CountTokens(kNow);
  EXPECT_EQ(supply->usable, 9u);
  EXPECT_TRUE(supply->low) << "below kLowTokenThreshold";
  EXPECT_EQ(supply->requested, 0u);
  // Within the margin before their expiry the tokens are no longer handed
  // out; past it they are purged (and not on their last second).
  const uint64_t last_use = kNow + 7 * kDay - kSealedCredentialMarginSeconds;
  EXPECT_TRUE(store_->NextToken(last_use)->has_value());
  EXPECT_FALSE(store_->NextToken(last_use + 1)->has_value());
  EXPECT_EQ(store_->CountTokens(last_use + 1)->usable, 0u);
  ASSERT_TRUE(store_->PurgeExpired(kNow + 7 * kDay).has_value());
  EXPECT_EQ(TokenRows(), 9);
  ASSERT_TRUE(store_->PurgeExpired(kNow + 7 * kDay + 1).has_value());
  EXPECT_EQ(TokenRows(), 0);
}

TEST_F(SealedStoreTest, BadTokensAreRefusedAllOrNothing) {
  Pin();
  auto keys = store_->DrawTokenKeys(3, kNow, rng_);
  ASSERT_TRUE(keys.has_value());
  const auto stranger = crypto::Ed25519KeyPair::Generate(rng_);
  // One bad token among good ones: none is kept.
  auto forged = Issue(*keys, kNow + kDay);
  forged[2] = Issue({(*keys)[2]}, kNow + kDay, &stranger)[0];
  EXPECT_EQ(store_->AddTokens(forged, kNow).error().code(), Errc::kBadModerationToken);
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 0u);
  // A token for a key this device never drew.
  auto foreign = Issue({crypto::Ed25519KeyPair::Generate(rng_).public_key()}, kNow + kDay);
  auto mixed = Issue({(*keys)[0]}, kNow + kDay);
  mixed.push_back(foreign[0]);
  EXPECT_EQ(store_->AddTokens(mixed, kNow).error().code(), Errc::kBadModerationToken);
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 0u);
  // Expired already.
  EXPECT_EQ(store_->AddTokens(Issue(*keys, kNow - 1), kNow).error().code(),
            Errc::kBadModerationToken);
  // Good ones, then the same again: a key takes one token.
  auto good = Issue(*keys, kNow + kDay);
  ASSERT_TRUE(store_->AddTokens(good, kNow).has_value());
  EXPECT_EQ(store_->AddTokens(Issue({(*keys)[0]}, kNow + kDay), kNow).error().code(),
            Errc::kBadModerationToken);
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 3u);
  // Two tokens for one key in one response: refused whole.
  auto more = store_->DrawTokenKeys(1, kNow, rng_);
  ASSERT_TRUE(more.has_value());
  auto twice = Issue({(*more)[0], (*more)[0]}, kNow + kDay);
  EXPECT_EQ(store_->AddTokens(twice, kNow).error().code(), Errc::kBadModerationToken);
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 3u);
  EXPECT_EQ(store_->AddTokens({}, kNow).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(store_->DrawTokenKeys(0, kNow, rng_).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(store_->DrawTokenKeys(kMaxTokensPerRequest + 1, kNow, rng_).error().code(),
            Errc::kInvalidArgument);
}

TEST_F(SealedStoreTest, ATokenSeenFromASenderIsRefusedTheSecondTime) {
  const auto key = crypto::Ed25519KeyPair::Generate(rng_).public_key();
  ASSERT_TRUE(store_->RecordSeenToken("bob", key, kNow + kDay).has_value());
  EXPECT_EQ(store_->RecordSeenToken("bob", key, kNow + kDay).error().code(), Errc::kTokenReused);
  EXPECT_TRUE(store_->RecordSeenToken("carol", key, kNow + kDay).has_value())
      << "per sender: a third account using it is the moderator's question";
  // Inside a transaction that fails, the record is undone with it.
  const auto other = crypto::Ed25519KeyPair::Generate(rng_).public_key();
  auto failed = store_->InTransaction([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(store_->RecordSeenToken("bob", other, kNow + kDay));
    return Error(Errc::kDecryptFailed, "the message did not open");
  });
  EXPECT_FALSE(failed.has_value());
  EXPECT_TRUE(store_->RecordSeenToken("bob", other, kNow + kDay).has_value());
  // Kept past the token's expiry for as long as replay markers are.
  ASSERT_TRUE(store_->PurgeExpired(kNow + kDay + 1).has_value());
  EXPECT_EQ(store_->RecordSeenToken("bob", key, kNow + kDay).error().code(), Errc::kTokenReused);
  ASSERT_TRUE(store_->PurgeExpired(kNow + kDay + kReplayMarkerSeconds).has_value());
  EXPECT_TRUE(store_->RecordSeenToken("bob", key, kNow + kDay).has_value());
}

TEST_F(SealedStoreTest, UnansweredRequestsArePurgedAnsweredTokensStay) {
  Pin();
  auto answered = store_->DrawTokenKeys(2, kNow, rng_);
  auto unanswered = store_->DrawTokenKeys(3, kNow, rng_);
  ASSERT_TRUE(answered.has_value() && unanswered.has_value());
  ASSERT_TRUE(store_->AddTokens(Issue(*answered, kNow + 90 * kDay), kNow).has_value());
  ASSERT_TRUE(store_->PurgeExpired(kNow + kUnansweredTokenRequestSeconds - 1).has_value());
  EXPECT_EQ(TokenRows(), 5);
  ASSERT_TRUE(store_->PurgeExpired(kNow + kUnansweredTokenRequestSeconds).has_value());
  EXPECT_EQ(TokenRows(), 2) << "the answered ones stay until they expire";
  EXPECT_EQ(store_->CountTokens(kNow + kUnansweredTokenRequestSeconds)->usable, 2u);
}

// Found in review: an expiry above INT64_MAX wrapped to a negative time in
// the store, so a seen token was forgotten at the next purge.
TEST_F(SealedStoreTest, ExpiriesBeyondWhatAStoreHoldsAreRefused) {
  Pin();
  const uint64_t too_late = kMaxExpiryTime + 1;
  EXPECT_EQ(store_->AddSenderCertificate(Certificate("alice", too_late), kNow).error().code(),
            Errc::kBadSenderCertificate);
  auto keys = store_->DrawTokenKeys(1, kNow, rng_);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(store_->AddTokens(Issue(*keys, too_late), kNow).error().code(),
            Errc::kBadModerationToken);
  const auto key = crypto::Ed25519KeyPair::Generate(rng_).public_key();
  EXPECT_EQ(store_->RecordSeenToken("bob", key, too_late).error().code(),
            Errc::kBadModerationToken);
  // The largest one is kept as it is.
  ASSERT_TRUE(store_->RecordSeenToken("bob", key, kMaxExpiryTime).has_value());
  ASSERT_TRUE(store_->PurgeExpired(kNow + 365 * kDay).has_value());
  EXPECT_EQ(store_->RecordSeenToken("bob", key, kMaxExpiryTime).error().code(), Errc::kTokenReused);
}

TEST_F(SealedStoreTest, ChangingAPinDropsWhatWasCheckedUnderTheOldKey) {
  Pin();
  ASSERT_TRUE(store_->AddSenderCertificate(Certificate("alice", kNow + kDay), kNow).has_value());
  auto keys = store_->DrawTokenKeys(2, kNow, rng_);
  ASSERT_TRUE(keys.has_value());
  ASSERT_TRUE(store_->AddTokens(Issue({(*keys)[0]}, kNow + kDay), kNow).has_value());
  // The same pins again change nothing.
  Pin();
  EXPECT_TRUE(store_->CurrentSenderCertificate(kNow)->has_value());
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 1u);
  // A new moderation key: the token goes, the waiting key stays.
  const auto new_moderator = crypto::Ed25519KeyPair::Generate(rng_);
  ASSERT_TRUE(store_->PinSealedKeys({directory_.public_key(), new_moderator.public_key()})
                  .has_value());
  EXPECT_TRUE(store_->CurrentSenderCertificate(kNow)->has_value());
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 0u);
  EXPECT_EQ(store_->CountTokens(kNow)->requested, 1u);
  EXPECT_TRUE(store_->AddTokens(Issue({(*keys)[1]}, kNow + kDay, &new_moderator), kNow)
                  .has_value());
  // A new directory key: the certificate goes.
  const auto new_directory = crypto::Ed25519KeyPair::Generate(rng_);
  ASSERT_TRUE(store_->PinSealedKeys({new_directory.public_key(), new_moderator.public_key()})
                  .has_value());
  EXPECT_FALSE(store_->CurrentSenderCertificate(kNow)->has_value());
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 1u);
}

}  // namespace
}  // namespace candor
