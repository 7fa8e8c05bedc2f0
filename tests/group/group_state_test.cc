// Group membership as every member applies it: creation and joining, who
// may change what, epochs (a change for another epoch is refused whole),
// and two admins' concurrent changes converging at every member in both
// delivery orders.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "candor/crypto/hash.h"

#include "candor/crypto/random.h"
#include "candor/group/group_state.h"

namespace candor::group {
namespace {

using Kind = protocol::GroupChangeKind;
using Outcome = ChangeOutcome::Kind;

class GroupStateTest : public ::testing::Test {
 protected:
  GroupStateTest() {
    rng_.Fill(id_);
    auto created = GroupState::Create("alice", id_, "Book club", Bytes{1, 2, 3}, {"bob", "carol"});
    EXPECT_TRUE(created.has_value()) << created.error().message();
    alice_.emplace(std::move(created->first));
    creation_ = std::move(created->second);
    bob_.emplace(*GroupState::Join("bob", "alice", creation_));
    carol_.emplace(*GroupState::Join("carol", "alice", creation_));
  }
  crypto::InsecureDeterministicRandom rng_{97};
  crypto::GroupId id_{};
  Bytes creation_;
  std::optional<GroupState> alice_, bob_, carol_;
};

TEST_F(GroupStateTest, EveryMemberStartsFromTheSameCreation) {
  EXPECT_EQ(alice_->current(), bob_->current());
  EXPECT_EQ(alice_->current(), carol_->current());
  EXPECT_EQ(alice_->current().epoch, 1u);
  EXPECT_EQ(alice_->current().name, "Book club");
  EXPECT_TRUE(alice_->IsAdmin("alice"));
  EXPECT_FALSE(alice_->IsAdmin("bob"));
  EXPECT_TRUE(carol_->active());
  EXPECT_EQ(GroupState::Join("dave", "alice", creation_).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(GroupState::Create("alice", id_, "x", {}, {"alice"}).error().code(),
            Errc::kInvalidArgument);
  EXPECT_FALSE(GroupState::Create("alice", id_, "", {}, {"bob"}).has_value()) << "no name";
  EXPECT_FALSE(GroupState::Create("alice", id_, "x", {}, {"bob", "bob"}).has_value());
}

TEST_F(GroupStateTest, OnlyAdminsChangeTheGroupAndARefusalChangesNothing) {
  const GroupSnapshot before = carol_->current();
  // bob, not an admin, tries: his own state refuses, and so would carol's.
  auto refused = bob_->Issue(Kind::kAdd, {"mallory"});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kInvalidState);
  protocol::GroupChange forged{id_,      "bob", 2, carol_->current().last_change, Kind::kRemove,
                               {},       {},    {"alice"}};
  auto bytes = protocol::EncodeGroupChange(forged);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(carol_->Apply("bob", *bytes).error().code(), Errc::kInvalidState);
  EXPECT_EQ(carol_->current(), before);
  // A non-member cannot change anything either.
  EXPECT_EQ(carol_->Apply("mallory", *bytes).error().code(), Errc::kInvalidState);
  EXPECT_EQ(carol_->current(), before);

  // alice makes bob admin; then bob can rename.
  auto admin = alice_->Issue(Kind::kMakeAdmin, {"bob"});
  ASSERT_TRUE(admin.has_value());
  ASSERT_EQ(bob_->Apply("alice", *admin)->kind, Outcome::kApplied);
  ASSERT_EQ(carol_->Apply("alice", *admin)->kind, Outcome::kApplied);
  auto rename = bob_->Issue(Kind::kRename, {}, "Reading group");
  ASSERT_TRUE(rename.has_value()) << rename.error().message();
  ASSERT_EQ(alice_->Apply("bob", *rename)->kind, Outcome::kApplied);
  ASSERT_EQ(carol_->Apply("bob", *rename)->kind, Outcome::kApplied);
  EXPECT_EQ(carol_->current().name, "Reading group");
  EXPECT_EQ(alice_->current(), carol_->current());
  // The same change again changes nothing.
  EXPECT_EQ(carol_->Apply("bob", *rename)->kind, Outcome::kAlreadyApplied);
}

TEST_F(GroupStateTest, RemovalAndLeavingAreReportedAndTheLastAdminStays) {
  auto removal = alice_->Issue(Kind::kRemove, {"carol"});
  ASSERT_TRUE(removal.has_value());
  auto at_bob = bob_->Apply("alice", *removal);
  ASSERT_TRUE(at_bob.has_value());
  EXPECT_EQ(at_bob->departed, std::vector<std::string>{"carol"});
  auto at_carol = carol_->Apply("alice", *removal);
  ASSERT_TRUE(at_carol.has_value());
  EXPECT_FALSE(carol_->active());
  // The last admin cannot leave while bob stays; bob can leave.
  EXPECT_EQ(alice_->Issue(Kind::kLeave, {}).error().code(), Errc::kInvalidState);
  auto leave = bob_->Issue(Kind::kLeave, {});
  ASSERT_TRUE(leave.has_value());
  auto at_alice = alice_->Apply("bob", *leave);
  ASSERT_TRUE(at_alice.has_value());
  EXPECT_EQ(at_alice->departed, std::vector<std::string>{"bob"});
  EXPECT_EQ(alice_->current(), bob_->current());
  EXPECT_FALSE(bob_->active());
  // A leave is the author's own: alice cannot "leave" for bob.
  auto dave = alice_->Issue(Kind::kAdd, {"dave"});
  ASSERT_TRUE(dave.has_value());
  EXPECT_EQ(alice_->current().members.size(), 2u);
}

TEST_F(GroupStateTest, AChangeForAnotherEpochIsRefusedWhole) {
  auto first = alice_->Issue(Kind::kRename, {}, "one");
  auto second = alice_->Issue(Kind::kRename, {}, "two");
  ASSERT_TRUE(first.has_value() && second.has_value());
  const GroupSnapshot before = carol_->current();
  auto early = carol_->Apply("alice", *second);  // epoch 3 at epoch 1
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().code(), Errc::kInvalidState);
  EXPECT_NE(early.error().message().find("epoch 3"), std::string::npos) << early.error().message();
  EXPECT_EQ(carol_->current(), before);
  ASSERT_EQ(carol_->Apply("alice", *first)->kind, Outcome::kApplied);
  ASSERT_EQ(carol_->Apply("alice", *second)->kind, Outcome::kApplied);
  EXPECT_EQ(carol_->current(), alice_->current());
  // Another group's change.
  crypto::GroupId other{};
  other[0] = 1;
  auto foreign = GroupState::Create("alice", other, "other", {}, {"carol"});
  ASSERT_TRUE(foreign.has_value());
  auto change = foreign->first.Issue(Kind::kRename, {}, "x");
  EXPECT_EQ(carol_->Apply("alice", *change).error().code(), Errc::kInvalidArgument);
}

// alice and bob, both admins, change the group for the same epoch at once.
// Every member ends with the change whose encoding has the smaller digest,
// whatever order the two arrive in, and the other's author is told.
TEST_F(GroupStateTest, ConcurrentChangesConvergeInBothOrders) {
  auto admin = alice_->Issue(Kind::kMakeAdmin, {"bob"});
  ASSERT_TRUE(admin.has_value());
  ASSERT_TRUE(bob_->Apply("alice", *admin).has_value());
  ASSERT_TRUE(carol_->Apply("alice", *admin).has_value());
  GroupState carol_other_order = *carol_;

  auto x = alice_->Issue(Kind::kRename, {}, "Alice's name");
  auto y = bob_->Issue(Kind::kAdd, {"dave"});
  ASSERT_TRUE(x.has_value() && y.has_value());
  // Neither removes the other's author: the author ranking first for this
  // epoch wins, BLAKE2b-256(previous change || author) — not the digests,
  // which an author could grind.
  const auto previous = protocol::DigestGroupChange(*admin);
  auto rank = [&](std::string_view author) {
    Bytes in(previous.begin(), previous.end());
    in.insert(in.end(), author.begin(), author.end());
    return crypto::Blake2b256(in);
  };
  const bool x_wins = rank("alice") < rank("bob");
  const std::string loser = x_wins ? "bob" : "alice";

  auto c1 = carol_->Apply("alice", *x);
  auto c2 = carol_->Apply("bob", *y);
  ASSERT_TRUE(c1.has_value() && c2.has_value());
  EXPECT_EQ(c2->kind, x_wins ? Outcome::kLostTieBreak : Outcome::kReplaced);
  EXPECT_EQ(c2->displaced_author, loser);

  auto d1 = carol_other_order.Apply("bob", *y);
  auto d2 = carol_other_order.Apply("alice", *x);
  ASSERT_TRUE(d1.has_value() && d2.has_value());
  EXPECT_EQ(d2->displaced_author, loser);

  auto a = alice_->Apply("bob", *y);
  auto b = bob_->Apply("alice", *x);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->displaced_author, loser);
  EXPECT_EQ(b->displaced_author, loser);

