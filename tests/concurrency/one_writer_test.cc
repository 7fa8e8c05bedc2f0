// One writer per store (issue 14, item 1): several processes on one store
// file must never hand out two envelopes from one chain state, and a second
// handle in one process must never interleave with the first. Every check
// goes through real processes (the candor command) on real stores.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "candor/crypto/encoding.h"
#include "support/client_world.h"

extern char** environ;

namespace candor {
namespace {

using client::Client;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The key ClientWorld::Key(fill) makes, as the CLI takes it.
std::string HexKey(uint8_t fill) { return ToHex(Bytes(32, fill)); }

struct Exit {
  int code;
  std::string out, err;
};

// A candor process running in the background; Wait() collects it.
class CliProcess {
 public:
  CliProcess(std::vector<std::string> args, const std::string& key_hex, const std::string& stem)
      : out_(stem + ".stdout"), err_(stem + ".stderr") {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    args.insert(args.begin(), CANDOR_CLI_PATH);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
    if (!key_hex.empty()) env.push_back("CANDOR_DB_KEY=" + key_hex);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, CANDOR_CLI_PATH, &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
  }
  Exit Wait() {
    int status = 0;
    EXPECT_EQ(waitpid(pid_, &status, 0), pid_);
    return Exit{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(out_), ReadAll(err_)};
  }

 private:
  pid_t pid_ = 0;
  std::string out_, err_;
};

Exit RunCli(std::vector<std::string> args, const std::string& key_hex, const std::string& stem) {
  return CliProcess(std::move(args), key_hex, stem).Wait();
}

class OneWriterTest : public testing::ClientWorld {
 protected:
  std::string F(const std::string& name) { return tmp_.File(name); }
  // The relay step as the CLI runs it; returns the delivery's path.
  std::string RelayFile(const std::string& envelope, uint64_t time) {
    const std::string delivery = envelope + ".del";
    Exit r = RunCli({"relay", "--key", F("relay.key"), "--in", envelope, "--out", delivery,
                     "--ack-out", envelope + ".ack", "--time", std::to_string(time)},
                    "", envelope + ".relay");
    EXPECT_EQ(r.code, 0) << r.err;
    return delivery;
  }
};

// Four `candor send` processes at a time on alice's store, while `candor
// receive` processes take bob's replies into the same store: every process
// waits its turn (busy timeout) instead of failing, and every envelope that
// was handed out is received by bob — none refused as a duplicate, which is
// what two envelopes sealed from one chain state would be. Before the fix
// (session loaded outside the write transaction, no busy timeout) most
// sends failed with database_locked and some that passed reused a key.
TEST_F(OneWriterTest, ConcurrentProcessesNeverReuseAChainStateAndAllWait) {
  ASSERT_EQ(RunCli({"keygen", "relay", "--out", F("relay.key")}, "", F("k")).code, 0);
  ASSERT_EQ(RunCli({"init", "--db", F("alice.db"), "--account", "alice"}, HexKey(1), F("i1")).code, 0);
  ASSERT_EQ(RunCli({"init", "--db", F("bob.db"), "--account", "bob"}, HexKey(2), F("i2")).code, 0);
  ASSERT_EQ(RunCli({"bundle", "--db", F("bob.db"), "--out", F("bob.bundle")}, HexKey(2), F("b")).code, 0);
  uint64_t time = 1'760'000'000;
  Exit first = RunCli({"send", "--db", F("alice.db"), "--to", "bob", "--text", "first", "--bundle",
                       F("bob.bundle"), "--out", F("first.env")},
                      HexKey(1), F("s0"));
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(RunCli({"receive", "--db", F("bob.db"), "--in", RelayFile(F("first.env"), ++time)},
                   HexKey(2), F("r0"))
                .code,
            0);
  // bob's replies, for alice to receive while she sends.
  constexpr int kRounds = 6, kSendersPerRound = 4;
  std::vector<std::string> replies;
  for (int i = 0; i < kRounds; ++i) {
    const std::string env = F("reply" + std::to_string(i) + ".env");
    Exit s = RunCli({"send", "--db", F("bob.db"), "--to", "alice", "--text",
                     "reply " + std::to_string(i), "--out", env},
                    HexKey(2), env);
    ASSERT_EQ(s.code, 0) << s.err;
    replies.push_back(RelayFile(env, ++time));
  }

  std::vector<std::string> sent;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::pair<std::string, CliProcess>> senders;
    for (int k = 0; k < kSendersPerRound; ++k) {
      const std::string env = F("r" + std::to_string(round) + "s" + std::to_string(k) + ".env");
      senders.emplace_back(env, CliProcess({"send", "--db", F("alice.db"), "--to", "bob", "--text",
                                            "message " + env, "--out", env},
                                           HexKey(1), env));
    }
    CliProcess receiver({"receive", "--db", F("alice.db"), "--in", replies[static_cast<size_t>(round)]},
                        HexKey(1), F("recv" + std::to_string(round)));
    for (auto& [env, process] : senders) {
      Exit e = process.Wait();
      EXPECT_EQ(e.code, 0) << "a send failed instead of waiting its turn: " << e.err;
      if (e.code == 0) sent.push_back(env);
    }
    Exit r = receiver.Wait();
    EXPECT_EQ(r.code, 0) << "a receive failed instead of waiting its turn: " << r.err;
  }
  ASSERT_EQ(sent.size(), static_cast<size_t>(kRounds * kSendersPerRound));

