// The DeviceStore contract, run against both implementations: MemoryStore
// (protocol/) and the SQLCipher Store (storage/). Real sessions drive it.
#include <gtest/gtest.h>

#include <filesystem>

#include "candor/crypto/limits.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/memory_store.h"
#include "candor/storage/store.h"
#include "support/device_fixture.h"

namespace candor {
namespace {

using protocol::DeviceStore;
using protocol::Direction;

using testing::Device;
using testing::DeviceStoreTest;
using testing::Factories;
using testing::FactoryNames;
using testing::kNow;

TYPED_TEST_SUITE(DeviceStoreTest, Factories, FactoryNames);

TYPED_TEST(DeviceStoreTest, IdentityIsStoredOnce) {
  Device alice = this->MakeDevice("alice");
  auto loaded = alice.store->LoadIdentity();
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  EXPECT_EQ((*loaded)->account, "alice");
  EXPECT_EQ((*loaded)->identity.public_key(), alice.identity.public_key());
  EXPECT_EQ(alice.store->SaveIdentity("alice", alice.identity, kNow).error().code(),
            Errc::kAlreadyExists);
}

TYPED_TEST(DeviceStoreTest, PrekeysAreFoundAndOneTimePrekeysConsumed) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  ASSERT_NE(bob.store->FindSignedPrekey(1), nullptr);
  EXPECT_EQ(bob.store->FindSignedPrekey(1)->public_key(), bob.spk.public_key());
  EXPECT_EQ(bob.store->FindSignedPrekey(2), nullptr);
  EXPECT_EQ(bob.store->SaveSignedPrekey(1, bob.spk, {}, kNow).error().code(), Errc::kAlreadyExists);
  auto d = this->Send(alice, bob, "hi", kNow);
  ASSERT_EQ(d.envelope.content_type, protocol::ContentType::kPrekeyMessage);
  const uint32_t opk = 10;  // the first bundle's one-time prekey
  ASSERT_NE(bob.store->FindOneTimePrekey(opk), nullptr);
  ASSERT_TRUE(this->Receive(bob, d, kNow).has_value());
  EXPECT_EQ(bob.store->FindOneTimePrekey(opk), nullptr) << "consumed with the first message";
}

TYPED_TEST(DeviceStoreTest, CurrentSignedPrekeyIsTheNewest) {
  Device bob = this->MakeDevice("bob");
  auto first = bob.store->CurrentSignedPrekey();
  ASSERT_TRUE(first.has_value() && first->has_value());
  EXPECT_EQ((*first)->id, 1u);
  EXPECT_EQ((*first)->key.public_key(), bob.spk.public_key());
  EXPECT_TRUE(crypto::VerifySignedPrekey(bob.identity.public_key(), 1, bob.spk.public_key(),
                                         (*first)->signature).has_value());
  auto spk2 = crypto::X25519KeyPair::Generate(this->rng_);
  const auto sig2 = crypto::SignSignedPrekey(bob.identity, 2, spk2.public_key());
  ASSERT_TRUE(bob.store->SaveSignedPrekey(2, spk2, sig2, kNow).has_value());
  auto second = bob.store->CurrentSignedPrekey();
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_EQ((*second)->id, 2u);
  EXPECT_EQ((*second)->key.public_key(), spk2.public_key());
  EXPECT_EQ((*second)->signature, sig2);
}

TYPED_TEST(DeviceStoreTest, RotatedSignedPrekeyStaysUsableForItsRetention) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  Device carol = this->MakeDevice("carol");
  auto spk2 = crypto::X25519KeyPair::Generate(this->rng_);
  const auto sig2 = crypto::SignSignedPrekey(bob.identity, 2, spk2.public_key());
  EXPECT_EQ(bob.store->RotateSignedPrekey(1, spk2, sig2, kNow).error().code(),
            Errc::kInvalidArgument) << "ids only grow";
  EXPECT_EQ((*bob.store->CurrentSignedPrekey())->id, 1u) << "a refused rotation changes nothing";
  ASSERT_TRUE(bob.store->RotateSignedPrekey(2, spk2, sig2, kNow).has_value());
  EXPECT_EQ((*bob.store->CurrentSignedPrekey())->id, 2u);
  EXPECT_EQ((*bob.store->CurrentSignedPrekey())->signature, sig2);

  // Alice still holds the old bundle (signed prekey 1): accepted while retired.
  ASSERT_NE(bob.store->FindSignedPrekey(1), nullptr);
  ASSERT_TRUE(this->Receive(bob, this->Send(alice, bob, "old bundle", kNow), kNow).has_value());