  EXPECT_EQ(carol_->current(), carol_other_order.current());
  EXPECT_EQ(carol_->current(), alice_->current());
  EXPECT_EQ(carol_->current(), bob_->current());
  EXPECT_EQ(carol_->current().epoch, 3u);
  EXPECT_EQ(carol_->current().name, x_wins ? "Alice's name" : "Book club");
  EXPECT_EQ(carol_->IsMember("dave"), !x_wins);

  // The loser re-issues on top, and everyone follows.
  GroupState& author = x_wins ? *bob_ : *alice_;
  auto again = x_wins ? author.Issue(Kind::kAdd, {"dave"})
                      : author.Issue(Kind::kRename, {}, "Alice's name");
  ASSERT_TRUE(again.has_value()) << again.error().message();
  for (GroupState* s : {&*carol_, &carol_other_order, x_wins ? &*alice_ : &*bob_}) {
    auto r = s->Apply(loser, *again);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(r->kind, Outcome::kApplied);
    EXPECT_EQ(s->current(), author.current());
  }
  EXPECT_TRUE(carol_->IsMember("dave"));
  EXPECT_EQ(carol_->current().name, "Alice's name");
}

// Two members leave at once: two changes (each names its author), and
// both stand at once, whatever the order, at every member.
TEST_F(GroupStateTest, TwoConcurrentLeavesAreTwoChanges) {
  auto add = alice_->Issue(Kind::kAdd, {"dave"});
  ASSERT_TRUE(add.has_value());
  ASSERT_TRUE(bob_->Apply("alice", *add).has_value());
  ASSERT_TRUE(carol_->Apply("alice", *add).has_value());
  auto bob_leaves = bob_->Issue(Kind::kLeave, {});
  auto carol_leaves = carol_->Issue(Kind::kLeave, {});
  ASSERT_TRUE(bob_leaves.has_value() && carol_leaves.has_value());
  EXPECT_NE(*bob_leaves, *carol_leaves);
  GroupState alice_other_order = *alice_;
  auto a1 = alice_->Apply("bob", *bob_leaves);
  auto a2 = alice_->Apply("carol", *carol_leaves);
  auto b1 = alice_other_order.Apply("carol", *carol_leaves);
  auto b2 = alice_other_order.Apply("bob", *bob_leaves);
  ASSERT_TRUE(a1.has_value() && a2.has_value() && b1.has_value() && b2.has_value());
  EXPECT_EQ(alice_->current(), alice_other_order.current());
  // Leaves never conflict: both stand, in both orders.
  EXPECT_FALSE(alice_->IsMember("bob"));
  EXPECT_FALSE(alice_->IsMember("carol"));
  EXPECT_TRUE(alice_->IsMember("dave"));
}

