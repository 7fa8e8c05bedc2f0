// Groups through candor::Client over real SQLCipher stores and the reference
// relay: create, talk, remove (the removed member provably reads nothing
// sent after), add (the added member reads nothing sent before), leave,
// rename, duplicates, state across reopening, and what leaves for the relay.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "candor/client/client.h"
#include "candor/crypto/limits.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/session.h"
#include "candor/report/report.h"
#include "candor/report/verifier.h"
#include "candor/protocol/wire.h"
#include "support/client_world.h"

namespace candor {
namespace {

using client::Client;
using client::GroupOperation;
using protocol::ReceivedMessage;

constexpr std::string_view kGroupName = "Zyxwv Orchard Society";

bool Contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

class GroupClientTest : public testing::ClientWorld {
 protected:
  // Everything `op` hands out, through the relay, received by its
  // recipients in order; returns what each recipient's receive said.
  std::vector<std::pair<std::string, Result<ReceivedMessage>>> Deliver(Client& from,
                                                                       const GroupOperation& op) {
    std::vector<std::pair<std::string, Result<ReceivedMessage>>> out;
    for (const client::OutgoingItem& item : op.envelopes) {
      wire_.push_back(item.bytes);
      clock_.Advance(1);
      auto r = protocol::RelayEnvelope(relay_key_, item.bytes, clock_.NowSeconds());
      EXPECT_TRUE(r.has_value()) << r.error().message();
      const std::string& to = r->envelope.recipient;
      out.emplace_back(to, devices_.at(to)->Receive(r->delivery));
    }
    if (op.group_envelope) {
      wire_.push_back(op.group_envelope->bytes);
      clock_.Advance(1);
      auto r = protocol::RelayGroupEnvelope(relay_key_, op.group_envelope->bytes,
                                            clock_.NowSeconds());
      EXPECT_TRUE(r.has_value()) << r.error().message();
      last_group_deliveries_ = r->deliveries;
      for (const auto& [to, delivery] : r->deliveries) {
        wire_.push_back(delivery);
        out.emplace_back(to, devices_.at(to)->Receive(delivery));
      }
      EXPECT_TRUE(from.HandleAck(r->ack).has_value()) << "the sender's copy gets its tag";
    }
    return out;
  }
  // Deliver, expecting every receive to succeed.
  void DeliverOk(Client& from, const Result<GroupOperation>& op) {
    ASSERT_TRUE(op.has_value()) << op.error().message();
    for (const auto& [to, r] : Deliver(from, *op)) {
      ASSERT_TRUE(r.has_value()) << to << ": " << r.error().message();
    }
  }
  // The group message `text` as each member received it.
  std::map<std::string, std::string> SendAndRead(Client& from, const crypto::GroupId& g,
                                                 const std::string& text) {
    auto op = from.SendGroup(g, text, Bundles());
    EXPECT_TRUE(op.has_value()) << op.error().message();
    std::map<std::string, std::string> read;
    if (!op.has_value()) return read;
    for (auto& [to, r] : Deliver(from, *op)) {
      EXPECT_TRUE(r.has_value()) << to << ": " << r.error().message();
      if (r.has_value() && r->group_event.empty()) {
        EXPECT_EQ(r->group, g);
        read[to] = r->text;
      }
    }
    return read;
  }
  std::vector<std::string> Texts(Client& c, const crypto::GroupId& g) {
    auto h = c.GroupHistory(g, 100);
    EXPECT_TRUE(h.has_value()) << h.error().message();
    std::vector<std::string> out;
    for (const auto& e : *h) out.push_back(e.text);
    return out;
  }
  void Join(Client& c) { devices_[c.account()] = &c; }
  // A fresh bundle of every device, as a directory hands out: each one-time
  // prekey opens one session only.
  client::Bundles Bundles() {
    client::Bundles out;
    for (auto& [account, c] : devices_) {
      auto b = c->PublishBundle();
      EXPECT_TRUE(b.has_value());
      if (b.has_value()) out[account] = b->bytes;
    }
    return out;
  }
  crypto::GroupId Create(Client& creator, std::vector<std::string> members) {
    auto op = creator.CreateGroup(kGroupName, {}, std::move(members), Bundles());
    EXPECT_TRUE(op.has_value()) << op.error().message();
    if (!op.has_value()) return {};
    for (auto& [to, r] : Deliver(creator, *op)) {
      EXPECT_TRUE(r.has_value()) << to << ": " << r.error().message();
      if (r.has_value()) {
        EXPECT_EQ(r->group_event, "joined");
      }
    }
    return op->group;
  }

