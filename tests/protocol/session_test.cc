// Two devices talking through encoded envelopes and a reference relay step:
// first contact, replies, ordering, persistence, and every rejection leaving
// the serialized session byte-identical.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/crypto/ratchet.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/session.h"
#include "support/session_pair.h"

namespace candor::protocol {
namespace {

using crypto::InsecureDeterministicRandom;
using testing::Relay;
using testing::TestDevice;

constexpr uint64_t kTime = 1'750'000'000;

struct Conversation {
  InsecureDeterministicRandom rng{50};
  crypto::RelayKey relay_key = crypto::GenerateRelayKey(rng);
  TestDevice alice{rng, "alice"};
  TestDevice bob{rng, "bob"};
  std::optional<Session> a, b;

  Delivery Deliver(const OutgoingMessage& m) {
    auto d = Relay(relay_key, m.envelope, kTime);
    EXPECT_TRUE(d.has_value());
    return std::move(d).value();
  }
  // Alice starts from Bob's encoded-then-decoded bundle.
  void Start() {
    auto bundle_bytes = EncodePrekeyBundle(bob.Bundle(rng));
    ASSERT_TRUE(bundle_bytes.has_value());
    auto bundle = DecodePrekeyBundle(*bundle_bytes);
    ASSERT_TRUE(bundle.has_value());
    auto s = Session::Initiate(alice.identity, "alice", *bundle, rng);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    a.emplace(std::move(s).value());
  }
  std::string BobReceives(const Delivery& d) {
    if (!b) {
      auto accepted = Session::Accept(bob.identity, "bob", bob, d, kTime, rng);
      EXPECT_TRUE(accepted.has_value()) << accepted.error().message();
      if (!accepted) return "";
      EXPECT_TRUE(accepted->second.consumed_one_time_prekey.has_value());
      bob.Consume(*accepted->second.consumed_one_time_prekey);
      b.emplace(std::move(accepted->first));
      return accepted->second.text;
    }
    auto m = b->Decrypt(d, kTime, rng);
    EXPECT_TRUE(m.has_value()) << m.error().message();
    return m ? m->text : "";
  }
};

TEST(Session, FirstContactRepliesAndPendingPrekey) {
  Conversation c;
  c.Start();
  EXPECT_TRUE(c.a->awaiting_reply());
  auto m1 = c.a->Encrypt("hi bob", c.rng);
  auto m2 = c.a->Encrypt("are you there?", c.rng);
  ASSERT_TRUE(m1.has_value() && m2.has_value());
  auto d1 = c.Deliver(*m1), d2 = c.Deliver(*m2);
  EXPECT_EQ(d1.envelope.content_type, ContentType::kPrekeyMessage);
  EXPECT_EQ(d2.envelope.content_type, ContentType::kPrekeyMessage);
  // The second prekey message arrives first: Bob builds the session from it.
  EXPECT_EQ(c.BobReceives(d2), "are you there?");
  EXPECT_EQ(c.BobReceives(d1), "hi bob");
  auto reply = c.b->Encrypt("yes!", c.rng);
  ASSERT_TRUE(reply.has_value());
  auto dr = c.Deliver(*reply);
  EXPECT_EQ(dr.envelope.content_type, ContentType::kRatchetMessage);
  auto got = c.a->Decrypt(dr, kTime, c.rng);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->text, "yes!");
  EXPECT_EQ(got->server_time, kTime);
  EXPECT_EQ(got->sender, "bob");
  EXPECT_FALSE(c.a->awaiting_reply());
  auto m3 = c.a->Encrypt("great", c.rng);
  EXPECT_EQ(c.Deliver(*m3).envelope.content_type, ContentType::kRatchetMessage);
  EXPECT_EQ(c.BobReceives(c.Deliver(*m3)), "great");
}

TEST(Session, IncomingMessageCarriesFrankingOpening) {
  Conversation c;
  c.Start();
  auto m = c.a->Encrypt("report me", c.rng);
  ASSERT_TRUE(m.has_value());
  auto d = c.Deliver(*m);
  auto accepted = Session::Accept(c.bob.identity, "bob", c.bob, d, kTime, c.rng);
  ASSERT_TRUE(accepted.has_value());
  const IncomingMessage& in = accepted->second;
  EXPECT_EQ(in.content, m->content);
  EXPECT_TRUE(in.franking_key == m->franking_key);
  EXPECT_EQ(in.franking_commitment, m->franking_commitment);
  // The moderator's check: commitment, then relay tag.
  EXPECT_TRUE(crypto::VerifyFrankingCommitment(in.franking_key, "alice", "bob", in.content,
                                               in.franking_commitment)
                  .has_value());
  EXPECT_TRUE(crypto::VerifyRelayTag(c.relay_key, in.franking_commitment, "alice", "bob",
                                     in.server_time, in.relay_tag)
                  .has_value());
}

// Both ends must survive the local format at every stage: the initiator
// before any reply (remote ratchet key, no receiving chain), the responder
// right after accepting.
TEST(Session, SerializeRoundTripBeforeTheFirstReply) {
  Conversation c;
  c.Start();
  auto m = c.a->Encrypt("first", c.rng);
  ASSERT_TRUE(m.has_value());
  auto alice = Session::Deserialize(c.a->Serialize().Expose());
  ASSERT_TRUE(alice.has_value()) << alice.error().message();
  EXPECT_TRUE(alice->awaiting_reply());
  c.a.emplace(std::move(alice).value());
  EXPECT_EQ(c.BobReceives(c.Deliver(*m)), "first");
  auto bob = Session::Deserialize(c.b->Serialize().Expose());
  ASSERT_TRUE(bob.has_value()) << bob.error().message();
  c.b.emplace(std::move(bob).value());
  auto second = c.a->Encrypt("second", c.rng);
  EXPECT_EQ(c.BobReceives(c.Deliver(*second)), "second");
  auto reply = c.b->Encrypt("reply", c.rng);
  EXPECT_EQ(c.a->Decrypt(c.Deliver(*reply), kTime, c.rng)->text, "reply");
}

TEST(Session, SerializeRoundTripMidConversation) {
  Conversation c;
  c.Start();
  for (int i = 0; i < 3; ++i) {
    const std::string text = std::string("m") += std::to_string(i);
    auto m = c.a->Encrypt(text, c.rng);
    if (i != 1) {  // m1 is lost
      EXPECT_EQ(c.BobReceives(c.Deliver(*m)), text);
    }
  }
  auto reply = c.b->Encrypt("r", c.rng);
  EXPECT_EQ(c.a->Decrypt(c.Deliver(*reply), kTime, c.rng)->text, "r");
  // Both sides go through the local format (Bob with one skipped key).
  ASSERT_EQ(c.b->ratchet().skipped.size(), 1u);
  for (auto* s : {&c.a, &c.b}) {
    SecretBytes saved = (*s)->Serialize();
    auto restored = Session::Deserialize(saved.Expose());
    ASSERT_TRUE(restored.has_value()) << restored.error().message();
    EXPECT_TRUE(restored->Serialize() == saved) << "serialize(deserialize(x)) == x";
    s->emplace(std::move(restored).value());
  }
  auto m = c.a->Encrypt("after restore", c.rng);
  EXPECT_EQ(c.BobReceives(c.Deliver(*m)), "after restore");
  auto r2 = c.b->Encrypt("ok", c.rng);
  EXPECT_EQ(c.a->Decrypt(c.Deliver(*r2), kTime, c.rng)->text, "ok");
}

// Runs `d` against Bob's session and expects `code` with his state byte-identical.
void ExpectRejected(Conversation& c, const Delivery& d, Errc code) {
  const SecretBytes before = c.b->Serialize();
  auto r = c.b->Decrypt(d, kTime, c.rng);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  EXPECT_TRUE(c.b->Serialize() == before);
}

struct Established : Conversation {
  Established() {
    Start();
    auto m = a->Encrypt("hello", rng);
    BobReceives(Deliver(*m));
    auto r = b->Encrypt("hi", rng);
    a->Decrypt(Deliver(*r), kTime, rng).value();
  }
};

TEST(Session, RejectionsLeaveTheStoredStateByteIdentical) {
  Established c;
  auto m = c.a->Encrypt("genuine", c.rng);
  const Delivery good = c.Deliver(*m);
  // Duplicate.
  EXPECT_EQ(c.b->Decrypt(good, kTime, c.rng)->text, "genuine");
  ExpectRejected(c, good, Errc::kDuplicateMessage);
  // Every byte of a fresh envelope flipped in turn (re-tagged by the relay).
  auto m2 = c.a->Encrypt("second", c.rng);
  for (size_t i = 0; i < m2->envelope.size(); i += 7) {
    Bytes bad = m2->envelope;
    bad[i] ^= 0x01;
    auto d = Relay(c.relay_key, bad, kTime);
    if (!d.has_value()) continue;  // the relay already refuses it
    const SecretBytes before = c.b->Serialize();
    EXPECT_FALSE(c.b->Decrypt(*d, kTime, c.rng).has_value()) << "flip at " << i;
    EXPECT_TRUE(c.b->Serialize() == before);
  }
  EXPECT_EQ(c.b->Decrypt(c.Deliver(*m2), kTime, c.rng)->text, "second");
}

TEST(Session, WrongPeerIsRejected) {
  Established c;
  auto m = c.a->Encrypt("x", c.rng);
  Delivery d = c.Deliver(*m);
  d.envelope.recipient = "carol";
  ExpectRejected(c, d, Errc::kWrongPeer);
  d = c.Deliver(*m);
  d.envelope.sender = "mallory";
  ExpectRejected(c, d, Errc::kWrongPeer);
}

TEST(Session, MismatchedFrankingCommitmentIsRejected) {
  Established c;
  // A malicious sender commits to other content than it encrypts, binding the
  // false commitment into the AEAD so that decryption itself succeeds.
  crypto::FrankingKey fk = crypto::GenerateFrankingKey(c.rng);
  const Bytes real = *EncodeContent("the real text");
  const Bytes claimed = *EncodeContent("something harmless");
  const auto commitment = *crypto::ComputeFrankingCommitment(fk, "alice", "bob", claimed);
  crypto::RatchetState alice_ratchet = c.a->ratchet().Clone();
  auto padded = EncodePaddedFrame(real, fk);
  auto ct = crypto::RatchetEncrypt(alice_ratchet, padded->Expose(), commitment, c.rng);
  auto payload = EncodeRatchetMessage(*ct);
  auto envelope = EncodeEnvelope(
      Envelope{"alice", "bob", commitment, ContentType::kRatchetMessage, *payload});
  auto d = Relay(c.relay_key, *envelope, kTime);
  ASSERT_TRUE(d.has_value());
  ExpectRejected(c, *d, Errc::kFrankingMismatch);
}

// Regression (two-party fuzzer): a prekey message's X3DH fields are outside
// the ratchet's authentication, so once the session exists a copy with any
// of them changed must be refused, not decrypted.
TEST(Session, LaterPrekeyMessagesMustRepeatTheAcceptedParameters) {
  Conversation c;
  c.Start();
  auto first = c.a->Encrypt("first", c.rng);
  auto second = c.a->Encrypt("second", c.rng);
  EXPECT_EQ(c.BobReceives(c.Deliver(*first)), "first");
  auto env = *DecodeEnvelope(second->envelope);
  auto tampered = [&](auto change) {
    auto pm = *DecodePrekeyMessage(env.payload);
    change(pm);
    Envelope e = env;
    e.payload = *EncodePrekeyMessage(pm);
    return *testing::Relay(c.relay_key, *EncodeEnvelope(e), kTime);
  };
  ExpectRejected(c, tampered([](PrekeyMessage& pm) { pm.signed_prekey_id += 1; }), Errc::kWrongPeer);
  ExpectRejected(c, tampered([](PrekeyMessage& pm) { pm.one_time_prekey_id.reset(); }),
                 Errc::kWrongPeer);
  ExpectRejected(c, tampered([&](PrekeyMessage& pm) {
                   pm.ephemeral_key = crypto::X25519KeyPair::Generate(c.rng).public_key();
                 }),
                 Errc::kWrongPeer);
  // The genuine message still arrives, also after the session went through storage.
  c.b.emplace(*Session::Deserialize(c.b->Serialize().Expose()));
  EXPECT_EQ(c.b->Decrypt(c.Deliver(*second), kTime, c.rng)->text, "second");
}

TEST(Session, AcceptFailsForUnknownOrConsumedPrekeys) {
  Conversation c;
  c.Start();
  auto m = c.a->Encrypt("hi", c.rng);
  const Delivery d = c.Deliver(*m);
  TestDevice stranger(c.rng, "bob");  // same account name, other keys
  EXPECT_EQ(Session::Accept(stranger.identity, "bob", stranger, d, kTime, c.rng).error().code(),
            Errc::kInvalidKey);
  c.bob.one_time_.clear();  // as if already used
  EXPECT_EQ(Session::Accept(c.bob.identity, "bob", c.bob, d, kTime, c.rng).error().code(),
            Errc::kInvalidKey);
  EXPECT_EQ(Session::Accept(c.bob.identity, "carol", c.bob, d, kTime, c.rng).error().code(),
            Errc::kWrongPeer);
}

TEST(Session, ResponderCannotSendFirstAndTextMustBeUtf8) {
  Established c;
  EXPECT_EQ(c.a->Encrypt("\xff", c.rng).error().code(), Errc::kFieldOutOfRange);
  Conversation fresh;
  fresh.Start();
  auto d = fresh.Deliver(*fresh.a->Encrypt("x", fresh.rng));
  auto accepted = Session::Accept(fresh.bob.identity, "bob", fresh.bob, d, kTime, fresh.rng);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_TRUE(accepted->first.Encrypt("reply", fresh.rng).has_value());
}

TEST(Session, RelayVisibleBytesHideRatchetKeysAndCounters) {
  Established c;
  std::vector<Bytes> wire;
  for (int i = 0; i < 10; ++i) wire.push_back(c.a->Encrypt("same text", c.rng)->envelope);
  const auto& dh = c.a->ratchet().dh_self.public_key().bytes();
  for (size_t i = 0; i < wire.size(); ++i) {
    EXPECT_EQ(std::search(wire[i].begin(), wire[i].end(), dh.begin(), dh.end()), wire[i].end());
    // The plaintext header (key, pn, n) of this message does not appear either.
    const crypto::RatchetHeader h{c.a->ratchet().dh_self.public_key(), 1,
                                  static_cast<uint32_t>(i)};
    const auto hb = h.Encode();
    EXPECT_EQ(std::search(wire[i].begin(), wire[i].end(), hb.begin() + 32, hb.end()),
              wire[i].end());
  }
  // Two envelopes of the same chain share no 32-byte run.
  for (size_t i = 0; i < wire.size(); ++i) {
    for (size_t j = i + 1; j < wire.size(); ++j) {
      for (size_t off = 0; off + 32 <= wire[i].size(); off += 1) {
        auto run = ByteView(wire[i]).subspan(off, 32);
        ASSERT_EQ(std::search(wire[j].begin(), wire[j].end(), run.begin(), run.end()),
                  wire[j].end())
            << i << "," << j << " at " << off;
      }
    }
  }
}

TEST(Session, DeserializeRejectsDamagedState) {
  Established c;
  const SecretBytes saved = c.b->Serialize();
  EXPECT_EQ(Session::Deserialize({}).error().code(), Errc::kUnsupportedVersion);
  Bytes v2(saved.Expose().begin(), saved.Expose().end());
  v2[0] = 2;
  EXPECT_EQ(Session::Deserialize(v2).error().code(), Errc::kUnsupportedVersion);
  // Cut in the middle of the root key: a length runs past the end.
  const auto& rk = c.b->ratchet().root_key.Expose();
  auto at = std::search(saved.Expose().begin(), saved.Expose().end(), rk.begin(), rk.end());
  ASSERT_NE(at, saved.Expose().end());
  Bytes truncated(saved.Expose().begin(), at + 10);
  EXPECT_EQ(Session::Deserialize(truncated).error().code(), Errc::kMalformed);
  Bytes unknown(saved.Expose().begin(), saved.Expose().end());
  unknown.insert(unknown.end(), {0xa8, 0x06, 0x01});  // field 101, varint 1
  EXPECT_EQ(Session::Deserialize(unknown).error().code(), Errc::kUnknownField);
  EXPECT_EQ(Session::Deserialize(Bytes(kMaxSessionStateBytes + 1, 1)).error().code(),
            Errc::kMessageTooLarge);
}

}  // namespace
}  // namespace candor::protocol