// An admin cannot undo its own removal by racing it with another change:
// a change that removes the other change's author wins, in both orders.
TEST_F(GroupStateTest, ARemovedAdminCannotRaceItsRemoval) {
  auto admin = alice_->Issue(Kind::kMakeAdmin, {"bob"});
  ASSERT_TRUE(admin.has_value());
  ASSERT_TRUE(bob_->Apply("alice", *admin).has_value());
  ASSERT_TRUE(carol_->Apply("alice", *admin).has_value());
  GroupState carol_other_order = *carol_;
  auto removal = alice_->Issue(Kind::kRemove, {"bob"});
  ASSERT_TRUE(removal.has_value());
  // bob tries renames until one has a smaller digest than the removal.
  Bytes veto;
  for (int i = 0; i < 64 && veto.empty(); ++i) {
    GroupState try_bob = *bob_;
    auto r = try_bob.Issue(Kind::kRename, {}, "mine " + std::to_string(i));
    ASSERT_TRUE(r.has_value());
    if (protocol::DigestGroupChange(*r) < protocol::DigestGroupChange(*removal)) veto = *r;
  }
  ASSERT_FALSE(veto.empty());
  auto c1 = carol_->Apply("alice", *removal);
  auto c2 = carol_->Apply("bob", veto);
  ASSERT_TRUE(c1.has_value() && c2.has_value());
  EXPECT_EQ(c2->kind, ChangeOutcome::Kind::kLostTieBreak);
  auto d1 = carol_other_order.Apply("bob", veto);
  auto d2 = carol_other_order.Apply("alice", *removal);
  ASSERT_TRUE(d1.has_value() && d2.has_value());
  EXPECT_EQ(d2->kind, ChangeOutcome::Kind::kReplaced);
  EXPECT_EQ(d2->displaced_author, "bob");
  EXPECT_EQ(carol_->current(), carol_other_order.current());
  EXPECT_FALSE(carol_->IsMember("bob"));
  // A change naming another author than the member it came from.
  auto by_alice = alice_->Issue(Kind::kRename, {}, "x");
  EXPECT_EQ(carol_->Apply("bob", *by_alice).error().code(), Errc::kInvalidState);
}

