// Sender keys across a group's life, with the rules every member applies:
// a key only from its owner and never one another member uses, a removed
// member's keys gone and its messages refused, a remaining member's new key
// after the removal unreadable by the removed one, a late message on the
// replaced key accepted only below its final iteration, and a member added
// later unable to read what came before.
#include <gtest/gtest.h>

#include "candor/group/group_message.h"
#include "candor/group/group_state.h"
#include "candor/group/sender_key_ring.h"

namespace candor::group {
namespace {

using Kind = protocol::GroupChangeKind;
constexpr uint64_t kNow = 1'750'000'000;

struct Member {
  std::string name;
  crypto::Ed25519KeyPair identity;
  std::optional<GroupState> state;
  std::optional<SenderKeyRing> ring;
};

class SenderKeyRingTest : public ::testing::Test {
 protected:
  SenderKeyRingTest() {
    crypto::GroupId id{};
    rng_.Fill(id);
    for (const char* n : {"alice", "bob", "carol", "dave"}) {
      members_.emplace(n, Member{n, crypto::Ed25519KeyPair::Generate(rng_), {}, {}});
    }
    auto created = GroupState::Create("alice", id, "club", {}, {"bob", "carol"});
    EXPECT_TRUE(created.has_value());
    M("alice").state.emplace(std::move(created->first));
    for (const char* n : {"bob", "carol"}) {
      M(n).state.emplace(*GroupState::Join(n, "alice", created->second));
    }
    for (const char* n : {"alice", "bob", "carol"}) M(n).ring.emplace(id);
  }
  Member& M(const std::string& n) { return members_.at(n); }

  // `from` sends `text` to `to` (the group's other current members): its
  // key (and distribution, if new) first, as the pairwise sessions would
  // carry it. Returns the message and commitment.
  OutgoingGroupMessage Send(const std::string& from, const std::string& text,
                            const std::vector<std::string>& to) {
    Member& s = M(from);
    auto key = *s.ring->KeyForSending(s.state->current().epoch, from, s.identity.public_key(),
                                      rng_);
    if (key.distribution) {
      for (const std::string& r : to) {
        EXPECT_TRUE(M(r).ring->Accept(*M(r).state, from, s.identity.public_key(),
                                      *key.distribution)
                        .has_value())
            << r;
      }
    }
    auto out = EncryptGroupText(*key.key, s.identity.public_key(), from, text, rng_);
    EXPECT_TRUE(out.has_value());
    return std::move(out).value();
  }
  // `to` receives a group message from `from`; commits on success.
  Result<std::string> Receive(const std::string& to, const std::string& from,
                              const OutgoingGroupMessage& m) {
    Member& r = M(to);
    CANDOR_ASSIGN_OR_RETURN(uint32_t kid, crypto::GroupMessageKid(m.message));
    if (!r.state->IsMember(from)) return Error(Errc::kWrongPeer, "not a member");
    const crypto::MemberSenderKey* key = r.ring->Find(from, kid);
    if (key == nullptr) return Error(Errc::kInvalidKey, "no such sender key");
    CANDOR_ASSIGN_OR_RETURN(auto in, DecryptGroupText(*key, M(from).identity.public_key(), from,
                                                      m.franking_commitment, m.message, kNow));
    CANDOR_RETURN_IF_ERROR(r.ring->Commit(from, std::move(in.next)));
    return in.text;
  }
  void ApplyEverywhere(const std::string& author, const Bytes& change,
                       const std::vector<std::string>& to) {
    for (const std::string& r : to) {
      auto outcome = M(r).state->Apply(author, change);
      ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
      M(r).ring->Depart(outcome->departed);
    }
  }

