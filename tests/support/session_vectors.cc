#include "support/session_vectors.h"

#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/protocol/session.h"
#include "support/session_pair.h"

namespace candor::testing {

using namespace candor::crypto;
using namespace candor::protocol;

namespace {

constexpr uint64_t kServerTime = 1'767'225'600;  // 2026-01-01T00:00:00Z

std::string Hex(ByteView b) { return ToHex(b); }

}  // namespace

VectorList GenerateSessionVectors() {
  InsecureDeterministicRandom rng(2026);
  VectorList v;
  const RelayKey relay_key = GenerateRelayKey(rng);
  TestDevice alice(rng, "alice"), bob(rng, "bob");
  // Frozen before PQXDH: a classical X3DH session (vectors for PQXDH are
  // in pqxdh_vectors.cc).
  const PrekeyBundle bundle = bob.ClassicalBundle(rng);
  v.emplace_back("relay_key", Hex(relay_key.Expose()));
  v.emplace_back("server_time", std::to_string(kServerTime));
  v.emplace_back("alice_identity_seed", Hex(alice.identity.Seed().Expose()));
  v.emplace_back("alice_identity_public", Hex(alice.identity.public_key().bytes()));
  v.emplace_back("bob_identity_seed", Hex(bob.identity.Seed().Expose()));
  v.emplace_back("bob_identity_public", Hex(bob.identity.public_key().bytes()));
  v.emplace_back("bob_signed_prekey_private", Hex(bob.spk.private_key().Expose()));
  v.emplace_back("bob_one_time_prekey_private",
                 Hex(bob.one_time_.at(*bundle.one_time_prekey_id).private_key().Expose()));
  v.emplace_back("bundle", Hex(*EncodePrekeyBundle(bundle)));

  // X3DH, seen from Alice (the responder's side must agree; the test checks).
  InsecureDeterministicRandom x3dh_rng(2027);
  auto init = X3dhInitiate(x3dh_rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow);
  EXPECT_TRUE(init.has_value());
  v.emplace_back("x3dh_ephemeral_public", Hex(init->ephemeral_key.bytes()));
  v.emplace_back("x3dh_shared_key", Hex(init->secrets.shared_key.Expose()));
  v.emplace_back("x3dh_hk_ab", Hex(init->secrets.hk_ab.Expose()));
  v.emplace_back("x3dh_nhk_ba", Hex(init->secrets.nhk_ba.Expose()));
  v.emplace_back("x3dh_associated_data", Hex(init->secrets.associated_data));

  // The same X3DH through Session (same RNG seed, so the same ephemeral key),
  // then: Alice -> Bob "hello bob", Bob -> Alice "hi alice".
  InsecureDeterministicRandom session_rng(2027);
  auto a = Session::Initiate(alice.identity, "alice", bundle, session_rng,
                             ClassicalFallback::kAllow);
  EXPECT_TRUE(a.has_value());
  v.emplace_back("alice_ratchet_private", Hex(a->ratchet().dh_self.private_key().Expose()));
  auto m1 = a->Encrypt("hello bob", session_rng);
  EXPECT_TRUE(m1.has_value());
  auto d1 = Relay(relay_key, m1->envelope, kServerTime);
  EXPECT_TRUE(d1.has_value());
  v.emplace_back("m1_envelope", Hex(m1->envelope));
  v.emplace_back("m1_franking_key", Hex(m1->franking_key.Expose()));
  v.emplace_back("m1_commitment", Hex(m1->franking_commitment));
  v.emplace_back("m1_relay_tag", Hex(d1->relay_tag));

  auto accepted = Session::Accept(bob.identity, "bob", bob, *d1, kServerTime, session_rng);
  EXPECT_TRUE(accepted.has_value());
  Session& b = accepted->first;
  v.emplace_back("bob_ratchet_private", Hex(b.ratchet().dh_self.private_key().Expose()));
  auto m2 = b.Encrypt("hi alice", session_rng);
  EXPECT_TRUE(m2.has_value());
  auto d2 = Relay(relay_key, m2->envelope, kServerTime + 1);
  EXPECT_TRUE(d2.has_value());
  v.emplace_back("m2_envelope", Hex(m2->envelope));
  v.emplace_back("m2_franking_key", Hex(m2->franking_key.Expose()));
  v.emplace_back("m2_commitment", Hex(m2->franking_commitment));
  v.emplace_back("m2_relay_tag", Hex(d2->relay_tag));
  auto got = a->Decrypt(*d2, kServerTime + 1, session_rng);
  EXPECT_TRUE(got.has_value());
  EXPECT_EQ(got->text, "hi alice");
  return v;
}

std::string ToJson(const VectorList& vectors) {
  std::string out = "{\n";
  for (size_t i = 0; i < vectors.size(); ++i) {
    out += "  \"" + vectors[i].first + "\": \"" + vectors[i].second + "\"";
    out += i + 1 < vectors.size() ? ",\n" : "\n";
  }
  return out + "}\n";
}

}  // namespace candor::testing
