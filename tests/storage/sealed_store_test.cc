// The store's sealed-sender part: pins, this device's certificate, one-use
// token keys and tokens, the seen-token record. Every refusal leaves the
// store as it was, and what survives a reopen is what was committed.
#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/storage/store.h"
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
  EXPECT_FALSE(store_->CurrentSenderCertificate(kNow + 3 * kDay + 1)->has_value());
  // A later purge deletes the expired one only.
  ASSERT_TRUE(store_->PurgeExpired(kNow + 2 * kDay).has_value());
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
  // Past their expiry the tokens are unusable, then purged.
  EXPECT_FALSE(store_->NextToken(kNow + 7 * kDay + 1)->has_value());
  ASSERT_TRUE(store_->PurgeExpired(kNow + 8 * kDay).has_value());
  EXPECT_EQ(store_->CountTokens(kNow)->usable, 0u);
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

}  // namespace
}  // namespace candor
