// The stateful two-party fuzz target (in the style of libsignal's
// interaction fuzzer): input bytes drive Alice and Bob — send, deliver in any
// order (through the reference relay), drop, duplicate, tamper, crash inside
// a delivery and restart from the store, report, purge the replay markers —
// over MemoryStores and the real receive and report paths, and invariants
// are checked at every step.
#ifndef CANDOR_FUZZ_TWO_PARTY_H_
#define CANDOR_FUZZ_TWO_PARTY_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

void FuzzTwoParty(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_TWO_PARTY_H_
