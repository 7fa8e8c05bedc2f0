// Round-trip checks for the wire decoders: a value that decodes must encode,
// and decoding that encoding must give the same value back. One function per
// decoder; each fuzz target calls one of them.
#ifndef CANDOR_FUZZ_WIRE_FUZZERS_H_
#define CANDOR_FUZZ_WIRE_FUZZERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace candor::fuzz {

void FuzzPrekeyBundle(const uint8_t* data, size_t size);
void FuzzEnvelope(const uint8_t* data, size_t size);
void FuzzDelivery(const uint8_t* data, size_t size);
void FuzzRelayAck(const uint8_t* data, size_t size);
void FuzzPrekeyMessage(const uint8_t* data, size_t size);
void FuzzFrame(const uint8_t* data, size_t size);
void FuzzSessionState(const uint8_t* data, size_t size);
// Input: a 32-byte franking commitment, then a RatchetMessage. Decodes the
// message and decrypts it against a fixed session (Bob's, built once with the
// deterministic RNG); seeds carry Alice's real messages, so mutations reach
// the skipped-key, header and body paths.
void FuzzRatchetMessage(const uint8_t* data, size_t size);

// Seeds for FuzzRatchetMessage that decrypt against the fixed session.
std::vector<std::vector<uint8_t>> RatchetSeeds();

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_WIRE_FUZZERS_H_
