// ML-KEM-768 through candor's wrapper (crypto/mlkem.h) against the bare
// PQClean calls in the same binary: the wrapper's own cost is its checks
// (lengths; the modulus check is paid when an encapsulation key is loaded,
// not per call), the copies into its types and the RandomSource draw. Both
// sides draw their randomness from libsodium's randombytes_buf (the
// wrapper through SystemRandom).
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <cstdint>

#include "candor/crypto/mlkem.h"

extern "C" {
#include "crypto_kem/ml-kem-768/clean/kem.h"
}

namespace candor::bench {
namespace {

using crypto::MlKem768KeyPair;

void BM_MlKemKeygen(benchmark::State& state) {
  for (auto _ : state) {
    auto pair = MlKem768KeyPair::Generate(crypto::SystemRandom());
    benchmark::DoNotOptimize(pair);
  }
}
BENCHMARK(BM_MlKemKeygen)->Name("candor/mlkem768_keygen")->Unit(benchmark::kMicrosecond);

void BM_FloorMlKemKeygen(benchmark::State& state) {
  std::array<uint8_t, crypto::kMlKem768EncapsulationKeyBytes> pk{};
  std::array<uint8_t, crypto::kMlKem768DecapsulationKeyBytes> sk{};
  std::array<uint8_t, crypto::kMlKemSeedBytes> coins{};
  for (auto _ : state) {
    randombytes_buf(coins.data(), coins.size());
    PQCLEAN_MLKEM768_CLEAN_crypto_kem_keypair_derand(pk.data(), sk.data(), coins.data());
    benchmark::DoNotOptimize(sk);
  }
}
BENCHMARK(BM_FloorMlKemKeygen)->Name("candor/floor_mlkem768_keygen")->Unit(benchmark::kMicrosecond);

void BM_MlKemEncaps(benchmark::State& state) {
  const auto pair = MlKem768KeyPair::Generate(crypto::SystemRandom());
  for (auto _ : state) {
    auto enc = crypto::MlKem768Encapsulate(pair.public_key(), crypto::SystemRandom());
    benchmark::DoNotOptimize(enc);
  }
}
BENCHMARK(BM_MlKemEncaps)->Name("candor/mlkem768_encaps")->Unit(benchmark::kMicrosecond);

void BM_FloorMlKemEncaps(benchmark::State& state) {
  const auto pair = MlKem768KeyPair::Generate(crypto::SystemRandom());
  std::array<uint8_t, crypto::kMlKem768CiphertextBytes> ct{};
  std::array<uint8_t, crypto::kMlKemSharedSecretBytes> ss{};
  std::array<uint8_t, crypto::kMlKemEncapsulationRandomBytes> m{};
  for (auto _ : state) {
    randombytes_buf(m.data(), m.size());
    PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc_derand(ct.data(), ss.data(),
                                                 pair.public_key().bytes().data(), m.data());
    benchmark::DoNotOptimize(ss);
  }
}
BENCHMARK(BM_FloorMlKemEncaps)->Name("candor/floor_mlkem768_encaps")->Unit(benchmark::kMicrosecond);

void BM_MlKemDecaps(benchmark::State& state) {
  const auto pair = MlKem768KeyPair::Generate(crypto::SystemRandom());
  const auto enc = crypto::MlKem768Encapsulate(pair.public_key(), crypto::SystemRandom());
  for (auto _ : state) {
    auto ss = pair.Decapsulate(enc.ciphertext);
    benchmark::DoNotOptimize(ss);
  }
}
BENCHMARK(BM_MlKemDecaps)->Name("candor/mlkem768_decaps")->Unit(benchmark::kMicrosecond);

void BM_FloorMlKemDecaps(benchmark::State& state) {
  const auto pair = MlKem768KeyPair::Generate(crypto::SystemRandom());
  const auto enc = crypto::MlKem768Encapsulate(pair.public_key(), crypto::SystemRandom());
  std::array<uint8_t, crypto::kMlKemSharedSecretBytes> ss{};
  for (auto _ : state) {
    PQCLEAN_MLKEM768_CLEAN_crypto_kem_dec(ss.data(), enc.ciphertext.data(),
                                          pair.decapsulation_key().Expose().data());
    benchmark::DoNotOptimize(ss);
  }
}
BENCHMARK(BM_FloorMlKemDecaps)->Name("candor/floor_mlkem768_decaps")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace candor::bench
