// X3DH: agreement with and without a one-time prekey, and every rejection
// path (bad signature, low-order and zero keys, bad accounts).
#include <gtest/gtest.h>

#include "candor/crypto/x3dh.h"
#include "support/ratchet_pair.h"

namespace candor::crypto {
namespace {

using testing::MakeDevice;
using testing::MakeResponder;

void ExpectAgreement(bool with_opk) {
  InsecureDeterministicRandom rng(20);
  auto alice = MakeDevice(rng, "alice");
  auto bob = MakeResponder(rng, "bob");
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(with_opk), ClassicalFallback::kAllow);
  ASSERT_TRUE(init.has_value()) << init.error().message();
  EXPECT_EQ(init->signed_prekey_id, 7u);
  EXPECT_EQ(init->one_time_prekey_id.has_value(), with_opk);
  auto resp = X3dhRespond(bob.device.identity, "bob", bob.spk, with_opk ? &bob.opk : nullptr,
                          alice.identity.public_key(), "alice", init->ephemeral_key);
  ASSERT_TRUE(resp.has_value());
  EXPECT_TRUE(init->secrets.shared_key == resp->shared_key);
  EXPECT_TRUE(init->secrets.hk_ab == resp->hk_ab);
  EXPECT_TRUE(init->secrets.nhk_ba == resp->nhk_ba);
  EXPECT_EQ(init->secrets.associated_data, resp->associated_data);
  EXPECT_FALSE(init->secrets.shared_key == init->secrets.hk_ab);
  // AD = label || IK_A || IK_B || lp("alice") || lp("bob")
  EXPECT_EQ(resp->associated_data.size(), 12u + 32 + 32 + 2 + 5 + 2 + 3);
}

TEST(X3dh, AgreesWithOneTimePrekey) { ExpectAgreement(true); }
TEST(X3dh, AgreesWithoutOneTimePrekey) { ExpectAgreement(false); }

TEST(X3dh, OneTimePrekeyChangesTheSecret) {
  InsecureDeterministicRandom rng(21);
  auto alice = MakeDevice(rng, "alice");
  auto bob = MakeResponder(rng, "bob");
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(true), ClassicalFallback::kAllow);
  ASSERT_TRUE(init.has_value());
  // Bob answering without the OPK (e.g. already consumed) derives another key.
  auto without = X3dhRespond(bob.device.identity, "bob", bob.spk, nullptr,
                             alice.identity.public_key(), "alice", init->ephemeral_key);
  ASSERT_TRUE(without.has_value());
  EXPECT_FALSE(init->secrets.shared_key == without->shared_key);
}

TEST(X3dh, RejectsBadPrekeySignature) {
  InsecureDeterministicRandom rng(22);
  auto alice = MakeDevice(rng, "alice");
  auto bob = MakeResponder(rng, "bob");
  {
    auto bundle = bob.Bundle(true);
    bundle.signed_prekey_signature[5] ^= 1;
    EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow).error().code(),
              Errc::kBadPrekeySignature);
  }
  {
    auto bundle = bob.Bundle(true);
    bundle.signed_prekey_id += 1;  // the id is signed too
    EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow).error().code(),
              Errc::kBadPrekeySignature);
  }
  {
    auto bundle = bob.Bundle(true);
    bundle.identity_key = alice.identity.public_key();  // someone else's identity
    EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow).error().code(),
              Errc::kBadPrekeySignature);
  }
}

TEST(X3dh, RejectsLowOrderAndZeroKeys) {
  InsecureDeterministicRandom rng(23);
  auto alice = MakeDevice(rng, "alice");
  auto bob = MakeResponder(rng, "bob");
  const auto zero = *X25519PublicKey::FromBytes(Bytes(32, 0));
  {
    // A zero signed prekey, validly signed by a malicious Bob: the DH catches it.
    auto bundle = bob.Bundle(false);
    bundle.signed_prekey = zero;
    bundle.signed_prekey_signature = SignSignedPrekey(bob.device.identity, bob.spk_id, zero);
    EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow).error().code(), Errc::kWeakKey);
  }
  {
    auto bundle = bob.Bundle(true);
    bundle.one_time_prekey = zero;
    EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow).error().code(), Errc::kWeakKey);
  }
  // Bob receiving a zero ephemeral key.
  EXPECT_EQ(X3dhRespond(bob.device.identity, "bob", bob.spk, &bob.opk,
                        alice.identity.public_key(), "alice", zero)
                .error()
                .code(),
            Errc::kWeakKey);
  // An initiator identity with no X25519 form (the Edwards identity point).
  Bytes identity_point(32, 0);
  identity_point[0] = 1;
  EXPECT_EQ(X3dhRespond(bob.device.identity, "bob", bob.spk, &bob.opk,
                        *Ed25519PublicKey::FromBytes(identity_point), "alice",
                        bob.opk.public_key())
                .error()
                .code(),
            Errc::kInvalidKey);
}

TEST(X3dh, RejectsBadAccountsAndMismatchedOneTimePrekey) {
  InsecureDeterministicRandom rng(24);
  auto alice = MakeDevice(rng, "alice");
  auto bob = MakeResponder(rng, "bob");
  EXPECT_EQ(X3dhInitiate(rng, alice.identity, "", bob.Bundle(true), ClassicalFallback::kAllow).error().code(),
            Errc::kInvalidAccount);
  EXPECT_EQ(X3dhInitiate(rng, alice.identity, std::string(129, 'a'), bob.Bundle(true), ClassicalFallback::kAllow)
                .error()
                .code(),
            Errc::kInvalidAccount);
  auto bundle = bob.Bundle(true);
  bundle.one_time_prekey.reset();
  EXPECT_EQ(X3dhInitiate(rng, alice.identity, "alice", bundle, ClassicalFallback::kAllow).error().code(),
            Errc::kInvalidArgument);
}

TEST(X3dh, AddressesAreBoundIntoAssociatedData) {
  InsecureDeterministicRandom rng(25);
  auto alice = MakeDevice(rng, "alice");
  auto bob = MakeResponder(rng, "bob");
  auto init = X3dhInitiate(rng, alice.identity, "alice", bob.Bundle(true), ClassicalFallback::kAllow);
  ASSERT_TRUE(init.has_value());
  auto resp = X3dhRespond(bob.device.identity, "bob", bob.spk, &bob.opk,
                          alice.identity.public_key(), "mallory", init->ephemeral_key);
  ASSERT_TRUE(resp.has_value());
  EXPECT_NE(init->secrets.associated_data, resp->associated_data);
}

}  // namespace
}  // namespace candor::crypto
