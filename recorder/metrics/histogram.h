// Copyright Vigil authors.
//
// A latency histogram for the hot path, and plain snapshots of it.
//
// Record() is two relaxed fetch_adds (the value's bucket and the sum) and a
// relaxed load of the max on the calling thread's stripe (stripe.h); the max
// takes a compare-and-swap only when a value beats it, which stops
// happening soon after start-up. No lock, no allocation, no system call.
// The count is not stored: it is the sum of the buckets, which keeps count
// and buckets consistent in every snapshot and saves an atomic per record.
//
// Nothing is ever reset: resetting would race with writers and lose their
// records. Snapshots are cumulative and subtract instead, so the recorder
// reports an interval as `now - previous`.
#ifndef VIGIL_RECORDER_METRICS_HISTOGRAM_H_
#define VIGIL_RECORDER_METRICS_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstdint>

#include "histogram_buckets.h"
#include "stripe.h"

namespace vigil::recorder {

// Plain numbers: a histogram's totals since it was created (Snapshot()), or
// over an interval (the difference of two snapshots).
struct HistogramSnapshot {
  uint64_t count = 0;  // values recorded: the sum of `buckets`
  uint64_t sum = 0;    // of the values, modulo 2^64
  uint64_t max = 0;    // the largest value (see operator- for intervals)
  std::array<uint64_t, kBucketCount> buckets{};

  // The value below which a `fraction` (in [0, 1]) of the values lie,
  // estimated by interpolating inside the bucket that holds it: within that
  // bucket's width of the true value (at most 1/8 of it), and never above
  // `max`. 0 when the snapshot is empty.
  uint64_t Percentile(double fraction) const noexcept;

  // What was recorded between `previous` and `now`, two snapshots of the same
  // histogram. Counts, sums and buckets are exact differences. A max cannot
  // be subtracted: the interval's is the overall max clamped to the
  // interval's highest non-empty bucket, which is exact when the interval
  // recorded the overall max, and otherwise over by less than that bucket's
  // width (1/8 of the value).
  friend HistogramSnapshot operator-(const HistogramSnapshot& now,
                                     const HistogramSnapshot& previous) noexcept;
};

class Histogram {
 public:
  Histogram() = default;
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Records one value, in nanoseconds for latencies.
  void Record(uint64_t value) noexcept {
    Stripe& stripe = stripes_[CurrentStripe()];
    stripe.buckets[BucketIndex(value)].fetch_add(1, std::memory_order_relaxed);
    stripe.sum.fetch_add(value, std::memory_order_relaxed);
    uint64_t max = stripe.max.load(std::memory_order_relaxed);
    if (value > max) [[unlikely]]
      RaiseMax(stripe.max, max, value);
  }

  // Totals since creation, read without stopping writers: records in flight
  // may be partly included (their bucket but not yet their sum, say); the
  // next snapshot includes them fully. Successive snapshots taken by one
  // thread never go backwards.
  HistogramSnapshot Snapshot() const noexcept;

 private:
  // One writer's copy. Aligned so that stripes share no cache line.
  struct alignas(64) Stripe {
    std::atomic<uint64_t> sum{0};
    std::atomic<uint64_t> max{0};
    std::atomic<uint64_t> buckets[kBucketCount] = {};
  };

  static void RaiseMax(std::atomic<uint64_t>& max, uint64_t seen, uint64_t value) noexcept;

  Stripe stripes_[kStripeCount];
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_HISTOGRAM_H_
