// Copyright Vigil authors.
//
// Backoff: when to try the server again after a failure. Exponential with
// "full jitter" (a uniformly random delay between zero and the current
// ceiling), so that many agents cut off by one outage do not all come back
// in the same second and knock the server over again. A server's
// Retry-After is a floor: never earlier than it asked.
#ifndef VIGIL_RECORDER_BACKOFF_H_
#define VIGIL_RECORDER_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <random>

namespace vigil::recorder {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;

  Backoff(Duration min, Duration max, uint64_t seed);

  // The delay before the next attempt after one more failure. `retry_after`
  // (zero when the server gave none) is a lower bound.
  Duration Fail(Duration retry_after = Duration::zero());
  // A success: the next failure starts again from `min`.
  void Reset() { failures_ = 0; }

  uint32_t failures() const { return failures_; }

 private:
  Duration min_, max_;
  uint32_t failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_BACKOFF_H_