  for (const std::string& env : sent) {
    Exit r = RunCli({"receive", "--db", F("bob.db"), "--in", RelayFile(env, ++time)}, HexKey(2),
                    env + ".recv");
    EXPECT_EQ(r.code, 0) << env << ": " << r.err;
    EXPECT_NE(r.out.find("message " + env), std::string::npos) << r.out;
  }
}

// The deterministic interleaving: while alice's Client is inside Send (here:
// drawing randomness, after the session was loaded), a second handle on the
// same store tries to send. In this process it is refused at once; in
// another process it waits for the write lock and, the first send holding it
// past the busy timeout, is refused with database_locked. Either way one
// send goes out, and bob receives it.
class InterleavingRandom final : public crypto::RandomSource {
 public:
  explicit InterleavingRandom(std::function<void()> once) : once_(std::move(once)) {}
  void Fill(std::span<uint8_t> out) override {
    if (once_) std::exchange(once_, nullptr)();
    inner_.Fill(out);
  }

 private:
  std::function<void()> once_;
  crypto::InsecureDeterministicRandom inner_{99};
};

TEST_F(OneWriterTest, ASecondHandleInsideASendIsRefusedNotInterleaved) {
  Client bob = Make("bob", 2);
  {
    Client alice = Make("alice", 1);
    ASSERT_TRUE(bob.Receive(SendFirst(alice, bob, "hello")).has_value());
  }
  const std::string path = tmp_.File("alice.db");
  std::optional<Result<Client>> in_process;
  std::optional<Exit> other_process;
  InterleavingRandom rng([&] {
    in_process.emplace(Client::Open(path, Key(1), rng_, clock_));
    other_process = RunCli({"send", "--db", path, "--to", "bob", "--text", "interleaved", "--out",
                            F("interleaved.env")},
                           HexKey(1), F("interleaved"));
  });
  auto alice = Client::Open(path, Key(1), rng, clock_);
  ASSERT_TRUE(alice.has_value());
  auto sent = alice->Send("bob", "from the first handle");
  ASSERT_TRUE(sent.has_value()) << sent.error().message();

  ASSERT_TRUE(in_process.has_value() && other_process.has_value()) << "the callback ran";
  ASSERT_FALSE(in_process->has_value());
  EXPECT_EQ(in_process->error().code(), Errc::kAlreadyOpen);
  EXPECT_EQ(other_process->code, 4) << other_process->err;
  EXPECT_NE(other_process->err.find("database_locked"), std::string::npos) << other_process->err;

  auto received = bob.Receive(Relay(*alice, *sent));
  ASSERT_TRUE(received.has_value()) << received.error().message();
  EXPECT_EQ(received->text, "from the first handle");
  // The next send continues the chain: nothing was left half-advanced.
  auto next = alice->Send("bob", "and the next");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(bob.Receive(Relay(*alice, *next))->text, "and the next");
}

}  // namespace
}  // namespace candor
