// Fuzz target for local search: the query a user types.
#ifndef CANDOR_FUZZ_SEARCH_FUZZERS_H_
#define CANDOR_FUZZ_SEARCH_FUZZERS_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

// Input: byte 0 picks the limit and whether the search is scoped to one
// conversation; the rest is the query. Over a small store made once per
// process (in a temporary directory), Store::Search must answer any query
// with hits (at most `limit`, each a stored message) or kInvalidArgument —
// never another error, never a crash — and the store must still answer a
// known query the same way afterwards.
void FuzzSearchQuery(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_SEARCH_FUZZERS_H_
