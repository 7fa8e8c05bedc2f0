// Crash safety, proved by killing: a child process receiving a stream of
// messages (and replying to every third) is killed with SIGKILL after a
// random delay, again and again. After every kill the store must hold an
// exact prefix of the stream, each message once; the next child carries on
// from there. At the end the rest is delivered, every reply the children
// handed out decrypts at the sender exactly once (no message key was used
// twice), and the stored session still works both ways.
//
// CANDOR_CRASH_TRIALS sets the number of kills (default 200); the longer run
// in docs/storage.md uses 2000.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "candor/crypto/x3dh.h"
#include "candor/protocol/frame.h"
#include "candor/storage/store.h"
#include "support/session_pair.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

using protocol::Direction;
using protocol::Session;

constexpr uint64_t kNow = 1'770'000'000;

int Trials() {
  const char* env = std::getenv("CANDOR_CRASH_TRIALS");
  return env != nullptr ? std::max(1, std::atoi(env)) : 200;
}

std::string Text(size_t i) { return "message " + std::to_string(i); }

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rng_.Fill(store_key_.Expose());
    auto store = storage::Store::Create(tmp_.File("bob.db"), Key(), rng_);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE(store->SaveIdentity("bob", bob_, kNow).has_value());
    const auto spk = crypto::X25519KeyPair::Generate(rng_);
    const auto opk = crypto::X25519KeyPair::Generate(rng_);
    const auto sig = crypto::SignSignedPrekey(bob_, 1, spk.public_key());
    ASSERT_TRUE(store->SaveSignedPrekey(1, spk, sig, kNow).has_value());
    ASSERT_TRUE(store->SaveOneTimePrekey(2, opk).has_value());
    auto alice = Session::Initiate(alice_id_, "alice",
                                   crypto::PrekeyBundle{"bob", bob_.public_key(), 1,
                                                        spk.public_key(), sig, 2,
                                                        opk.public_key(), std::nullopt,
                                                        std::nullopt},
                                   rng_, crypto::ClassicalFallback::kAllow);
    ASSERT_TRUE(alice.has_value());
    alice_.emplace(std::move(alice).value());
  }

  storage::StoreKey Key() const { return storage::StoreKey::Raw(store_key_.Clone()); }

  // Alice's messages to Bob, as the relay delivers them.
  void MakeStream(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      auto out = alice_->Encrypt(Text(i), rng_);
      ASSERT_TRUE(out.has_value());
      auto d = testing::Relay(relay_key_, out->envelope, kNow + i);
      ASSERT_TRUE(d.has_value());
      stream_.push_back(std::move(d).value());
    }
  }

  // The child: receive from `start` on, replying to every third message; a
  // reply is handed out (appended to the outbox) only after CommitSent.
  [[noreturn]] void RunChild(size_t start) {
    crypto::InsecureDeterministicRandom rng(1000 + start);
    auto store = storage::Store::Open(tmp_.File("bob.db"), Key());
    if (!store.has_value()) _exit(2);
    std::ofstream outbox(tmp_.File("outbox"), std::ios::binary | std::ios::app);
    for (size_t i = start; i < stream_.size(); ++i) {
      auto r = protocol::ReceiveAndStore(*store, bob_, "bob", stream_[i], kNow + i, rng);
      if (!r.has_value() && r.error().code() != Errc::kDuplicateMessage) _exit(3);
      if (i % 3 != 0 || !r.has_value()) continue;
      auto session = store->LoadSession("alice");
      if (!session.has_value() || !*session) _exit(4);
      auto reply = (*session)->Encrypt("reply to " + Text(i), rng);
      if (!reply.has_value() || !store->CommitSent(**session, *reply, kNow + i).has_value()) {
        _exit(5);
      }
      const uint32_t size = static_cast<uint32_t>(reply->envelope.size());
      outbox.write(reinterpret_cast<const char*>(&size), sizeof size);
      outbox.write(reinterpret_cast<const char*>(reply->envelope.data()), size);
      outbox.flush();
    }
    _exit(0);
  }

  // How many stream messages Bob's store holds, checking they are exactly
  // stream[0..n), in order, each once.
  size_t VerifiedPrefix() {
    auto store = storage::Store::Open(tmp_.File("bob.db"), Key());
    EXPECT_TRUE(store.has_value()) << store.error().message();
    if (!store) return 0;
    auto history = store->LatestMessages("alice", stream_.size() * 2, kNow);
    EXPECT_TRUE(history.has_value());
    size_t n = 0;
    for (const auto& m : *history) {
      if (m.direction != Direction::kIncoming) continue;
      auto text = protocol::DecodeContentText(m.content);
      EXPECT_TRUE(text.has_value());
      EXPECT_EQ(*text, Text(n)) << "stored history is not an exact prefix of the stream";
      ++n;
    }
    return n;
  }

  testing::ScopedTempDir tmp_;
  crypto::InsecureDeterministicRandom rng_{4242};
  SecretArray<32> store_key_;
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  crypto::Ed25519KeyPair alice_id_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::Ed25519KeyPair bob_ = crypto::Ed25519KeyPair::Generate(rng_);
  std::optional<Session> alice_;
  std::vector<protocol::Delivery> stream_;
};

