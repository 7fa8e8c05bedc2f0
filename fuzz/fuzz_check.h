// Shared by the fuzz targets: an invariant check that aborts loudly (so
// libFuzzer records the input), in fuzz and regression builds alike.
#ifndef CANDOR_FUZZ_FUZZ_CHECK_H_
#define CANDOR_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define CANDOR_FUZZ_CHECK(cond)                                                   \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                     \
      std::abort();                                                               \
    }                                                                             \
  } while (false)

namespace candor::fuzz {

// A value that decodes must encode, and decoding that encoding must give an
// equal value back.
template <typename Input, typename Decode, typename Encode, typename Same>
void RoundTrip(const Input& input, Decode decode, Encode encode, Same same) {
  auto value = decode(input);
  if (!value) return;
  auto bytes = encode(*value);
  CANDOR_FUZZ_CHECK(bytes.has_value());
  auto again = decode(*bytes);
  CANDOR_FUZZ_CHECK(again.has_value() && same(*value, *again));
}

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_FUZZ_CHECK_H_
