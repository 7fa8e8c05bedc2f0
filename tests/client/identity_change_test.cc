// A peer who reinstalls (issue 14, item 6): the new identity key is held as
// a pending change, nothing is sent to it or accepted from it until the user
// accepts it (or, for a verified contact, verifies the new safety number),
// the messages it sent meanwhile are kept and received then, and the
// history keeps a marker. Before this, a new key was refused for ever
// (kWrongPeer): the conversation was dead.
#include <gtest/gtest.h>

#include "candor/crypto/fingerprint.h"
#include "support/client_world.h"

namespace candor {
namespace {

using client::Client;
using client::IdentityChange;

class IdentityChangeTest : public testing::ClientWorld {
 protected:
  void SetUp() override {
    client::ClientOptions options;
    options.identity_change_observer = [this](const IdentityChange& c) { seen_.push_back(c); };
    alice_.emplace(Client::Create(tmp_.File("alice.db"), Key(1), "alice", rng_, clock_, options).value());
    bob_.emplace(Make("bob", 2));
    ASSERT_TRUE(bob_->Receive(SendFirst(*alice_, *bob_, "hello bob")).has_value());
    Exchange(*bob_, *alice_, "hello alice");
    old_number_ = *alice_->Fingerprint("bob");
  }
  // bob on a new phone: same account, new identity key, first message to
  // alice from her bundle.
  Client Reinstall(const std::string& file) {
    return Client::Create(tmp_.File(file), Key(7), "bob", rng_, clock_).value();
  }
  std::string HistoryJson() { return client::HistoryToJson(*alice_->History("bob", 50)); }

  std::optional<Client> alice_, bob_;
  std::vector<IdentityChange> seen_;
  std::string old_number_;
};

TEST_F(IdentityChangeTest, AReinstalledPeerIsHeldUntilTheUserAccepts) {
  Client new_bob = Reinstall("bob-new.db");
  const Bytes first = SendFirst(new_bob, *alice_, "it's me, new phone");
  auto r = alice_->Receive(first);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kIdentityChanged);
  const std::string new_number = *new_bob.Fingerprint("alice");
  ASSERT_NE(new_number, old_number_);

  // The embedder's event, and the same from the query.
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].peer, "bob");
  EXPECT_EQ(seen_[0].old_safety_number, old_number_);
  EXPECT_EQ(seen_[0].new_safety_number, new_number);
  EXPECT_FALSE(seen_[0].was_verified);
  auto pending = alice_->PendingIdentityChange("bob");
  ASSERT_TRUE(pending.has_value() && pending->has_value());
  EXPECT_EQ((*pending)->new_safety_number, new_number);

  // Nothing accepted, nothing sent: the message is not in the history, a
  // send to bob is refused, and a redelivery is held once, not twice.
  EXPECT_EQ(HistoryJson().find("new phone"), std::string::npos);
  EXPECT_EQ(alice_->Send("bob", "are you there?").error().code(), Errc::kIdentityChanged);
  EXPECT_EQ(alice_->Receive(first).error().code(), Errc::kIdentityChanged);
  // The history marks the change.
  EXPECT_NE(HistoryJson().find("\"event\":\"identity_changed\""), std::string::npos);

  auto accepted = alice_->AcceptIdentityChange("bob");
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message();
  ASSERT_EQ(accepted->size(), 1u) << "the held message, once";
  ASSERT_TRUE((*accepted)[0].has_value()) << (*accepted)[0].error().message();
  EXPECT_EQ((*accepted)[0]->text, "it's me, new phone");
  EXPECT_EQ(*alice_->Fingerprint("bob"), new_number);
  EXPECT_FALSE(alice_->PendingIdentityChange("bob")->has_value());

  // The conversation goes on with the new key, both ways.
  auto reply = alice_->Send("bob", "welcome back");
  ASSERT_TRUE(reply.has_value()) << reply.error().message();
  EXPECT_EQ(new_bob.Receive(Relay(*alice_, *reply))->text, "welcome back");
  EXPECT_EQ(alice_->Receive(SendNext(new_bob, *alice_, "thanks"))->text, "thanks");

  // History: the old messages, the marker (accepted), the new ones.
  auto history = alice_->History("bob", 50);
  ASSERT_TRUE(history.has_value());
  std::vector<std::string> shape;
  for (const auto& e : *history) shape.push_back(e.identity_change ? "marker" : e.text);
  EXPECT_EQ(shape, (std::vector<std::string>{"hello bob", "hello alice", "marker",
                                             "it's me, new phone", "welcome back", "thanks"}));
  const auto& marker = (*history)[2].identity_change;
  EXPECT_EQ(marker->old_safety_number, old_number_);
  EXPECT_EQ(marker->new_safety_number, new_number);
  EXPECT_TRUE(marker->accepted_at.has_value());
  // The old device's session is gone: it can no longer write as bob.
  EXPECT_FALSE(alice_->Receive(SendNext(*bob_, *alice_, "old phone")).has_value());
}

