// The libFuzzer entry point of every target: CMake compiles this file once
// per target with CANDOR_FUZZ_FUNCTION naming the wire_fuzzers.h function.
#include <cstddef>
#include <cstdint>

#include "attachment_fuzzers.h"
#include "group_clients.h"
#include "group_fuzzers.h"
#include "group_party.h"
#include "policy_fuzzers.h"
#include "report_fuzzers.h"
#include "sealed_fuzzers.h"
#include "search_fuzzers.h"
#include "two_party.h"
#include "wire_fuzzers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  candor::fuzz::CANDOR_FUZZ_FUNCTION(data, size);
  return 0;
}
