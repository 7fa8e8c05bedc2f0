// The candor command driven as a separate process: the fixture the CLI
// suites share (its exit code, stdout, stderr and JSON; a store per device).
#ifndef CANDOR_TESTS_CLI_CLI_FIXTURE_H_
#define CANDOR_TESTS_CLI_CLI_FIXTURE_H_

#include <fcntl.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "support/temp_dir.h"

namespace candor::cli_testing {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr const char* kAliceKey = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
constexpr const char* kBobKey = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
  Struct json;  // stdout's object on success, stderr's on failure
  std::string ErrorCode() const {
    return json.fields().at("error").struct_value().fields().at("code").string_value();
  }
  std::string Str(const std::string& key) const { return json.fields().at(key).string_value(); }
  double Num(const std::string& key) const { return json.fields().at(key).number_value(); }
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  // Runs candor with `args` and an environment holding only PATH, TMPDIR
  // and `env`.
  Outcome Run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), CANDOR_CLI_PATH);
    Outcome o = Spawn(args, std::move(env));
    if (o.exit_code == 0 && !o.out.empty() && o.out[0] == '{') {
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(o.out, &o.json).ok()) << o.out;
      EXPECT_TRUE(o.err.empty()) << o.err;
    } else if (o.exit_code != 0) {
      // Only audit prints its summary on stdout when it fails.
      EXPECT_TRUE(o.out.empty() || args[1] == "audit") << "failures print nothing on stdout: " << o.out;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(o.err, &o.json).ok()) << o.err;
      EXPECT_EQ(o.err.back(), '\n');
    }
    return o;
  }
  // Runs `script` with /bin/sh -c, as a user's shell would; $CANDOR names
  // the command. Nothing is parsed: the script's own stdout and stderr.
  Outcome Shell(const std::string& script, std::map<std::string, std::string> env = {}) {
    env.emplace("CANDOR", CANDOR_CLI_PATH);
    return Spawn({"/bin/sh", "-c", script}, std::move(env));
  }
  Outcome As(const char* key, std::vector<std::string> args) {
    return Run(std::move(args), {{"CANDOR_DB_KEY", key}});
  }
  std::string F(const std::string& name) { return tmp_.File(name); }

  // `args[0]` with stdout and stderr to files and an environment of PATH,
  // TMPDIR and `env`; stdin is the test's.
  Outcome Spawn(std::vector<std::string> args, std::map<std::string, std::string> env) {
    const std::string out_path = tmp_.File("stdout"), err_path = tmp_.File("stderr");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    env.emplace("PATH", "/usr/bin:/bin");
    env.emplace("TMPDIR", tmp_.path().string());
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    return Outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(out_path), ReadAll(err_path), {}};
  }

  // alice and bob with stores, a relay key, and bob's bundle.
  void SetUpDevices() {
    ASSERT_EQ(As(kAliceKey, {"init", "--db", F("alice.db"), "--account", "alice"}).exit_code, 0);
    ASSERT_EQ(As(kBobKey, {"init", "--db", F("bob.db"), "--account", "bob"}).exit_code, 0);
    ASSERT_EQ(Run({"keygen", "relay", "--out", F("relay.key")}).exit_code, 0);
    ASSERT_EQ(As(kBobKey, {"bundle", "--db", F("bob.db"), "--out", F("bob.bundle")}).exit_code, 0);
  }
  // Sends and relays; the sender handles the ack. Returns the delivery path.
  std::string SendRelayAck(const char* key, const std::string& from, const std::string& to,
                           const std::string& text, bool with_bundle = false) {
    const std::string stem = F("m" + std::to_string(++count_));
    std::vector<std::string> send = {"send", "--db", F(from + ".db"), "--to", to,
                                     "--text", text, "--out", stem + ".env"};
    if (with_bundle) {
      send.push_back("--bundle");
      send.push_back(F(to + ".bundle"));
    }
    Outcome s = As(key, send);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    Outcome r = Run({"relay", "--key", F("relay.key"), "--in", stem + ".env", "--out",
                     stem + ".del", "--ack-out", stem + ".ack", "--time",
                     std::to_string(1'760'000'000 + count_)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.Str("sender"), from);
    EXPECT_EQ(r.Str("recipient"), to);
    Outcome a = As(key, {"ack", "--db", F(from + ".db"), "--in", stem + ".ack"});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.Num("message_id"), s.Num("message_id"));
    return stem + ".del";
  }
  Outcome Receive(const char* key, const std::string& who, const std::string& delivery) {
    return As(key, {"receive", "--db", F(who + ".db"), "--in", delivery});
  }
  std::string History(const char* key, const std::string& who, const std::string& with) {
    Outcome h = As(key, {"history", "--db", F(who + ".db"), "--with", with});
    EXPECT_EQ(h.exit_code, 0) << h.err;
    return h.out;
  }

  testing::ScopedTempDir tmp_;
  int count_ = 0;
};

}  // namespace candor::cli_testing

#endif  // CANDOR_TESTS_CLI_CLI_FIXTURE_H_
