// Test helpers for hex literals.
#ifndef CANDOR_TESTS_SUPPORT_HEX_H_
#define CANDOR_TESTS_SUPPORT_HEX_H_

#include <string_view>

#include "candor/crypto/bytes.h"

namespace candor::testing {

// Decodes hex or fails the current test (returns empty bytes then).
Bytes Unhex(std::string_view hex);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_HEX_H_
