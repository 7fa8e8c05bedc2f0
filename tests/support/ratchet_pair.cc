#include "support/ratchet_pair.h"

#include <gtest/gtest.h>

namespace candor::testing {

using namespace candor::crypto;

Device MakeDevice(RandomSource& rng, std::string account) {
  return Device{std::move(account), Ed25519KeyPair::Generate(rng)};
}

Responder MakeResponder(RandomSource& rng, std::string account) {
  Device d = MakeDevice(rng, std::move(account));
  return Responder{std::move(d), 7, X25519KeyPair::Generate(rng), 42,
                   X25519KeyPair::Generate(rng)};
}

PrekeyBundle Responder::Bundle(bool with_one_time_prekey) const {
  PrekeyBundle b{device.account,
                 device.identity.public_key(),
                 spk_id,
                 spk.public_key(),
                 SignSignedPrekey(device.identity, spk_id, spk.public_key()),
                 std::nullopt,
                 std::nullopt,
                 std::nullopt,
                 std::nullopt};
  if (with_one_time_prekey) {
    b.one_time_prekey_id = opk_id;
    b.one_time_prekey = opk.public_key();
  }
  return b;
}

RatchetPair MakeRatchetPair(RandomSource& rng, bool with_one_time_prekey) {
  Device alice = MakeDevice(rng, "alice");
  Responder bob = MakeResponder(rng, "bob");
  auto init = X3dhInitiate(rng, alice.identity, alice.account, bob.Bundle(with_one_time_prekey), ClassicalFallback::kAllow);
  EXPECT_TRUE(init.has_value());
  auto bob_secrets = X3dhRespond(bob.device.identity, bob.device.account, bob.spk,
                                 with_one_time_prekey ? &bob.opk : nullptr,
                                 alice.identity.public_key(), alice.account,
                                 init->ephemeral_key);
  EXPECT_TRUE(bob_secrets.has_value());
  auto alice_state =
      RatchetInitInitiator(std::move(init->secrets), bob.spk.public_key(), rng);
  EXPECT_TRUE(alice_state.has_value());
  return RatchetPair{std::move(alice_state).value(),
                     RatchetInitResponder(std::move(bob_secrets).value(), bob.spk.Clone())};
}

namespace {

bool SameOpt(const std::optional<SecretArray<32>>& a, const std::optional<SecretArray<32>>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}

bool SameSkipped(const SkippedKeys& a, const SkippedKeys& b) {
  if (a.size() != b.size() || a.next_sequence() != b.next_sequence() ||
      a.chains().size() != b.chains().size()) {
    return false;
  }
  for (size_t i = 0; i < a.chains().size(); ++i) {
    const auto& ca = a.chains()[i];
    const auto& cb = b.chains()[i];
    if (!(ca.header_key == cb.header_key) || ca.keys.size() != cb.keys.size()) return false;
    for (size_t j = 0; j < ca.keys.size(); ++j) {
      const auto& ka = ca.keys[j];
      const auto& kb = cb.keys[j];
      if (ka.n != kb.n || !(ka.message_key == kb.message_key) ||
          ka.stored_at != kb.stored_at || ka.sequence != kb.sequence) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

bool SameRatchetState(const RatchetState& a, const RatchetState& b) {
  return a.associated_data == b.associated_data &&
         a.dh_self.private_key() == b.dh_self.private_key() &&
         a.dh_self.public_key() == b.dh_self.public_key() && a.dh_remote == b.dh_remote &&
         a.root_key == b.root_key && SameOpt(a.send_chain, b.send_chain) &&
         SameOpt(a.recv_chain, b.recv_chain) && SameOpt(a.send_header_key, b.send_header_key) &&
         SameOpt(a.recv_header_key, b.recv_header_key) &&
         a.next_send_header_key == b.next_send_header_key &&
         a.next_recv_header_key == b.next_recv_header_key && a.send_n == b.send_n &&
         a.recv_n == b.recv_n && a.prev_send_n == b.prev_send_n &&
         SameSkipped(a.skipped, b.skipped);
}

}  // namespace candor::testing
