// PQXDH through Session and the wire: new sessions are post-quantum at both
// ends and stay so across serialization; no downgrade (a stripped first
// message, a classical initiator); one-time ML-KEM prekeys are used once;
// a first message on the last-resort key is accepted once; the ML-KEM
// fields of later prekey messages cannot be altered.
#include <gtest/gtest.h>

#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"
#include "support/session_pair.h"

namespace candor::protocol {
namespace {

using crypto::InsecureDeterministicRandom;
using testing::Relay;
using testing::TestDevice;

constexpr uint64_t kTime = 1'750'000'000;

class PqxdhSession : public ::testing::Test {
 protected:
  Delivery Deliver(ByteView envelope) {
    auto d = Relay(relay_key_, envelope, kTime);
    EXPECT_TRUE(d.has_value());
    return std::move(d).value();
  }
  Session Start(const crypto::PrekeyBundle& bundle,
                crypto::ClassicalFallback fallback = crypto::ClassicalFallback::kRefuse) {
    auto bytes = EncodePrekeyBundle(bundle);
    EXPECT_TRUE(bytes.has_value());
    auto decoded = DecodePrekeyBundle(*bytes);
    EXPECT_TRUE(decoded.has_value());
    auto s = Session::Initiate(alice_.identity, "alice", *decoded, rng_, fallback);
    EXPECT_TRUE(s.has_value()) << s.error().message();
    return std::move(s).value();
  }
  // What a man in the middle can do to a first message: decode, change the
  // prekey message, re-encode (the commitment and the ratchet message stay).
  Bytes Rewrite(ByteView envelope, const std::function<void(PrekeyMessage&)>& change) {
    auto env = DecodeEnvelope(envelope);
    EXPECT_TRUE(env.has_value());
    auto pm = DecodePrekeyMessage(env->payload);
    EXPECT_TRUE(pm.has_value());
    change(*pm);
    env->payload = *EncodePrekeyMessage(*pm);
    return *EncodeEnvelope(*env);
  }

  InsecureDeterministicRandom rng_{60};
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  TestDevice alice_{rng_, "alice"};
  TestDevice bob_{rng_, "bob"};
};

TEST_F(PqxdhSession, NewSessionsArePostQuantumAtBothEndsAndStaySo) {
  Session a = Start(bob_.Bundle(rng_));
  EXPECT_TRUE(a.post_quantum());
  auto m1 = a.Encrypt("hello", rng_);
  ASSERT_TRUE(m1.has_value());
  auto pm = DecodePrekeyMessage(DecodeEnvelope(m1->envelope)->payload);
  ASSERT_TRUE(pm.has_value() && pm->pq.has_value());
  EXPECT_EQ(pm->pq->kind, crypto::PqPrekeyKind::kOneTime);
  // The pending ML-KEM parameters survive the store (the initiator resends
  // them until answered).
  auto restored = Session::Deserialize(a.Serialize().Expose());
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->post_quantum());
  auto m2 = restored->Encrypt("again", rng_);
  ASSERT_TRUE(m2.has_value());
  auto pm2 = DecodePrekeyMessage(DecodeEnvelope(m2->envelope)->payload);
  ASSERT_TRUE(pm2.has_value() && pm2->pq.has_value());
  EXPECT_EQ(pm2->pq->ciphertext, pm->pq->ciphertext);