// A removed admin answers its removal with a late removal of the admin who
// removed it (trying as many variants as it likes): both authors leave, at
// every member, in both orders, and nobody else. It can never undo its own
// removal, nor take others with it.
TEST_F(GroupStateTest, AMutualRemovalRemovesBoth) {
  auto admin = alice_->Issue(Kind::kMakeAdmin, {"bob"});
  ASSERT_TRUE(admin.has_value());
  ASSERT_TRUE(bob_->Apply("alice", *admin).has_value());
  ASSERT_TRUE(carol_->Apply("alice", *admin).has_value());
  GroupState carol_other_order = *carol_;
  GroupState bob_before = *bob_;
  auto removal = alice_->Issue(Kind::kRemove, {"bob"});
  ASSERT_TRUE(removal.has_value());
  for (const std::vector<std::string>& also : {std::vector<std::string>{"alice"},
                                               std::vector<std::string>{"alice", "carol"}}) {
    GroupState carol = *carol_;
    GroupState other = carol_other_order;
    GroupState bob = bob_before;
    auto counter = bob.Issue(Kind::kRemove, also);
    ASSERT_TRUE(counter.has_value());
    ASSERT_TRUE(carol.Apply("alice", *removal).has_value());
    ASSERT_TRUE(carol.Apply("bob", *counter).has_value());
    ASSERT_TRUE(other.Apply("bob", *counter).has_value());
    ASSERT_TRUE(other.Apply("alice", *removal).has_value());
    EXPECT_EQ(carol.current(), other.current());
    EXPECT_FALSE(carol.IsMember("bob")) << "bob's removal stands";
    EXPECT_FALSE(carol.IsMember("alice")) << "and so does alice's";
    EXPECT_TRUE(carol.IsMember("carol")) << "only the two authors leave, whatever bob named";
    // The next change builds on the merged epoch at every member.
    GroupState alice_view = *alice_;
    ASSERT_TRUE(alice_view.Apply("bob", *counter).has_value());
    EXPECT_EQ(alice_view.current(), carol.current());
  }
}

}  // namespace
}  // namespace candor::group