  // Carol's first message, made from the old bundle, arrives after retention.
  const protocol::Delivery late = this->Send(carol, bob, "too late", kNow);
  EXPECT_EQ(*bob.store->PurgeExpired(kNow + kRetiredSignedPrekeySeconds - 1), 0u);
  ASSERT_NE(bob.store->FindSignedPrekey(1), nullptr) << "kept until the retention is over";
  ASSERT_TRUE(bob.store->PurgeExpired(kNow + kRetiredSignedPrekeySeconds).has_value());
  EXPECT_EQ(bob.store->FindSignedPrekey(1), nullptr);
  ASSERT_NE(bob.store->FindSignedPrekey(2), nullptr) << "the current key is never purged";
  EXPECT_EQ((*bob.store->CurrentSignedPrekey())->id, 2u);
  EXPECT_EQ(this->Receive(bob, late, kNow + kRetiredSignedPrekeySeconds).error().code(),
            Errc::kInvalidKey);
  EXPECT_FALSE(bob.store->LoadSession("carol")->has_value()) << "a refused message stores nothing";
  EXPECT_TRUE(bob.store->LatestMessages("carol", 10, kNow)->empty());

  // Ids keep growing past a purged key.
  EXPECT_EQ(bob.store->RotateSignedPrekey(2, spk2, sig2, kNow).error().code(),
            Errc::kInvalidArgument);
  auto spk3 = crypto::X25519KeyPair::Generate(this->rng_);
  EXPECT_TRUE(bob.store
                  ->RotateSignedPrekey(3, spk3, crypto::SignSignedPrekey(bob.identity, 3,
                                                                         spk3.public_key()),
                                       kNow + 1)
                  .has_value());
  EXPECT_EQ((*bob.store->CurrentSignedPrekey())->id, 3u);
}

TYPED_TEST(DeviceStoreTest, AddedOneTimePrekeyIdsAreNeverReused) {
  auto bare = TypeParam::Make(this->tmp_.File("bare.db"), this->rng_);
  EXPECT_EQ(bare->AddOneTimePrekey(crypto::X25519KeyPair::Generate(this->rng_)).error().code(),
            Errc::kInvalidState)
      << "no identity yet";

  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  auto opk = crypto::X25519KeyPair::Generate(this->rng_);
  auto id1 = bob.store->AddOneTimePrekey(opk);
  ASSERT_TRUE(id1.has_value());
  EXPECT_EQ(bob.store->FindOneTimePrekey(*id1)->public_key(), opk.public_key());
  // Alice uses it; Bob consumes it. The next id must still be new, even
  // though the highest stored id is gone.
  crypto::PrekeyBundle bundle = bob.Bundle(this->rng_);
  bundle.one_time_prekey_id = *id1;
  bundle.one_time_prekey = opk.public_key();
  auto s = protocol::Session::Initiate(alice.identity, "alice", bundle, this->rng_);
  ASSERT_TRUE(s.has_value());
  auto out = s->Encrypt("hi", this->rng_);
  ASSERT_TRUE(out.has_value());
  auto d = testing::Relay(this->relay_key_, out->envelope, kNow);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(this->Receive(bob, *d, kNow).has_value());
  EXPECT_EQ(bob.store->FindOneTimePrekey(*id1), nullptr);
  auto id2 = bob.store->AddOneTimePrekey(crypto::X25519KeyPair::Generate(this->rng_));
  ASSERT_TRUE(id2.has_value());
  EXPECT_GT(*id2, *id1);
  // Ids saved explicitly are skipped over too.
  ASSERT_TRUE(bob.store->SaveOneTimePrekey(*id2 + 5, crypto::X25519KeyPair::Generate(this->rng_))
                  .has_value());
  auto id3 = bob.store->AddOneTimePrekey(crypto::X25519KeyPair::Generate(this->rng_));
  ASSERT_TRUE(id3.has_value());
  EXPECT_EQ(*id3, *id2 + 6);
}

