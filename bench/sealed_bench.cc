// Sealed sender (DESIGN.md "Sealed sender with verifiable reports").
//
// candor/sealed_one_way: one sealed 1 KiB message on an established
// session, sender and recipient, as candor/one_way measures an unsealed
// one: the token's signature over the commitment, the proof in the Frame,
// the box to the recipient's identity; then opening the box, the ratchet,
// and the checks of the certificate, the token and its signature. Every
// iteration signs with the same one-use key: a token's single use is the
// store's bookkeeping (a row deleted, a row written), not per-message
// cryptography, and store costs are the store benchmarks'.
//
// candor/token_issue_1000: the moderation service issuing 1,000 tokens,
// each the requesting account sealed under k_M and the device's one-use
// key signed.
//
// Their floors (floor_bench.cc) make the same libsodium calls straight.
#include <benchmark/benchmark.h>

#include <vector>

#include "bench_support.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/content.h"
#include "candor/protocol/sealed_check.h"

namespace candor::bench {
namespace {

constexpr int kTokens = 1000;
constexpr uint64_t kServerTime = 1'750'000'000;

void BM_SealedOneWay(benchmark::State& state) {
  EstablishedPair pair;
  crypto::InsecureDeterministicRandom setup(23);
  const auto directory = crypto::Ed25519KeyPair::Generate(setup);
  const auto service = crypto::Ed25519KeyPair::Generate(setup);
  const crypto::TokenKey token_key = crypto::GenerateTokenKey(setup);
  const auto one_use = crypto::Ed25519KeyPair::Generate(setup);
  const auto certificate = Must(crypto::IssueSenderCertificate(
      directory, "alice", pair.alice_identity->public_key(), kServerTime + 86'400));
  const auto token = Must(crypto::IssueModerationToken(token_key, service, "alice", kServerTime,
                                                       one_use.public_key(),
                                                       kServerTime + 86'400, setup));
  const protocol::SealedTrust trust{directory.public_key(), service.public_key()};
  const protocol::SealedCredential credential{certificate, token, one_use};
  // Derived once, as a Client does.
  const crypto::X25519KeyPair box_key = pair.bob_identity->ToX25519();
  crypto::RandomSource& rng = crypto::SystemRandom();
  const std::string text = Plaintext();
  for (auto _ : state) {
    auto out = Must(pair.alice->EncryptSealed(Must(protocol::EncodeContent(text)), credential, rng));
    const protocol::Delivery opened =
        Must(protocol::OpenSealedDelivery(box_key, AsDelivery(std::move(out.envelope))));
    auto in = Must(pair.bob->Decrypt(opened, kServerTime, rng, /*sealed=*/true));
    Must(protocol::CheckSealedSender(trust, *in.sealed, in.sender, pair.bob->remote_identity(),
                                     in.franking_commitment, in.server_time));
  }
}
BENCHMARK(BM_SealedOneWay)->Name("candor/sealed_one_way");

void BM_TokenIssue1000(benchmark::State& state) {
  crypto::InsecureDeterministicRandom rng(19);
  const crypto::TokenKey token_key = crypto::GenerateTokenKey(rng);
  const auto signing = crypto::Ed25519KeyPair::Generate(rng);
  std::vector<crypto::Ed25519PublicKey> keys;
  for (int i = 0; i < kTokens; ++i) keys.push_back(crypto::Ed25519KeyPair::Generate(rng).public_key());
  crypto::RandomSource& system = crypto::SystemRandom();
  for (auto _ : state) {
    for (const auto& key : keys) {
      auto token = Must(crypto::IssueModerationToken(token_key, signing, "alice", 1'750'000'000,
                                                     key, 1'750'604'800, system));
      benchmark::DoNotOptimize(token);
    }
  }
  state.SetItemsProcessed(state.iterations() * kTokens);
}
BENCHMARK(BM_TokenIssue1000)->Name("candor/token_issue_1000")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace candor::bench
