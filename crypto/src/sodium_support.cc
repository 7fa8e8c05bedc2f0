#include "sodium_support.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace candor::crypto::internal {

void EnsureSodium() {
  // sodium_init() is itself idempotent and thread-safe; the static keeps the
  // steady-state cost to a guard check. It fails only when the process cannot
  // reach a randomness source at all; continuing would risk predictable keys,
  // so that is fatal rather than an error to propagate.
  static const bool ok = [] { return sodium_init() >= 0; }();
  if (!ok) {
    std::fputs("candor: libsodium failed to initialise (no randomness source)\n", stderr);
    std::abort();
  }
}

}  // namespace candor::crypto::internal