TEST_F(IdentityChangeTest, AVerifiedContactStaysBlockedUntilReVerified) {
  EXPECT_EQ(alice_->VerifyIdentity("bob", std::string(60, '0')).error().code(),
            Errc::kInvalidArgument);
  EXPECT_FALSE(*alice_->IsVerified("bob"));
  ASSERT_TRUE(alice_->VerifyIdentity("bob", old_number_).has_value());
  EXPECT_TRUE(*alice_->IsVerified("bob"));

  Client new_bob = Reinstall("bob-new.db");
  EXPECT_EQ(alice_->Receive(SendFirst(new_bob, *alice_, "new phone")).error().code(),
            Errc::kIdentityChanged);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_TRUE(seen_[0].was_verified);
  // Accepting is not enough for a verified contact, nor is the old number.
  EXPECT_EQ(alice_->AcceptIdentityChange("bob").error().code(), Errc::kInvalidState);
  EXPECT_EQ(alice_->VerifyIdentity("bob", old_number_).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(alice_->Send("bob", "still blocked").error().code(), Errc::kIdentityChanged);
  auto verified = alice_->VerifyIdentity("bob", *new_bob.Fingerprint("alice"));
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  ASSERT_EQ(verified->size(), 1u);
  EXPECT_EQ((*verified)[0]->text, "new phone");
  EXPECT_TRUE(*alice_->IsVerified("bob"));
  EXPECT_TRUE(alice_->Send("bob", "hi again").has_value());
}

TEST_F(IdentityChangeTest, ARejectedChangeDropsWhatItHeldAndTheOldSessionGoesOn) {
  Client new_bob = Reinstall("bob-new.db");
  EXPECT_EQ(alice_->Receive(SendFirst(new_bob, *alice_, "trust me")).error().code(),
            Errc::kIdentityChanged);
  ASSERT_TRUE(alice_->RejectIdentityChange("bob").has_value());
  EXPECT_EQ(alice_->RejectIdentityChange("bob").error().code(), Errc::kInvalidState);
  EXPECT_EQ(alice_->AcceptIdentityChange("bob").error().code(), Errc::kInvalidState);
  EXPECT_EQ(*alice_->Fingerprint("bob"), old_number_);
  EXPECT_EQ(bob_->Receive(SendNext(*alice_, *bob_, "still you?"))->text, "still you?");
  EXPECT_EQ(HistoryJson().find("trust me"), std::string::npos);
}

// A prekey message under a new key that does not open (a relay making one
// up without the key, or a damaged one) is refused as such: no pending
// change, no event, nothing held.
TEST_F(IdentityChangeTest, ANewKeyWhoseMessageDoesNotOpenRecordsNothing) {
  Client new_bob = Reinstall("bob-new.db");
  Bytes forged = SendFirst(new_bob, *alice_, "forged");
  forged[forged.size() - 60] ^= 1;  // inside the ciphertext, before the relay's fields
  auto r = alice_->Receive(forged);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().code(), Errc::kIdentityChanged);
  EXPECT_TRUE(seen_.empty());
  EXPECT_FALSE(alice_->PendingIdentityChange("bob")->has_value());
  EXPECT_TRUE(alice_->Send("bob", "nothing changed").has_value());
}

// A relay that injects a second new key while the user looks at the first
// cannot swap it in: it is refused and nothing of it is kept, and accepting
// with the safety number the user was shown accepts exactly that key.
TEST_F(IdentityChangeTest, ASecondNewKeyCannotReplaceThePendingOne) {
  Client new_bob = Reinstall("bob-new.db");
  Client impostor = Reinstall("impostor.db");
  EXPECT_EQ(alice_->Receive(SendFirst(new_bob, *alice_, "the real bob")).error().code(),
            Errc::kIdentityChanged);
  const std::string shown = (*alice_->PendingIdentityChange("bob"))->new_safety_number;
  // Batched with an ordinary message from the old session.
  const Bytes injected = SendFirst(impostor, *alice_, "the impostor");
  const Bytes ordinary = SendNext(*bob_, *alice_, "old phone still here");
  const std::vector<ByteView> batch = {injected, ordinary};
  auto results = alice_->ReceiveBatch(batch);
  ASSERT_TRUE(results.has_value());
  EXPECT_EQ((*results)[0].error().code(), Errc::kIdentityChanged);
  ASSERT_TRUE((*results)[1].has_value());
  EXPECT_EQ((*results)[1]->text, "old phone still here");
  EXPECT_EQ((*alice_->PendingIdentityChange("bob"))->new_safety_number, shown);

  EXPECT_EQ(alice_->AcceptIdentityChange("bob", old_number_).error().code(),
            Errc::kInvalidArgument);
  auto accepted = alice_->AcceptIdentityChange("bob", shown);
  ASSERT_TRUE(accepted.has_value());
  ASSERT_EQ(accepted->size(), 1u) << "only the real bob's message was held";
  EXPECT_EQ((*accepted)[0]->text, "the real bob");
  EXPECT_EQ(*alice_->Fingerprint("bob"), shown);
}

// A store reopened keeps the pending change and its held message.
TEST_F(IdentityChangeTest, APendingChangeSurvivesReopening) {
  Client new_bob = Reinstall("bob-new.db");
  EXPECT_EQ(alice_->Receive(SendFirst(new_bob, *alice_, "held across restarts")).error().code(),
            Errc::kIdentityChanged);
  alice_.reset();
  alice_.emplace(Client::Open(tmp_.File("alice.db"), Key(1), rng_, clock_).value());
  ASSERT_TRUE(alice_->PendingIdentityChange("bob")->has_value());
  auto accepted = alice_->AcceptIdentityChange("bob");
  ASSERT_TRUE(accepted.has_value());
  ASSERT_EQ(accepted->size(), 1u);
  EXPECT_EQ((*accepted)[0]->text, "held across restarts");
}

}  // namespace
}  // namespace candor
