// The same exchange and report in C++, through candor.hpp (RAII over the C
// ABI):  two_party_cpp WORK_DIR
#include <candor/candor.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using candor::abi::Bytes;
using candor::abi::Client;
using candor::abi::Status;

void Must(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s (%s)\n", what, s.name().c_str(), s.message.c_str());
    std::exit(1);
  }
}

uint8_t relay_key[CANDOR_KEY_BYTES];
uint64_t now = 1'800'000'000;

int64_t Exchange(Client& from, Client& to, const std::string& text, const Bytes* bundle) {
  int64_t sent = 0, acked = 0;
  Bytes envelope, delivery, ack;
  Must(from.Send(to.account(), text, bundle, sent, envelope), "send");
  Must(candor::abi::Relay(relay_key, envelope, ++now, delivery, ack), "relay");
  Must(from.HandleAck(ack, acked), "ack");
  candor::abi::Received received;
  Must(to.Receive(delivery, received), "receive");
  std::printf("%s -> %s: \"%s\"\n", received.from.c_str(), to.account().c_str(), received.text.c_str());
  // The same delivery again is refused, and nothing changes.
  Status again = to.Receive(delivery, received);
  if (again.code != CANDOR_ERR_DUPLICATE_MESSAGE) std::exit(1);
  return received.message_id;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s WORK_DIR\n", argv[0]);
    return 2;
  }
  uint8_t moderator_secret[CANDOR_KEY_BYTES], moderator_public[CANDOR_KEY_BYTES];
  Must(candor::abi::Check(candor_generate_relay_key(relay_key)), "relay key");
  Must(candor::abi::Check(candor_generate_moderator_keys(moderator_secret, moderator_public)),
       "moderator keys");
  uint8_t alice_key[CANDOR_KEY_BYTES], bob_key[CANDOR_KEY_BYTES];  // from a keystore, really
  for (auto& b : alice_key) b = 0xA1;
  for (auto& b : bob_key) b = 0xB0;
  const std::string dir = argv[1];
  Client alice, bob;
  Must(Client::Create(dir + "/alice-cpp.db", alice_key, "alice", alice), "create alice");
  Must(Client::Create(dir + "/bob-cpp.db", bob_key, "bob", bob), "create bob");

  Bytes bundle;
  Must(bob.Bundle(bundle), "bundle");
  Exchange(alice, bob, "Hi Bob!", &bundle);
  Exchange(bob, alice, "Hi Alice.", nullptr);
  const int64_t reported = Exchange(alice, bob, "Send me your password.", nullptr);

  std::string preview, verdict;
  int64_t report_id = 0;
  Bytes sealed;
  Must(bob.PrepareReport("alice", reported, "harassment", preview), "prepare");
  Must(bob.SubmitReport(preview, moderator_public, report_id, sealed), "submit");
  Must(candor::abi::Moderate(moderator_secret, relay_key, sealed, verdict), "moderate");
  std::printf("moderator: %s\n", verdict.c_str());
  // What bob trusts about alice: her safety number, and no change pending
  // (a reinstalled alice would show up here; docs/identity.md).
  std::string identity;
  Must(bob.IdentityJson("alice", identity), "identity");
  std::printf("bob about alice: %s\n", identity.c_str());
  if (identity.find("\"pending\":null") == std::string::npos) return 1;
  return verdict.find("\"verdict\":\"verified\"") != std::string::npos &&
                 verdict.find("forged") == std::string::npos
             ? 0
             : 1;
}