TEST_F(CrashTest, SigkillAtRandomPointsLosesAndRepeatsNothing) {
  const int trials = Trials();
  MakeStream(static_cast<size_t>(trials) * 6 + 50);
  std::mt19937_64 dice(7);
  size_t stored = 0;
  int interrupted = 0, progressed = 0;
  for (int t = 0; t < trials; ++t) {
    // Restart a little before the verified prefix, so re-deliveries of
    // stored envelopes are exercised too.
    const size_t start = stored > 0 ? stored - 1 : 0;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) RunChild(start);
    std::this_thread::sleep_for(std::chrono::microseconds(dice() % 12000));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
      ++interrupted;
    } else {
      ASSERT_TRUE(WIFEXITED(status));
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the child failed on its own at trial " << t;
    }
    const size_t now_stored = VerifiedPrefix();
    ASSERT_GE(now_stored, stored) << "a kill lost committed messages";
    if (now_stored > stored) ++progressed;
    stored = now_stored;
    if (::testing::Test::HasFailure()) return;
  }
  // The rest is still deliverable.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) RunChild(stored);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(VerifiedPrefix(), stream_.size());

  // Every reply handed out decrypts at Alice exactly once.
  std::ifstream outbox(tmp_.File("outbox"), std::ios::binary);
  size_t replies = 0;
  uint32_t size = 0;
  while (outbox.read(reinterpret_cast<char*>(&size), sizeof size)) {
    Bytes envelope(size);
    if (!outbox.read(reinterpret_cast<char*>(envelope.data()), size)) break;  // torn tail
    auto d = testing::Relay(relay_key_, envelope, kNow);
    ASSERT_TRUE(d.has_value());
    auto in = alice_->Decrypt(*d, kNow, rng_);
    ASSERT_TRUE(in.has_value()) << "reply " << replies << ": " << in.error().message();
    ++replies;
  }
  // The session in Bob's store still works, both ways.
  auto store = storage::Store::Open(tmp_.File("bob.db"), Key());
  ASSERT_TRUE(store.has_value());
  auto bob = store->LoadSession("alice");
  ASSERT_TRUE(bob.has_value() && bob->has_value());
  auto last = (*bob)->Encrypt("still here", rng_);
  ASSERT_TRUE(last.has_value());
  ASSERT_TRUE(store->CommitSent(**bob, *last, kNow).has_value());
  EXPECT_EQ(alice_->Decrypt(*testing::Relay(relay_key_, last->envelope, kNow), kNow, rng_)->text,
            "still here");
  auto back = alice_->Encrypt("good", rng_);
  EXPECT_TRUE(protocol::ReceiveAndStore(*store, bob_, "bob",
                                        *testing::Relay(relay_key_, back->envelope, kNow), kNow,
                                        rng_)
                  .has_value());
  std::printf("[crash] %d kills (%d interrupted a running child, %d made progress), "
              "%zu messages stored exactly once, %zu replies handed out and decrypted\n",
              trials, interrupted, progressed, stream_.size(), replies);
  EXPECT_GT(interrupted, trials / 2) << "most kills must land while the child works";
}

}  // namespace
}  // namespace candor
