#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/random.h"

namespace candor::crypto {
namespace {

Bytes Draw(RandomSource& rng, size_t n) {
  Bytes out(n);
  rng.Fill(out);
  return out;
}

TEST(InsecureDeterministicRandom, SameSeedSameStreamDifferentSeedDifferentStream) {
  InsecureDeterministicRandom a(42), b(42), c(43);
  const Bytes a1 = Draw(a, 64), a2 = Draw(a, 64);
  EXPECT_EQ(a1, Draw(b, 64));
  EXPECT_EQ(a2, Draw(b, 64));
  EXPECT_NE(a1, a2) << "successive calls must not repeat";
  EXPECT_NE(a1, Draw(c, 64));
}

TEST(InsecureDeterministicRandom, FrozenStream) {
  // Frozen once: every known-answer vector candor generates depends on this
  // stream staying the same across versions and platforms. Checked
  // independently: BLAKE2b (hashlib) for the seed chain, then OpenSSL's
  // ChaCha20 with libsodium's nonce "LibsodiumDRG" and counter 0.
  InsecureDeterministicRandom rng(1);
  EXPECT_EQ(ToHex(Draw(rng, 16)), "fdbf093e66039af2806623175b4a0f23");
}

TEST(SystemRandom, ProducesDistinctOutput) {
  EXPECT_NE(Draw(SystemRandom(), 32), Draw(SystemRandom(), 32));
  Bytes empty;
  SystemRandom().Fill(empty);  // a zero-length fill is fine
}

}  // namespace
}  // namespace candor::crypto