  std::map<std::string, Client*> devices_;
  std::vector<Bytes> wire_;  // every byte handed to or made by the relay
  std::vector<std::pair<std::string, Bytes>> last_group_deliveries_;
};

TEST_F(GroupClientTest, CreateTalkRemoveAndTheRemovedReadsNothing) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3);
  Join(alice), Join(bob), Join(carol);
  const crypto::GroupId g = Create(alice, {"carol", "bob"});
  for (Client* c : {&alice, &bob, &carol}) {
    auto info = c->Group(g);
    ASSERT_TRUE(info.has_value()) << info.error().message();
    EXPECT_EQ(info->name, kGroupName);
    EXPECT_EQ(info->epoch, 1u);
    ASSERT_EQ(info->members.size(), 3u);
    EXPECT_TRUE(info->members[0].admin) << "alice created it";
    EXPECT_TRUE(info->active);
  }
  EXPECT_EQ(SendAndRead(alice, g, "hello group"),
            (std::map<std::string, std::string>{{"bob", "hello group"}, {"carol", "hello group"}}));
  // bob has no session with carol: his key reaches her over a new one.
  EXPECT_EQ(SendAndRead(bob, g, "hi all"),
            (std::map<std::string, std::string>{{"alice", "hi all"}, {"carol", "hi all"}}));
  EXPECT_EQ(Texts(carol, g), (std::vector<std::string>{"hello group", "hi all"}));
  EXPECT_EQ(Texts(alice, g), (std::vector<std::string>{"hello group", "hi all"}));
  // Control messages are no history of the pairwise conversations.
  auto pairwise = bob.History("alice", 10);
  ASSERT_TRUE(pairwise.has_value());
  EXPECT_TRUE(pairwise->empty());

  // A duplicate delivery changes nothing.
  ASSERT_FALSE(last_group_deliveries_.empty());
  const auto& [to, again] = last_group_deliveries_[0];
  EXPECT_EQ(devices_.at(to)->Receive(again).error().code(), Errc::kDuplicateMessage);

  // carol is removed: she is told, and is out.
  auto removal = alice.RemoveGroupMembers(g, {"carol"});
  ASSERT_TRUE(removal.has_value()) << removal.error().message();
  std::map<std::string, std::string> events;
  for (auto& [who, r] : Deliver(alice, *removal)) {
    ASSERT_TRUE(r.has_value()) << who << ": " << r.error().message();
    events[who] = r->group_event;
  }
  EXPECT_EQ(events, (std::map<std::string, std::string>{{"bob", "changed"}, {"carol", "removed"}}));
  EXPECT_FALSE(carol.Group(g)->active);
  EXPECT_EQ(carol.SendGroup(g, "still here?").error().code(), Errc::kInvalidState);

  // The next message goes to bob only, under a new key; a relay that also
  // hands it to carol gets nothing read.
  auto next = alice.SendGroup(g, "carol is gone");
  ASSERT_TRUE(next.has_value()) << next.error().message();
  ASSERT_EQ(next->envelopes.size(), 1u) << "the new key goes to bob only";
  auto env = protocol::DecodeGroupEnvelope(next->group_envelope->bytes);
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->recipients, std::vector<std::string>{"bob"});
  std::map<std::string, std::string> read;
  for (auto& [who, r] : Deliver(alice, *next)) {
    ASSERT_TRUE(r.has_value()) << who << ": " << r.error().message();
    if (r->group_event.empty()) read[who] = r->text;
  }
  EXPECT_EQ(read, (std::map<std::string, std::string>{{"bob", "carol is gone"}}));
  env->recipients.push_back("carol");
  auto widened = protocol::EncodeGroupEnvelope(*env);
  ASSERT_TRUE(widened.has_value());
  auto relayed = protocol::RelayGroupEnvelope(relay_key_, *widened, clock_.NowSeconds() + 1);
  ASSERT_TRUE(relayed.has_value());
  for (const auto& [who, delivery] : relayed->deliveries) {
    if (who != "carol") continue;
    auto r = carol.Receive(delivery);
    ASSERT_FALSE(r.has_value()) << "a removed member read a message sent after its removal";
  }
  EXPECT_EQ(Texts(carol, g), (std::vector<std::string>{"hello group", "hi all"}));
}

