// Sealed sender, the service's side: the moderation service issuing 1,000
// tokens (DESIGN.md "Sealed sender with verifiable reports"), each the
// requesting account sealed under k_M and the device's one-use key signed.
// Its floor (floor_bench.cc) makes the same libsodium calls straight.
#include <benchmark/benchmark.h>

#include <vector>

#include "bench_support.h"
#include "candor/crypto/sealed_sender.h"

namespace candor::bench {
namespace {

constexpr int kTokens = 1000;

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
