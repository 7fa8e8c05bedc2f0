// Shared by the session and floor benchmarks: the 1 KiB plaintext and an
// established pair of sessions.
#ifndef CANDOR_BENCH_BENCH_SUPPORT_H_
#define CANDOR_BENCH_BENCH_SUPPORT_H_

#include <optional>
#include <string>

#include "candor/crypto/random.h"
#include "candor/protocol/session.h"

namespace candor::bench {

inline constexpr size_t kPlaintextBytes = 1024;

// A benchmark cannot continue past a failed setup or operation: it prints
// the error and aborts rather than measuring something else.
[[noreturn]] void Die(const Error& e);
template <typename T>
T Must(Result<T> r) {
  if (!r) Die(r.error());
  return std::move(r).value();
}
inline void Must(Result<void> r) {
  if (!r) Die(r.error());
}

// 1 KiB of text (what the user typed), as every peer benchmark uses.
std::string Plaintext();

// Alice and Bob after one message each way: both sides can send, neither
// carries prekey data any more.
struct EstablishedPair {
  // `bob_account`: the responder's account (a store keeps one session per
  // peer, so pairs stored together need distinct ones).
  explicit EstablishedPair(const std::string& bob_account = "bob");
  crypto::InsecureDeterministicRandom setup_rng{7};
  std::optional<protocol::Session> alice, bob;
  // The identities the sessions were set up with (sealed sender needs
  // them: bob opens a sealed box with his).
  std::optional<crypto::Ed25519KeyPair> alice_identity, bob_identity;
};

// The receive path of one message as a recipient sees it (the delivery's
// envelope decoded), with a fixed server time and relay tag: relay work is
// not part of a client's per-message cost.
protocol::Delivery AsDelivery(Bytes envelope);

// One message: encrypt at `from`, decode + decrypt at `to`. Aborts on failure.
void SendOne(protocol::Session& from, protocol::Session& to, const std::string& text,
             crypto::RandomSource& rng);

}  // namespace candor::bench

#endif  // CANDOR_BENCH_BENCH_SUPPORT_H_
