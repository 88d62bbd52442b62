// Copyright Vigil authors.
//
// The fixed log-linear bucket layout of latency histograms.
//
// Every power-of-two range [2^k, 2^(k+1)) is split into kSubBuckets equal
// buckets, so a bucket is never wider than 1/8 of its lower bound: a value
// read back as its bucket's midpoint is off by at most 6.25%, at any scale,
// with 273 buckets from 1 ns to 68.7 s. Values 0..15 get exact buckets.
// Values of 2^36 ns (68.7 s) and more share the last bucket; a latency
// that long is an outage, and its exact size is kept by the histogram's max.
//
// The layout is fixed, not configured, so that histograms from every agent
// and every interval add up bucket by bucket on the server, and so that the
// index is a few integer instructions on the record path.
#ifndef VIGIL_RECORDER_METRICS_HISTOGRAM_BUCKETS_H_
#define VIGIL_RECORDER_METRICS_HISTOGRAM_BUCKETS_H_

#include <bit>
#include <cstdint>
#include <limits>

namespace vigil::recorder {

inline constexpr uint32_t kSubBucketBits = 3;
inline constexpr uint32_t kSubBuckets = 1u << kSubBucketBits;  // 8
// Values below 2^kTrackedBits have buckets of their own.
inline constexpr uint32_t kTrackedBits = 36;
inline constexpr uint64_t kLargestTracked = (uint64_t{1} << kTrackedBits) - 1;
// Index of the bucket holding every value above kLargestTracked.
inline constexpr uint32_t kOverflowBucket = (kTrackedBits - kSubBucketBits + 1) * kSubBuckets;
inline constexpr uint32_t kBucketCount = kOverflowBucket + 1;  // 273

// The bucket of `value`.
constexpr uint32_t BucketIndex(uint64_t value) noexcept {
  if (value < 2 * kSubBuckets) return static_cast<uint32_t>(value);  // exact
  uint32_t k = 63 - static_cast<uint32_t>(std::countl_zero(value));  // value in [2^k, 2^(k+1))
  if (k >= kTrackedBits) return kOverflowBucket;
  uint32_t shift = k - kSubBucketBits;  // the bucket width is 2^shift
  // (value >> shift) is in [8, 16): its low bits pick the sub-bucket.
  return ((shift + 1) << kSubBucketBits) +
         static_cast<uint32_t>((value >> shift) & (kSubBuckets - 1));
}

// The smallest value of bucket `index`.
constexpr uint64_t BucketLowerBound(uint32_t index) noexcept {
  if (index < 2 * kSubBuckets) return index;
  if (index >= kOverflowBucket) return kLargestTracked + 1;
  uint32_t shift = (index >> kSubBucketBits) - 1;
  return static_cast<uint64_t>(kSubBuckets + (index & (kSubBuckets - 1))) << shift;
}

// The largest value of bucket `index` (inclusive): what the heartbeat
// reports as the bucket's bound. The last bucket's is 2^64 - 1.
constexpr uint64_t BucketUpperBound(uint32_t index) noexcept {
  if (index >= kOverflowBucket) return std::numeric_limits<uint64_t>::max();
  return BucketLowerBound(index + 1) - 1;
}

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_HISTOGRAM_BUCKETS_H_
