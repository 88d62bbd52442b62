// Copyright Vigil authors.
//
// A monotonic counter for the hot path.
//
// Add() is one relaxed fetch_add on the calling thread's stripe (stripe.h):
// no lock, no allocation, no system call, and no cache line shared with
// other writers. Value() sums the stripes without stopping writers; the
// total only grows, so a reader reports an interval as the difference of
// two values instead of resetting the counter, which would lose the adds
// that race with the reset.
#ifndef VIGIL_RECORDER_METRICS_COUNTER_H_
#define VIGIL_RECORDER_METRICS_COUNTER_H_

#include <atomic>
#include <cstdint>

#include "stripe.h"

namespace vigil::recorder {

class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void Add(uint64_t n = 1) noexcept {
    stripes_[CurrentStripe()].value.fetch_add(n, std::memory_order_relaxed);
  }

  // Everything added so far, modulo 2^64 (so a later value minus an earlier
  // one is the exact count in between, even across a wrap). Adds in flight
  // may or may not be included; successive calls from one thread never go
  // backwards.
  uint64_t Value() const noexcept;

 private:
  struct alignas(64) Stripe {
    std::atomic<uint64_t> value{0};
  };
  Stripe stripes_[kStripeCount];
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_COUNTER_H_
