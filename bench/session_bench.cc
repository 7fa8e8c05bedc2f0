// candor's per-message cost on an established session, 1 KiB of text:
// encrypt at the sender (content, franking commitment, padding, ratchet,
// envelope) plus decode and decrypt at the recipient (envelope, ratchet,
// padding, frame, franking check, content). One iteration is one message.
#include <benchmark/benchmark.h>

#include "bench_support.h"

namespace candor::bench {
namespace {

void BM_OneWay(benchmark::State& state) {
  EstablishedPair pair;
  // The production randomness source, as the floor's randombytes_buf.
  crypto::RandomSource& rng = crypto::SystemRandom();
  const std::string text = Plaintext();
  for (auto _ : state) SendOne(*pair.alice, *pair.bob, text, rng);
  state.counters["dh_steps_per_msg"] = 0;
}
BENCHMARK(BM_OneWay)->Name("candor/one_way");

// Directions alternate, so every message carries a DH ratchet step.
void BM_PingPong(benchmark::State& state) {
  EstablishedPair pair;
  crypto::RandomSource& rng = crypto::SystemRandom();
  const std::string text = Plaintext();
  bool alice_turn = true;
  for (auto _ : state) {
    if (alice_turn) {
      SendOne(*pair.alice, *pair.bob, text, rng);
    } else {
      SendOne(*pair.bob, *pair.alice, text, rng);
    }
    alice_turn = !alice_turn;
  }
  state.counters["dh_steps_per_msg"] = 1;
}
BENCHMARK(BM_PingPong)->Name("candor/ping_pong");

// Session persistence: serialize, and serialize + deserialize.
void BM_SessionSave(benchmark::State& state) {
  EstablishedPair pair;
  for (auto _ : state) benchmark::DoNotOptimize(pair.alice->Serialize());
}
BENCHMARK(BM_SessionSave)->Name("candor/session_save");

void BM_SessionSaveLoad(benchmark::State& state) {
  EstablishedPair pair;
  for (auto _ : state) {
    SecretBytes saved = pair.alice->Serialize();
    auto loaded = protocol::Session::Deserialize(saved.Expose());
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_SessionSaveLoad)->Name("candor/session_save_load");

}  // namespace
}  // namespace candor::bench

BENCHMARK_MAIN();
