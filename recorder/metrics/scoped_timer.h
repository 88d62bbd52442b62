// Copyright Vigil authors.
//
// Times a scope into a Histogram, in nanoseconds.
//
// The clock is std::chrono::steady_clock, which is CLOCK_MONOTONIC read
// through the vDSO: about 20 ns and no system call, never set back by NTP
// or an operator changing the time, so an elapsed time is never negative.
#ifndef VIGIL_RECORDER_METRICS_SCOPED_TIMER_H_
#define VIGIL_RECORDER_METRICS_SCOPED_TIMER_H_

#include <chrono>
#include <cstdint>

#include "histogram.h"

namespace vigil::recorder {

// Monotonic nanoseconds since an arbitrary fixed point.
inline uint64_t MonotonicNowNs() noexcept {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// Records the time from construction to destruction into `histogram`
// (nothing when it is null, so a caller without metrics passes nullptr
// rather than branching itself).
//
//   {
//     ScopedTimer timer(rule_metrics.protection_ns);
//     RunCheck(...);
//   }
class ScopedTimer {
 public:
  explicit ScopedTimer(Histogram* histogram) noexcept
      : histogram_(histogram), start_ns_(histogram != nullptr ? MonotonicNowNs() : 0) {}
  ~ScopedTimer() {
    if (histogram_ != nullptr) histogram_->Record(MonotonicNowNs() - start_ns_);
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

  // Records nothing at the end of the scope (a check that did not run, say).
  void Cancel() noexcept { histogram_ = nullptr; }

 private:
  Histogram* histogram_;
  uint64_t start_ns_;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_SCOPED_TIMER_H_