TYPED_TEST(DeviceStoreTest, ConversationIsStoredAtBothEndsAndSessionsResume) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(this->Receive(bob, this->Send(alice, bob, "a" + std::to_string(i), kNow + i), kNow + i)
                    .has_value());
  }
  ASSERT_TRUE(this->Receive(alice, this->Send(bob, alice, "reply", kNow + 10), kNow + 10).has_value());
  ASSERT_TRUE(this->Receive(bob, this->Send(alice, bob, "again", kNow + 20), kNow + 20).has_value());

  auto at_alice = alice.store->LatestMessages("bob", 100, kNow + 30);
  auto at_bob = bob.store->LatestMessages("alice", 100, kNow + 30);
  ASSERT_TRUE(at_alice.has_value() && at_bob.has_value());
  ASSERT_EQ(at_alice->size(), 5u);
  ASSERT_EQ(at_bob->size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ((*at_alice)[i].local_order, static_cast<int64_t>(i));
    EXPECT_EQ((*at_alice)[i].content, (*at_bob)[i].content) << i;
    EXPECT_EQ((*at_alice)[i].franking_commitment, (*at_bob)[i].franking_commitment);
    EXPECT_TRUE((*at_alice)[i].franking_key == (*at_bob)[i].franking_key);
  }
  EXPECT_EQ((*at_alice)[3].direction, Direction::kIncoming);
  EXPECT_EQ((*at_bob)[3].direction, Direction::kOutgoing);
  EXPECT_EQ((*at_bob)[0].direction, Direction::kIncoming);
  EXPECT_EQ((*at_bob)[0].sender, "alice");
  EXPECT_EQ((*at_bob)[0].server_time, kNow);
  EXPECT_FALSE((*at_alice)[0].server_time.has_value()) << "no relay ack yet";
}

TYPED_TEST(DeviceStoreTest, ADuplicateEnvelopeChangesNothing) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  auto d = this->Send(alice, bob, "once", kNow);
  auto received = this->Receive(bob, d, kNow);
  ASSERT_TRUE(received.has_value());
  // What the receive returns is what it stored.
  EXPECT_EQ(received->from, "alice");
  EXPECT_EQ(received->text, "once");
  EXPECT_EQ(received->server_time, d.server_time);
  auto stored = bob.store->MessageById(received->message_id, kNow);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ(*protocol::DecodeContentText((*stored)->content), "once");
  auto session_before = bob.store->LoadSession("alice");
  ASSERT_TRUE(session_before.has_value() && session_before->has_value());
  const SecretBytes state_before = (*session_before)->Serialize();
  // Straight to CommitReceived with the same digest (as if the caller raced).
  auto again = protocol::Session::Deserialize(state_before.Expose());
  protocol::IncomingMessage fake{"alice", "bob", "x", {1}, crypto::FrankingKey{}, {}, kNow, {}, {},
                                 {},      {},  false};
  auto r = bob.store->CommitReceived(*again, fake, protocol::DigestEnvelope(d.envelope_bytes), kNow);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kDuplicateMessage);
  EXPECT_EQ(bob.store->LatestMessages("alice", 10, kNow)->size(), 1u);
  EXPECT_TRUE((*bob.store->LoadSession("alice"))->Serialize() == state_before);
  EXPECT_EQ(this->Receive(bob, d, kNow).error().code(), Errc::kDuplicateMessage);
}

TYPED_TEST(DeviceStoreTest, ReplayMarkersExpireAndTheRatchetStillRefusesReplays) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  const protocol::Delivery first = this->Send(alice, bob, "first", kNow);
  const protocol::Delivery second = this->Send(alice, bob, "second", kNow);
  ASSERT_TRUE(this->Receive(bob, first, kNow).has_value());
  ASSERT_TRUE(this->Receive(bob, second, kNow + 5).has_value());
  const auto digest = protocol::DigestEnvelope(second.envelope_bytes);
  ASSERT_TRUE(*bob.store->PurgeExpired(kNow + 5 + kReplayMarkerSeconds - 1) == 0u);
  EXPECT_TRUE(*bob.store->HasReceived(digest)) << "kept for kReplayMarkerSeconds";
  EXPECT_TRUE(*bob.store->HasReceived(protocol::DigestEnvelope(first.envelope_bytes)) == false)
      << "the first marker's time is up";
  ASSERT_TRUE(bob.store->PurgeExpired(kNow + 5 + kReplayMarkerSeconds).has_value());
  EXPECT_FALSE(*bob.store->HasReceived(digest));

  // Without markers, the ratchet refuses both: their message keys are used.
  const SecretBytes session_before = (*bob.store->LoadSession("alice"))->Serialize();
  const uint64_t later = kNow + 5 + kReplayMarkerSeconds;
  EXPECT_EQ(this->Receive(bob, second, later).error().code(), Errc::kDuplicateMessage);
  EXPECT_EQ(this->Receive(bob, first, later).error().code(), Errc::kDuplicateMessage);
  EXPECT_EQ(bob.store->LatestMessages("alice", 10, later)->size(), 2u);
  EXPECT_TRUE((*bob.store->LoadSession("alice"))->Serialize() == session_before);
}

