// A stored session is read back from disk, so every field of
// candor.local.SessionState is checked as untrusted input: a state edited
// in each way below is refused with an error, never loaded to abort or
// misbehave later (an oversized AD used to pass here and abort the process
// inside the ratchet on the next message).
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "candor/crypto/limits.h"
#include "candor/local/session_state.pb.h"
#include "candor/protocol/session.h"
#include "support/session_pair.h"

namespace candor::protocol {
namespace {

using crypto::InsecureDeterministicRandom;
using testing::Relay;
using testing::TestDevice;

constexpr uint64_t kTime = 1'750'000'000;

// Bob's session after alice's first message and her fourth: the second and
// third left as skipped keys of one chain.
SecretBytes BobWithSkippedKeys() {
  InsecureDeterministicRandom rng(77);
  const crypto::RelayKey relay_key = crypto::GenerateRelayKey(rng);
  TestDevice alice(rng, "alice"), bob(rng, "bob");
  auto a = Session::Initiate(alice.identity, "alice", bob.Bundle(rng), rng).value();
  std::vector<Delivery> sent;
  for (const char* text : {"one", "two", "three", "four"}) {
    sent.push_back(Relay(relay_key, a.Encrypt(text, rng).value().envelope, kTime).value());
  }
  auto accepted = Session::Accept(bob.identity, "bob", bob, sent[0], kTime, rng).value();
  Session b = std::move(accepted.first);
  EXPECT_EQ(b.Decrypt(sent[3], kTime, rng).value().text, "four");
  return b.Serialize();
}

// The stored state with `edit` applied, versioned as Serialize writes it.
Bytes Edited(const SecretBytes& saved, const std::function<void(local::SessionState&)>& edit) {
  local::SessionState pb;
  const ByteView body = saved.Expose().subspan(1);
  EXPECT_TRUE(pb.ParseFromArray(body.data(), static_cast<int>(body.size())));
  edit(pb);
  std::string out;
  EXPECT_TRUE(pb.SerializeToString(&out));
  // Sized once, then filled: g++ 12 -O2 warns (-Warray-bounds, a false
  // positive) on growing a one-byte vector by insert.
  Bytes versioned(1 + out.size());
  versioned[0] = saved.Expose()[0];
  std::copy(out.begin(), out.end(), versioned.begin() + 1);
  return versioned;
}

Errc RefusedWith(const Bytes& state) {
  auto s = Session::Deserialize(state);
  EXPECT_FALSE(s.has_value()) << "a damaged state was loaded";
  return s.has_value() ? Errc::kInternal : s.error().code();
}

TEST(SessionStateBounds, TheUneditedStateLoadsAndHasSkippedKeys) {
  const SecretBytes saved = BobWithSkippedKeys();
  auto loaded = Session::Deserialize(Edited(saved, [](local::SessionState&) {}));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  EXPECT_EQ(loaded->ratchet().skipped.size(), 2u);
}

TEST(SessionStateBounds, AnOversizedAssociatedDataIsRefusedNotAborted) {
  const SecretBytes saved = BobWithSkippedKeys();
  const Bytes state = Edited(saved, [](local::SessionState& pb) {
    pb.set_associated_data(std::string(4096, 'A'));
  });
  EXPECT_EQ(RefusedWith(state), Errc::kFieldOutOfRange);
}

TEST(SessionStateBounds, AnAssociatedDataOfTheRightSizeButAnotherSessionIsRefused) {
  const SecretBytes saved = BobWithSkippedKeys();
  // One byte of alice's identity key changed: same length, not this session.
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              std::string ad = pb.associated_data();
              ad[12] ^= 0x01;
              pb.set_associated_data(ad);
            })),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) { pb.set_associated_data("x"); })),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) { pb.clear_associated_data(); })),
            Errc::kMissingField);
}

TEST(SessionStateBounds, SkippedKeysBeyondTheLimitAreRefused) {
  const SecretBytes saved = BobWithSkippedKeys();
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              auto* chain = pb.mutable_skipped(0);
              const auto first = chain->keys(0);
              for (size_t i = chain->keys_size(); i <= kMaxSkippedKeys; ++i) {
                auto* k = chain->add_keys();
                *k = first;
                k->set_n(static_cast<uint32_t>(1000 + i));
                k->set_sequence(1000 + i);
              }
              pb.set_skipped_next_sequence(1'000'000);
            })),
            Errc::kFieldOutOfRange);
}

TEST(SessionStateBounds, AHeaderKeyTwiceIsRefused) {
  const SecretBytes saved = BobWithSkippedKeys();
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              *pb.add_skipped() = pb.skipped(0);
            })),
            Errc::kFieldOutOfRange);
}

TEST(SessionStateBounds, SkippedKeysOutOfOrderAreRefused) {
  const SecretBytes saved = BobWithSkippedKeys();
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              auto* keys = pb.mutable_skipped(0)->mutable_keys();
              keys->SwapElements(0, 1);
            })),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              auto* keys = pb.mutable_skipped(0)->mutable_keys();
              (*keys)[1].set_n((*keys)[0].n());
            })),
            Errc::kFieldOutOfRange);
}

TEST(SessionStateBounds, SequencesThatCouldRepeatAreRefused) {
  const SecretBytes saved = BobWithSkippedKeys();
  // A key's sequence at the maximum would wrap the next one to 0.
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              pb.mutable_skipped(0)->mutable_keys(1)->set_sequence(
                  std::numeric_limits<uint64_t>::max());
            })),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              pb.set_skipped_next_sequence(std::numeric_limits<uint64_t>::max());
            })),
            Errc::kFieldOutOfRange);
}

TEST(SessionStateBounds, KeysOfTheWrongLengthAreRefused) {
  const SecretBytes saved = BobWithSkippedKeys();
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              pb.mutable_skipped(0)->set_header_key(std::string(33, 'k'));
            })),
            Errc::kBadFieldLength);
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              pb.mutable_skipped(0)->mutable_keys(0)->set_message_key(std::string(31, 'k'));
            })),
            Errc::kBadFieldLength);
  EXPECT_EQ(RefusedWith(Edited(saved, [](local::SessionState& pb) {
              pb.set_root_key(std::string(64, 'r'));
            })),
            Errc::kBadFieldLength);
}

}  // namespace
}  // namespace candor::protocol
