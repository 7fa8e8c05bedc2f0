// Sender Keys (DESIGN.md "Groups"): round trips in and out of order, and
// every refusal leaving the member's key unchanged — another member writing
// as the owner, a tampered byte anywhere, the wrong sender, group, kid or
// commitment, replays, jumps beyond kMaxGroupSkip, iterations past a
// replaced key's end, and a member added later reading earlier messages.
#include <gtest/gtest.h>

#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/sender_key.h"

namespace candor::crypto {
namespace {

constexpr uint64_t kNow = 1'750'000'000;

class SenderKeyTest : public ::testing::Test {
 protected:
  SenderKeyTest() {
    rng_.Fill(group_);
    own_.emplace(GenerateSenderKey(group_, rng_));
    rng_.Fill(commitment_);
  }
  // What a member holds after the owner's distribution at its current n.
  MemberSenderKey Member() const {
    return MemberSenderKey{own_->chain.Clone(), own_->signing.public_key(), std::nullopt, {}};
  }
  Bytes Send(std::string_view text) {
    auto m = GroupEncrypt(*own_, alice_.public_key(), "alice", commitment_, AsBytes(text), rng_);
    EXPECT_TRUE(m.has_value());
    return std::move(m).value();
  }
  Result<GroupDecryption> Open(const MemberSenderKey& key, ByteView message) {
    return GroupDecrypt(key, alice_.public_key(), "alice", commitment_, message, kNow);
  }
  static std::string Text(const GroupDecryption& d) {
    return std::string(d.plaintext.Expose().begin(), d.plaintext.Expose().end());
  }