TYPED_TEST(DeviceStoreTest, RelayAckCompletesTheOutgoingCopy) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  auto d = this->Send(alice, bob, "ack me", kNow);
  const protocol::RelayAck ack{"bob", d.envelope.franking_commitment, d.server_time, d.relay_tag};
  auto id = alice.store->SaveRelayAck(ack);
  ASSERT_TRUE(id.has_value());
  auto m = alice.store->MessageById(*id, kNow);
  ASSERT_TRUE(m.has_value() && m->has_value());
  EXPECT_EQ((*m)->server_time, d.server_time);
  EXPECT_EQ((*m)->relay_tag, d.relay_tag);
  protocol::RelayAck unknown = ack;
  unknown.franking_commitment[0] ^= 1;
  EXPECT_EQ(alice.store->SaveRelayAck(unknown).error().code(), Errc::kNotFound);
  protocol::RelayAck wrong_peer = ack;
  wrong_peer.recipient = "carol";
  EXPECT_EQ(alice.store->SaveRelayAck(wrong_peer).error().code(), Errc::kNotFound);
}

TYPED_TEST(DeviceStoreTest, HistoryQueries) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  for (int i = 0; i < 10; ++i) this->Send(alice, bob, "m" + std::to_string(i), kNow + i);
  auto last3 = alice.store->LatestMessages("bob", 3, kNow);
  ASSERT_EQ(last3->size(), 3u);
  EXPECT_EQ((*last3)[0].local_order, 7);
  EXPECT_EQ((*last3)[2].local_order, 9);
  auto before = alice.store->MessagesBefore("bob", 5, 2, kNow);
  ASSERT_EQ(before->size(), 2u);
  EXPECT_EQ((*before)[0].local_order, 3);
  EXPECT_EQ((*before)[1].local_order, 4);
  EXPECT_TRUE(alice.store->LatestMessages("nobody", 5, kNow)->empty());
  auto by_id = alice.store->MessageById((*before)[1].id, kNow);
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->local_order, 4);
  EXPECT_FALSE(alice.store->MessageById(999999, kNow)->has_value());
}

TYPED_TEST(DeviceStoreTest, DisappearingMessagesExpireAndArePurged) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  this->Send(alice, bob, "kept", kNow);
  ASSERT_TRUE(alice.store->SetDisappearingTimer("bob", 60).has_value());
  this->Send(alice, bob, "fleeting", kNow);
  auto m = alice.store->LatestMessages("bob", 10, kNow + 59);
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[1].expires_at, kNow + 60);
  const int64_t fleeting_id = (*m)[1].id;
  const int64_t fleeting_order = (*m)[1].local_order;
  // Expired at kNow + 60: never returned, even before the purge.
  EXPECT_EQ(alice.store->LatestMessages("bob", 10, kNow + 60)->size(), 1u);
  EXPECT_FALSE(alice.store->MessageById(fleeting_id, kNow + 60)->has_value());
  EXPECT_EQ(*alice.store->PurgeExpired(kNow + 60), 1u);
  EXPECT_EQ(*alice.store->PurgeExpired(kNow + 60), 0u);
  EXPECT_FALSE(alice.store->MessageById(fleeting_id, kNow)->has_value()) << "gone for good";
  ASSERT_TRUE(alice.store->SetDisappearingTimer("bob", std::nullopt).has_value());
  this->Send(alice, bob, "kept too", kNow + 100);
  const auto latest = alice.store->LatestMessages("bob", 1, kNow + 100);
  EXPECT_FALSE((*latest)[0].expires_at.has_value());
  EXPECT_GT((*latest)[0].local_order, fleeting_order)
      << "the purged newest message's order is never handed out again";
}

