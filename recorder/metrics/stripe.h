// Copyright Vigil authors.
//
// Which stripe of a sharded metric the calling thread writes.
//
// Counters and histograms keep kStripeCount copies of their cells, each on
// its own cache lines, and a thread always adds to the same copy. Threads
// are handed stripes round-robin on their first record, so up to
// kStripeCount threads never share a cache line, and more threads share it
// kStripeCount times less than a single atomic would. A reader sums the
// stripes. Assigning per thread (rather than per CPU through rseq) keeps
// the record path to one TLS load with no fallback for systems where rseq
// is unavailable; metrics_bench.cc measures what it buys (README.md).
#ifndef VIGIL_RECORDER_METRICS_STRIPE_H_
#define VIGIL_RECORDER_METRICS_STRIPE_H_

#include <cstdint>

namespace vigil::recorder {

// Eight: one per writer on the machines Vigil's users run (request thread
// pools are often larger, but rarely more than eight threads record at the
// same instant), at a memory cost of 8 x 64 bytes per counter.
inline constexpr uint32_t kStripeCount = 8;

namespace metrics_internal {

// The calling thread's stripe plus one; 0 until its first record.
// Initial-exec TLS: the agent is linked at start-up (never dlopen'ed late),
// so this is one %fs-relative load, with no __tls_get_addr call and no
// guard, on a path that runs inside someone else's request.
extern __thread uint32_t t_stripe_plus_one __attribute__((tls_model("initial-exec")));

// Hands the calling thread its stripe (once per thread) and returns it.
uint32_t AssignStripe() noexcept;

}  // namespace metrics_internal

// The stripe the calling thread writes, in [0, kStripeCount).
inline uint32_t CurrentStripe() noexcept {
  uint32_t plus_one = metrics_internal::t_stripe_plus_one;
  if (plus_one == 0) [[unlikely]]
    return metrics_internal::AssignStripe();
  return plus_one - 1;
}

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_STRIPE_H_