  InsecureDeterministicRandom rng_{90};
  GroupId group_{};
  Ed25519KeyPair alice_ = Ed25519KeyPair::Generate(rng_);
  std::optional<OwnSenderKey> own_;
  FrankingCommitment commitment_{};
};

TEST_F(SenderKeyTest, MessagesOpenInAndOutOfOrderAndOnlyOnce) {
  MemberSenderKey bob = Member();
  const Bytes m0 = Send("zero"), m1 = Send("one"), m2 = Send("two");
  EXPECT_EQ(m0.size(), kGroupMessageOverheadBytes + 4);
  EXPECT_EQ(*GroupMessageKid(m0), own_->chain.kid);
  auto d2 = Open(bob, m2);  // two skipped
  ASSERT_TRUE(d2.has_value()) << d2.error().message();
  EXPECT_EQ(Text(*d2), "two");
  EXPECT_EQ(d2->iteration, 2u);
  bob = std::move(d2->next);
  auto d0 = Open(bob, m0);
  ASSERT_TRUE(d0.has_value());
  EXPECT_EQ(Text(*d0), "zero");
  bob = std::move(d0->next);
  EXPECT_EQ(Open(bob, m0).error().code(), Errc::kDuplicateMessage);
  EXPECT_EQ(Open(bob, m2).error().code(), Errc::kDuplicateMessage);
  auto d1 = Open(bob, m1);
  ASSERT_TRUE(d1.has_value());
  EXPECT_EQ(Text(*d1), "one");
}

TEST_F(SenderKeyTest, AnotherMemberCannotWriteAsTheOwner) {
  // Carol holds alice's chain (every member does) but not her signing key:
  // she encrypts correctly and signs with her own key.
  OwnSenderKey forged{own_->chain.Clone(), Ed25519KeyPair::Generate(rng_)};
  auto m = GroupEncrypt(forged, alice_.public_key(), "alice", commitment_, AsBytes("pay carol"),
                        rng_);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(Open(Member(), *m).error().code(), Errc::kBadSignature);
}

TEST_F(SenderKeyTest, EveryAlteredByteOrBindingIsRefused) {
  const MemberSenderKey bob = Member();
  const Bytes m = Send("hello group");
  for (size_t i = 0; i < m.size(); ++i) {
    Bytes bad = m;
    bad[i] ^= 0x01;
    EXPECT_FALSE(Open(bob, bad).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(Open(bob, ByteView(m).first(m.size() - 1)).has_value());
  // Another sender name or identity key, another commitment: the signature
  // and the body's ad cover them.
  const Ed25519KeyPair mallory = Ed25519KeyPair::Generate(rng_);
  EXPECT_EQ(GroupDecrypt(bob, alice_.public_key(), "mallory", commitment_, m, kNow).error().code(),
            Errc::kBadSignature);
  EXPECT_EQ(GroupDecrypt(bob, mallory.public_key(), "alice", commitment_, m, kNow).error().code(),
            Errc::kBadSignature);
  FrankingCommitment other = commitment_;
  other[0] ^= 1;
  EXPECT_EQ(GroupDecrypt(bob, alice_.public_key(), "alice", other, m, kNow).error().code(),
            Errc::kBadSignature);
  // The same chain registered for another group: refused (the signature
  // covers G before the header, which names it too, is even opened).
  MemberSenderKey elsewhere = Member();
  elsewhere.chain.group[0] ^= 1;
  EXPECT_FALSE(Open(elsewhere, m).has_value());
  // Another key id.
  MemberSenderKey other_kid = Member();
  other_kid.chain.kid ^= 1;
  EXPECT_EQ(Open(other_kid, m).error().code(), Errc::kInvalidKey);
  // Still opens where it belongs: nothing above changed bob's key.
  auto ok = Open(bob, m);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(Text(*ok), "hello group");
}

TEST_F(SenderKeyTest, AMemberAddedLaterCannotReadEarlierMessages) {
  const Bytes before = Send("before you joined");
  const MemberSenderKey dave = Member();  // distributed at n = 1
  const Bytes after = Send("welcome");
  EXPECT_EQ(Open(dave, before).error().code(), Errc::kDuplicateMessage);
  auto d = Open(dave, after);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Text(*d), "welcome");
}

TEST_F(SenderKeyTest, JumpsBeyondTheSkipLimitAreRefused) {
  const MemberSenderKey bob = Member();
  for (uint32_t i = 0; i < kMaxGroupSkip; ++i) (void)Send("x");
  const Bytes at_limit = Send("at the limit");  // n = kMaxGroupSkip: skips exactly the limit
  const Bytes beyond = Send("beyond");
  EXPECT_EQ(Open(bob, beyond).error().code(), Errc::kTooManySkipped);
  auto ok = Open(bob, at_limit);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->next.skipped.size(), size_t{kMaxGroupSkip});
}

TEST_F(SenderKeyTest, AReplacedKeyOpensOnlyBelowItsFinalIteration) {
  MemberSenderKey bob = Member();
  const Bytes m0 = Send("zero"), m1 = Send("one"), m2 = Send("two");
  // A key skipped past n = 1 and 2, then replaced at 2: the skipped key of
  // n = 2 does not open either.
  {
    auto three = Send("three");
    auto ahead = Open(bob, three);  // bob's key from n = 0: skips 0, 1 and 2
    ASSERT_TRUE(ahead.has_value());
    ahead->next.final_iteration = 2;
    EXPECT_EQ(Open(ahead->next, m2).error().code(), Errc::kInvalidState);
    EXPECT_TRUE(Open(ahead->next, m1).has_value());
  }
  bob.final_iteration = 2;  // the owner replaced the key after n = 1
  EXPECT_EQ(Open(bob, m2).error().code(), Errc::kInvalidState);
  auto late = Open(bob, m1);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(Text(*late), "one");
  EXPECT_TRUE(Open(late->next, m0).has_value());
}

TEST(GroupFranking, CommitsToSenderGroupAndContent) {
  InsecureDeterministicRandom rng(91);
  const FrankingKey fk = GenerateFrankingKey(rng);
  GroupId g{};
  rng.Fill(g);
  const Bytes content = {1, 2, 3};
  auto c = ComputeGroupFrankingCommitment(fk, "alice", g, content);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(VerifyGroupFrankingCommitment(fk, "alice", g, content, *c).has_value());
  EXPECT_FALSE(VerifyGroupFrankingCommitment(fk, "alicf", g, content, *c).has_value());
  GroupId other = g;
  other[31] ^= 1;
  EXPECT_FALSE(VerifyGroupFrankingCommitment(fk, "alice", other, content, *c).has_value());
  // Never equal to the one-to-one commitment of the same bytes.
  auto pairwise = ComputeFrankingCommitment(fk, "alice", "bob", content);
  ASSERT_TRUE(pairwise.has_value());
  EXPECT_NE(*pairwise, *c);
  EXPECT_EQ(ComputeGroupFrankingCommitment(fk, "alice", ByteView(g).first(31), content)
                .error()
                .code(),
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace candor::crypto
