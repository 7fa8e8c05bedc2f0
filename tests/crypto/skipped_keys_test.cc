#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/crypto/skipped_keys.h"

namespace candor::crypto {
namespace {

SecretArray<32> Key(uint8_t v) {
  SecretArray<32> k;
  k.Expose()[0] = v;
  k.Expose()[31] = 0xaa;
  return k;
}

TEST(SkippedKeys, TakeRemovesExactlyOnce) {
  SkippedKeys s;
  s.Add(Key(1), 5, Key(50), 100);
  s.Add(Key(1), 6, Key(60), 100);
  s.Add(Key(2), 0, Key(70), 100);
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.chains().size(), 2u);
  auto k = s.Take(0, 6);
  ASSERT_TRUE(k.has_value());
  EXPECT_TRUE(*k == Key(60));
  EXPECT_FALSE(s.Take(0, 6).has_value());
  EXPECT_FALSE(s.Take(0, 7).has_value());
  EXPECT_FALSE(s.Take(9, 0).has_value());
  EXPECT_EQ(s.size(), 2u);
}

TEST(SkippedKeys, EvictsOldestAcrossChains) {
  SkippedKeys s;
  s.Add(Key(1), 0, Key(1), 0);  // the oldest
  for (uint32_t i = 0; i < kMaxSkippedKeys - 1; ++i) s.Add(Key(2), i, Key(2), 0);
  EXPECT_EQ(s.size(), kMaxSkippedKeys);
  EXPECT_EQ(s.chains().size(), 2u);
  s.Add(Key(3), 0, Key(3), 0);
  EXPECT_EQ(s.size(), kMaxSkippedKeys);
  // Chain 1 lost its only key and is gone; chain 2's keys all remain.
  ASSERT_EQ(s.chains().size(), 2u);
  EXPECT_TRUE(s.chains()[0].header_key == Key(2));
  EXPECT_EQ(s.chains()[0].keys.size(), kMaxSkippedKeys - 1);
  s.Add(Key(3), 1, Key(3), 0);
  EXPECT_EQ(s.chains()[0].keys.front().n, 1u) << "then chain 2's first key goes";
}

TEST(SkippedKeys, ExpireDropsOnlyOldKeysAndCloneIsDeep) {
  SkippedKeys s;
  s.Add(Key(1), 0, Key(10), 1000);
  s.Add(Key(1), 1, Key(11), 2000);
  SkippedKeys copy = s.Clone();
  s.Expire(1000 + kSkippedKeyTtlSeconds + 1);
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(s.chains()[0].keys.front().n, 1u);
  s.Expire(0);  // a clock that went backwards drops nothing
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(copy.size(), 2u);
  s.Expire(2000 + kSkippedKeyTtlSeconds + 1);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_TRUE(s.chains().empty());
}

}  // namespace
}  // namespace candor::crypto
