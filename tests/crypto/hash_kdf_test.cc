// SHA-256, BLAKE2b (RFC 7693 appendix A) and crypto_kdf. The crypto_kdf and
// keyed-BLAKE2b expectations were computed independently with Python's
// hashlib.blake2b (key / salt / person parameters), then frozen here.
#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/kdf.h"

namespace candor::crypto {
namespace {

TEST(Sha256, FipsAbc) {
  EXPECT_EQ(ToHex(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Blake2b, Rfc7693AppendixA) {
  auto h = Blake2b::Create(64);
  ASSERT_TRUE(h.has_value());
  h->Update(AsBytes("abc"));
  EXPECT_EQ(ToHex(h->Final()),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

TEST(Blake2b, OneShot256EqualsIncremental) {
  for (std::string_view m : {"", "abc", "a longer message, past one block? no, but several words"}) {
    auto h = Blake2b::Create(32);
    ASSERT_TRUE(h.has_value());
    h->Update(AsBytes(m));
    const Bytes incremental = h->Final();
    const auto one_shot = Blake2b256(AsBytes(m));
    EXPECT_EQ(Bytes(one_shot.begin(), one_shot.end()), incremental) << m;
  }
}

TEST(Blake2b, IncrementalEqualsOneShot) {
  auto h = Blake2b::Create(64);
  ASSERT_TRUE(h.has_value());
  h->Update(AsBytes("a"));
  h->Update(AsBytes(""));
  h->Update(AsBytes("bc"));
  auto whole = Blake2b::Create(64);
  ASSERT_TRUE(whole.has_value());
  whole->Update(AsBytes("abc"));
  EXPECT_EQ(h->Final(), whole->Final());
}

TEST(Blake2b, KeyedBlake2b256FrozenVector) {
  const Bytes key(32, 0x42);
  // hashlib.blake2b(b"candor/frank/v1", digest_size=32, key=b"\x42" * 32)
  auto tag = Blake2b256Keyed(key, {AsBytes("candor/"), AsBytes("frank/v1")});
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(ToHex(*tag), "486231f93661a6a3220c9f88da085d4a13d6f05535f1701d4c95da20d3de5a84");
  auto other_key = Blake2b256Keyed(Bytes(32, 0x43), {AsBytes("candor/frank/v1")});
  ASSERT_TRUE(other_key.has_value());
  EXPECT_NE(*tag, *other_key);
}

TEST(Blake2b, RejectsBadSizes) {
  EXPECT_EQ(Blake2b::Create(15).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(Blake2b::Create(65).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(Blake2b::Create(32, Bytes(15, 1)).error().code(), Errc::kInvalidKey);
  EXPECT_EQ(Blake2b::Create(32, Bytes(65, 1)).error().code(), Errc::kInvalidKey);
  EXPECT_EQ(Blake2b256Keyed({}, {AsBytes("x")}).error().code(), Errc::kInvalidKey);
  EXPECT_TRUE(Blake2b::Create(16, Bytes(16, 1)).has_value());
  EXPECT_TRUE(Blake2b::Create(64, Bytes(64, 1)).has_value());
}

TEST(Kdf, MatchesIndependentBlake2bComputation) {
  SecretArray<32> master;
  for (size_t i = 0; i < 32; ++i) master.Expose()[i] = static_cast<uint8_t>(i);
  // hashlib.blake2b(b"", digest_size=32, key=bytes(range(32)),
  //                 salt=struct.pack("<Q", id) + bytes(8), person=b"candorCK" + bytes(8))
  EXPECT_EQ(ToHex(KdfDerive<32>(master, 1, "candorCK").Expose()),
            "520d2e178e6127e8d9979e7be7ce1782c0988140e19f2b7e0a4b4056c84a5200");
  EXPECT_EQ(ToHex(KdfDerive<32>(master, 2, "candorCK").Expose()),
            "ae707e51f0ce92cb8fd1cb4a7f9af0ab14ae9f98f267f12a775c7dfa93089845");
}

TEST(Kdf, ContextAndIdSeparateKeys) {
  SecretArray<32> master;
  master.Expose()[0] = 7;
  EXPECT_FALSE(KdfDerive<32>(master, 1, "candorCK") == KdfDerive<32>(master, 1, "candorXX"));
  EXPECT_FALSE(KdfDerive<32>(master, 1, "candorCK") == KdfDerive<32>(master, 2, "candorCK"));
  EXPECT_TRUE(KdfDerive<32>(master, 1, "candorCK") == KdfDerive<32>(master, 1, "candorCK"));
}

}  // namespace
}  // namespace candor::crypto
