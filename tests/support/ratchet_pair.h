// A two-party fixture for session tests: identities, X3DH, and initialised
// ratchet states for initiator "alice" and responder "bob".
#ifndef CANDOR_TESTS_SUPPORT_RATCHET_PAIR_H_
#define CANDOR_TESTS_SUPPORT_RATCHET_PAIR_H_

#include <string>

#include "candor/crypto/ratchet.h"
#include "candor/crypto/x3dh.h"

namespace candor::testing {

struct Device {
  std::string account;
  crypto::Ed25519KeyPair identity;
};

struct Responder {
  Device device;
  uint32_t spk_id;
  crypto::X25519KeyPair spk;
  uint32_t opk_id;
  crypto::X25519KeyPair opk;
  crypto::PrekeyBundle Bundle(bool with_one_time_prekey) const;
};

Device MakeDevice(crypto::RandomSource& rng, std::string account);
Responder MakeResponder(crypto::RandomSource& rng, std::string account);

struct RatchetPair {
  crypto::RatchetState alice;
  crypto::RatchetState bob;
};

// X3DH (with a one-time prekey unless told otherwise) and ratchet init.
RatchetPair MakeRatchetPair(crypto::RandomSource& rng, bool with_one_time_prekey = true);

// Field-by-field equality of two states, secrets included (test use only).
bool SameRatchetState(const crypto::RatchetState& a, const crypto::RatchetState& b);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_RATCHET_PAIR_H_
