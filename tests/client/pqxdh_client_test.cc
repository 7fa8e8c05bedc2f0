// PQXDH as an embedder meets it: sessions are post-quantum by default; a
// bundle stripped of its ML-KEM prekeys (an older candor, or a man in the
// middle) starts nothing unless the user allowed classical sessions with
// that peer, and even then the upgraded peer refuses the classical first
// message; the allowance lapses once the peer is seen with ML-KEM prekeys.
#include <gtest/gtest.h>

#include "candor/protocol/wire.h"
#include "support/client_world.h"

namespace candor {
namespace {

class PqxdhClientTest : public testing::ClientWorld {
 protected:
  // Bob's bundle without its ML-KEM prekeys (the X25519 signature still
  // verifies: exactly what a stripping attacker can produce).
  static Bytes Stripped(ByteView bundle_bytes) {
    auto bundle = protocol::DecodePrekeyBundle(bundle_bytes);
    EXPECT_TRUE(bundle.has_value());
    bundle->pq_signed_prekey.reset();
    bundle->pq_one_time_prekey.reset();
    return *protocol::EncodePrekeyBundle(*bundle);
  }
};

TEST_F(PqxdhClientTest, NewSessionsArePostQuantum) {
  client::Client alice = Make("alice", 1);
  client::Client bob = Make("bob", 2);
  auto bundle = bob.PublishBundle();
  ASSERT_TRUE(bundle.has_value());
  auto sent = alice.Send("bob", "hello", bundle->bytes);
  ASSERT_TRUE(sent.has_value()) << sent.error().message();
  EXPECT_EQ(sent->setup, client::SessionSetup::kPqxdh);
  ASSERT_TRUE(bob.Receive(Relay(alice, *sent)).has_value());
  EXPECT_EQ(*alice.SessionSetupWith("bob"), client::SessionSetup::kPqxdh);
  EXPECT_EQ(*bob.SessionSetupWith("alice"), client::SessionSetup::kPqxdh);
  EXPECT_FALSE(alice.SessionSetupWith("carol")->has_value());
}

TEST_F(PqxdhClientTest, AStrippedBundleStartsNothingAndTheAllowanceDoesNotDowngradeAnUpgradedPeer) {
  client::Client alice = Make("alice", 1);
  client::Client bob = Make("bob", 2);
  auto bundle = bob.PublishBundle();
  ASSERT_TRUE(bundle.has_value());
  const Bytes stripped = Stripped(bundle->bytes);

  auto refused = alice.Send("bob", "hello", stripped);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kPqPrekeyMissing);
  EXPECT_FALSE(alice.SessionSetupWith("bob")->has_value()) << "nothing stored";
  EXPECT_TRUE(alice.History("bob", 10)->empty());

  // The user allows a classical session (believing bob runs an old candor):
  // alice sends, but bob, who publishes ML-KEM prekeys, refuses it and
  // stores nothing.
  ASSERT_TRUE(alice.AllowClassicalSessions("bob", true).has_value());
  auto classical = alice.Send("bob", "hello", stripped);
  ASSERT_TRUE(classical.has_value()) << classical.error().message();
  EXPECT_EQ(classical->setup, client::SessionSetup::kX3dh);
  auto at_bob = bob.Receive(Relay(alice, *classical));
  ASSERT_FALSE(at_bob.has_value());
  EXPECT_EQ(at_bob.error().code(), Errc::kPqPrekeyMissing);
  EXPECT_FALSE(bob.SessionSetupWith("alice")->has_value());
  EXPECT_TRUE(bob.History("alice", 10)->empty());

  EXPECT_EQ(alice.AllowClassicalSessions("alice", true).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(alice.AllowClassicalSessions("", true).error().code(), Errc::kInvalidAccount);
}

TEST_F(PqxdhClientTest, TheAllowanceLapsesOnceThePeerIsSeenWithMlKemPrekeys) {
  client::Client bob = Make("bob", 2);
  {
    client::Client alice = Make("alice", 1);
    ASSERT_TRUE(alice.AllowClassicalSessions("bob", true).has_value());
    ASSERT_TRUE(alice.AllowClassicalSessions("carol", true).has_value());
    auto bundle = bob.PublishBundle();
    ASSERT_TRUE(bundle.has_value());
    auto sent = alice.Send("bob", "hello", bundle->bytes);
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(sent->setup, client::SessionSetup::kPqxdh) << "the allowance never weakens a bundle";
    ASSERT_TRUE(bob.Receive(Relay(alice, *sent)).has_value());
  }
  // What alice's store now says (the client is closed): bob upgraded, so a
  // stripped bundle of his must not get a classical session any more; the
  // allowance for carol, never seen with ML-KEM prekeys, stays.
  auto store = storage::Store::Open(tmp_.File("alice.db"), Key(1));
  ASSERT_TRUE(store.has_value()) << store.error().message();
  EXPECT_EQ(*store->ClassicalFallbackFor("bob"), crypto::ClassicalFallback::kRefuse);
  EXPECT_EQ(*store->ClassicalFallbackFor("carol"), crypto::ClassicalFallback::kAllow);
}

}  // namespace
}  // namespace candor