TEST_F(GroupClientTest, AnAddedMemberReadsOnlyWhatFollowsAndStateSurvivesReopening) {
  Client alice = Make("alice", 1), dave = Make("dave", 4);
  std::optional<Client> bob_handle(Make("bob", 2));
  Client& bob = *bob_handle;
  Join(alice), Join(bob), Join(dave);
  const crypto::GroupId g = Create(alice, {"bob"});
  EXPECT_EQ(SendAndRead(alice, g, "before dave").size(), 1u);
  EXPECT_EQ(SendAndRead(bob, g, "bob before dave").size(), 1u);
  auto add = alice.AddGroupMembers(g, {"dave"}, Bundles());
  ASSERT_TRUE(add.has_value()) << add.error().message();
  std::map<std::string, std::string> events;
  for (auto& [who, r] : Deliver(alice, *add)) {
    ASSERT_TRUE(r.has_value()) << who << ": " << r.error().message();
    events[who] = r->group_event;
  }
  EXPECT_EQ(events, (std::map<std::string, std::string>{{"bob", "changed"}, {"dave", "joined"}}));
  auto info = dave.Group(g);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->epoch, 2u);
  EXPECT_EQ(info->name, kGroupName);
  EXPECT_EQ(info->members.size(), 3u);

  // Each member's key reaches dave before its next message, as it is now.
  EXPECT_EQ(SendAndRead(alice, g, "welcome dave"),
            (std::map<std::string, std::string>{{"bob", "welcome dave"}, {"dave", "welcome dave"}}));
  EXPECT_EQ(SendAndRead(bob, g, "hi dave"),
            (std::map<std::string, std::string>{{"alice", "hi dave"}, {"dave", "hi dave"}}));
  EXPECT_EQ(SendAndRead(dave, g, "thanks"),
            (std::map<std::string, std::string>{{"alice", "thanks"}, {"bob", "thanks"}}));
  EXPECT_EQ(Texts(dave, g), (std::vector<std::string>{"welcome dave", "hi dave", "thanks"}));

  // Reopened, bob goes on where he was.
  devices_.erase("bob");
  bob_handle.reset();
  auto reopened = Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message();
  devices_["bob"] = &*reopened;
  EXPECT_EQ(SendAndRead(alice, g, "after reopening")["bob"], "after reopening");
  EXPECT_EQ(SendAndRead(*reopened, g, "bob reopened").size(), 2u);
  auto groups = reopened->Groups();
  ASSERT_TRUE(groups.has_value());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].epoch, 2u);
}

TEST_F(GroupClientTest, RenameLeaveAndRulesRefusedWithNothingChanged) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3);
  Join(alice), Join(bob), Join(carol);
  const crypto::GroupId g = Create(alice, {"bob", "carol"});
  // Not an admin: refused, nothing stored, nothing handed out.
  EXPECT_EQ(bob.RenameGroup(g, "mine now").error().code(), Errc::kInvalidState);
  EXPECT_EQ(bob.Group(g)->epoch, 1u);
  EXPECT_EQ(alice.RenameGroup(g, "").error().code(), Errc::kFieldOutOfRange);
  EXPECT_EQ(alice.Group(g)->epoch, 1u);
  crypto::GroupId unknown{};
  EXPECT_EQ(alice.SendGroup(unknown, "x").error().code(), Errc::kNotFound);
  EXPECT_EQ(alice.SendGroup(g, "").error().code(), Errc::kInvalidArgument);
  // The last admin cannot leave while others stay.
  EXPECT_EQ(alice.LeaveGroup(g).error().code(), Errc::kInvalidState);

  DeliverOk(alice, alice.RenameGroup(g, "Renamed"));
  EXPECT_EQ(bob.Group(g)->name, "Renamed");
  DeliverOk(alice, alice.MakeGroupAdmins(g, {"bob"}));
  auto info = carol.Group(g);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->members[1].admin) << "bob is an admin at carol's too";
  EXPECT_EQ(SendAndRead(carol, g, "carol speaks").size(), 2u);
  DeliverOk(alice, alice.LeaveGroup(g));
  EXPECT_FALSE(alice.Group(g)->active);
  EXPECT_EQ(bob.Group(g)->members.size(), 2u);
  // After alice left, carol's next key goes to bob only.
  auto op = carol.SendGroup(g, "just us");
  ASSERT_TRUE(op.has_value()) << op.error().message();
  EXPECT_EQ(op->envelopes.size(), 1u);
  EXPECT_EQ(protocol::DecodeGroupEnvelope(op->group_envelope->bytes)->recipients,
            std::vector<std::string>{"bob"});
}