// The report log keeps an entry until the user deletes it, but not the
// plaintext of messages that have disappeared: PurgeExpired empties the
// preview and the sealed copy at content_expires_at.
TYPED_TEST(DeviceStoreTest, ReportLogKeepsNoPlaintextPastItsMessagesAndCanBeDeleted) {
  Device alice = this->MakeDevice("alice");
  protocol::ReportRecord fleeting{0, "bob", "spam", kNow, 5, R"({"text":"secret words"})", {},
                                  Bytes(64, 0xab), kNow + 60};
  protocol::ReportRecord kept = fleeting;
  kept.content_expires_at = std::nullopt;
  auto id1 = alice.store->SaveReport(fleeting);
  auto id2 = alice.store->SaveReport(kept);
  ASSERT_TRUE(id1.has_value() && id2.has_value());
  ASSERT_TRUE(alice.store->PurgeExpired(kNow + 59).has_value());
  auto log = alice.store->ListReports();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].preview, fleeting.preview);
  EXPECT_EQ((*log)[0].content_expires_at, kNow + 60);
  EXPECT_FALSE((*log)[0].content_purged);

  ASSERT_TRUE(alice.store->PurgeExpired(kNow + 60).has_value());
  log = alice.store->ListReports();
  ASSERT_EQ(log->size(), 2u) << "the entry itself stays: the user's record of the disclosure";
  EXPECT_TRUE((*log)[0].content_purged);
  EXPECT_TRUE((*log)[0].preview.empty());
  EXPECT_TRUE((*log)[0].sealed.empty());
  EXPECT_EQ((*log)[0].peer, "bob");
  EXPECT_EQ((*log)[0].message_count, 5u);
  EXPECT_FALSE((*log)[1].content_purged) << "no expiry: kept until deleted";
  EXPECT_EQ((*log)[1].preview, kept.preview);

  ASSERT_TRUE(alice.store->DeleteReport(*id1).has_value());
  EXPECT_EQ(alice.store->DeleteReport(*id1).error().code(), Errc::kNotFound);
  log = alice.store->ListReports();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].id, *id2);
}

// Both stores keep peer identities alike: trust on first use, a pending
// change with a history marker and held deliveries (deduplicated, capped),
// acceptance that returns what was held and drops the old session, refusal.
TYPED_TEST(DeviceStoreTest, PeerIdentitiesPendingChangesAndHeldDeliveries) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  this->Send(alice, bob, "hi", kNow);
  const auto old_key = bob.identity.public_key();
  const auto new_key = crypto::Ed25519KeyPair::Generate(this->rng_).public_key();
  DeviceStore& store = *alice.store;
  EXPECT_EQ(store.RecordIdentityChange("bob", new_key, kNow, std::nullopt).error().code(),
            Errc::kNotFound) << "no trusted key yet";
  ASSERT_TRUE(store.TrustFirstIdentity("bob", old_key).has_value());
  ASSERT_TRUE(store.TrustFirstIdentity("bob", old_key).has_value()) << "the same key again is fine";
  EXPECT_EQ(store.TrustFirstIdentity("bob", new_key).error().code(), Errc::kWrongPeer);
  EXPECT_EQ(store.RecordIdentityChange("bob", old_key, kNow, std::nullopt).error().code(),
            Errc::kInvalidArgument);

  for (size_t i = 0; i < kMaxHeldDeliveries + 5; ++i) {
    const Bytes delivery(40, static_cast<uint8_t>(i));
    ASSERT_TRUE(store.RecordIdentityChange("bob", new_key, kNow + i, delivery).has_value());
    ASSERT_TRUE(store.RecordIdentityChange("bob", new_key, kNow + i, delivery).has_value());
  }
  auto known = store.LoadPeerIdentity("bob");
  ASSERT_TRUE(known.has_value() && known->has_value());
  EXPECT_EQ((*known)->identity_key, old_key);
  EXPECT_EQ((*known)->pending, new_key);
  EXPECT_EQ((*known)->pending_since, kNow) << "since the first sighting";
  auto changes = store.IdentityChanges("bob");
  ASSERT_EQ(changes->size(), 1u) << "one marker per new key";
  EXPECT_GT((*changes)[0].local_order, (*store.LatestMessages("bob", 1, kNow))[0].local_order);

  auto held = store.AcceptIdentityChange("bob", kNow + 500);
  ASSERT_TRUE(held.has_value());
  ASSERT_EQ(held->size(), kMaxHeldDeliveries) << "deduplicated and capped, the oldest dropped";
  EXPECT_EQ(held->front(), Bytes(40, 5));
  EXPECT_EQ(held->back(), Bytes(40, static_cast<uint8_t>(kMaxHeldDeliveries + 4)));
  EXPECT_FALSE(store.LoadSession("bob")->has_value()) << "the old key's session is gone";
  known = store.LoadPeerIdentity("bob");
  EXPECT_EQ((*known)->identity_key, new_key);
  EXPECT_FALSE((*known)->pending.has_value());
  EXPECT_EQ((*store.IdentityChanges("bob"))[0].accepted_at, kNow + 500);
  EXPECT_EQ(store.AcceptIdentityChange("bob", kNow).error().code(), Errc::kInvalidState);

  // A marker takes a place in the order: the next message comes after it.
  ASSERT_TRUE(store.RecordIdentityChange("bob", old_key, kNow + 600, Bytes(8, 1)).has_value());
  // One pending key at a time: a third is not swapped in behind the user.
  const auto third = crypto::Ed25519KeyPair::Generate(this->rng_).public_key();
  EXPECT_EQ(store.RecordIdentityChange("bob", third, kNow + 601, Bytes(8, 2)).error().code(),
            Errc::kInvalidState);
  EXPECT_EQ((*store.LoadPeerIdentity("bob"))->pending, old_key);
  ASSERT_TRUE(store.RejectIdentityChange("bob").has_value());
  EXPECT_EQ(store.RejectIdentityChange("bob").error().code(), Errc::kInvalidState);
  EXPECT_EQ((*store.LoadPeerIdentity("bob"))->identity_key, new_key);
  changes = store.IdentityChanges("bob");
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_FALSE((*changes)[1].accepted_at.has_value()) << "refused: kept, never accepted";
  ASSERT_TRUE(store.SetIdentityVerified("bob", true).has_value());
  EXPECT_TRUE((*store.LoadPeerIdentity("bob"))->verified);
  EXPECT_EQ(store.SetIdentityVerified("carol", true).error().code(), Errc::kNotFound);
}

