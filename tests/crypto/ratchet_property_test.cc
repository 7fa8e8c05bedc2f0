// A randomized two-party run (seeded, reproducible): sends in both
// directions, deliveries in random order, drops, and duplicate deliveries.
// Invariant: every first delivery decrypts exactly to what was sent; every
// repeated delivery is rejected and leaves the state unchanged; nothing else
// ever decrypts. In-flight messages are capped so the skip limits are never
// reached (those limits have their own tests).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "candor/crypto/ratchet.h"
#include "support/ratchet_pair.h"

namespace candor::crypto {
namespace {

using testing::MakeRatchetPair;
using testing::SameRatchetState;

struct InFlight {
  RatchetCiphertext ct;
  Bytes commitment;
  std::string text;
};

struct Side {
  RatchetState* state;
  std::vector<InFlight> outbox;     // sent, not delivered or dropped yet
  std::vector<InFlight> delivered;  // recently delivered, replayed as duplicates
  bool can_send;
};

void RunProperty(uint64_t seed, int steps) {
  InsecureDeterministicRandom rng(seed);
  std::mt19937_64 dice(seed);
  auto pair = MakeRatchetPair(rng);
  Side sides[2] = {{&pair.alice, {}, {}, true}, {&pair.bob, {}, {}, false}};
  int sent = 0, delivered = 0, duplicates = 0, dropped = 0, tampered = 0;
  constexpr size_t kMaxInFlight = 40;

  for (int step = 0; step < steps; ++step) {
    const int who = static_cast<int>(dice() % 2);
    Side& me = sides[who];
    Side& peer = sides[1 - who];
    const int action = static_cast<int>(dice() % 12);
    if (action < 4) {  // send
      if (!me.can_send || me.outbox.size() >= kMaxInFlight) continue;
      Bytes commitment(32);
      rng.Fill(commitment);
      const std::string text = "msg " + std::to_string(sent++) + " from " + std::to_string(who);
      auto ct = RatchetEncrypt(*me.state, AsBytes(text), commitment, rng);
      ASSERT_TRUE(ct.has_value());
      me.outbox.push_back(InFlight{std::move(ct).value(), commitment, text});
    } else if (action < 9) {  // deliver a fresh message, in any order
      if (peer.outbox.empty()) continue;
      const auto it = peer.outbox.begin() + static_cast<long>(dice() % peer.outbox.size());
      InFlight& m = *it;
      auto d = RatchetDecrypt(*me.state, m.ct.header, m.ct.body, m.commitment, 1000, rng);
      ASSERT_TRUE(d.has_value()) << "step " << step << ": " << d.error().message();
      ASSERT_EQ(std::string(d->plaintext.Expose().begin(), d->plaintext.Expose().end()), m.text);
      *me.state = std::move(d->next);
      me.can_send = true;
      peer.delivered.push_back(std::move(m));
      peer.outbox.erase(it);
      if (peer.delivered.size() > kMaxInFlight) peer.delivered.erase(peer.delivered.begin());
      ++delivered;
    } else if (action < 10) {  // deliver a duplicate: rejected, state unchanged
      if (peer.delivered.empty()) continue;
      const InFlight& m = peer.delivered[dice() % peer.delivered.size()];
      const RatchetState before = me.state->Clone();
      ASSERT_FALSE(RatchetDecrypt(*me.state, m.ct.header, m.ct.body, m.commitment, 1000, rng)
                       .has_value())
          << "step " << step << ": a duplicate decrypted";
      ASSERT_TRUE(SameRatchetState(before, *me.state));
      ++duplicates;
    } else if (action < 11) {  // drop one of the peer's messages for good
      if (peer.outbox.empty()) continue;
      peer.outbox.erase(peer.outbox.begin() + static_cast<long>(dice() % peer.outbox.size()));
      ++dropped;
    } else {  // a tampered copy of a peer message never decrypts, state unchanged
      if (peer.outbox.empty()) continue;
      InFlight bad = peer.outbox[dice() % peer.outbox.size()];
      bad.ct.body[dice() % bad.ct.body.size()] ^= 0x01;
      const RatchetState before = me.state->Clone();
      ASSERT_FALSE(RatchetDecrypt(*me.state, bad.ct.header, bad.ct.body, bad.commitment, 1000, rng)
                       .has_value());
      ASSERT_TRUE(SameRatchetState(before, *me.state));
      ++tampered;
    }
  }
  std::printf("[property] seed %llu: %d steps, %d sent, %d delivered, %d duplicates rejected, "
              "%d dropped, %d tampered rejected\n",
              static_cast<unsigned long long>(seed), steps, sent, delivered, duplicates, dropped, tampered);
  // Most steps must have done real work, in every category.
  EXPECT_GT(delivered, steps / 5);
  EXPECT_GT(duplicates, steps / 50);
  EXPECT_GT(dropped, 0);
  EXPECT_GT(tampered, 0);
}

TEST(RatchetProperty, TenThousandStepsSeed1) { RunProperty(1, 10000); }
TEST(RatchetProperty, TenThousandStepsSeed2) { RunProperty(2, 10000); }

}  // namespace
}  // namespace candor::crypto
