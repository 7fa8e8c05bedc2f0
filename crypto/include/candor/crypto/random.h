// Randomness as an injectable source. Production code uses SystemRandom()
// (libsodium's randombytes_buf, the OS CSPRNG); tests, known-answer vector
// generation and fuzzers pass an InsecureDeterministicRandom so runs repeat.
#ifndef CANDOR_CRYPTO_RANDOM_H_
#define CANDOR_CRYPTO_RANDOM_H_

#include <cstdint>
#include <span>

#include "candor/crypto/secret.h"

namespace candor::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` completely. Never fails: a source that cannot deliver must
  // abort rather than hand out predictable bytes.
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// The operating system's CSPRNG through libsodium. Thread-safe.
RandomSource& SystemRandom();

// Serves the bytes of one draw from `source` (made at construction) to the
// next Fill calls, then falls back to `source`: a message that needs several
// small random values costs one system call instead of several. The buffer
// is local to one operation and wiped as it is served, so no randomness
// outlives it (unlike a long-lived pool, which a fork would duplicate).
class PrefetchedRandom final : public RandomSource {
 public:
  PrefetchedRandom(RandomSource& source, size_t bytes);
  void Fill(std::span<uint8_t> out) override;

 private:
  RandomSource& source_;
  SecretBytes buffer_;
  size_t served_ = 0;
};

// A reproducible stream: ChaCha20 (randombytes_buf_deterministic) keyed per
// call from the seed and a call counter. The same seed gives the same bytes on
// every platform. NEVER use it for real keys; the name is meant to stand out.
class InsecureDeterministicRandom final : public RandomSource {
 public:
  explicit InsecureDeterministicRandom(uint64_t seed);
  void Fill(std::span<uint8_t> out) override;

 private:
  SecretArray<32> seed_;
  uint64_t counter_ = 0;
};

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_RANDOM_H_
