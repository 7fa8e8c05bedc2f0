// Known-answer vectors for Sender Keys (DESIGN.md "Groups"): alice's sender
// key in group G, its distribution (the GroupControl bob receives over their
// pairwise session), and two group messages with their franking. Made with
// InsecureDeterministicRandom(2030); bob's decryption of both is checked here,
// and tests/vectors/verify_group_vectors.py recomputes everything from
// DESIGN.md alone.
#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/sender_key.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/group_wire.h"
#include "support/session_vectors.h"

namespace candor::testing {

using namespace candor::crypto;
using namespace candor::protocol;

VectorList GenerateGroupVectors() {
  InsecureDeterministicRandom rng(2030);
  VectorList v;
  const Ed25519KeyPair alice = Ed25519KeyPair::Generate(rng);
  GroupId group{};
  rng.Fill(group);
  OwnSenderKey key = GenerateSenderKey(group, rng);
  v.emplace_back("group_id", ToHex(group));
  v.emplace_back("sender", "alice");
  v.emplace_back("sender_identity_public", ToHex(alice.public_key().bytes()));
  v.emplace_back("key_id", std::to_string(key.chain.kid));
  v.emplace_back("chain_key_0", ToHex(key.chain.chain_key.Expose()));
  v.emplace_back("header_key", ToHex(key.chain.header_key.Expose()));
  v.emplace_back("signing_seed", ToHex(key.signing.Seed().Expose()));
  v.emplace_back("signing_public", ToHex(key.signing.public_key().bytes()));

  auto proof = SignSenderKeyOwnership(key, "alice", alice.public_key(), 3);
  EXPECT_TRUE(proof.has_value());
  const SenderKeyDistribution distribution{3,  key.chain.Clone(), key.signing.public_key(),
                                           77, 12,                *proof};
  auto distribution_control = EncodeSenderKeyDistribution(distribution);
  EXPECT_TRUE(distribution_control.has_value());
  v.emplace_back("distribution_epoch", "3");
  v.emplace_back("distribution_previous_key_id", "77");
  v.emplace_back("distribution_previous_final_iteration", "12");
  v.emplace_back("distribution_control", ToHex(distribution_control->Expose()));
  auto received = DecodeSenderKeyDistribution(distribution_control->Expose());
  EXPECT_TRUE(received.has_value());
  MemberSenderKey bob{std::move(received->chain), received->signing_public, std::nullopt, {}};

  const char* texts[] = {"hello group", "second message"};
  for (int i = 0; i < 2; ++i) {
    const std::string name = "m" + std::to_string(i + 1);
    const FrankingKey fk = GenerateFrankingKey(rng);
    auto content = EncodeContent(texts[i]);
    auto c = ComputeGroupFrankingCommitment(fk, "alice", group, *content);
    auto padded = EncodePaddedFrame(*content, fk);
    EXPECT_TRUE(content.has_value() && c.has_value() && padded.has_value());
    auto message = GroupEncrypt(key, alice.public_key(), "alice", *c, padded->Expose(), rng);
    EXPECT_TRUE(message.has_value());
    v.emplace_back(name + "_text", texts[i]);
    v.emplace_back(name + "_franking_key", ToHex(fk.Expose()));
    v.emplace_back(name + "_commitment", ToHex(*c));
    v.emplace_back(name + "_message", ToHex(*message));
    auto opened = GroupDecrypt(bob, alice.public_key(), "alice", *c, *message, 1'767'225'600);
    EXPECT_TRUE(opened.has_value());
    if (!opened) break;
    auto frame = DecodePaddedFrame(opened->plaintext.Expose());
    EXPECT_TRUE(frame.has_value() && frame->content == *content);
    bob = std::move(opened->next);
  }
  return v;
}

}  // namespace candor::testing