  auto accepted = Session::Accept(bob_.identity, "bob", bob_, Deliver(m1->envelope), kTime, rng_);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message();
  EXPECT_EQ(accepted->second.text, "hello");
  EXPECT_EQ(accepted->second.consumed_pq_one_time_prekey, pm->pq->id);
  EXPECT_FALSE(accepted->second.last_resort_use.has_value());
  Session b = std::move(accepted->first);
  EXPECT_TRUE(b.post_quantum());
  auto b_restored = Session::Deserialize(b.Serialize().Expose());
  ASSERT_TRUE(b_restored.has_value());
  EXPECT_TRUE(b_restored->post_quantum());
  // The second prekey message (same parameters) decrypts in that session.
  auto second = b_restored->Decrypt(Deliver(m2->envelope), kTime, rng_);
  ASSERT_TRUE(second.has_value()) << second.error().message();
  EXPECT_EQ(second->text, "again");
  auto reply = b_restored->Encrypt("hi", rng_);
  ASSERT_TRUE(reply.has_value());
  auto got = restored->Decrypt(Deliver(reply->envelope), kTime, rng_);
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(restored->awaiting_reply());
  EXPECT_TRUE(restored->post_quantum());
}

TEST_F(PqxdhSession, AStrippedFirstMessageIsRefusedByADeviceThatPublishedMlKemPrekeys) {
  Session a = Start(bob_.Bundle(rng_));
  auto m1 = a.Encrypt("hello", rng_);
  ASSERT_TRUE(m1.has_value());
  const Bytes stripped = Rewrite(m1->envelope, [](PrekeyMessage& pm) { pm.pq.reset(); });
  auto r = Session::Accept(bob_.identity, "bob", bob_, Deliver(stripped), kTime, rng_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kPqPrekeyMissing);
  // A classical initiator (one allowed to fall back, holding an old
  // bundle) is refused the same way.
  Session old = Start(bob_.ClassicalBundle(rng_), crypto::ClassicalFallback::kAllow);
  EXPECT_FALSE(old.post_quantum());
  auto m = old.Encrypt("hello", rng_);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(Session::Accept(bob_.identity, "bob", bob_, Deliver(m->envelope), kTime, rng_)
                .error()
                .code(),
            Errc::kPqPrekeyMissing);
}

TEST_F(PqxdhSession, ADeviceThatNeverPublishedMlKemPrekeysStillAcceptsClassical) {
  TestDevice carol(rng_, "carol");
  crypto::PrekeyBundle bundle = carol.ClassicalBundle(rng_);
  auto refused = Session::Initiate(alice_.identity, "alice", bundle, rng_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kPqPrekeyMissing);
  auto a = Session::Initiate(alice_.identity, "alice", bundle, rng_,
                             crypto::ClassicalFallback::kAllow);
  ASSERT_TRUE(a.has_value());
  auto m1 = a->Encrypt("hello", rng_);
  ASSERT_TRUE(m1.has_value());
  auto accepted =
      Session::Accept(carol.identity, "carol", carol, Deliver(m1->envelope), kTime, rng_);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message();
  EXPECT_FALSE(accepted->first.post_quantum());
}

TEST_F(PqxdhSession, AOneTimeMlKemPrekeyOpensOneSessionOnly) {
  const crypto::PrekeyBundle bundle = bob_.Bundle(rng_);
  Session first = Start(bundle);
  Session second = Start(bundle);  // another initiator with the same bundle
  auto m1 = first.Encrypt("one", rng_);
  auto m2 = second.Encrypt("two", rng_);
  ASSERT_TRUE(m1.has_value() && m2.has_value());
  auto accepted = Session::Accept(bob_.identity, "bob", bob_, Deliver(m1->envelope), kTime, rng_);
  ASSERT_TRUE(accepted.has_value());
  bob_.Consume(accepted->second);
  // The X25519 one-time prekey is gone too; give the second one back to
  // see that the ML-KEM one alone refuses.
  bob_.one_time_.emplace(*bundle.one_time_prekey_id, crypto::X25519KeyPair::Generate(rng_));
  auto r = Session::Accept(bob_.identity, "bob", bob_, Deliver(m2->envelope), kTime, rng_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kInvalidKey);
}

TEST_F(PqxdhSession, AFirstMessageOnTheLastResortKeyIsAcceptedOnce) {
  crypto::PrekeyBundle bundle = bob_.Bundle(rng_);
  bundle.one_time_prekey_id.reset();
  bundle.one_time_prekey.reset();
  bundle.pq_one_time_prekey.reset();  // the one-time keys ran out
  Session a = Start(bundle);
  auto m1 = a.Encrypt("one", rng_);
  auto m2 = a.Encrypt("two", rng_);  // same setup parameters, another envelope
  ASSERT_TRUE(m1.has_value() && m2.has_value());
  auto accepted = Session::Accept(bob_.identity, "bob", bob_, Deliver(m1->envelope), kTime, rng_);
  ASSERT_TRUE(accepted.has_value());
  ASSERT_TRUE(accepted->second.last_resort_use.has_value());
  EXPECT_EQ(accepted->second.last_resort_use->pq_prekey_id, bob_.pq_spk_id);
  bob_.Consume(accepted->second);
  // Starting a second session from the same setup (as an attacker
  // replaying it to a device whose session was reset would) is refused.
  auto again = Session::Accept(bob_.identity, "bob", bob_, Deliver(m2->envelope), kTime, rng_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), Errc::kDuplicateMessage);
  // In the session it belongs to, the second message is fine.
  auto in_session = accepted->first.Decrypt(Deliver(m2->envelope), kTime, rng_);
  ASSERT_TRUE(in_session.has_value()) << in_session.error().message();
  EXPECT_EQ(in_session->text, "two");
}

TEST_F(PqxdhSession, LaterPrekeyMessagesCannotAlterTheMlKemFields) {
  Session a = Start(bob_.Bundle(rng_));
  auto m1 = a.Encrypt("one", rng_);
  ASSERT_TRUE(m1.has_value());
  auto accepted = Session::Accept(bob_.identity, "bob", bob_, Deliver(m1->envelope), kTime, rng_);
  ASSERT_TRUE(accepted.has_value());
  Session& b = accepted->first;
  const SecretBytes before = b.Serialize();
  const std::vector<std::function<void(PrekeyMessage&)>> changes = {
      [](PrekeyMessage& pm) { pm.pq->ciphertext[17] ^= 1; },
      [](PrekeyMessage& pm) { pm.pq->id += 1; },
      [](PrekeyMessage& pm) { pm.pq->kind = crypto::PqPrekeyKind::kLastResort; },
      [](PrekeyMessage& pm) { pm.pq.reset(); },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    auto m = a.Encrypt("later", rng_);
    ASSERT_TRUE(m.has_value());
    auto r = b.Decrypt(Deliver(Rewrite(m->envelope, changes[i])), kTime, rng_);
    ASSERT_FALSE(r.has_value()) << i;
    EXPECT_EQ(r.error().code(), Errc::kWrongPeer) << i;
    EXPECT_TRUE(b.Serialize() == before) << i;
  }
}

TEST_F(PqxdhSession, ATamperedCiphertextInTheFirstMessageOpensNothingAndConsumesNothing) {
  Session a = Start(bob_.Bundle(rng_));
  auto m1 = a.Encrypt("one", rng_);
  ASSERT_TRUE(m1.has_value());
  const Bytes tampered =
      Rewrite(m1->envelope, [](PrekeyMessage& pm) { pm.pq->ciphertext[1000] ^= 0x80; });
  auto r = Session::Accept(bob_.identity, "bob", bob_, Deliver(tampered), kTime, rng_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kHeaderDecryptFailed) << r.error().message();
  // The genuine message still opens: nothing was consumed.
  auto ok = Session::Accept(bob_.identity, "bob", bob_, Deliver(m1->envelope), kTime, rng_);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
}

}  // namespace
}  // namespace candor::protocol
