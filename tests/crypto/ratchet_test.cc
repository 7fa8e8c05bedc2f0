// Double Ratchet with header encryption: ordering, loss, duplicates, limits,
// tampering. Every rejection also checks that the state is unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "candor/crypto/limits.h"
#include "candor/crypto/ratchet.h"
#include "support/ratchet_pair.h"

namespace candor::crypto {
namespace {

using testing::MakeRatchetPair;
using testing::SameRatchetState;

constexpr uint64_t kNow = 1'700'000'000;

// "a7" etc. (built with +=: "lit" + std::to_string() trips g++ 12's false
// -Wrestrict at -O3, GCC bug 105329).
std::string Label(const char* prefix, int n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

struct Sent {
  RatchetCiphertext ct;
  Bytes commitment;
  std::string text;
};

Sent Send(RatchetState& s, const std::string& text, RandomSource& rng) {
  Bytes commitment(32);
  rng.Fill(commitment);
  auto ct = RatchetEncrypt(s, AsBytes(text), commitment, rng);
  EXPECT_TRUE(ct.has_value()) << ct.error().message();
  return Sent{std::move(ct).value(), commitment, text};
}

// Decrypts and, on success only, adopts the successor state.
Result<std::string> Receive(RatchetState& s, const Sent& m, RandomSource& rng,
                            uint64_t now = kNow) {
  CANDOR_ASSIGN_OR_RETURN(auto d, RatchetDecrypt(s, m.ct.header, m.ct.body, m.commitment, now, rng));
  s = std::move(d.next);
  return std::string(d.plaintext.Expose().begin(), d.plaintext.Expose().end());
}

// Expects a rejection with `code` that leaves the state as it was.
void ExpectRejected(RatchetState& s, const Sent& m, Errc code, RandomSource& rng,
                    uint64_t now = kNow) {
  const RatchetState before = s.Clone();
  auto r = Receive(s, m, rng, now);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  EXPECT_TRUE(SameRatchetState(before, s));
}

TEST(Ratchet, InOrderBothDirections) {
  InsecureDeterministicRandom rng(30);
  auto [alice, bob] = MakeRatchetPair(rng);
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 3; ++i) {
      auto m = Send(alice, Label("a", round * 10 + i), rng);
      EXPECT_EQ(*Receive(bob, m, rng), m.text);
    }
    for (int i = 0; i < 2; ++i) {
      auto m = Send(bob, Label("b", round * 10 + i), rng);
      EXPECT_EQ(*Receive(alice, m, rng), m.text);
    }
  }
}

// A sender state rolled back (a restored backup, an unsynced commit lost to
// a power cut, two handles on one store) encrypts again under the message
// key it already used. With wire v1's all-zero nonce the two bodies shared a
// keystream: their XOR was the XOR of the plaintexts. The header's random
// nonce keeps them independent; the recipient takes one and refuses the
// other as a duplicate.
TEST(Ratchet, RolledBackSenderNeverReusesAKeystream) {
  InsecureDeterministicRandom rng(37);
  auto [alice, bob] = MakeRatchetPair(rng);
  RatchetState rolled_back = alice.Clone();
  const Bytes commitment(32, 7);
  const std::string p1(48, 'a'), p2(48, 'b');
  auto c1 = RatchetEncrypt(alice, AsBytes(p1), commitment, rng);
  auto c2 = RatchetEncrypt(rolled_back, AsBytes(p2), commitment, rng);
  ASSERT_TRUE(c1.has_value() && c2.has_value());
  ASSERT_EQ(c1->body.size(), c2->body.size());
  size_t same_keystream_bytes = 0;
  for (size_t i = 0; i < p1.size(); ++i) {
    if ((c1->body[i] ^ c2->body[i]) == (p1[i] ^ p2[i])) ++same_keystream_bytes;
  }
  EXPECT_LT(same_keystream_bytes, p1.size() / 4) << "the two bodies share a keystream";
  const Sent m1{std::move(c1).value(), commitment, p1};
  const Sent m2{std::move(c2).value(), commitment, p2};
  EXPECT_EQ(*Receive(bob, m1, rng), p1);
  ExpectRejected(bob, m2, Errc::kDuplicateMessage, rng);
}

TEST(Ratchet, WithoutOneTimePrekey) {
  InsecureDeterministicRandom rng(31);
  auto [alice, bob] = MakeRatchetPair(rng, /*with_one_time_prekey=*/false);
  auto m = Send(alice, "hi", rng);
  EXPECT_EQ(*Receive(bob, m, rng), "hi");
  auto r = Send(bob, "hello", rng);
  EXPECT_EQ(*Receive(alice, r, rng), "hello");
}

TEST(Ratchet, ResponderCannotSendFirst) {
  InsecureDeterministicRandom rng(32);
  auto [alice, bob] = MakeRatchetPair(rng);
  EXPECT_EQ(RatchetEncrypt(bob, AsBytes("x"), Bytes(32), rng).error().code(),
            Errc::kInvalidState);
}

TEST(Ratchet, OutOfOrderPermutationsAcrossDhSteps) {
  for (uint64_t seed = 0; seed < 10; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    InsecureDeterministicRandom rng(100 + seed);
    std::mt19937_64 shuffle(seed);
    auto [alice, bob] = MakeRatchetPair(rng);
    // Alice: chain 1; Bob replies after the first; Alice: chain 2.
    std::vector<Sent> batch;
    for (int i = 0; i < 40; ++i) batch.push_back(Send(alice, "one-" + std::to_string(i), rng));
    EXPECT_EQ(*Receive(bob, batch[0], rng), batch[0].text);
    auto reply = Send(bob, "reply", rng);
    EXPECT_EQ(*Receive(alice, reply, rng), "reply");
    for (int i = 0; i < 40; ++i) batch.push_back(Send(alice, "two-" + std::to_string(i), rng));
    std::shuffle(batch.begin() + 1, batch.end(), shuffle);
    for (size_t i = 1; i < batch.size(); ++i) {
      auto got = Receive(bob, batch[i], rng);
      ASSERT_TRUE(got.has_value()) << got.error().message();
      EXPECT_EQ(*got, batch[i].text);
    }
    EXPECT_EQ(bob.skipped.size(), 0u) << "every skipped key was used";
  }
}

TEST(Ratchet, LostMessagesDoNotBlockLaterOnes) {
  InsecureDeterministicRandom rng(33);
  auto [alice, bob] = MakeRatchetPair(rng);
  std::vector<Sent> sent;
  for (int i = 0; i < 10; ++i) sent.push_back(Send(alice, std::to_string(i), rng));
  for (int i : {0, 3, 4, 9}) EXPECT_EQ(*Receive(bob, sent[i], rng), sent[i].text);
  EXPECT_EQ(bob.skipped.size(), 6u);  // 1, 2, 5, 6, 7, 8: kept for late arrival
  EXPECT_EQ(*Receive(bob, sent[6], rng), "6");
  EXPECT_EQ(bob.skipped.size(), 5u);
}

TEST(Ratchet, DuplicatesAndReplaysAreRejectedWithoutStateChange) {
  InsecureDeterministicRandom rng(34);
  auto [alice, bob] = MakeRatchetPair(rng);
  auto m0 = Send(alice, "m0", rng);
  auto m1 = Send(alice, "m1", rng);
  auto m2 = Send(alice, "m2", rng);
  EXPECT_EQ(*Receive(bob, m0, rng), "m0");
  EXPECT_EQ(*Receive(bob, m2, rng), "m2");  // m1 skipped
  ExpectRejected(bob, m0, Errc::kDuplicateMessage, rng);
  ExpectRejected(bob, m2, Errc::kDuplicateMessage, rng);
  EXPECT_EQ(*Receive(bob, m1, rng), "m1");  // from the skipped keys
  ExpectRejected(bob, m1, Errc::kDuplicateMessage, rng);
  // After a DH step the old chain's header key is gone: a replay of it opens nothing.
  auto r = Send(bob, "r", rng);
  EXPECT_EQ(*Receive(alice, r, rng), "r");
  auto n0 = Send(alice, "n0", rng);
  EXPECT_EQ(*Receive(bob, n0, rng), "n0");
  ExpectRejected(bob, m0, Errc::kHeaderDecryptFailed, rng);
  ExpectRejected(alice, r, Errc::kDuplicateMessage, rng);
}

TEST(Ratchet, JumpBeyondMaxSkipIsRejectedWithoutStateChange) {
  InsecureDeterministicRandom rng(35);
  auto [alice, bob] = MakeRatchetPair(rng);
  std::vector<Sent> sent;
  for (uint32_t i = 0; i <= kMaxSkip + 1; ++i) sent.push_back(Send(alice, std::to_string(i), rng));
  ExpectRejected(bob, sent[kMaxSkip + 1], Errc::kTooManySkipped, rng);
  // Exactly kMaxSkip skipped keys is allowed.
  EXPECT_EQ(*Receive(bob, sent[kMaxSkip], rng), std::to_string(kMaxSkip));
  EXPECT_EQ(bob.skipped.size(), kMaxSkip);
  EXPECT_EQ(*Receive(bob, sent[0], rng), "0");
  EXPECT_EQ(*Receive(bob, sent[kMaxSkip + 1], rng), std::to_string(kMaxSkip + 1));
}

TEST(Ratchet, OldestSkippedKeysAreEvicted) {
  InsecureDeterministicRandom rng(36);
  auto [alice, bob] = MakeRatchetPair(rng);
  // Three chains from Alice, each leaving 1000 skipped keys at Bob: 3000 > 2000.
  std::vector<std::vector<Sent>> chains;
  for (int c = 0; c < 3; ++c) {
    std::vector<Sent> chain;
    for (uint32_t i = 0; i <= kMaxSkip; ++i) chain.push_back(Send(alice, Label("c", c), rng));
    ASSERT_TRUE(Receive(bob, chain.back(), rng).has_value());
    auto reply = Send(bob, "r", rng);
    ASSERT_TRUE(Receive(alice, reply, rng).has_value());
    chains.push_back(std::move(chain));
  }
  EXPECT_EQ(bob.skipped.size(), kMaxSkippedKeys);
  // The whole first chain was evicted (its header key with it)...
  ExpectRejected(bob, chains[0][0], Errc::kHeaderDecryptFailed, rng);
  ExpectRejected(bob, chains[0][999], Errc::kHeaderDecryptFailed, rng);
  // ...while the newer chains still decrypt.
  EXPECT_EQ(*Receive(bob, chains[1][0], rng), "c1");
  EXPECT_EQ(*Receive(bob, chains[2][999], rng), "c2");
}

TEST(Ratchet, SkippedKeysExpireAfterTtl) {
  InsecureDeterministicRandom rng(37);
  auto [alice, bob] = MakeRatchetPair(rng);
  auto m0 = Send(alice, "m0", rng);
  auto m1 = Send(alice, "m1", rng);
  auto m2 = Send(alice, "m2", rng);
  EXPECT_EQ(*Receive(bob, m2, rng, kNow), "m2");
  EXPECT_EQ(bob.skipped.size(), 2u);
  // At exactly the TTL the key is still there; one second later it is gone.
  EXPECT_EQ(*Receive(bob, m0, rng, kNow + kSkippedKeyTtlSeconds), "m0");
  ExpectRejected(bob, m1, Errc::kDuplicateMessage, rng, kNow + kSkippedKeyTtlSeconds + 1);
}

TEST(Ratchet, EverySingleByteFlipIsRejectedWithoutStateChange) {
  InsecureDeterministicRandom rng(38);
  auto [alice, bob] = MakeRatchetPair(rng);
  // A first message (DH step at Bob) and a later in-chain one, 1 KiB each.
  const std::string text(1024, 'x');
  std::vector<Sent> msgs = {Send(alice, text, rng), Send(alice, text, rng)};
  for (size_t k = 0; k < msgs.size(); ++k) {
    const Sent& m = msgs[k];
    for (size_t i = 0; i < m.ct.header.size(); ++i) {
      Sent bad = m;
      bad.ct.header[i] ^= 0x01;
      ExpectRejected(bob, bad, Errc::kHeaderDecryptFailed, rng);
    }
    for (size_t i = 0; i < m.ct.body.size(); ++i) {
      Sent bad = m;
      bad.ct.body[i] ^= 0x80;
      ExpectRejected(bob, bad, Errc::kDecryptFailed, rng);
    }
    for (size_t i = 0; i < m.commitment.size(); ++i) {
      Sent bad = m;
      bad.commitment[i] ^= 0x02;
      ExpectRejected(bob, bad, Errc::kDecryptFailed, rng);
    }
    Sent truncated = m;
    truncated.ct.body.pop_back();
    ExpectRejected(bob, truncated, Errc::kDecryptFailed, rng);
    EXPECT_EQ(*Receive(bob, m, rng), text) << "the genuine message still decrypts";
  }
}

TEST(Ratchet, WrongAddressesFailTheFirstMessage) {
  InsecureDeterministicRandom rng(39);
  auto [alice, bob] = MakeRatchetPair(rng);
  bob.associated_data.back() ^= 1;  // as if Bob bound a different account name
  auto m = Send(alice, "hi", rng);
  ExpectRejected(bob, m, Errc::kDecryptFailed, rng);
}

TEST(Ratchet, HeadersHideRatchetKeysAndCounters) {
  InsecureDeterministicRandom rng(40);
  auto [alice, bob] = MakeRatchetPair(rng);
  std::vector<Sent> chain;
  for (int i = 0; i < 20; ++i) chain.push_back(Send(alice, "same text", rng));
  const auto& dh = alice.dh_self.public_key().bytes();
  for (size_t i = 0; i < chain.size(); ++i) {
    const auto& h = chain[i].ct.header;
    EXPECT_EQ(std::search(h.begin(), h.end(), dh.begin(), dh.end()), h.end());
    // No 8-byte run of one message's relay-visible bytes reappears in another's.
    Bytes wire_i(h.begin(), h.end());
    wire_i.insert(wire_i.end(), chain[i].ct.body.begin(), chain[i].ct.body.end());
    for (size_t j = i + 1; j < chain.size(); ++j) {
      Bytes wire_j(chain[j].ct.header.begin(), chain[j].ct.header.end());
      wire_j.insert(wire_j.end(), chain[j].ct.body.begin(), chain[j].ct.body.end());
      for (size_t off = 0; off + 8 <= wire_i.size(); ++off) {
        auto run = ByteView(wire_i).subspan(off, 8);
        ASSERT_EQ(std::search(wire_j.begin(), wire_j.end(), run.begin(), run.end()), wire_j.end())
            << "messages " << i << " and " << j << " share bytes at offset " << off;
      }
    }
  }
}

TEST(RatchetHeader, EncodesFixedLayout) {
  InsecureDeterministicRandom rng(41);
  const RatchetHeader h{X25519KeyPair::Generate(rng).public_key(), 0x01020304, 0x0a0b0c0d};
  const auto bytes = h.Encode();
  EXPECT_EQ(bytes[32], 0x01);
  EXPECT_EQ(bytes[39], 0x0d);
  auto back = RatchetHeader::Decode(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->dh, h.dh);
  EXPECT_EQ(back->pn, h.pn);
  EXPECT_EQ(back->n, h.n);
  EXPECT_EQ(RatchetHeader::Decode(ByteView(bytes).first(39)).error().code(), Errc::kTruncated);
  Bytes longer(bytes.begin(), bytes.end());
  longer.push_back(0);
  EXPECT_EQ(RatchetHeader::Decode(longer).error().code(), Errc::kTrailingBytes);
}

}  // namespace
}  // namespace candor::crypto
