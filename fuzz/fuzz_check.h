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

#endif  // CANDOR_FUZZ_FUZZ_CHECK_H_
