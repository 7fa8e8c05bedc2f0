// The stateful two-party fuzz target (in the style of libsignal's
// interaction fuzzer): input bytes drive Alice and Bob — send, deliver in any
// order, drop, duplicate, tamper — over MemoryStores and the real receive
// path (protocol::ReceiveAndStore), and invariants are checked at every step.
#ifndef CANDOR_FUZZ_TWO_PARTY_H_
#define CANDOR_FUZZ_TWO_PARTY_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

void FuzzTwoParty(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_TWO_PARTY_H_
