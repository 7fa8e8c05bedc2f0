#include "candor/client/clock.h"

#include <chrono>

namespace candor::client {

uint64_t SystemClock::NowSeconds() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  // A clock before 1970 is broken; 1 keeps "0 = unset" meaning unset.
  return seconds > 0 ? static_cast<uint64_t>(seconds) : 1;
}

}  // namespace candor::client