// The test: group messages under a distinctive name; neither the
// name nor the group id (nor 8 bytes of it) is in any byte that left for the
// relay or came from it.
TEST_F(GroupClientTest, NeitherNameNorGroupIdReachesTheRelay) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3);
  Join(alice), Join(bob), Join(carol);
  const crypto::GroupId g = Create(alice, {"bob", "carol"});
  SendAndRead(alice, g, std::string("talking about ") + std::string(kGroupName));
  SendAndRead(bob, g, "reply");
  DeliverOk(alice, alice.RenameGroup(g, "Qwerty Umbrella Club"));
  DeliverOk(alice, alice.RemoveGroupMembers(g, {"carol"}));
  SendAndRead(alice, g, "after");
  ASSERT_GT(wire_.size(), 10u);
  const std::string_view name = kGroupName;
  for (const Bytes& bytes : wire_) {
    EXPECT_FALSE(Contains(bytes, ByteView(reinterpret_cast<const uint8_t*>(name.data()), name.size())));
    EXPECT_FALSE(Contains(bytes, AsBytes(std::string_view("Qwerty"))));
    for (size_t i = 0; i + 8 <= g.size(); ++i) {
      ASSERT_FALSE(Contains(bytes, ByteView(g.data() + i, 8))) << "group id bytes at " << i;
    }
  }
}

// An admin without a session with a member gives its bundle; a departing
// member it cannot reach is skipped; a bundle with a new identity key
// leaves a pending change the user can act on; search names the group.
TEST_F(GroupClientTest, BundlesForAnyChangeUnreachableDepartedSkippedPendingKept) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3);
  Join(alice), Join(bob), Join(carol);
  const crypto::GroupId g = Create(alice, {"bob", "carol"});
  DeliverOk(alice, alice.MakeGroupAdmins(g, {"carol"}));
  // carol has no session with bob.
  EXPECT_EQ(carol.RenameGroup(g, "by carol").error().code(), Errc::kInvalidState);
  EXPECT_EQ(carol.Group(g)->epoch, 2u) << "nothing changed";
  DeliverOk(carol, carol.RenameGroup(g, "by carol", Bundles()));
  EXPECT_EQ(bob.Group(g)->name, "by carol");
  DeliverOk(carol, carol.RemoveGroupMembers(g, {"bob"}));
  EXPECT_FALSE(bob.Group(g)->active);

  // Search finds group messages and names the group, not an internal key.
  SendAndRead(alice, g, "zebra crossing at noon");
  auto hits = carol.Search("zebra", std::nullopt, 10);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].group, g);
  EXPECT_TRUE((*hits)[0].peer.empty());

  // carol reinstalls: alice is given the new device's bundle.
  std::optional<Client> reinstalled(
      *client::Client::Create(tmp_.File("carol-new.db"), Key(7), "carol", rng_, clock_));
  auto bundle = reinstalled->PublishBundle();
  ASSERT_TRUE(bundle.has_value());
  auto op = alice.RenameGroup(g, "after carol's reinstall", {{"carol", bundle->bytes}});
  ASSERT_FALSE(op.has_value());
  EXPECT_EQ(op.error().code(), Errc::kIdentityChanged);
  auto pending = alice.PendingIdentityChange("carol");
  ASSERT_TRUE(pending.has_value());
  EXPECT_TRUE(pending->has_value()) << "the pending change is kept for the user to decide";
  EXPECT_EQ(alice.Group(g)->name, "by carol") << "the rename was not made";
}

