// Known-answer vectors for group membership (DESIGN.md "Groups"; the
// deviations in docs/groups.md): alice's creation of a group, her add of
// dave on top, the welcome dave gets, the membership digest of the epoch it
// makes, and the tie-break ranks of two authors for the next epoch. Made
// with InsecureDeterministicRandom
// (2032), checked against the frozen tests/vectors/group_membership_v1.json,
// which tests/vectors/verify_group_membership_vectors.py recomputes from the
// documented formulas alone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/group/group_state.h"
#include "candor/protocol/group_wire.h"

namespace candor::group {
namespace {

using Vectors = std::vector<std::pair<std::string, std::string>>;

Vectors Generate() {
  crypto::InsecureDeterministicRandom rng(2032);
  crypto::GroupId id{};
  rng.Fill(id);
  Vectors v;
  auto created = GroupState::Create("alice", id, "Book club", Bytes{1, 2, 3}, {"carol", "bob"});
  EXPECT_TRUE(created.has_value());
  GroupState& alice = created->first;
  v.emplace_back("group_id", ToHex(id));
  v.emplace_back("create", ToHex(created->second));
  v.emplace_back("create_digest", ToHex(protocol::DigestGroupChange(created->second)));
  auto add = alice.Issue(protocol::GroupChangeKind::kAdd, {"dave"});
  EXPECT_TRUE(add.has_value());
  v.emplace_back("add", ToHex(*add));
  v.emplace_back("add_digest", ToHex(protocol::DigestGroupChange(*add)));
  auto welcome = alice.Welcome(*add);
  EXPECT_TRUE(welcome.has_value());
  v.emplace_back("welcome", ToHex(*welcome));
  v.emplace_back("membership_digest", ToHex(MembershipDigest(alice.current())));
  // Dave's view from the welcome is the same view.
  auto dave = GroupState::FromWelcome("dave", "alice", *welcome);
  EXPECT_TRUE(dave.has_value());
  EXPECT_EQ(MembershipDigest(dave->current()), MembershipDigest(alice.current()));
  EXPECT_FALSE(dave->confirmed());
  const auto previous = protocol::DigestGroupChange(*add);
  for (const char* author : {"alice", "bob"}) {
    Bytes in(previous.begin(), previous.end());
    in.insert(in.end(), author, author + std::strlen(author));
    v.emplace_back(std::string("rank_") + author, ToHex(crypto::Blake2b256(in)));
  }
  return v;
}

std::string Json(const Vectors& v) {
  std::string out = "{\n";
  for (size_t i = 0; i < v.size(); ++i) {
    out += "  \"" + v[i].first + "\": \"" + v[i].second + "\"" + (i + 1 < v.size() ? ",\n" : "\n");
  }
  return out + "}\n";
}

TEST(GroupVectors, MatchTheFrozenFile) {
  // CANDOR_WRITE_VECTORS=1 writes the file instead (then check it with the
  // Python script before committing it).
  if (std::getenv("CANDOR_WRITE_VECTORS") != nullptr) {
    std::ofstream(CANDOR_GROUP_MEMBERSHIP_VECTORS) << Json(Generate());
  }
  std::ifstream in(CANDOR_GROUP_MEMBERSHIP_VECTORS);
  std::stringstream frozen;
  frozen << in.rdbuf();
  EXPECT_EQ(frozen.str(), Json(Generate()))
      << "the membership encodings changed: if on purpose, regenerate "
      << CANDOR_GROUP_MEMBERSHIP_VECTORS << " and check it with the Python script";
}

// The rank that breaks ties is the one the vectors freeze: alice's add
// and a concurrent rename by bob, applied in both orders.
TEST(GroupVectors, TheFrozenRankDecidesATie) {
  crypto::InsecureDeterministicRandom rng(2033);
  crypto::GroupId id{};
  rng.Fill(id);
  auto created = GroupState::Create("alice", id, "n", {}, {"bob", "carol"});
  ASSERT_TRUE(created.has_value());
  GroupState alice = created->first;
  auto admin = alice.Issue(protocol::GroupChangeKind::kMakeAdmin, {"bob"});
  auto bob = GroupState::Join("bob", "alice", created->second);
  ASSERT_TRUE(admin.has_value() && bob.has_value());
  ASSERT_TRUE(bob->Apply("alice", *admin).has_value());
  auto x = alice.Issue(protocol::GroupChangeKind::kRename, {}, "by alice");
  auto y = bob->Issue(protocol::GroupChangeKind::kRename, {}, "by bob");
  ASSERT_TRUE(x.has_value() && y.has_value());
  const auto previous = protocol::DigestGroupChange(*admin);
  auto rank = [&](std::string_view author) {
    Bytes in(previous.begin(), previous.end());
    in.insert(in.end(), author.begin(), author.end());
    return crypto::Blake2b256(in);
  };
  ASSERT_TRUE(alice.Apply("bob", *y).has_value());
  ASSERT_TRUE(bob->Apply("alice", *x).has_value());
  EXPECT_EQ(alice.current(), bob->current());
  EXPECT_EQ(alice.current().name, rank("alice") < rank("bob") ? "by alice" : "by bob");
}

}  // namespace
}  // namespace candor::group
