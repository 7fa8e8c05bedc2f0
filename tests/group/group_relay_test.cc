// A group message through the reference relay: one GroupEnvelope in, one
// delivery per recipient out (each tagged for its recipient, each opening at
// that member), and an acknowledgement tagged with the sender as recipient.
// What the relay handles never holds the group's id or name (the issue's
// test, at the wire level), and the egress guard lets it out.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/sealed_sender.h"
#include "candor/group/group_message.h"
#include "candor/group/group_state.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/wire.h"

namespace candor::group {
namespace {

constexpr uint64_t kTime = 1'750'000'000;

bool Contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

class GroupRelayTest : public ::testing::Test {
 protected:
  GroupRelayTest() {
    rng_.Fill(id_);
    key_.emplace(crypto::GenerateSenderKey(id_, rng_));
  }
  Bytes GroupEnvelopeFor(const OutgoingGroupMessage& m, std::vector<std::string> recipients) {
    auto payload = protocol::EncodeGroupMessage(m.message);
    EXPECT_TRUE(payload.has_value());
    auto env = protocol::EncodeGroupEnvelope(
        protocol::GroupEnvelope{"alice", std::move(recipients), m.franking_commitment, *payload});
    EXPECT_TRUE(env.has_value()) << env.error().message();
    return std::move(env).value();
  }
  crypto::InsecureDeterministicRandom rng_{99};
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  crypto::GroupId id_{};
  crypto::Ed25519KeyPair alice_ = crypto::Ed25519KeyPair::Generate(rng_);
  std::optional<crypto::OwnSenderKey> key_;
};

TEST_F(GroupRelayTest, OneCiphertextFannedOutAndTaggedPerRecipient) {
  const crypto::MemberSenderKey member{key_->chain.Clone(), key_->signing.public_key(),
                                       std::nullopt, {}};
  auto m = EncryptGroupText(*key_, alice_.public_key(), "alice", "hello all", rng_);
  ASSERT_TRUE(m.has_value());
  const Bytes env = GroupEnvelopeFor(*m, {"bob", "carol"});
  ASSERT_TRUE(protocol::CheckEgress(protocol::EgressChannel::kRelay, protocol::kGroupEnvelopeType,
                                    env)
                  .has_value());
  auto relayed = protocol::RelayGroupEnvelope(relay_key_, env, kTime);
  ASSERT_TRUE(relayed.has_value()) << relayed.error().message();
  ASSERT_EQ(relayed->deliveries.size(), 2u);
  EXPECT_EQ(relayed->egress.size(), 3u);
  for (const auto& [recipient, bytes] : relayed->deliveries) {
    auto d = protocol::DecodeDelivery(bytes);
    ASSERT_TRUE(d.has_value()) << d.error().message();
    EXPECT_EQ(d->envelope.recipient, recipient);
    EXPECT_EQ(d->envelope.sender, "alice");
    EXPECT_EQ(d->envelope.content_type, protocol::ContentType::kGroupMessage);
    EXPECT_TRUE(crypto::VerifyRelayTag(relay_key_, d->envelope.franking_commitment, "alice",
                                       recipient, kTime, d->relay_tag)
                    .has_value());
    auto sealed = protocol::DecodeGroupMessage(d->envelope.payload);
    ASSERT_TRUE(sealed.has_value());
    EXPECT_EQ(*sealed, m->message);
    auto in = DecryptGroupText(member, alice_.public_key(), "alice",
                               d->envelope.franking_commitment, *sealed, kTime);
    ASSERT_TRUE(in.has_value()) << in.error().message();
    EXPECT_EQ(in->text, "hello all");
  }
  auto ack = protocol::DecodeRelayAck(relayed->ack);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->recipient, "alice");
  EXPECT_TRUE(crypto::VerifyRelayTag(relay_key_, ack->franking_commitment, "alice", "alice", kTime,
                                     ack->relay_tag)
                  .has_value());
  // A group message never travels as a device's Envelope.
  auto as_envelope = protocol::EncodeEnvelope(protocol::Envelope{
      "alice", "bob", m->franking_commitment, protocol::ContentType::kGroupMessage,
      *protocol::EncodeGroupMessage(m->message)});
  ASSERT_TRUE(as_envelope.has_value());
  EXPECT_EQ(protocol::RelayEnvelope(relay_key_, *as_envelope, kTime).error().code(),
            Errc::kFieldOutOfRange);
}

// Sent sealed (DESIGN.md "Sealed sender"): the group envelope drops the
// sender, so do the copies; each copy's tag is the sealed one for its
// recipient and the sender's acknowledgement is tagged over the empty
// recipient. Members still open it (they find the sender key by its id).
TEST_F(GroupRelayTest, ASealedGroupMessageIsFannedOutWithoutASender) {
  const crypto::MemberSenderKey member{key_->chain.Clone(), key_->signing.public_key(),
                                       std::nullopt, {}};
  auto m = EncryptGroupText(*key_, alice_.public_key(), "alice", "sealed hello", rng_);
  ASSERT_TRUE(m.has_value());
  auto payload = protocol::EncodeGroupMessage(m->message);
  ASSERT_TRUE(payload.has_value());
  auto env = protocol::EncodeGroupEnvelope(
      protocol::GroupEnvelope{"", {"bob", "carol"}, m->franking_commitment, *payload});
  ASSERT_TRUE(env.has_value()) << env.error().message();
  EXPECT_FALSE(Contains(*env, AsBytes(std::string_view("alice"))));
  auto relayed = protocol::RelayGroupEnvelope(relay_key_, *env, kTime);
  ASSERT_TRUE(relayed.has_value()) << relayed.error().message();
  ASSERT_EQ(relayed->deliveries.size(), 2u);
  for (const auto& [recipient, bytes] : relayed->deliveries) {
    EXPECT_FALSE(Contains(bytes, AsBytes(std::string_view("alice"))));
    EXPECT_FALSE(Contains(bytes, alice_.public_key().bytes()));
    auto d = protocol::DecodeDelivery(bytes);
    ASSERT_TRUE(d.has_value()) << d.error().message();
    EXPECT_TRUE(d->envelope.sender.empty());
    EXPECT_EQ(d->envelope.content_type, protocol::ContentType::kGroupMessage);
    EXPECT_TRUE(crypto::VerifySealedRelayTag(relay_key_, m->franking_commitment, recipient,
                                             kTime, d->relay_tag)
                    .has_value());
    EXPECT_FALSE(crypto::VerifyRelayTag(relay_key_, m->franking_commitment, "alice", recipient,
                                        kTime, d->relay_tag)
                     .has_value());
    auto sealed = protocol::DecodeGroupMessage(d->envelope.payload);
    ASSERT_TRUE(sealed.has_value());
    auto in = DecryptGroupText(member, alice_.public_key(), "alice",
                               d->envelope.franking_commitment, *sealed, kTime);
    ASSERT_TRUE(in.has_value()) << in.error().message();
    EXPECT_EQ(in->text, "sealed hello");
  }
  EXPECT_FALSE(Contains(relayed->ack, AsBytes(std::string_view("alice"))));
  auto ack = protocol::DecodeRelayAck(relayed->ack);
  ASSERT_TRUE(ack.has_value()) << ack.error().message();
  EXPECT_TRUE(ack->recipient.empty());
  EXPECT_TRUE(crypto::VerifySealedRelayTag(relay_key_, m->franking_commitment, "", kTime,
                                           ack->relay_tag)
                  .has_value());
  for (const auto& record : relayed->egress) {
    EXPECT_EQ(std::count(record.fields.begin(), record.fields.end(),
                         "candor.wire.Envelope.sender"),
              0);
    EXPECT_EQ(std::count(record.fields.begin(), record.fields.end(),
                         "candor.wire.RelayAck.recipient"),
              0);
  }
}

TEST_F(GroupRelayTest, NothingTheRelayHandlesHoldsTheGroupsIdOrName) {
  constexpr std::string_view kName = "Zebra-Quokka-Orchard";
  // The group's changes travel inside the pairwise sessions' encryption
  // (tested in group_control_session_test.cc); here: its messages.
  auto group = GroupState::Create("alice", id_, kName, Bytes{9, 9, 9}, {"bob", "carol"});
  ASSERT_TRUE(group.has_value());
  std::vector<Bytes> left;  // every byte string that reaches the relay or comes back from it
  for (const char* text : {"first", "Zebra-Quokka-Orchard is the name of this group"}) {
    auto m = EncryptGroupText(*key_, alice_.public_key(), "alice", text, rng_);
    ASSERT_TRUE(m.has_value());
    left.push_back(GroupEnvelopeFor(*m, {"bob", "carol"}));
    auto relayed = protocol::RelayGroupEnvelope(relay_key_, left.back(), kTime);
    ASSERT_TRUE(relayed.has_value());
    for (auto& [r, d] : relayed->deliveries) left.push_back(d);
    left.push_back(relayed->ack);
  }
  for (const Bytes& b : left) {
    EXPECT_FALSE(Contains(b, AsBytes(std::string_view("Zebra"))));
    EXPECT_FALSE(Contains(b, id_));
    EXPECT_FALSE(Contains(b, ByteView(id_).first(8))) << "not even a part of the group id";
  }
}

TEST_F(GroupRelayTest, BadGroupEnvelopesAreRefused) {
  auto m = EncryptGroupText(*key_, alice_.public_key(), "alice", "x", rng_);
  ASSERT_TRUE(m.has_value());
  const Bytes payload = *protocol::EncodeGroupMessage(m->message);
  auto refused = [&](std::vector<std::string> recipients) {
    return protocol::EncodeGroupEnvelope(
               protocol::GroupEnvelope{"alice", std::move(recipients), m->franking_commitment,
                                       payload})
        .error()
        .code();
  };
  EXPECT_EQ(refused({}), Errc::kMissingField);
  EXPECT_EQ(refused({"bob", "bob"}), Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({"bob", "alice"}), Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({""}), Errc::kFieldOutOfRange);  // the wire layer's code for a bad account
  std::vector<std::string> too_many;
  for (int i = 0; i < 1024; ++i) too_many.push_back("m" + std::to_string(i));
  EXPECT_EQ(refused(too_many), Errc::kFieldOutOfRange);
  // A payload that is no group message, and a sealed message of no bucket size.
  EXPECT_FALSE(protocol::EncodeGroupEnvelope(
                   protocol::GroupEnvelope{"alice", {"bob"}, m->franking_commitment, Bytes{1, 2}})
                   .has_value());
  Bytes cut = m->message;
  cut.pop_back();
  EXPECT_EQ(protocol::EncodeGroupMessage(cut).error().code(), Errc::kBadFieldLength);
}

}  // namespace
}  // namespace candor::group
