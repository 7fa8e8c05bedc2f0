// Known-answer vectors for sealed sender (DESIGN.md "Sealed sender with
// verifiable reports"): a directory's certificate for alice, a moderation
// token issued for a one-use key alice drew, the token's signature over one
// commitment, alice's first message to bob sealed (the box built from a seed,
// as crypto_box_seal would build it), the relay's sealed tag, and the proof
// a sealed Frame carries. Made with InsecureDeterministicRandom(2019);
// tests/vectors/verify_sealed_vectors.py recomputes every piece from
// DESIGN.md alone (its own XSalsa20 and crypto_box).
//
// The message inside the box is a prekey message whose Frame is not sealed:
// the vector fixes the box, the envelope and the tags. The session vectors
// already cover the ratchet inside.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/encoding.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/sealed_box.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/session.h"
#include "support/session_pair.h"
#include "support/session_vectors.h"

namespace candor::testing {

using namespace candor::crypto;
using namespace candor::protocol;

namespace {

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return std::move(r).value();
}

// Gives one fixed 32-byte value, once.
class SeedOnce final : public RandomSource {
 public:
  explicit SeedOnce(ByteView seed) : seed_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    EXPECT_FALSE(used_);
    EXPECT_EQ(out.size(), seed_.size());
    std::copy(seed_.begin(), seed_.end(), out.begin());
    used_ = true;
  }

 private:
  ByteView seed_;
  bool used_ = false;
};

}  // namespace

VectorList GenerateSealedVectors() {
  InsecureDeterministicRandom rng(2019);
  VectorList v;
  const Ed25519KeyPair directory = Ed25519KeyPair::Generate(rng);
  const Ed25519KeyPair moderator = Ed25519KeyPair::Generate(rng);
  const TokenKey token_key = GenerateTokenKey(rng);
  const RelayKey relay_key = GenerateRelayKey(rng);
  TestDevice alice(rng, "alice");
  TestDevice bob(rng, "bob");
  v.emplace_back("directory_seed", ToHex(directory.Seed().Expose()));
  v.emplace_back("directory_public", ToHex(directory.public_key().bytes()));
  v.emplace_back("moderator_seed", ToHex(moderator.Seed().Expose()));
  v.emplace_back("moderator_public", ToHex(moderator.public_key().bytes()));
  v.emplace_back("token_key", ToHex(token_key.Expose()));
  v.emplace_back("relay_key", ToHex(relay_key.Expose()));
  v.emplace_back("sender", "alice");
  v.emplace_back("sender_identity_public", ToHex(alice.identity.public_key().bytes()));
  v.emplace_back("recipient", "bob");
  v.emplace_back("recipient_identity_seed", ToHex(bob.identity.Seed().Expose()));

  // The certificate.
  constexpr uint64_t kCertificateExpiry = 1'800'000'000;
  const SenderCertificate certificate =
      Must(IssueSenderCertificate(directory, "alice", alice.identity.public_key(),
                                  kCertificateExpiry));
  v.emplace_back("certificate_expires_at", std::to_string(kCertificateExpiry));
  v.emplace_back("certificate_signature", ToHex(certificate.signature));
  v.emplace_back("certificate", ToHex(Must(EncodeSenderCertificate(certificate))));

  // The token: alice's one-use key pair, the request, the service's answer.
  constexpr uint64_t kIssuedAt = 1'750'000'000;
  constexpr uint64_t kTokenExpiry = kIssuedAt + 7 * 86'400;
  const Ed25519KeyPair one_use = Ed25519KeyPair::Generate(rng);
  v.emplace_back("one_use_seed", ToHex(one_use.Seed().Expose()));
  v.emplace_back("token_request", ToHex(Must(EncodeTokenRequest({one_use.public_key()}))));
  const ModerationToken token = Must(IssueModerationToken(
      token_key, moderator, "alice", kIssuedAt, one_use.public_key(), kTokenExpiry, rng));
  v.emplace_back("token_issued_at", std::to_string(kIssuedAt));
  v.emplace_back("token_expires_at", std::to_string(kTokenExpiry));
  v.emplace_back("token_nonce", ToHex(token.nonce));
  v.emplace_back("token_sealed_account", ToHex(token.sealed_account));
  v.emplace_back("token_signature", ToHex(token.signature));
  v.emplace_back("token_response", ToHex(Must(EncodeTokenResponse({token}))));

  // alice's first message to bob, its commitment signed with the token key.
  Session session = Must(Session::Initiate(alice.identity, "alice", bob.Bundle(rng), rng));
  const OutgoingMessage out = Must(session.Encrypt("sealed hello", rng));
  const Envelope plain = Must(DecodeEnvelope(out.envelope));
  const Ed25519Signature tsig = Must(SignSealedCommitment(one_use, plain.franking_commitment));
  v.emplace_back("franking_commitment", ToHex(plain.franking_commitment));
  v.emplace_back("commitment_signature", ToHex(tsig));
  v.emplace_back("sealed_proof",
                 ToHex(Must(EncodeSealedProof(SealedProof{certificate, token, tsig}))));

  // The box and the envelope.
  const Bytes inner =
      Must(EncodeSealedInner(SealedInner{"alice", plain.content_type, plain.payload}));
  v.emplace_back("box_plaintext", ToHex(inner));
  // The box's seed, drawn from the stream and handed to SealedBoxSeal by a
  // source that gives exactly it, so the file can name it.
  SecretArray<32> box_seed;
  rng.Fill(box_seed.Expose());
  v.emplace_back("box_seed", ToHex(box_seed.Expose()));
  SeedOnce seed_once(box_seed.Expose());
  const X25519PublicKey bob_x = Must(bob.identity.public_key().ToX25519());
  const Bytes box = Must(SealedBoxSeal(bob_x, inner, seed_once));
  v.emplace_back("box", ToHex(box));
  const Bytes envelope = Must(EncodeEnvelope(
      Envelope{"", "bob", plain.franking_commitment, ContentType::kSealed, box}));
  v.emplace_back("envelope", ToHex(envelope));

  // The relay's tags: bob's copy, and a sealed group sender's own copy
  // (the empty recipient).
  constexpr uint64_t kServerTime = 1'750'000'123;
  v.emplace_back("server_time", std::to_string(kServerTime));
  v.emplace_back("relay_tag", ToHex(Must(ComputeSealedRelayTag(
                                  relay_key, plain.franking_commitment, "bob", kServerTime))));
  v.emplace_back("relay_tag_empty_recipient",
                 ToHex(Must(ComputeSealedRelayTag(relay_key, plain.franking_commitment, "",
                                                  kServerTime))));
  return v;
}

}  // namespace candor::testing
