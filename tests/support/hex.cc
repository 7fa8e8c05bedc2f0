#include "support/hex.h"

#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"

namespace candor::testing {

Bytes Unhex(std::string_view hex) {
  auto bytes = FromHex(hex);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in test data: " << hex;
  return bytes.has_value() ? std::move(bytes).value() : Bytes{};
}

}  // namespace candor::testing
