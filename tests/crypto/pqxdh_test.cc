// PQXDH (DESIGN.md "Post-quantum session setup"): agreement with a one-time
// and with the last-resort ML-KEM prekey, the key actually depending on the
// ML-KEM secret, and every refusal: no signed ML-KEM prekey without the
// embedder's explicit allowance, bad or cross-labelled signatures, a
// tampered or short ciphertext.
#include <gtest/gtest.h>

#include "candor/crypto/x3dh.h"
#include "support/ratchet_pair.h"

namespace candor::crypto {
namespace {

using testing::MakeDevice;
using testing::MakeResponder;

struct PqResponder {
  testing::Responder x25519;
  MlKem768KeyPair last_resort;
  MlKem768KeyPair one_time;

  static PqResponder Make(RandomSource& rng) {
    auto r = MakeResponder(rng, "bob");
    auto lr = MlKem768KeyPair::Generate(rng);
    auto ot = MlKem768KeyPair::Generate(rng);
    return PqResponder{std::move(r), std::move(lr), std::move(ot)};
  }
  PrekeyBundle Bundle(bool with_pq_one_time) const {
    PrekeyBundle b = x25519.Bundle(true);
    const Ed25519KeyPair& ik = x25519.device.identity;
    b.pq_signed_prekey = SignedPqPrekey{
        3, last_resort.public_key(),
        SignPqPrekey(ik, PqPrekeyKind::kLastResort, 3, last_resort.public_key())};
    if (with_pq_one_time) {
      b.pq_one_time_prekey = SignedPqPrekey{
          9, one_time.public_key(), SignPqPrekey(ik, PqPrekeyKind::kOneTime, 9, one_time.public_key())};
    }
    return b;
  }
  Result<X3dhSecrets> Respond(const Ed25519PublicKey& alice, const X3dhInitiation& init,
                              const MlKem768KeyPair* pq, ByteView ct) const {
    return X3dhRespond(x25519.device.identity, "bob", x25519.spk, &x25519.opk, alice, "alice",
                       init.ephemeral_key, pq, ct);
  }
};

class Pqxdh : public ::testing::Test {
 protected:
  Result<X3dhSecrets> Respond(const X3dhInitiation& init, const MlKem768KeyPair* pq,
                              ByteView ct) {
    return bob.Respond(alice.identity.public_key(), init, pq, ct);
  }
  InsecureDeterministicRandom rng{40};
  testing::Device alice = MakeDevice(rng, "alice");
  PqResponder bob = PqResponder::Make(rng);
};

TEST_F(Pqxdh, AgreesThroughTheOneTimeMlKemPrekey) {
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(true));
  ASSERT_TRUE(init.has_value()) << init.error().message();
  ASSERT_TRUE(init->pq.has_value());
  EXPECT_EQ(init->pq->kind, PqPrekeyKind::kOneTime);
  EXPECT_EQ(init->pq->id, 9u);
  EXPECT_EQ(init->pq->ciphertext.size(), kMlKem768CiphertextBytes);
  auto resp = Respond(*init, &bob.one_time, init->pq->ciphertext);
  ASSERT_TRUE(resp.has_value());
  EXPECT_TRUE(init->secrets.shared_key == resp->shared_key);
  EXPECT_TRUE(init->secrets.hk_ab == resp->hk_ab);
  EXPECT_TRUE(init->secrets.nhk_ba == resp->nhk_ba);
  EXPECT_EQ(init->secrets.associated_data, resp->associated_data);
}

TEST_F(Pqxdh, AgreesThroughTheLastResortKeyWhenNoOneTimeKeyIsLeft) {
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(false));
  ASSERT_TRUE(init.has_value());
  ASSERT_TRUE(init->pq.has_value());
  EXPECT_EQ(init->pq->kind, PqPrekeyKind::kLastResort);
  EXPECT_EQ(init->pq->id, 3u);
  auto resp = Respond(*init, &bob.last_resort, init->pq->ciphertext);
  ASSERT_TRUE(resp.has_value());
  EXPECT_TRUE(init->secrets.shared_key == resp->shared_key);
}

