// Known-answer vectors for a PQXDH session: bob's bundle with a signed and a
// one-time ML-KEM-768 prekey, alice's first message encapsulating to the
// one-time key, bob's reply. InsecureDeterministicRandom(2028) for the keys,
// (2029) for the setup. The ML-KEM decapsulation keys, ciphertext and shared
// secret are in the file, so the Python check can take ss from it (it does
// not implement ML-KEM; Wycheproof's vectors cover that) and recompute the
// rest: signatures, DHs, the HKDF with ss, and both messages.
#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/protocol/session.h"
#include "support/session_pair.h"
#include "support/session_vectors.h"

namespace candor::testing {

using namespace candor::crypto;
using namespace candor::protocol;

namespace {
constexpr uint64_t kServerTime = 1'767'225'600;  // 2026-01-01T00:00:00Z
}  // namespace

VectorList GeneratePqxdhVectors() {
  InsecureDeterministicRandom rng(2028);
  VectorList v;
  const RelayKey relay_key = GenerateRelayKey(rng);
  TestDevice alice(rng, "alice"), bob(rng, "bob");
  const PrekeyBundle bundle = bob.Bundle(rng);
  EXPECT_TRUE(bundle.pq_signed_prekey && bundle.pq_one_time_prekey);
  const uint32_t pq_opk_id = bundle.pq_one_time_prekey->id;
  v.emplace_back("relay_key", ToHex(relay_key.Expose()));
  v.emplace_back("server_time", std::to_string(kServerTime));
  v.emplace_back("alice_identity_seed", ToHex(alice.identity.Seed().Expose()));
  v.emplace_back("alice_identity_public", ToHex(alice.identity.public_key().bytes()));
  v.emplace_back("bob_identity_seed", ToHex(bob.identity.Seed().Expose()));
  v.emplace_back("bob_identity_public", ToHex(bob.identity.public_key().bytes()));
  v.emplace_back("bob_signed_prekey_private", ToHex(bob.spk.private_key().Expose()));
  v.emplace_back("bob_one_time_prekey_private",
                 ToHex(bob.one_time_.at(*bundle.one_time_prekey_id).private_key().Expose()));
  v.emplace_back("bob_pq_signed_prekey_dk", ToHex(bob.pq_spk_->decapsulation_key().Expose()));
  v.emplace_back("bob_pq_one_time_prekey_dk",
                 ToHex(bob.pq_one_time_.at(pq_opk_id).decapsulation_key().Expose()));
  v.emplace_back("bundle", ToHex(*EncodePrekeyBundle(bundle)));

  // PQXDH seen from alice; bob's side must agree (Accept below).
  InsecureDeterministicRandom setup_rng(2029);
  auto init = X3dhInitiate(setup_rng, alice.identity, "alice", bundle);
  EXPECT_TRUE(init.has_value() && init->pq.has_value());
  v.emplace_back("ephemeral_public", ToHex(init->ephemeral_key.bytes()));
  v.emplace_back("pq_kind", std::to_string(static_cast<int>(init->pq->kind)));
  v.emplace_back("pq_prekey_id", std::to_string(init->pq->id));
  v.emplace_back("pq_ciphertext", ToHex(init->pq->ciphertext));
  auto ss = bob.pq_one_time_.at(pq_opk_id).Decapsulate(init->pq->ciphertext);
  EXPECT_TRUE(ss.has_value());
  v.emplace_back("pq_shared_secret", ToHex(ss->Expose()));
  v.emplace_back("pqxdh_shared_key", ToHex(init->secrets.shared_key.Expose()));
  v.emplace_back("pqxdh_hk_ab", ToHex(init->secrets.hk_ab.Expose()));
  v.emplace_back("pqxdh_nhk_ba", ToHex(init->secrets.nhk_ba.Expose()));
  v.emplace_back("pqxdh_associated_data", ToHex(init->secrets.associated_data));

  // The same setup through Session (same seed: same ephemeral key and
  // ciphertext), then alice -> bob "hello bob", bob -> alice "hi alice".
  InsecureDeterministicRandom session_rng(2029);
  auto a = Session::Initiate(alice.identity, "alice", bundle, session_rng);
  EXPECT_TRUE(a.has_value() && a->post_quantum());
  v.emplace_back("alice_ratchet_private", ToHex(a->ratchet().dh_self.private_key().Expose()));
  auto m1 = a->Encrypt("hello bob", session_rng);
  EXPECT_TRUE(m1.has_value());
  auto d1 = Relay(relay_key, m1->envelope, kServerTime);
  EXPECT_TRUE(d1.has_value());
  v.emplace_back("m1_envelope", ToHex(m1->envelope));
  v.emplace_back("m1_franking_key", ToHex(m1->franking_key.Expose()));
  v.emplace_back("m1_commitment", ToHex(m1->franking_commitment));
  v.emplace_back("m1_relay_tag", ToHex(d1->relay_tag));

  auto accepted = Session::Accept(bob.identity, "bob", bob, *d1, kServerTime, session_rng);
  EXPECT_TRUE(accepted.has_value());
  Session& b = accepted->first;
  EXPECT_TRUE(b.post_quantum());
  v.emplace_back("bob_ratchet_private", ToHex(b.ratchet().dh_self.private_key().Expose()));
  auto m2 = b.Encrypt("hi alice", session_rng);
  EXPECT_TRUE(m2.has_value());
  auto d2 = Relay(relay_key, m2->envelope, kServerTime + 1);
  EXPECT_TRUE(d2.has_value());
  v.emplace_back("m2_envelope", ToHex(m2->envelope));
  v.emplace_back("m2_franking_key", ToHex(m2->franking_key.Expose()));
  v.emplace_back("m2_commitment", ToHex(m2->franking_commitment));
  v.emplace_back("m2_relay_tag", ToHex(d2->relay_tag));
  auto got = a->Decrypt(*d2, kServerTime + 1, session_rng);
  EXPECT_TRUE(got.has_value());
  EXPECT_EQ(got->text, "hi alice");
  return v;
}

}  // namespace candor::testing