namespace candor::group {
namespace {

using Kind = protocol::GroupChangeKind;

// Three concurrent changes for one epoch, in every arrival order, at an
// observer: the same outcome each time (found in review: pairwise decisions
// depended on the order). The scenarios are the review's, and the
// mutual-removal ones: a removed admin never takes the group down with it,
// and a group is never left without an admin.
class ConcurrentChangesTest : public ::testing::Test {
 protected:
  ConcurrentChangesTest() {
    rng_.Fill(id_);
    auto created = GroupState::Create("alice", id_, "Club", {}, {"bob", "carol", "dave", "erin"});
    EXPECT_TRUE(created.has_value());
    GroupState alice = created->first;
    auto admins = alice.Issue(Kind::kMakeAdmin, {"bob", "carol", "dave"});
    EXPECT_TRUE(admins.has_value());
    for (const char* who : {"alice", "bob", "carol", "dave", "erin"}) {
      auto s = std::string(who) == "alice" ? std::optional<GroupState>(alice)
                                           : std::optional<GroupState>(*GroupState::Join(who, "alice", created->second));
      if (std::string(who) != "alice") {
        EXPECT_TRUE(s->Apply("alice", *admins).has_value());
      }
      states_.emplace(who, *s);
    }
  }
  // `author` issues its change on its own copy of the epoch.
  std::pair<std::string, Bytes> Change(const std::string& author, Kind kind,
                                       std::vector<std::string> accounts, std::string name = {}) {
    GroupState copy = states_.at(author);
    auto c = copy.Issue(kind, std::move(accounts), name);
    EXPECT_TRUE(c.has_value()) << c.error().message();
    return {author, *c};
  }
  void ExpectConvergence(std::vector<std::pair<std::string, Bytes>> changes) {
    std::sort(changes.begin(), changes.end());
    std::optional<GroupSnapshot> first;
    do {
      GroupState erin = states_.at("erin");
      for (const auto& [author, bytes] : changes) {
        auto r = erin.Apply(author, bytes);
        ASSERT_TRUE(r.has_value()) << r.error().message();
      }
      if (!first) first = erin.current();
      EXPECT_EQ(erin.current(), *first) << "the outcome depends on the arrival order";
      // Kept across a restart: the store keeps the set.
      auto restored = GroupState::Restore(erin.self(), erin.current(), erin.prior(),
                                          std::nullopt, erin.candidates());
      EXPECT_TRUE(restored.has_value()) << restored.error().message();
    } while (std::next_permutation(changes.begin(), changes.end()));
    last_ = *first;
  }
  bool Member(const std::string& who) const {
    return std::any_of(last_.members.begin(), last_.members.end(),
                       [&](const GroupMember& m) { return m.account == who; });
  }

