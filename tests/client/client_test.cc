// candor::Client over real SQLCipher stores: two devices and the reference
// relay, driven the way an embedder would.
#include "candor/client/client.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "candor/crypto/fingerprint.h"
#include "candor/crypto/limits.h"
#include "store_impl.h"
#include "support/client_world.h"

namespace candor {
namespace {

using client::Client;

using ClientTest = testing::ClientWorld;

TEST_F(ClientTest, ConversationBothWaysWithHistoryAndSafetyNumbers) {
  Client alice = Make("alice", 1);
  Client bob = Make("bob", 2);
  auto r1 = bob.Receive(SendFirst(alice, bob, "hi bob"));
  ASSERT_TRUE(r1.has_value()) << r1.error().message();
  EXPECT_EQ(r1->from, "alice");
  EXPECT_EQ(r1->text, "hi bob");
  auto r2 = alice.Receive(SendNext(bob, alice, "hi alice"));
  ASSERT_TRUE(r2.has_value()) << r2.error().message();
  EXPECT_EQ(r2->text, "hi alice");

  auto history = alice.History("bob", 10);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].direction, protocol::Direction::kOutgoing);
  EXPECT_EQ((*history)[0].text, "hi bob");
  EXPECT_TRUE((*history)[0].server_time.has_value()) << "the ack was handled";
  EXPECT_EQ((*history)[1].direction, protocol::Direction::kIncoming);
  EXPECT_EQ((*history)[1].from, "bob");

  auto fa = alice.Fingerprint("bob");
  auto fb = bob.Fingerprint("alice");
  ASSERT_TRUE(fa.has_value() && fb.has_value());
  EXPECT_EQ(*fa, *fb);
  // The pair's number is the two devices' halves, sorted.
  auto ha = alice.IdentityFingerprint();
  auto hb = bob.IdentityFingerprint();
  ASSERT_TRUE(ha.has_value() && hb.has_value());
  EXPECT_EQ(*fa, std::min(*ha, *hb) + std::max(*ha, *hb));
  EXPECT_EQ(alice.Fingerprint("carol").error().code(), Errc::kNotFound);
}

TEST_F(ClientTest, StateSurvivesReopening) {
  {
    Client alice = Make("alice", 1);
    Client bob = Make("bob", 2);
    ASSERT_TRUE(bob.Receive(SendFirst(alice, bob, "one")).has_value());
  }
  auto alice = Client::Open(tmp_.File("alice.db"), Key(1), rng_, clock_);
  auto bob = Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_);
  ASSERT_TRUE(alice.has_value() && bob.has_value());
  EXPECT_EQ(alice->account(), "alice");
  auto r = bob->Receive(SendNext(*alice, *bob, "two"));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text, "two");
  // One handle per store file in a process: a second is refused at once.
  EXPECT_EQ(Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_).error().code(),
            Errc::kAlreadyOpen);
  bob = Error(Errc::kInternal, "closed");
  EXPECT_EQ(Client::Open(tmp_.File("bob.db"), Key(3), rng_, clock_).error().code(),
            Errc::kWrongKey);
  EXPECT_TRUE(Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_).has_value());
}

// A store written before the content rules may hold text they now refuse
// (CR, NUL, empty): its history must still list, with every forbidden
// control shown as U+FFFD, so no C string is cut short.
TEST_F(ClientTest, HistoryStoredBeforeTheContentRulesStillLists) {
  {
    Client alice = Make("alice", 1);
    Client bob = Make("bob", 2);
    ASSERT_TRUE(bob.Receive(SendFirst(alice, bob, "placeholder")).has_value());
  }
  {
    auto store = storage::Store::Open(tmp_.File("bob.db"), Key(2));
    ASSERT_TRUE(store.has_value());
    // Content { text = "a\r\0b" }, as an older candor stored it.
    ASSERT_TRUE(store->impl().db.Exec("UPDATE messages SET content = x'0a04610d0062'").has_value());
  }
  auto bob = Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_);
  ASSERT_TRUE(bob.has_value());
  auto history = bob->History("alice", 10);
  ASSERT_TRUE(history.has_value()) << history.error().message();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].text, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
}