// A device that is not the group's admin (here an outsider, eve, with
// pairwise sessions only) sends welcomes of its own making.
class ForgedWelcomeTest : public GroupClientTest {
 protected:
  // eve's welcome into group `g` as she makes it up: her own add of
  // `added`, herself an admin, the members she likes.
  Bytes Forge(const crypto::GroupId& g, const std::string& added,
              std::vector<protocol::GroupWelcomeMember> members) {
    protocol::GroupChangeDigest previous{};
    previous[0] = 1;  // any: dave cannot check the chain before he joined
    const protocol::GroupChange add{g, "eve", 2, previous, protocol::GroupChangeKind::kAdd, "", {}, {added}};
    auto add_bytes = protocol::EncodeGroupChange(add);
    EXPECT_TRUE(add_bytes.has_value()) << add_bytes.error().message();
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.account < b.account; });
    auto w = protocol::EncodeGroupWelcome(protocol::GroupWelcome{
        g, "eve", 2, protocol::DigestGroupChange(*add_bytes), "Fake", {}, members, *add_bytes});
    EXPECT_TRUE(w.has_value()) << w.error().message();
    return *w;
  }
  // eve's control message to `to`, over a new pairwise session, relayed.
  Bytes FromEve(Client& to, ByteView control) {
    auto item = to.PublishBundle();
    EXPECT_TRUE(item.has_value());
    auto bundle = protocol::DecodePrekeyBundle(item->bytes);
    EXPECT_TRUE(bundle.has_value());
    auto session = protocol::Session::Initiate(eve_, "eve", *bundle, rng_);
    EXPECT_TRUE(session.has_value());
    auto out = session->EncryptGroupControl(*protocol::CheckedGroupControl::From(control), rng_);
    EXPECT_TRUE(out.has_value());
    clock_.Advance(1);
    auto r = protocol::RelayEnvelope(relay_key_, out->envelope, clock_.NowSeconds());
    EXPECT_TRUE(r.has_value()) << r.error().message();
    return r->delivery;
  }
  crypto::Ed25519KeyPair eve_ = crypto::Ed25519KeyPair::Generate(rng_);
};

TEST_F(ForgedWelcomeTest, ARemovedMemberIsNotWelcomedBackByANonAdmin) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3);
  Join(alice), Join(bob), Join(carol);
  const crypto::GroupId g = Create(alice, {"bob", "carol"});
  DeliverOk(alice, alice.RemoveGroupMembers(g, {"carol"}));
  ASSERT_FALSE(carol.Group(g)->active);
  const Bytes forged = Forge(g, "carol", {{"alice", false}, {"bob", false}, {"carol", false},
                                          {"eve", true}});
  auto r = carol.Receive(FromEve(carol, forged));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kInvalidState) << r.error().message();
  EXPECT_FALSE(carol.Group(g)->active) << "nothing changed";
  EXPECT_EQ(carol.Group(g)->epoch, 2u);
}

TEST_F(ForgedWelcomeTest, AForgedWelcomeIsNeverConfirmedAndTheAdminsReplacesIt) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), dave = Make("dave", 4);
  Join(alice), Join(bob), Join(dave);
  const crypto::GroupId g = Create(alice, {"bob"});
  SendAndRead(alice, g, "before dave");
  SendAndRead(bob, g, "bob before dave");
  // eve gets her welcome to dave first: dave joins her version, unconfirmed.
  const Bytes forged = Forge(g, "dave", {{"alice", true}, {"bob", false}, {"dave", false},
                                         {"eve", true}});
  auto joined = dave.Receive(FromEve(dave, forged));
  ASSERT_TRUE(joined.has_value()) << joined.error().message();
  EXPECT_EQ(joined->group_event, "joined");
  EXPECT_EQ(dave.SendGroup(g, "to eve?").error().code(), Errc::kInvalidState)
      << "an unconfirmed view sends nothing";
  // The admin's real welcome replaces it; it waits for another member.
  auto add = alice.AddGroupMembers(g, {"dave"}, Bundles());
  ASSERT_TRUE(add.has_value()) << add.error().message();
  for (auto& [who, r] : Deliver(alice, *add)) {
    ASSERT_TRUE(r.has_value()) << who << ": " << r.error().message();
  }
  EXPECT_EQ(dave.Group(g)->members.size(), 3u) << "eve is gone from dave's view";
  EXPECT_EQ(dave.SendGroup(g, "still waiting").error().code(), Errc::kInvalidState);
  EXPECT_EQ(SendAndRead(alice, g, "welcome dave")["dave"], "welcome dave");
  EXPECT_FALSE(dave.SendGroup(g, "the welcomer alone does not confirm").has_value());
  // bob's key carries the same view: confirmed.
  EXPECT_EQ(SendAndRead(bob, g, "hi dave")["dave"], "hi dave");
  auto op = dave.SendGroup(g, "thanks");
  ASSERT_TRUE(op.has_value()) << op.error().message();
  EXPECT_EQ(protocol::DecodeGroupEnvelope(op->group_envelope->bytes)->recipients,
            (std::vector<std::string>{"alice", "bob"}));
}