TYPED_TEST(DeviceStoreTest, DisappearingTimerMustFitItsRange) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  ASSERT_TRUE(alice.store->SetDisappearingTimer("bob", 60).has_value());
  EXPECT_EQ(alice.store->SetDisappearingTimer("bob", 0).error().code(), Errc::kInvalidArgument)
      << "a zero timer would expire every message as it is stored";
  EXPECT_EQ(alice.store->SetDisappearingTimer("bob", kMaxDisappearingTimerSeconds + 1)
                .error().code(),
            Errc::kInvalidArgument) << "stored time + timer must not overflow";
  this->Send(alice, bob, "still 60 s", kNow);
  EXPECT_EQ((*alice.store->LatestMessages("bob", 1, kNow))[0].expires_at, kNow + 60)
      << "a refused timer leaves the old one";
  ASSERT_TRUE(alice.store->SetDisappearingTimer("bob", kMaxDisappearingTimerSeconds).has_value());
  this->Send(alice, bob, "longest", kNow);
  EXPECT_EQ((*alice.store->LatestMessages("bob", 1, kNow))[0].expires_at,
            kNow + kMaxDisappearingTimerSeconds);
}

TYPED_TEST(DeviceStoreTest, CommitRefusesAMismatchedPeer) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  auto d = this->Send(alice, bob, "x", kNow);
  auto accepted = protocol::Session::Accept(bob.identity, "bob", *bob.store, d, kNow, this->rng_);
  ASSERT_TRUE(accepted.has_value());
  accepted->second.sender = "mallory";
  EXPECT_EQ(bob.store
                ->CommitReceived(accepted->first, accepted->second,
                                 protocol::DigestEnvelope(d.envelope_bytes), kNow)
                .error()
                .code(),
            Errc::kWrongPeer);
  EXPECT_TRUE(bob.store->LatestMessages("mallory", 10, kNow)->empty());
}

}  // namespace
}  // namespace candor