TEST_F(ClientTest, DuplicatesAndTamperingChangeNothing) {
  Client alice = Make("alice", 1);
  Client bob = Make("bob", 2);
  const Bytes d = SendFirst(alice, bob, "once");
  ASSERT_TRUE(bob.Receive(d).has_value());
  EXPECT_EQ(bob.Receive(d).error().code(), Errc::kDuplicateMessage);
  Bytes flipped = SendNext(alice, bob, "twice");
  // Inside the envelope's ciphertext. (The relay tag at the end is a MAC only
  // the moderation side can check; the recipient stores it as given.)
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_FALSE(bob.Receive(flipped).has_value());
  auto history = bob.History("alice", 10);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(history->size(), 1u);
}

TEST_F(ClientTest, OutOfOrderAndBatchDelivery) {
  Client alice = Make("alice", 1);
  Client bob = Make("bob", 2);
  ASSERT_TRUE(bob.Receive(SendFirst(alice, bob, "0")).has_value());
  const Bytes d1 = SendNext(alice, bob, "1");
  const Bytes d2 = SendNext(alice, bob, "2");
  const Bytes d3 = SendNext(alice, bob, "3");
  const Bytes junk = {1, 2, 3};
  const ByteView batch[] = {d3, junk, d1, d3};
  std::vector<uint64_t> progress;
  auto results = bob.ReceiveBatch(batch, [&](uint64_t done, uint64_t total) {
    EXPECT_EQ(total, 4u);
    progress.push_back(done);
  });
  ASSERT_TRUE(results.has_value());
  EXPECT_EQ(progress, (std::vector<uint64_t>{2, 3, 4})) << "the undecodable one counts first";
  ASSERT_EQ(results->size(), 4u);
  EXPECT_EQ((*results)[0]->text, "3");
  EXPECT_FALSE((*results)[1].has_value()) << "not a delivery";
  EXPECT_EQ((*results)[2]->text, "1");
  EXPECT_EQ((*results)[3].error().code(), Errc::kDuplicateMessage);
  auto r2 = bob.Receive(d2);
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->text, "2");
}

TEST_F(ClientTest, SendNeedsTheRightBundle) {
  Client alice = Make("alice", 1);
  Client bob = Make("bob", 2);
  Client carol = Make("carol", 3);
  EXPECT_EQ(alice.Send("bob", "no bundle").error().code(), Errc::kInvalidState);
  EXPECT_EQ(alice.Send("alice", "me").error().code(), Errc::kInvalidArgument);
  auto carols = carol.PublishBundle();
  ASSERT_TRUE(carols.has_value());
  EXPECT_EQ(alice.Send("bob", "x", ByteView(carols->bytes)).error().code(), Errc::kWrongPeer);
  ASSERT_TRUE(bob.Receive(SendFirst(alice, bob, "hi")).has_value());
  // With a session, a bundle under another identity key is not used: that
  // is what a directory swapping keys would look like. It is held as a
  // pending change, and nothing goes to bob until the user decides.
  Client fake_bob = Client::Create(tmp_.File("fake.db"), Key(4), "bob", rng_, clock_).value();
  auto fake = fake_bob.PublishBundle();
  ASSERT_TRUE(fake.has_value());
  EXPECT_EQ(alice.Send("bob", "x", ByteView(fake->bytes)).error().code(), Errc::kIdentityChanged);
  auto real = bob.PublishBundle();
  ASSERT_TRUE(real.has_value());
  EXPECT_EQ(alice.Send("bob", "x", ByteView(real->bytes)).error().code(), Errc::kIdentityChanged);
  ASSERT_TRUE(alice.RejectIdentityChange("bob").has_value());
  EXPECT_TRUE(alice.Send("bob", "x", ByteView(real->bytes)).has_value());
}

TEST_F(ClientTest, BundlesHandOutFreshOneTimePrekeys) {
  Client bob = Make("bob", 2);
  auto b1 = bob.PublishBundle();
  auto b2 = bob.PublishBundle();
  ASSERT_TRUE(b1.has_value() && b2.has_value());
  EXPECT_EQ(b1->channel, client::Channel::kDirectory);
  auto d1 = protocol::DecodePrekeyBundle(b1->bytes);
  auto d2 = protocol::DecodePrekeyBundle(b2->bytes);
  ASSERT_TRUE(d1.has_value() && d2.has_value());
  EXPECT_EQ(d1->account, "bob");
  EXPECT_EQ(d1->identity_key, bob.identity_key());
  EXPECT_NE(d1->one_time_prekey_id, d2->one_time_prekey_id);
  EXPECT_NE(d1->one_time_prekey, d2->one_time_prekey);
  EXPECT_EQ(d1->signed_prekey, d2->signed_prekey);
}