TEST_F(Pqxdh, TheKeyDependsOnTheMlKemSecretAndItsLabel) {
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(true));
  ASSERT_TRUE(init.has_value());
  // The responder without the ML-KEM part (classical derivation) ...
  auto classical = Respond(*init, nullptr, {});
  ASSERT_TRUE(classical.has_value());
  EXPECT_FALSE(init->secrets.shared_key == classical->shared_key);
  // ... with the wrong ML-KEM key (implicit rejection: a key, not an error) ...
  auto wrong_key = Respond(*init, &bob.last_resort, init->pq->ciphertext);
  ASSERT_TRUE(wrong_key.has_value());
  EXPECT_FALSE(init->secrets.shared_key == wrong_key->shared_key);
  // ... or a tampered ciphertext: every one derives another key.
  Bytes tampered = init->pq->ciphertext;
  tampered[500] ^= 0x01;
  auto rejected = Respond(*init, &bob.one_time, tampered);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_FALSE(init->secrets.shared_key == rejected->shared_key);
  // A ciphertext of the wrong length is refused outright.
  Bytes short_ct(init->pq->ciphertext.begin(), init->pq->ciphertext.end() - 1);
  EXPECT_EQ(Respond(*init, &bob.one_time, short_ct).error().code(), Errc::kInvalidArgument);
  // A key without a ciphertext, or a ciphertext without a key: refused, not
  // silently classical.
  EXPECT_EQ(Respond(*init, &bob.one_time, {}).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(Respond(*init, nullptr, init->pq->ciphertext).error().code(), Errc::kInvalidArgument);
}

TEST_F(Pqxdh, ABundleWithoutMlKemPrekeyIsRefusedUnlessClassicalWasAllowed) {
  PrekeyBundle stripped = bob.Bundle(true);
  stripped.pq_signed_prekey.reset();
  stripped.pq_one_time_prekey.reset();
  auto refused = X3dhInitiate(rng, alice.identity, "alice", stripped);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kPqPrekeyMissing);
  auto allowed = X3dhInitiate(rng, alice.identity, "alice", stripped, ClassicalFallback::kAllow);
  ASSERT_TRUE(allowed.has_value());
  EXPECT_FALSE(allowed->pq.has_value());
  // A one-time ML-KEM prekey without the signed one is no PQXDH bundle,
  // and the allowance does not turn it into a classical session either.
  PrekeyBundle odd = bob.Bundle(true);
  odd.pq_signed_prekey.reset();
  EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", odd, ClassicalFallback::kAllow)
                .error()
                .code(),
            Errc::kPqPrekeyMissing);
}

TEST_F(Pqxdh, TheAllowanceNeverWeakensABundleThatHasAnMlKemPrekey) {
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(false),
                           ClassicalFallback::kAllow);
  ASSERT_TRUE(init.has_value());
  EXPECT_TRUE(init->pq.has_value());
}

TEST_F(Pqxdh, BadOrCrossLabelledSignaturesAreRefused) {
  for (int which = 0; which < 2; ++which) {
    PrekeyBundle b = bob.Bundle(true);
    SignedPqPrekey& k = which == 0 ? *b.pq_signed_prekey : *b.pq_one_time_prekey;
    k.signature[7] ^= 0x20;
    EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", b).error().code(),
              Errc::kBadPrekeySignature)
        << which;
  }
  // The one-time key presented as the last-resort one (and the other way
  // round) keeps a signature made under the other label: refused.
  PrekeyBundle swapped = bob.Bundle(true);
  std::swap(swapped.pq_signed_prekey, swapped.pq_one_time_prekey);
  EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", swapped).error().code(),
            Errc::kBadPrekeySignature);
  // A signature over another id does not carry over.
  PrekeyBundle renumbered = bob.Bundle(false);
  renumbered.pq_signed_prekey->id = 4;
  EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", renumbered).error().code(),
            Errc::kBadPrekeySignature);
}

}  // namespace
}  // namespace candor::crypto