  crypto::InsecureDeterministicRandom rng_{98};
  crypto::GroupId id_{};
  std::map<std::string, GroupState> states_;
  GroupSnapshot last_;
};

TEST_F(ConcurrentChangesTest, ARemovalARenameAndTheRemovedAuthorsRename) {
  ExpectConvergence({Change("bob", Kind::kRename, {}, "by bob"),
                     Change("alice", Kind::kRemove, {"dave"}),
                     Change("dave", Kind::kRename, {}, "by dave")});
  EXPECT_NE(last_.name, "by dave") << "dave was removed by a concurrent change";
}

TEST_F(ConcurrentChangesTest, AMutualRemovalAndAThirdChange) {
  // The two removals drop each other out; carol's rename is the one change
  // left standing (alice and bob are told they were displaced, and make
  // their removals again on top).
  ExpectConvergence({Change("alice", Kind::kRemove, {"bob"}),
                     Change("bob", Kind::kRemove, {"alice"}),
                     Change("carol", Kind::kRename, {}, "by carol")});
  EXPECT_EQ(last_.name, "by carol");
}

TEST_F(ConcurrentChangesTest, ARemovedAdminCannotTakeTheGroupDownWithIt) {
  ExpectConvergence({Change("alice", Kind::kRemove, {"bob"}),
                     Change("bob", Kind::kRemove, {"alice", "carol", "dave", "erin"})});
  EXPECT_FALSE(Member("alice"));
  EXPECT_FALSE(Member("bob"));
  EXPECT_TRUE(Member("carol") && Member("dave") && Member("erin"))
      << "only the two authors leave";
}

TEST_F(ConcurrentChangesTest, AMergeNeverLeavesTheGroupWithoutAnAdmin) {
  // Only alice and bob are admins here.
  auto created = GroupState::Create("alice", id_, "Two", {}, {"bob", "carol", "dave"});
  ASSERT_TRUE(created.has_value());
  GroupState alice = created->first;
  auto admin = alice.Issue(Kind::kMakeAdmin, {"bob"});
  GroupState bob = *GroupState::Join("bob", "alice", created->second);
  GroupState carol = *GroupState::Join("carol", "alice", created->second);
  ASSERT_TRUE(bob.Apply("alice", *admin).has_value() && carol.Apply("alice", *admin).has_value());
  auto x = alice.Issue(Kind::kRemove, {"bob"});
  auto y = bob.Issue(Kind::kRemove, {"alice"});
  ASSERT_TRUE(x.has_value() && y.has_value());
  ASSERT_TRUE(carol.Apply("alice", *x).has_value());
  ASSERT_TRUE(carol.Apply("bob", *y).has_value());
  EXPECT_EQ(carol.current().members.size(), 2u);
  EXPECT_TRUE(carol.IsAdmin("carol")) << "the first remaining member becomes admin";
  auto next = carol.Issue(Kind::kRename, {}, "carol's now");
  EXPECT_TRUE(next.has_value()) << "the group goes on";
}

}  // namespace
}  // namespace candor::group

namespace candor::group {
namespace {

using Kind = protocol::GroupChangeKind;

// A leave never loses a tie (found in review: a member whose leave lost
// stayed listed everywhere while its own device had left), and two leaves
// at once both stand.
TEST(LeavesAlwaysStand, AgainstARenameAndAnotherLeave) {
  crypto::InsecureDeterministicRandom rng{99};
  crypto::GroupId id{};
  rng.Fill(id);
  auto created = GroupState::Create("alice", id, "Club", {}, {"bob", "carol", "dave"});
  ASSERT_TRUE(created.has_value());
  GroupState alice = created->first;
  GroupState bob = *GroupState::Join("bob", "alice", created->second);
  GroupState carol = *GroupState::Join("carol", "alice", created->second);
  GroupState dave = *GroupState::Join("dave", "alice", created->second);
  GroupState erin_view = bob;  // an observer's copy, applying in another order
  auto rename = GroupState(alice).Issue(Kind::kRename, {}, "by alice");
  auto carol_leaves = GroupState(carol).Issue(Kind::kLeave, {});
  auto dave_leaves = GroupState(dave).Issue(Kind::kLeave, {});
  ASSERT_TRUE(rename.has_value() && carol_leaves.has_value() && dave_leaves.has_value());
  ASSERT_TRUE(bob.Apply("alice", *rename).has_value());
  ASSERT_TRUE(bob.Apply("carol", *carol_leaves).has_value());
  ASSERT_TRUE(bob.Apply("dave", *dave_leaves).has_value());
  ASSERT_TRUE(erin_view.Apply("dave", *dave_leaves).has_value());
  ASSERT_TRUE(erin_view.Apply("carol", *carol_leaves).has_value());
  ASSERT_TRUE(erin_view.Apply("alice", *rename).has_value());
  EXPECT_EQ(bob.current(), erin_view.current());
  EXPECT_FALSE(bob.IsMember("carol"));
  EXPECT_FALSE(bob.IsMember("dave"));
  EXPECT_TRUE(bob.IsMember("alice"));
}

}  // namespace
}  // namespace candor::group
