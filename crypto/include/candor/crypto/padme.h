// Padmé rounding (Nikitin et al., "Reducing metadata leakage from encrypted
// files and communication with PURBs"): a length rounded up so that at most
// ~12% is added and only O(log log L) bits of it remain. Messages pad to it
// with a 256-byte minimum (protocol/frame.h), attachments without one.
#ifndef CANDOR_CRYPTO_PADME_H_
#define CANDOR_CRYPTO_PADME_H_

#include <bit>
#include <cstdint>

namespace candor::crypto {

constexpr uint64_t Padme(uint64_t length) {
  if (length < 2) return length;
  const uint64_t e = static_cast<uint64_t>(std::bit_width(length)) - 1;
  const uint64_t s = static_cast<uint64_t>(std::bit_width(e));
  const uint64_t mask = (uint64_t{1} << (e - s)) - 1;
  return (length + mask) & ~mask;
}

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_PADME_H_
