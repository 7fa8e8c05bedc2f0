// Where the client gets the time. Sans-I/O code takes the clock as an
// interface so tests, fuzzers and the demo can fix it.
#ifndef CANDOR_CLIENT_CLOCK_H_
#define CANDOR_CLIENT_CLOCK_H_

#include <cstdint>

namespace candor::client {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix seconds.
  virtual uint64_t NowSeconds() = 0;
};

// The system's wall clock.
class SystemClock final : public Clock {
 public:
  uint64_t NowSeconds() override;
};

// A clock that says what it is told (tests, the demo).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(uint64_t now) : now_(now) {}
  uint64_t NowSeconds() override { return now_; }
  void Set(uint64_t now) { now_ = now; }
  void Advance(uint64_t seconds) { now_ += seconds; }

 private:
  uint64_t now_;
};

}  // namespace candor::client

#endif  // CANDOR_CLIENT_CLOCK_H_