namespace candor {
namespace {

TYPED_TEST(DeviceStoreTest, InTransactionBatchesCommits) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  std::vector<protocol::Delivery> queued;
  for (int i = 0; i < 5; ++i) queued.push_back(this->Send(alice, bob, "q" + std::to_string(i), kNow));
  // A batch whose work fails at the end: nothing it committed stays.
  auto failed = bob.store->InTransaction([&]() -> Result<void> {
    for (int i = 0; i < 2; ++i) CANDOR_RETURN_IF_ERROR(this->Receive(bob, queued[i], kNow));
    return Error(Errc::kInternal, "the caller gives up");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_TRUE(bob.store->LatestMessages("alice", 10, kNow)->empty());
  EXPECT_FALSE(*bob.store->HasReceived(protocol::DigestEnvelope(queued[0].envelope_bytes)));
  EXPECT_FALSE(bob.store->LoadSession("alice")->has_value());
  // A batch that skips a duplicate inside and keeps everything else.
  auto ok = bob.store->InTransaction([&]() -> Result<void> {
    for (const auto& d : queued) CANDOR_RETURN_IF_ERROR(this->Receive(bob, d, kNow));
    auto dup = this->Receive(bob, queued[2], kNow);
    EXPECT_EQ(dup.error().code(), Errc::kDuplicateMessage);
    return Ok();
  });
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  auto history = bob.store->LatestMessages("alice", 10, kNow);
  ASSERT_EQ(history->size(), 5u);
  EXPECT_EQ((*history)[4].local_order, 4);
}

}  // namespace
}  // namespace candor

namespace candor {
namespace {

TYPED_TEST(DeviceStoreTest, ReceiveBatchStoresEachDeliveryOnItsOwnMerits) {
  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  std::vector<protocol::Delivery> sent;
  for (int i = 0; i < 6; ++i) sent.push_back(this->Send(alice, bob, "m" + std::to_string(i), kNow));
  protocol::Delivery tampered = sent[2];
  tampered.envelope.franking_commitment[0] ^= 1;
  // First contact, a duplicate inside the batch, a tampered copy, a gap
  // (the genuine m2 comes later) and reordering.
  const std::vector<protocol::Delivery> batch = {sent[0], sent[1], sent[1], tampered,
                                                 sent[3], sent[5], sent[4]};
  auto results = protocol::ReceiveBatchAndStore(*bob.store, bob.identity, "bob", batch, kNow,
                                                this->rng_);
  ASSERT_TRUE(results.has_value()) << results.error().message();
  ASSERT_EQ(results->size(), batch.size());
  EXPECT_TRUE((*results)[0].has_value());
  EXPECT_TRUE((*results)[1].has_value());
  EXPECT_EQ((*results)[2].error().code(), Errc::kDuplicateMessage);
  EXPECT_FALSE((*results)[3].has_value());
  for (size_t i : {4u, 5u, 6u}) EXPECT_TRUE((*results)[i].has_value()) << i;
  auto history = bob.store->LatestMessages("alice", 10, kNow);
  ASSERT_EQ(history->size(), 5u);
  // The genuine m2 still arrives afterwards, from the stored skipped key.
  EXPECT_TRUE(this->Receive(bob, sent[2], kNow).has_value());
  EXPECT_EQ(bob.store->LatestMessages("alice", 10, kNow)->size(), 6u);
}

// PQXDH prekeys, in both stores: ids only grow, a one-time ML-KEM prekey
// goes with the session it opened, a last-resort use is refused twice and
// forgotten with its key, and PqRequired never goes back.
TYPED_TEST(DeviceStoreTest, MlKemPrekeysAreUsedOnceRememberedAndRetired) {
  auto bare = TypeParam::Make(this->tmp_.File("bare.db"), this->rng_);
  EXPECT_FALSE(*bare->PqRequired());
  EXPECT_FALSE(bare->CurrentPqSignedPrekey()->has_value());
  EXPECT_EQ(bare->AddPqOneTimePrekey(crypto::MlKem768KeyPair::Generate(this->rng_)).error().code(),
            Errc::kInvalidState)
      << "no identity yet";
  EXPECT_EQ(bare->RotatePqSignedPrekey(1, crypto::MlKem768KeyPair::Generate(this->rng_), {}, kNow)
                .error()
                .code(),
            Errc::kInvalidState);
  EXPECT_FALSE(*bare->PqRequired());

  Device alice = this->MakeDevice("alice");
  Device bob = this->MakeDevice("bob");
  EXPECT_TRUE(*bob.store->PqRequired());
  auto current = bob.store->CurrentPqSignedPrekey();
  ASSERT_TRUE(current.has_value() && current->has_value());
  EXPECT_EQ((*current)->key, bob.pq_spk->key);
  EXPECT_EQ((*current)->signature, bob.pq_spk->signature);
  const auto again = crypto::MlKem768KeyPair::Generate(this->rng_);
  EXPECT_EQ(bob.store->RotatePqSignedPrekey(1, again, {}, kNow).error().code(),
            Errc::kInvalidArgument);

  // A first message through the one-time ML-KEM prekey consumes it.
  const protocol::Delivery first = this->Send(alice, bob, "hello", kNow);
  auto pm = protocol::DecodePrekeyMessage(first.envelope.payload);
  ASSERT_TRUE(pm.has_value() && pm->pq.has_value());
  ASSERT_EQ(pm->pq->kind, crypto::PqPrekeyKind::kOneTime);
  EXPECT_NE(*bob.store->FindPqPrekey(crypto::PqPrekeyKind::kOneTime, pm->pq->id), nullptr);
  ASSERT_TRUE(this->Receive(bob, first, kNow).has_value());
  EXPECT_EQ(*bob.store->FindPqPrekey(crypto::PqPrekeyKind::kOneTime, pm->pq->id), nullptr);
  EXPECT_TRUE((*bob.store->LoadSession("alice"))->post_quantum());
  auto next = bob.store->AddPqOneTimePrekey(crypto::MlKem768KeyPair::Generate(this->rng_));
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, pm->pq->id) << "ids are never reused";