// A two-member forgery planted before the real add no longer occupies the
// group: the admin's welcome replaces it (found in review: it was final).
TEST_F(ForgedWelcomeTest, ATwoMemberForgeryIsReplacedByTheAdminsWelcome) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), dave = Make("dave", 4);
  Join(alice), Join(bob), Join(dave);
  const crypto::GroupId g = Create(alice, {"bob"});
  auto forged = dave.Receive(FromEve(dave, Forge(g, "dave", {{"dave", false}, {"eve", true}})));
  ASSERT_TRUE(forged.has_value()) << forged.error().message();
  EXPECT_EQ(dave.Group(g)->members.size(), 2u);
  DeliverOk(alice, alice.AddGroupMembers(g, {"dave"}, Bundles()));
  auto info = dave.Group(g);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->members.size(), 3u) << "alice's view replaced eve's";
  EXPECT_EQ(SendAndRead(bob, g, "hi dave")["dave"], "hi dave");
  EXPECT_TRUE(dave.SendGroup(g, "confirmed by bob").has_value());
}

// An admin alone adds two members in one change: nobody else could vouch,
// so both may write at once (found in review: each waited for the other).
TEST_F(GroupClientTest, TwoMembersAddedTogetherByALoneAdminCanWrite) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3),
         dave = Make("dave", 4);
  Join(alice), Join(bob), Join(carol), Join(dave);
  // bob joins and leaves: alice is alone when she adds carol and dave.
  const crypto::GroupId g = Create(alice, {"bob"});
  DeliverOk(bob, bob.LeaveGroup(g));
  ASSERT_EQ(alice.Group(g)->members.size(), 1u);
  DeliverOk(alice, alice.AddGroupMembers(g, {"carol", "dave"}, Bundles()));
  EXPECT_EQ(SendAndRead(carol, g, "from carol").size(), 2u);
  EXPECT_EQ(SendAndRead(dave, g, "from dave").size(), 2u);
}

// A member's key made before the last change reached the new member still
// vouches for its view (found in review: the confirmation was lost).
TEST_F(GroupClientTest, AConfirmationForTheEpochBeforeStillCounts) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), dave = Make("dave", 4);
  Join(alice), Join(bob), Join(dave);
  const crypto::GroupId g = Create(alice, {"bob"});
  SendAndRead(bob, g, "bob's key, before dave");
  DeliverOk(alice, alice.AddGroupMembers(g, {"dave"}, Bundles()));
  // bob's next message carries his key to dave (epoch 2)...
  auto op = bob.SendGroup(g, "hi dave", Bundles());
  ASSERT_TRUE(op.has_value());
  // ...but alice's rename (epoch 3) reaches dave first.
  DeliverOk(alice, alice.RenameGroup(g, "Renamed"));
  for (auto& [who, r] : Deliver(bob, *op)) ASSERT_TRUE(r.has_value()) << who << r.error().message();
  EXPECT_TRUE(dave.SendGroup(g, "I can write").has_value());
}

