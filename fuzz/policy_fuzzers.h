// Fuzz target for the egress log an auditor feeds to `candor audit`.
#ifndef CANDOR_FUZZ_POLICY_FUZZERS_H_
#define CANDOR_FUZZ_POLICY_FUZZERS_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

// Input: egress log text (JSON lines). The audit must judge any input
// without crashing, count records consistently, and every line that parses
// must print and parse back to the same record.
void FuzzEgressLog(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_POLICY_FUZZERS_H_
