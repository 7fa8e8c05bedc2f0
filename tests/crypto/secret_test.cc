// Secret memory: wiping is proved with an observing allocator — the same
// SanitizingAllocator code, with an observer that inspects each buffer after
// the wipe and before it is freed (never by reading freed memory).
#include <gtest/gtest.h>

#include <new>
#include <type_traits>

#include "candor/crypto/secret.h"

namespace candor {
namespace {

struct RecordingObserver {
  static inline int released = 0;       // buffers handed back
  static inline int released_dirty = 0; // of those, any not all zero
  static void OnWiped(const void* data, size_t size) {
    ++released;
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < size; ++i) {
      if (p[i] != 0) {
        ++released_dirty;
        return;
      }
    }
  }
  static void Reset() { released = released_dirty = 0; }
};

using ObservedSecret = BasicSecretBytes<SanitizingAllocator<uint8_t, RecordingObserver>>;

constexpr uint8_t kThree[3] = {1, 2, 3};

ObservedSecret Filled(size_t n, uint8_t value) {
  ObservedSecret s(n);
  for (auto& b : s.Expose()) b = value;
  return s;
}

static_assert(!std::is_copy_constructible_v<SecretBytes>);
static_assert(!std::is_copy_assignable_v<SecretBytes>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);
static_assert(!std::is_copy_constructible_v<SecretArray<32>>);
static_assert(!std::is_copy_assignable_v<SecretArray<32>>);

TEST(SecretBytes, ObserverDetectsUnwipedMemory) {
  // Control: the instrument itself must notice dirty memory, or the tests
  // below could not fail.
  RecordingObserver::Reset();
  const uint8_t dirty[4] = {0, 0, 1, 0};
  RecordingObserver::OnWiped(dirty, sizeof dirty);
  EXPECT_EQ(RecordingObserver::released_dirty, 1);
}

TEST(SecretBytes, WipedOnDestruction) {
  RecordingObserver::Reset();
  { ObservedSecret s = Filled(64, 0xa5); }
  EXPECT_EQ(RecordingObserver::released, 1);
  EXPECT_EQ(RecordingObserver::released_dirty, 0);
}

TEST(SecretBytes, OldBufferWipedOnReallocation) {
  RecordingObserver::Reset();
  ObservedSecret s = Filled(8, 0x5a);
  s.Reserve(8);
  const std::vector<uint8_t> more(1000, 0x77);
  s.Append(more);  // outgrows the capacity: the old buffer is released
  EXPECT_GE(RecordingObserver::released, 1);
  EXPECT_EQ(RecordingObserver::released_dirty, 0);
  EXPECT_EQ(s.size(), 1008u);
  EXPECT_EQ(s.Expose()[0], 0x5a);
  EXPECT_EQ(s.Expose()[1007], 0x77);
}

TEST(SecretBytes, ClearAndMoveAssignWipeReleasedBuffers) {
  RecordingObserver::Reset();
  ObservedSecret a = Filled(32, 1);
  ObservedSecret b = Filled(32, 2);
  a = std::move(b);  // a's old buffer is released
  EXPECT_EQ(RecordingObserver::released, 1);
  a.Clear();
  EXPECT_EQ(RecordingObserver::released, 2);
  EXPECT_EQ(RecordingObserver::released_dirty, 0);
  EXPECT_TRUE(a.empty());
}

TEST(SecretBytes, MovedFromIsEmpty) {
  SecretBytes a = SecretBytes::CopyFrom(std::span<const uint8_t>(kThree));
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(b.size(), 3u);
  SecretBytes c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.size(), 3u);
}

TEST(SecretBytes, CloneAndConstantTimeEquality) {
  SecretBytes a = SecretBytes::CopyFrom(std::span<const uint8_t>(kThree));
  SecretBytes b = a.Clone();
  EXPECT_TRUE(a == b);
  b.Expose()[2] ^= 1;
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(a == SecretBytes(2));
  EXPECT_TRUE(SecretBytes() == SecretBytes());
}

TEST(SecretBytes, ShrinkKeepsPrefix) {
  SecretBytes a = SecretBytes::CopyFrom(std::span<const uint8_t>(kThree));
  a.Resize(1);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.Expose()[0], 1);
}

TEST(SecretArray, WipedByDestructor) {
  // Construct in storage we own so the bytes can be inspected after the
  // destructor without touching freed memory.
  alignas(SecretArray<32>) unsigned char storage[sizeof(SecretArray<32>)];
  auto* s = new (storage) SecretArray<32>();
  for (auto& b : s->Expose()) b = 0xcc;
  s->~SecretArray<32>();
  for (unsigned char c : storage) EXPECT_EQ(c, 0);
}

TEST(SecretArray, MovedFromIsZeroAndCloneIsEqual) {
  SecretArray<16> a;
  for (auto& b : a.Expose()) b = 0x11;
  SecretArray<16> copy = a.Clone();
  EXPECT_TRUE(copy == a);
  SecretArray<16> b = std::move(a);
  EXPECT_TRUE(b == copy);
  EXPECT_TRUE(a == SecretArray<16>());  // NOLINT(bugprone-use-after-move)
  SecretArray<16> c;
  c = std::move(b);
  EXPECT_TRUE(b == SecretArray<16>());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(c == copy);
}

TEST(SecretArray, CopyFromChecksLength) {
  const uint8_t bytes[3] = {1, 2, 3};
  EXPECT_EQ(SecretArray<4>::CopyFrom(bytes).error().code(), Errc::kInvalidKey);
  auto ok = SecretArray<3>::CopyFrom(bytes);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->Expose()[2], 3);
}

}  // namespace
}  // namespace candor