// Reports from a group: the message and the four before it in that group's
// history (any senders), verified with the group rule; the bundle names the
// group by its id only; a modified client's edits come out forged.
TEST_F(GroupClientTest, AGroupReportVerifiesAndEditsComeOutForged) {
  Client alice = Make("alice", 1), bob = Make("bob", 2), carol = Make("carol", 3);
  Join(alice), Join(bob), Join(carol);
  const crypto::GroupId g = Create(alice, {"bob", "carol"});
  SendAndRead(alice, g, "welcome");
  SendAndRead(bob, g, "hi");
  SendAndRead(carol, g, "meet at nine");
  SendAndRead(alice, g, "ok");
  SendAndRead(bob, g, "fine");
  SendAndRead(carol, g, "send me your password");
  auto history = bob.GroupHistory(g, 10);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 6u);
  const int64_t reported_id = history->back().id;

  EXPECT_EQ(bob.PrepareGroupReport(g, (*history)[4].id, protocol::ReportReason::kSpam)
                .error()
                .code(),
            Errc::kInvalidArgument)
      << "bob's own message names no one to report";
  EXPECT_EQ(bob.PrepareReport("carol", reported_id, protocol::ReportReason::kSpam).error().code(),
            Errc::kNotFound)
      << "a group message is not in the pairwise conversation";

  auto preview = bob.PrepareGroupReport(g, reported_id, protocol::ReportReason::kHarassment);
  ASSERT_TRUE(preview.has_value()) << preview.error().message();
  const protocol::ReportBundle& b = preview->bundle;
  EXPECT_EQ(b.group, g);
  EXPECT_EQ(b.reporter, "bob");
  EXPECT_EQ(b.reported, "carol");
  ASSERT_EQ(b.messages.size(), kReportWindow);
  EXPECT_EQ(b.messages.front().sender, "bob") << "hi, meet at nine, ok, fine, the reported one";
  auto json = protocol::ReportPreviewToJson(*preview, false);
  ASSERT_TRUE(json.has_value()) << json.error().message();
  EXPECT_EQ(json->find(kGroupName), std::string::npos) << "never the group's name";
  auto back = protocol::ReportPreviewFromJson(*json);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->bundle.group, g);

  crypto::X25519KeyPair moderator = crypto::X25519KeyPair::Generate(rng_);
  auto submitted = bob.SubmitReport(*preview, moderator.public_key());
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message();
  const report::Verifier verifier(moderator.Clone(), relay_key_.Clone());
  auto verified = verifier.Verify(submitted->report.bytes);
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified) << verified->why;
  EXPECT_EQ(verified->group, g);
  for (const auto& m : verified->messages) {
    EXPECT_EQ(m.verdict, report::Verdict::kVerified) << m.sender << ": " << m.why;
  }

  // A modified client seals edited bundles itself.
  auto judge = [&](const protocol::ReportBundle& edited) {
    auto sealed = report::SealReport(edited, moderator.public_key());
    EXPECT_TRUE(sealed.has_value()) << sealed.error().message();
    auto v = verifier.Verify(*sealed);
    EXPECT_TRUE(v.has_value());
    return v.has_value() ? v->verdict : report::Verdict::kVerified;
  };
  auto copy = [&] {
    protocol::ReportBundle c{b.reporter, b.reported, b.reason, b.created_at, {}, b.group};
    for (const auto& m : b.messages) c.messages.push_back(protocol::CopyReportedMessage(m));
    return c;
  };
  protocol::ReportBundle words = copy();
  words.messages.back().content = *protocol::EncodeContent("I never wrote this");
  EXPECT_EQ(judge(words), report::Verdict::kForged) << "altered words";
  protocol::ReportBundle blame = copy();
  blame.reported = "alice";
  EXPECT_EQ(judge(blame), report::Verdict::kForged) << "carol's words pinned on alice";
  protocol::ReportBundle sender = copy();
  sender.messages.back().sender = "alice";
  sender.reported = "alice";
  EXPECT_EQ(judge(sender), report::Verdict::kForged) << "a message moved to another sender";
  protocol::ReportBundle other_group = copy();
  (*other_group.group)[0] ^= 1;
  EXPECT_EQ(judge(other_group), report::Verdict::kForged) << "the group id is in the commitment";
  protocol::ReportBundle no_group = copy();
  no_group.group.reset();
  EXPECT_EQ(judge(no_group), report::Verdict::kForged) << "a group message is no one-to-one one";
  protocol::ReportBundle someone_elses = copy();
  someone_elses.messages.back().recipient = "alice";
  EXPECT_EQ(judge(someone_elses), report::Verdict::kForged) << "not bob's copy";
}

}  // namespace
}  // namespace candor
