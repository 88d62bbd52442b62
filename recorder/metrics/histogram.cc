// Copyright Vigil authors.
#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace vigil::recorder {

void Histogram::RaiseMax(std::atomic<uint64_t>& max, uint64_t seen, uint64_t value) noexcept {
  // Another writer of the same stripe may raise it meanwhile; retry only
  // while this value is still the larger.
  while (value > seen && !max.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

HistogramSnapshot Histogram::Snapshot() const noexcept {
  HistogramSnapshot s;
  for (const Stripe& stripe : stripes_) {
    for (uint32_t i = 0; i < kBucketCount; ++i) {
      s.buckets[i] += stripe.buckets[i].load(std::memory_order_relaxed);
    }
    s.sum += stripe.sum.load(std::memory_order_relaxed);
    s.max = std::max(s.max, stripe.max.load(std::memory_order_relaxed));
  }
  for (uint64_t n : s.buckets) s.count += n;
  return s;
}

HistogramSnapshot operator-(const HistogramSnapshot& now,
                            const HistogramSnapshot& previous) noexcept {
  HistogramSnapshot d;
  uint32_t highest = kBucketCount;  // none yet
  for (uint32_t i = 0; i < kBucketCount; ++i) {
    d.buckets[i] = now.buckets[i] - previous.buckets[i];
    d.count += d.buckets[i];
    if (d.buckets[i] != 0) highest = i;
  }
  d.sum = now.sum - previous.sum;
  if (highest == kBucketCount) return d;  // nothing recorded: max stays 0
  // The interval's max lies in its highest bucket and is at most the overall
  // max: report the overall max clamped to that bucket. That is exact when
  // the interval recorded the overall max, and otherwise over by less than
  // the bucket's width. The clamp also keeps the max consistent with the
  // buckets when a record raced with one of the two snapshots (its bucket
  // seen by one, its max by the other).
  d.max = std::clamp(now.max, BucketLowerBound(highest), BucketUpperBound(highest));
  return d;
}

uint64_t HistogramSnapshot::Percentile(double fraction) const noexcept {
  if (count == 0) return 0;
  fraction = std::clamp(std::isnan(fraction) ? 0.0 : fraction, 0.0, 1.0);
  // The rank (1-based) of the value asked for.
  auto rank = static_cast<uint64_t>(std::ceil(fraction * static_cast<double>(count)));
  rank = std::clamp<uint64_t>(rank, 1, count);
  uint64_t below = 0;  // values in the buckets before i
  for (uint32_t i = 0; i < kBucketCount; ++i) {
    uint64_t in_bucket = buckets[i];
    if (in_bucket == 0 || below + in_bucket < rank) {
      below += in_bucket;
      continue;
    }
    uint64_t lower = BucketLowerBound(i);
    uint64_t upper = BucketUpperBound(i);
    bool max_in_bucket = max >= lower && max <= upper;
    // The largest value is the max itself, when the max is consistent.
    if (rank == count && max_in_bucket) return max;
    // The max bounds the bucket that holds it (and is the only bound the
    // last bucket has).
    if (max_in_bucket) upper = max;
    // Spread the bucket's values evenly over [lower, upper], the k-th of n
    // at the middle of its 1/n slice.
    double position = (static_cast<double>(rank - below) - 0.5) / static_cast<double>(in_bucket);
    double estimate = static_cast<double>(lower) + position * static_cast<double>(upper - lower);
    if (estimate >= static_cast<double>(upper)) return upper;
    return std::max(lower, static_cast<uint64_t>(estimate));
  }
  return max;  // unreachable when count is the sum of the buckets
}

}  // namespace vigil::recorder