  crypto::InsecureDeterministicRandom rng_{98};
  std::map<std::string, Member> members_;
};

TEST_F(SenderKeyRingTest, MembersReadEachOther) {
  auto m = Send("alice", "hello", {"bob", "carol"});
  EXPECT_EQ(*Receive("bob", "alice", m), "hello");
  EXPECT_EQ(*Receive("carol", "alice", m), "hello");
  EXPECT_EQ(Receive("bob", "alice", m).error().code(), Errc::kDuplicateMessage);
  auto reply = Send("bob", "hi", {"alice", "carol"});
  EXPECT_EQ(*Receive("alice", "bob", reply), "hi");
  // Bob's message claimed as alice's: her key does not open it.
  EXPECT_FALSE(Receive("carol", "alice", reply).has_value());
}

TEST_F(SenderKeyRingTest, AKeyIsTakenOnlyFromItsOwner) {
  const auto& bob_id = M("bob").identity.public_key();
  const auto& carol_id = M("carol").identity.public_key();
  auto m = Send("carol", "carol's first", {"alice", "bob"});
  auto carols = *M("carol").ring->CurrentDistribution(1, "carol", carol_id);
  ASSERT_TRUE(carols.has_value());
  // A device that has not got carol's key yet (alice's, started afresh):
  // bob forwards carol's distribution as his own first. Its ownership proof
  // is carol's, so it is refused, and carol's own is then accepted.
  SenderKeyRing fresh(M("alice").state->current().id);
  EXPECT_EQ(fresh.Accept(*M("alice").state, "bob", bob_id, *carols).error().code(),
            Errc::kBadSignature);
  EXPECT_TRUE(fresh.Accept(*M("alice").state, "carol", carol_id, *carols).has_value());
  // Already registered for carol: refused as bob's, whatever the proof.
  EXPECT_FALSE(M("alice").ring->Accept(*M("alice").state, "bob", bob_id, *carols).has_value());
  // A stranger's distribution, and one for an epoch not reached.
  EXPECT_EQ(M("alice").ring->Accept(*M("alice").state, "mallory", bob_id, *carols).error().code(),
            Errc::kInvalidState);
  auto future = *M("carol").ring->CurrentDistribution(9, "carol", carol_id);
  EXPECT_EQ(M("alice").ring->Accept(*M("alice").state, "carol", carol_id, *future).error().code(),
            Errc::kInvalidState);
  EXPECT_EQ(*Receive("alice", "carol", m), "carol's first");
}

TEST_F(SenderKeyRingTest, ARemovedMemberReadsNothingSentAfterTheRemovalAndIsRefused) {
  auto before = Send("alice", "before", {"bob", "carol"});
  ASSERT_TRUE(Receive("bob", "alice", before).has_value());
  auto late_old_key = Send("alice", "sent before the removal, delivered after", {"bob", "carol"});
  auto carol_msg = Send("carol", "carol before her removal", {"alice", "bob"});

  auto removal = M("alice").state->Issue(Kind::kRemove, {"carol"});
  ASSERT_TRUE(removal.has_value());
  M("alice").ring->Depart({"carol"});
  ApplyEverywhere("alice", *removal, {"bob", "carol"});
  EXPECT_FALSE(M("carol").state->active());

  // Alice's next send draws a new key, distributed to bob only, naming
  // where her old key ended.
  auto after = Send("alice", "after the removal", {"bob"});
  EXPECT_EQ(*Receive("bob", "alice", after), "after the removal");
  // carol, who still holds alice's old key, has no key for the new one.
  EXPECT_EQ(Receive("carol", "alice", after).error().code(), Errc::kInvalidKey);
  EXPECT_EQ(M("carol").ring->Find("alice", *crypto::GroupMessageKid(after.message)), nullptr);

  // The late message on alice's old key (n = 1 < final 2) still opens at
  // bob; a message beyond the old key's end does not.
  EXPECT_EQ(*Receive("bob", "alice", late_old_key), "sent before the removal, delivered after");
  // carol's keys are gone at bob: her message is refused.
  EXPECT_EQ(Receive("bob", "carol", carol_msg).error().code(), Errc::kWrongPeer);
  EXPECT_EQ(M("bob").ring->Find("carol", *crypto::GroupMessageKid(carol_msg.message)), nullptr);
}

TEST_F(SenderKeyRingTest, TheReplacedKeyEndsWhereItsOwnerSaid) {
  auto m0 = Send("alice", "zero", {"bob", "carol"});
  auto m1 = Send("alice", "one", {"bob", "carol"});
  // A forged continuation on the old key (alice's device rolled back, or a
  // copy of her old key): n = 2 after she announced the key ended at 2.
  crypto::OwnSenderKey old_copy =
      (*M("alice").ring->KeyForSending(1, "alice", M("alice").identity.public_key(), rng_))
          .key->Clone();
  auto removal = M("alice").state->Issue(Kind::kRemove, {"carol"});
  M("alice").ring->Depart({"carol"});
  ApplyEverywhere("alice", *removal, {"bob"});
  auto fresh = Send("alice", "new key", {"bob"});
  auto beyond = EncryptGroupText(old_copy, M("alice").identity.public_key(), "alice",
                                 "on the old key, after its end", rng_);
  ASSERT_TRUE(beyond.has_value());
  EXPECT_EQ(Receive("bob", "alice", *beyond).error().code(), Errc::kInvalidState);
  EXPECT_EQ(*Receive("bob", "alice", m1), "one");
  EXPECT_EQ(*Receive("bob", "alice", m0), "zero");
  EXPECT_EQ(*Receive("bob", "alice", fresh), "new key");
}

TEST_F(SenderKeyRingTest, AnAddedMemberCannotReadWhatCameBefore) {
  auto early = Send("alice", "before dave", {"bob", "carol"});
  auto add = M("alice").state->Issue(Kind::kAdd, {"dave"});
  ASSERT_TRUE(add.has_value());
  ApplyEverywhere("alice", *add, {"bob", "carol"});
  // dave joins from the creation and the add (its device gets both).
  // dave's device holds the group as its members do (joining an existing
  // group is the client's part, not built yet): any member's state.
  Member& dave = M("dave");
  dave.state.emplace(*M("bob").state);
  dave.ring.emplace(M("alice").state->current().id);
  auto current = *M("alice").ring->CurrentDistribution(
      M("alice").state->current().epoch, "alice", M("alice").identity.public_key());
  ASSERT_TRUE(current.has_value());
  ASSERT_TRUE(dave.ring->Accept(*dave.state, "alice", M("alice").identity.public_key(), *current)
                  .has_value());
  auto later = Send("alice", "welcome dave", {"bob", "carol"});
  EXPECT_EQ(Receive("dave", "alice", early).error().code(), Errc::kDuplicateMessage);
  EXPECT_EQ(*Receive("dave", "alice", later), "welcome dave");
}

}  // namespace
}  // namespace candor::group
