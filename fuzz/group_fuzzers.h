// Fuzz targets for the group parsers (DESIGN.md "Groups"): the group control
// messages (sender key distribution, membership change) and the group
// message itself, decrypted against a fixed member key.
#ifndef CANDOR_FUZZ_GROUP_FUZZERS_H_
#define CANDOR_FUZZ_GROUP_FUZZERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace candor::fuzz {

// A GroupControl: both decoders round-trip what they accept; a decoded
// change is applied to a fixed three-member group by each member's
// account, and either applies whole or leaves the group exactly as it was.
void FuzzGroupControl(const uint8_t* data, size_t size);
// Input: a 32-byte franking commitment, then a group message, decrypted by
// a fixed member of a fixed group; what opens is a valid text message, and
// the member's key never changes (decryption returns the successor).
void FuzzGroupMessage(const uint8_t* data, size_t size);

// A GroupEnvelope: what decodes re-encodes to an equal value, and the
// reference relay fans it out to exactly its recipients, each delivery
// decoding as an Envelope for that recipient with the same payload.
void FuzzGroupEnvelope(const uint8_t* data, size_t size);

// The store's group records (group/group_record.h), the first byte picking
// which: what parses round-trips, a corrupt record is an error.
void FuzzGroupRecord(const uint8_t* data, size_t size);

// Seeds: real control messages of the fixed group, and real messages of its
// fixed sender key (commitment || message).
std::vector<std::vector<uint8_t>> GroupControlSeeds();
std::vector<std::vector<uint8_t>> GroupMessageSeeds();
std::vector<std::vector<uint8_t>> GroupEnvelopeSeeds();
std::vector<std::vector<uint8_t>> GroupRecordSeeds();

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_GROUP_FUZZERS_H_
