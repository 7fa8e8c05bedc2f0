// Crash safety of group receives, proved by killing: a child process opens
// bob's store and receives a stream of deliveries — alice's creation of a
// group, her sender keys over the pairwise session, group messages, a
// rename and a new key after a removal — and is killed with SIGKILL after a
// random delay, again and again. Every child starts from the beginning: a
// delivery already stored must be refused as a duplicate and change
// nothing, any other refusal fails the test (a half-written receive — a
// session advanced without its group change, a key advanced without its
// message — would show up as one). After every kill bob's group history is
// an exact prefix of the messages, each once; at the end everything is
// there and the group is as alice left it.
//
// CANDOR_CRASH_TRIALS sets the number of kills (default 200, here a
// quarter of it: each child replays the stream).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "candor/client/client.h"
#include "candor/protocol/relay.h"
#include "support/client_world.h"

namespace candor {
namespace {

using client::Client;

int Trials() {
  const char* env = std::getenv("CANDOR_CRASH_TRIALS");
  return std::max(1, (env != nullptr ? std::atoi(env) : 200) / 4);
}

class GroupCrashTest : public testing::ClientWorld {
 protected:
  // Bob's deliveries from one operation of alice's, in order.
  void Queue(Client& alice, const client::GroupOperation& op) {
    for (const auto& item : op.envelopes) {
      clock_.Advance(1);
      auto r = protocol::RelayEnvelope(relay_key_, item.bytes, clock_.NowSeconds());
      ASSERT_TRUE(r.has_value());
      if (r->envelope.recipient == "bob") stream_.push_back(r->delivery);
    }
    if (!op.group_envelope) return;
    clock_.Advance(1);
    auto r = protocol::RelayGroupEnvelope(relay_key_, op.group_envelope->bytes, clock_.NowSeconds());
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(alice.HandleAck(r->ack).has_value());
    for (const auto& [to, d] : r->deliveries) {
      if (to == "bob") stream_.push_back(d);
    }
  }

  [[noreturn]] void RunChild() {
    crypto::InsecureDeterministicRandom rng(static_cast<uint64_t>(getpid()));
    auto bob = Client::Open(tmp_.File("bob.db"), Key(2), rng, clock_);
    if (!bob.has_value()) _exit(2);
    for (const Bytes& d : stream_) {
      auto r = bob->Receive(d);
      if (!r.has_value() && r.error().code() != Errc::kDuplicateMessage) {
        std::fprintf(stderr, "child: %s\n", r.error().message().c_str());
        _exit(3);
      }
    }
    _exit(0);
  }

  // How many of the group's messages bob's store holds: exactly texts_[0..n).
  size_t VerifiedPrefix() {
    auto bob = Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_);
    EXPECT_TRUE(bob.has_value()) << bob.error().message();
    if (!bob.has_value()) return 0;
    auto history = bob->GroupHistory(group_, 1000);
    if (!history.has_value()) {
      EXPECT_EQ(history.error().code(), Errc::kNotFound) << history.error().message();
      return 0;  // the group itself is not stored yet
    }
    size_t n = 0;
    for (const auto& e : *history) {
      EXPECT_LT(n, texts_.size());
      if (n >= texts_.size()) break;
      EXPECT_EQ(e.text, texts_[n]) << "stored history is not an exact prefix";
      ++n;
    }
    return n;
  }

  std::vector<Bytes> stream_;
  std::vector<std::string> texts_;
  crypto::GroupId group_{};
};

TEST_F(GroupCrashTest, SigkillDuringGroupReceivesLosesAndRepeatsNothing) {
  std::optional<Client> bob_setup(Make("bob", 2));
  Client alice = Make("alice", 1), carol = Make("carol", 3);
  client::Bundles bundles;
  for (Client* c : {&*bob_setup, &carol}) bundles[c->account()] = c->PublishBundle()->bytes;
  bob_setup.reset();  // only the children open bob's store from here on
  auto created = alice.CreateGroup("Crash club", {}, {"bob", "carol"}, bundles);
  ASSERT_TRUE(created.has_value()) << created.error().message();
  group_ = created->group;
  Queue(alice, *created);
  auto send = [&](const std::string& text) {
    auto op = alice.SendGroup(group_, text);
    ASSERT_TRUE(op.has_value()) << op.error().message();
    texts_.push_back(text);
    Queue(alice, *op);
  };
  for (int i = 0; i < 30; ++i) send("before " + std::to_string(i));
  auto rename = alice.RenameGroup(group_, "Renamed club");
  ASSERT_TRUE(rename.has_value());
  Queue(alice, *rename);
  for (int i = 0; i < 6; ++i) send("renamed " + std::to_string(i));
  auto removal = alice.RemoveGroupMembers(group_, {"carol"});
  ASSERT_TRUE(removal.has_value());
  Queue(alice, *removal);
  for (int i = 0; i < 30; ++i) send("after " + std::to_string(i));  // a new key first

  const int trials = Trials();
  std::mt19937_64 dice(11);
  size_t stored = 0;
  int interrupted = 0, progressed = 0;
  for (int t = 0; t < trials; ++t) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) RunChild();
    // Short delays: the early kills land inside the stream (the later ones
    // mostly in a replay of stored deliveries, which must change nothing).
    std::this_thread::sleep_for(std::chrono::microseconds(dice() % 20000));
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
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) RunChild();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(VerifiedPrefix(), texts_.size());
  auto bob = Client::Open(tmp_.File("bob.db"), Key(2), rng_, clock_);
  ASSERT_TRUE(bob.has_value());
  auto info = bob->Group(group_);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->name, "Renamed club");
  EXPECT_EQ(info->members.size(), 2u);
  std::printf("[group crash] %d kills (%d interrupted a running child, %d made progress), "
              "%zu deliveries, %zu group messages stored exactly once\n",
              trials, interrupted, progressed, stream_.size(), texts_.size());
}

}  // namespace
}  // namespace candor