  // A last-resort use is recorded with the session, and a second commit of
  // the same use is refused before anything changes.
  auto session = bob.store->LoadSession("alice");
  ASSERT_TRUE(session.has_value() && session->has_value());
  const protocol::LastResortUse use{1, 1, crypto::X25519KeyPair::Generate(this->rng_).public_key()};
  EXPECT_FALSE(*bob.store->LastResortUsed(use));
  auto commit = [&](uint8_t digest_byte) {
    protocol::IncomingMessage m{"alice", "bob", "x", {1}, crypto::FrankingKey{}, {}, kNow, {}, {},
                                {},      use, false};
    protocol::EnvelopeDigest digest{};
    digest[0] = digest_byte;
    return bob.store->CommitReceived(**session, m, digest, kNow);
  };
  ASSERT_TRUE(commit(1).has_value());
  EXPECT_TRUE(*bob.store->LastResortUsed(use));
  const size_t stored = bob.store->LatestMessages("alice", 100, kNow)->size();
  auto repeated = commit(2);
  ASSERT_FALSE(repeated.has_value());
  EXPECT_EQ(repeated.error().code(), Errc::kDuplicateMessage);
  EXPECT_EQ(bob.store->LatestMessages("alice", 100, kNow)->size(), stored);
  EXPECT_FALSE(*bob.store->HasReceived(protocol::EnvelopeDigest{2}));

  // Rotation: the retired key opens first messages for its retention, then
  // goes with the uses remembered for it; PqRequired stays.
  ASSERT_TRUE(bob.store->RotatePqSignedPrekey(2, again, {}, kNow).has_value());
  EXPECT_EQ((*bob.store->CurrentPqSignedPrekey())->key, again.public_key());
  EXPECT_NE(*bob.store->FindPqPrekey(crypto::PqPrekeyKind::kLastResort, 1), nullptr);
  ASSERT_TRUE(bob.store->PurgeExpired(kNow + kRetiredSignedPrekeySeconds).has_value());
  EXPECT_EQ(*bob.store->FindPqPrekey(crypto::PqPrekeyKind::kLastResort, 1), nullptr);
  EXPECT_NE(*bob.store->FindPqPrekey(crypto::PqPrekeyKind::kLastResort, 2), nullptr);
  EXPECT_FALSE(*bob.store->LastResortUsed(use));
  EXPECT_TRUE(*bob.store->PqRequired());
}

TYPED_TEST(DeviceStoreTest, ClassicalSessionsAreAllowedPerPeerOnlyWhenSaidSo) {
  Device alice = this->MakeDevice("alice");
  EXPECT_EQ(*alice.store->ClassicalFallbackFor("bob"), crypto::ClassicalFallback::kRefuse);
  ASSERT_TRUE(alice.store->SetClassicalFallback("bob", crypto::ClassicalFallback::kAllow).has_value());
  ASSERT_TRUE(alice.store->SetClassicalFallback("bob", crypto::ClassicalFallback::kAllow).has_value());
  EXPECT_EQ(*alice.store->ClassicalFallbackFor("bob"), crypto::ClassicalFallback::kAllow);
  EXPECT_EQ(*alice.store->ClassicalFallbackFor("carol"), crypto::ClassicalFallback::kRefuse);
  ASSERT_TRUE(alice.store->SetClassicalFallback("bob", crypto::ClassicalFallback::kRefuse).has_value());
  EXPECT_EQ(*alice.store->ClassicalFallbackFor("bob"), crypto::ClassicalFallback::kRefuse);
  EXPECT_EQ(alice.store->SetClassicalFallback("", crypto::ClassicalFallback::kAllow).error().code(),
            Errc::kInvalidAccount);

  // A device from before PQXDH: a classical session, where allowed.
  Device old = this->MakeDevice("old", /*post_quantum=*/false);
  EXPECT_FALSE(*old.store->PqRequired());
  auto refused = protocol::Session::Initiate(alice.identity, "alice", old.Bundle(this->rng_),
                                             this->rng_);
  EXPECT_EQ(refused.error().code(), Errc::kPqPrekeyMissing);
  auto s = protocol::Session::Initiate(alice.identity, "alice", old.Bundle(this->rng_), this->rng_,
                                       crypto::ClassicalFallback::kAllow);
  ASSERT_TRUE(s.has_value());
  auto out = s->Encrypt("hello", this->rng_);
  ASSERT_TRUE(out.has_value());
  auto d = testing::Relay(this->relay_key_, out->envelope, kNow);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(this->Receive(old, *d, kNow).has_value());
  EXPECT_FALSE((*old.store->LoadSession("alice"))->post_quantum());
}

}  // namespace
}  // namespace candor
