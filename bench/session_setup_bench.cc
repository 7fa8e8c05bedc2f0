// Session setup, X3DH against PQXDH (DESIGN.md "Post-quantum session
// setup"). One iteration is one new session end to end:
//   decode the fetched bundle (PQXDH: the ML-KEM modulus checks),
//   Session::Initiate (signature checks, DHs; PQXDH: encapsulation),
//   encrypt the first message ("hello"),
//   the reference relay's step (RelayEnvelope) and the recipient's decode
//   of the delivery,
//   Session::Accept (DHs; PQXDH: decapsulation), which decrypts it.
// Both bundles carry an X25519 one-time prekey; the PQXDH one also carries
// a one-time ML-KEM prekey besides the signed last-resort one, as
// Client::PublishBundle publishes them. The responder only looks its
// prekeys up: nothing is consumed, so every iteration sets up the same way.
// The counters give the encoded bundle and first envelope sizes.
#include <benchmark/benchmark.h>

#include <optional>

#include "bench_support.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/mlkem.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"

namespace candor::bench {
namespace {

constexpr uint64_t kNow = 1'750'000'000;
constexpr uint32_t kSpkId = 1;
constexpr uint32_t kOpkId = 2;
constexpr uint32_t kPqSpkId = 7;
constexpr uint32_t kPqOpkId = 8;

// Bob's prekeys. With `pq` it has published ML-KEM prekeys, so it refuses
// classical first messages (PqRequired), as a store does.
class Responder : public protocol::PrekeySource {
 public:
  Responder(crypto::RandomSource& rng, bool pq)
      : identity(crypto::Ed25519KeyPair::Generate(rng)),
        spk_(crypto::X25519KeyPair::Generate(rng)),
        opk_(crypto::X25519KeyPair::Generate(rng)) {
    if (pq) {
      pq_spk_.emplace(crypto::MlKem768KeyPair::Generate(rng));
      pq_opk_.emplace(crypto::MlKem768KeyPair::Generate(rng));
    }
  }

  const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) override {
    return id == kSpkId ? &spk_ : nullptr;
  }
  const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) override {
    return id == kOpkId ? &opk_ : nullptr;
  }
  Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind kind,
                                                      uint32_t id) override {
    const crypto::MlKem768KeyPair* found = nullptr;
    if (kind == crypto::PqPrekeyKind::kLastResort) {
      if (id == kPqSpkId && pq_spk_) found = &*pq_spk_;
    } else if (id == kPqOpkId && pq_opk_) {
      found = &*pq_opk_;
    }
    return found;
  }
  Result<bool> PqRequired() override { return pq_spk_.has_value(); }
  // Only reached for a first message on the last-resort key, which the
  // benchmark's bundles never lead to (they carry a one-time ML-KEM key).
  Result<bool> LastResortUsed(const protocol::LastResortUse&) override { return false; }

  crypto::PrekeyBundle Bundle() const {
    crypto::PrekeyBundle bundle{"bob",
                                identity.public_key(),
                                kSpkId,
                                spk_.public_key(),
                                crypto::SignSignedPrekey(identity, kSpkId, spk_.public_key()),
                                kOpkId,
                                opk_.public_key(),
                                std::nullopt,
                                std::nullopt};
    if (pq_spk_) {
      bundle.pq_signed_prekey = crypto::SignedPqPrekey{
          kPqSpkId, pq_spk_->public_key(),
          crypto::SignPqPrekey(identity, crypto::PqPrekeyKind::kLastResort, kPqSpkId,
                               pq_spk_->public_key())};
      bundle.pq_one_time_prekey = crypto::SignedPqPrekey{
          kPqOpkId, pq_opk_->public_key(),
          crypto::SignPqPrekey(identity, crypto::PqPrekeyKind::kOneTime, kPqOpkId,
                               pq_opk_->public_key())};
    }
    return bundle;
  }

  crypto::Ed25519KeyPair identity;

 private:
  crypto::X25519KeyPair spk_;
  crypto::X25519KeyPair opk_;
  std::optional<crypto::MlKem768KeyPair> pq_spk_;
  std::optional<crypto::MlKem768KeyPair> pq_opk_;
};

struct Setup {
  protocol::Session bob;
  size_t first_envelope_bytes;
};

// The measured work: bundle bytes in, Bob's session (with the first message
// decrypted) out.
Setup SetUpSession(ByteView bundle_bytes, const crypto::Ed25519KeyPair& alice_id,
                   Responder& bob, const crypto::RelayKey& relay_key,
                   crypto::ClassicalFallback fallback, crypto::RandomSource& rng) {
  const crypto::PrekeyBundle bundle = Must(protocol::DecodePrekeyBundle(bundle_bytes));
  protocol::Session alice =
      Must(protocol::Session::Initiate(alice_id, "alice", bundle, rng, fallback));
  protocol::OutgoingMessage first = Must(alice.Encrypt("hello", rng));
  const protocol::Relayed relayed = Must(protocol::RelayEnvelope(relay_key, first.envelope, kNow));
  const protocol::Delivery delivery = Must(protocol::DecodeDelivery(relayed.delivery));
  auto accepted = Must(protocol::Session::Accept(bob.identity, "bob", bob, delivery, kNow, rng));
  return Setup{std::move(accepted.first), first.envelope.size()};
}

void BM_SessionSetup(benchmark::State& state, bool pq) {
  crypto::InsecureDeterministicRandom setup_rng{11};
  const auto alice_id = crypto::Ed25519KeyPair::Generate(setup_rng);
  Responder bob(setup_rng, pq);
  const crypto::RelayKey relay_key = crypto::GenerateRelayKey(setup_rng);
  const Bytes bundle_bytes = Must(protocol::EncodePrekeyBundle(bob.Bundle()));
  const auto fallback = pq ? crypto::ClassicalFallback::kRefuse : crypto::ClassicalFallback::kAllow;
  // The production randomness source, as the other session benchmarks.
  crypto::RandomSource& rng = crypto::SystemRandom();

  // Once outside the timing: the session is the kind this benchmark claims.
  Setup check = SetUpSession(bundle_bytes, alice_id, bob, relay_key, fallback, rng);
  if (check.bob.post_quantum() != pq) {
    Die(Error(Errc::kInternal, "session_setup: the session is not of the measured kind"));
  }

  for (auto _ : state) {
    Setup s = SetUpSession(bundle_bytes, alice_id, bob, relay_key, fallback, rng);
    benchmark::DoNotOptimize(s);
  }
  state.counters["bundle_bytes"] = static_cast<double>(bundle_bytes.size());
  state.counters["first_envelope_bytes"] = static_cast<double>(check.first_envelope_bytes);
}

BENCHMARK_CAPTURE(BM_SessionSetup, x3dh, false)
    ->Name("candor/session_setup_x3dh")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SessionSetup, pqxdh, true)
    ->Name("candor/session_setup_pqxdh")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace candor::bench