TEST_F(ClientTest, RotatedSignedPrekeyIsPublishedAndTheOldOneRetires) {
  Client alice = Make("alice", 1);
  Client bob = Make("bob", 2);
  Client carol = Make("carol", 3);
  Client dave = Make("dave", 4);
  auto old_for_alice = bob.PublishBundle();
  auto old_for_carol = bob.PublishBundle();
  ASSERT_TRUE(old_for_alice.has_value() && old_for_carol.has_value());

  auto rotated = bob.RotateSignedPrekey();
  ASSERT_TRUE(rotated.has_value()) << rotated.error().message();
  EXPECT_EQ(*rotated, 2u);
  auto fresh = bob.PublishBundle();
  ASSERT_TRUE(fresh.has_value());
  auto old_bundle = protocol::DecodePrekeyBundle(old_for_alice->bytes);  // checks the signature
  auto new_bundle = protocol::DecodePrekeyBundle(fresh->bytes);
  ASSERT_TRUE(old_bundle.has_value() && new_bundle.has_value());
  EXPECT_EQ(old_bundle->signed_prekey_id, 1u);
  EXPECT_EQ(new_bundle->signed_prekey_id, 2u);
  EXPECT_NE(new_bundle->signed_prekey, old_bundle->signed_prekey);

  // A first message made from the old bundle still opens during retention.
  auto sent = alice.Send("bob", "from the old bundle", ByteView(old_for_alice->bytes));
  ASSERT_TRUE(sent.has_value());
  ASSERT_TRUE(bob.Receive(Relay(alice, *sent)).has_value());

  // After it, the old key is deleted and such a message is refused.
  auto late = carol.Send("bob", "too late", ByteView(old_for_carol->bytes));
  ASSERT_TRUE(late.has_value());
  const Bytes late_delivery = Relay(carol, *late);
  clock_.Advance(kRetiredSignedPrekeySeconds);
  ASSERT_TRUE(bob.PurgeExpired().has_value());
  EXPECT_EQ(bob.Receive(late_delivery).error().code(), Errc::kInvalidKey);
  EXPECT_TRUE(bob.History("carol", 10)->empty());
  auto on_time = dave.Send("bob", "new bundle", ByteView(fresh->bytes));
  ASSERT_TRUE(on_time.has_value());
  EXPECT_TRUE(bob.Receive(Relay(dave, *on_time)).has_value());
  EXPECT_EQ(*bob.RotateSignedPrekey(), 3u);
}

TEST_F(ClientTest, CreateFailuresLeaveNothingBehind) {
  EXPECT_EQ(Client::Create(tmp_.File("x.db"), Key(1), "", rng_, clock_).error().code(),
            Errc::kInvalidAccount);
  EXPECT_FALSE(std::filesystem::exists(tmp_.File("x.db")));
  { std::ofstream(tmp_.File("taken.db")) << "precious"; }
  EXPECT_EQ(Client::Create(tmp_.File("taken.db"), Key(1), "a", rng_, clock_).error().code(),
            Errc::kAlreadyExists);
  std::ifstream in(tmp_.File("taken.db"));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "precious");
  EXPECT_EQ(Client::Open(tmp_.File("missing.db"), Key(1), rng_, clock_).error().code(),
            Errc::kNotFound);
}

TEST_F(ClientTest, HistoryLimitIsBounded) {
  Client alice = Make("alice", 1);
  EXPECT_EQ(alice.History("bob", 0).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(alice.History("bob", kMaxHistoryPage + 1).error().code(), Errc::kInvalidArgument);
  auto empty = alice.History("bob", kMaxHistoryPage);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST_F(ClientTest, DisappearingMessagesExpire) {
  Client alice = Make("alice", 1);
  Client bob = Make("bob", 2);
  ASSERT_TRUE(bob.SetDisappearingTimer("alice", 60).has_value());
  ASSERT_TRUE(bob.Receive(SendFirst(alice, bob, "soon gone")).has_value());
  EXPECT_EQ(bob.History("alice", 10)->size(), 1u);
  clock_.Advance(61);
  EXPECT_TRUE(bob.History("alice", 10)->empty());
  auto purged = bob.PurgeExpired();
  ASSERT_TRUE(purged.has_value());
  EXPECT_EQ(*purged, 1u);
}

}  // namespace
}  // namespace candor
