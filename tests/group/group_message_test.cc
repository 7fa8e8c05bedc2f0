// Group text messages over Sender Keys: a round trip with the franking
// opening, and the refusals that keep every stored group message
// reportable — content breaking the rules, a commitment that does not open —
// each leaving the sender's or the member's key where it was.
#include <gtest/gtest.h>

#include "candor/crypto/aead.h"
#include "candor/group/group_message.h"
#include "candor/protocol/frame.h"

namespace candor::group {
namespace {

constexpr uint64_t kNow = 1'750'000'000;

class GroupMessageTest : public ::testing::Test {
 protected:
  GroupMessageTest() {
    rng_.Fill(group_);
    key_.emplace(crypto::GenerateSenderKey(group_, rng_));
  }
  crypto::MemberSenderKey Member() const {
    return crypto::MemberSenderKey{key_->chain.Clone(), key_->signing.public_key(), std::nullopt,
                                   {}};
  }
  crypto::InsecureDeterministicRandom rng_{96};
  crypto::GroupId group_{};
  crypto::Ed25519KeyPair alice_ = crypto::Ed25519KeyPair::Generate(rng_);
  std::optional<crypto::OwnSenderKey> key_;
};

TEST_F(GroupMessageTest, RoundTripWithItsFrankingOpening) {
  const crypto::MemberSenderKey bob = Member();
  auto out = EncryptGroupText(*key_, alice_.public_key(), "alice", "hello group", rng_);
  ASSERT_TRUE(out.has_value()) << out.error().message();
  auto in = DecryptGroupText(bob, alice_.public_key(), "alice", out->franking_commitment,
                             out->message, kNow);
  ASSERT_TRUE(in.has_value()) << in.error().message();
  EXPECT_EQ(in->text, "hello group");
  EXPECT_EQ(in->content, out->content);
  EXPECT_TRUE(in->franking_key == out->franking_key);
  EXPECT_EQ(in->iteration, 0u);
  EXPECT_EQ(in->next.chain.iteration, 1u);
  EXPECT_TRUE(crypto::VerifyGroupFrankingCommitment(in->franking_key, "alice", group_, in->content,
                                                    out->franking_commitment)
                  .has_value());
}

TEST_F(GroupMessageTest, ContentBreakingTheRulesIsNotSentAndTheKeyStays) {
  for (std::string_view bad : {std::string_view(""), std::string_view("a\0b", 3),
                               std::string_view("\x1b[2J")}) {
    EXPECT_FALSE(EncryptGroupText(*key_, alice_.public_key(), "alice", bad, rng_).has_value());
  }
  EXPECT_EQ(key_->chain.iteration, 0u);
}

// A modified sender commits to one text and sends another: the members
// refuse it (it could never be reported), and their keys do not advance.
TEST_F(GroupMessageTest, ACommitmentThatDoesNotOpenIsRefused) {
  const crypto::MemberSenderKey bob = Member();
  const Bytes shown = *protocol::EncodeContent("the text in the commitment");
  const Bytes sent = *protocol::EncodeContent("the text delivered");
  const crypto::FrankingKey fk = crypto::GenerateFrankingKey(rng_);
  auto c = crypto::ComputeGroupFrankingCommitment(fk, "alice", group_, shown);
  auto padded = protocol::EncodePaddedFrame(sent, fk);
  auto m = crypto::GroupEncrypt(*key_, alice_.public_key(), "alice", *c, padded->Expose(), rng_);
  ASSERT_TRUE(m.has_value());
  auto in = DecryptGroupText(bob, alice_.public_key(), "alice", *c, *m, kNow);
  ASSERT_FALSE(in.has_value());
  EXPECT_EQ(in.error().code(), Errc::kFrankingMismatch);
  EXPECT_EQ(bob.chain.iteration, 0u);
  // And a one-to-one commitment of the same content is no group commitment.
  auto pairwise = crypto::ComputeFrankingCommitment(fk, "alice", "bob", sent);
  auto m2 = crypto::GroupEncrypt(*key_, alice_.public_key(), "alice", *pairwise,
                                 padded->Expose(), rng_);
  EXPECT_EQ(DecryptGroupText(bob, alice_.public_key(), "alice", *pairwise, *m2, kNow)
                .error()
                .code(),
            Errc::kFrankingMismatch);
}

}  // namespace
}  // namespace candor::group
