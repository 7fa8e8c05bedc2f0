// The reference relay step: what it checks, and that its delivery and
// acknowledgement carry a tag the moderation side can verify.
#include "candor/protocol/relay.h"

#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "support/session_pair.h"

namespace candor {
namespace {

using protocol::RelayEnvelope;

class RelayTest : public ::testing::Test {
 protected:
  Bytes FirstEnvelope() {
    testing::TestDevice alice(rng_, "alice"), bob(rng_, "bob");
    auto s = protocol::Session::Initiate(alice.identity, "alice", bob.Bundle(rng_), rng_);
    EXPECT_TRUE(s.has_value());
    auto out = s->Encrypt("hello", rng_);
    EXPECT_TRUE(out.has_value());
    commitment_ = out->franking_commitment;
    return out->envelope;
  }

  crypto::InsecureDeterministicRandom rng_{5};
  crypto::RelayKey key_ = crypto::GenerateRelayKey(rng_);
  crypto::FrankingCommitment commitment_{};
};

TEST_F(RelayTest, DeliveryAndAckCarryTheSameVerifiableTag) {
  const Bytes envelope = FirstEnvelope();
  auto r = RelayEnvelope(key_, envelope, 1'700'000'123);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->envelope.sender, "alice");
  EXPECT_EQ(r->envelope.recipient, "bob");
  auto delivery = protocol::DecodeDelivery(r->delivery);
  ASSERT_TRUE(delivery.has_value());
  EXPECT_EQ(delivery->envelope_bytes, envelope) << "the sender's bytes, verbatim";
  EXPECT_EQ(delivery->server_time, 1'700'000'123u);
  auto ack = protocol::DecodeRelayAck(r->ack);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->recipient, "bob");
  EXPECT_EQ(ack->franking_commitment, commitment_);
  EXPECT_EQ(ack->server_time, 1'700'000'123u);
  EXPECT_EQ(ack->relay_tag, delivery->relay_tag);
  EXPECT_TRUE(crypto::VerifyRelayTag(key_, commitment_, "alice", "bob", 1'700'000'123,
                                     ack->relay_tag).has_value());
  // Bound to the time: the same tag does not verify for another one.
  EXPECT_FALSE(crypto::VerifyRelayTag(key_, commitment_, "alice", "bob", 1'700'000'124,
                                      ack->relay_tag).has_value());
}

TEST_F(RelayTest, RefusesWhatIsNotAnEnvelope) {
  const Bytes envelope = FirstEnvelope();
  EXPECT_EQ(RelayEnvelope(key_, envelope, 0).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(RelayEnvelope(key_, {}, 1).error().code(), Errc::kUnsupportedVersion);
  for (const uint8_t version : {uint8_t{1}, uint8_t{3}}) {  // 1: a zero-nonce body from an older candor
    Bytes versioned = envelope;
    versioned[0] = version;
    EXPECT_EQ(RelayEnvelope(key_, versioned, 1).error().code(), Errc::kUnsupportedVersion);
  }
  Bytes huge(kMaxEnvelopeBytes + 1, 1);
  EXPECT_EQ(RelayEnvelope(key_, huge, 1).error().code(), Errc::kMessageTooLarge);
}

TEST_F(RelayTest, RefusesAPayloadThatIsNotTheClaimedMessage) {
  auto env = protocol::DecodeEnvelope(FirstEnvelope());
  ASSERT_TRUE(env.has_value());
  env->payload = Bytes(40, 0x42);  // not a PrekeyMessage
  auto bytes = protocol::EncodeEnvelope(*env);
  ASSERT_TRUE(bytes.has_value());
  auto r = RelayEnvelope(key_, *bytes, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().code(), Errc::kInternal);
}

}  // namespace
}  // namespace candor
