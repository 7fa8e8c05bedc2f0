// Group control messages over a pairwise session: franked and checked whole
// like text, told apart from text on receipt, and — until the store keeps
// groups — refused by the receive path without storing anything.
#include <gtest/gtest.h>

#include "candor/crypto/sender_key.h"
#include "candor/protocol/device_store.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/group_wire.h"
#include "candor/protocol/memory_store.h"
#include "support/session_pair.h"

namespace candor::group {
namespace {

constexpr uint64_t kTime = 1'750'000'000;

class GroupControlSessionTest : public ::testing::Test {
 protected:
  GroupControlSessionTest() {
    crypto::GroupId id{};
    rng_.Fill(id);
    crypto::OwnSenderKey key = crypto::GenerateSenderKey(id, rng_);
    auto encoded = protocol::EncodeSenderKeyDistribution(protocol::SenderKeyDistribution{
        1, key.chain.Clone(), key.signing.public_key(), std::nullopt, std::nullopt, {}});
    control_.assign(encoded->Expose().begin(), encoded->Expose().end());
    auto s = protocol::Session::Initiate(alice_.identity, "alice", bob_.Bundle(rng_), rng_);
    EXPECT_TRUE(s.has_value());
    alice_session_.emplace(std::move(s).value());
  }
  crypto::InsecureDeterministicRandom rng_{100};
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  testing::TestDevice alice_{rng_, "alice"};
  testing::TestDevice bob_{rng_, "bob"};
  std::optional<protocol::Session> alice_session_;
  Bytes control_;
};

TEST_F(GroupControlSessionTest, ATextAndAControlMessageAreToldApart) {
  auto out = alice_session_->EncryptGroupControl(*protocol::CheckedGroupControl::From(control_), rng_);
  ASSERT_TRUE(out.has_value()) << out.error().message();
  EXPECT_TRUE(out->content.empty()) << "a control message is not kept as history";
  auto d = testing::Relay(relay_key_, out->envelope, kTime);
  ASSERT_TRUE(d.has_value());
  auto accepted = protocol::Session::Accept(bob_.identity, "bob", bob_, *d, kTime, rng_);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message();
  EXPECT_TRUE(accepted->second.group_control);
  EXPECT_TRUE(accepted->second.text.empty());
  EXPECT_EQ(accepted->second.content, control_);
  auto text = alice_session_->Encrypt("and a text", rng_);
  auto d2 = testing::Relay(relay_key_, text->envelope, kTime);
  auto m = accepted->first.Decrypt(*d2, kTime, rng_);
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->group_control);
  EXPECT_EQ(m->text, "and a text");
}

TEST_F(GroupControlSessionTest, OnlyValidControlMessagesAreSent) {
  const SecretBytes before = alice_session_->Serialize();
  EXPECT_EQ(protocol::CheckedGroupControl::From(*protocol::EncodeContent("text")).error().code(),
            Errc::kMalformed);
  Bytes broken = control_;
  broken.pop_back();
  EXPECT_FALSE(protocol::CheckedGroupControl::From(broken).has_value());
  EXPECT_TRUE(alice_session_->Serialize() == before) << "nothing sent, nothing advanced";
}

TEST_F(GroupControlSessionTest, TheReceivePathRefusesThemUntilTheStoreKeepsGroups) {
  protocol::MemoryStore store;
  ASSERT_TRUE(store.SaveIdentity("bob", bob_.identity, kTime).has_value());
  ASSERT_TRUE(store.SaveSignedPrekey(bob_.spk_id, bob_.spk, {}, kTime).has_value());
  testing::TestDevice carol(rng_, "carol");
  crypto::PrekeyBundle bundle = bob_.ClassicalBundle(rng_);
  bundle.one_time_prekey_id.reset();
  bundle.one_time_prekey.reset();
  auto s = protocol::Session::Initiate(carol.identity, "carol", bundle, rng_,
                                       crypto::ClassicalFallback::kAllow);
  ASSERT_TRUE(s.has_value());
  auto out = s->EncryptGroupControl(*protocol::CheckedGroupControl::From(control_), rng_);
  auto d = testing::Relay(relay_key_, out->envelope, kTime);
  auto r = protocol::ReceiveAndStore(store, bob_.identity, "bob", *d, kTime, rng_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kInvalidState);
  EXPECT_FALSE(store.LoadSession("carol")->has_value());
  EXPECT_TRUE(store.LatestMessages("carol", 10, kTime)->empty());
}

}  // namespace
}  // namespace candor::group
