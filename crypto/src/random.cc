#include "candor/crypto/random.h"

#include <sodium.h>

#include <algorithm>

#include "candor/crypto/bytes.h"
#include "sodium_support.h"

namespace candor::crypto {
namespace {

class SodiumRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    internal::EnsureSodium();
    randombytes_buf(internal::Ptr(out), out.size());
  }
};

}  // namespace

RandomSource& SystemRandom() {
  static SodiumRandom source;
  return source;
}

PrefetchedRandom::PrefetchedRandom(RandomSource& source, size_t bytes)
    : source_(source), buffer_(bytes) {
  source_.Fill(buffer_.Expose());
}

void PrefetchedRandom::Fill(std::span<uint8_t> out) {
  const size_t left = buffer_.size() - served_;
  if (out.size() > left) {
    source_.Fill(out);  // more than was prefetched: straight from the source
    return;
  }
  auto from = buffer_.Expose().subspan(served_, out.size());
  std::copy(from.begin(), from.end(), out.begin());
  candor::internal::SecureWipe(from.data(), from.size());
  served_ += out.size();
}

namespace {

void Be64(uint64_t v, uint8_t out[8]) {
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
}

}  // namespace

InsecureDeterministicRandom::InsecureDeterministicRandom(uint64_t seed) {
  internal::EnsureSodium();
  // seed_ = BLAKE2b-256("candor/test-rng/v1" || be64(seed))
  static constexpr std::string_view kLabel = "candor/test-rng/v1";
  uint8_t seed_be[8];
  Be64(seed, seed_be);
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, seed_.size());
  crypto_generichash_update(&h, AsBytes(kLabel).data(), kLabel.size());
  crypto_generichash_update(&h, seed_be, sizeof seed_be);
  crypto_generichash_final(&h, seed_.Expose().data(), seed_.size());
}

void InsecureDeterministicRandom::Fill(std::span<uint8_t> out) {
  // A fresh ChaCha20 key per call: BLAKE2b-256(key = seed_, be64(counter)).
  static_assert(randombytes_SEEDBYTES == 32);
  uint8_t counter_be[8];
  Be64(counter_++, counter_be);
  SecretArray<32> call_seed;
  crypto_generichash(call_seed.Expose().data(), call_seed.size(), counter_be,
                     sizeof counter_be, seed_.Expose().data(), seed_.size());
  randombytes_buf_deterministic(internal::Ptr(out), out.size(), call_seed.Expose().data());
}

}  // namespace candor::crypto
