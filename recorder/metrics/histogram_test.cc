// Copyright Vigil authors.
#include "histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <thread>
#include <vector>

namespace vigil::recorder {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

TEST(Histogram, StripesDoNotShareCacheLinesAndStaySmall) {
  static_assert(alignof(Histogram) == 64);
  // What README.md and MetricsLimits promise: 17.5 KiB.
  static_assert(sizeof(Histogram) == kStripeCount * 2240);
}

TEST(Histogram, EmptySnapshotIsAllZero) {
  Histogram h;
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.sum, 0u);
  EXPECT_EQ(s.max, 0u);
  for (uint64_t b : s.buckets) EXPECT_EQ(b, 0u);
  EXPECT_EQ(s.Percentile(0.5), 0u);
  EXPECT_EQ(s.Percentile(1.0), 0u);
}

TEST(Histogram, RecordsCountSumMaxAndBuckets) {
  Histogram h;
  h.Record(0);
  h.Record(1);
  h.Record(1000);
  h.Record(1000);
  h.Record(5'000'000);
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.sum, 5'002'001u);
  EXPECT_EQ(s.max, 5'000'000u);
  EXPECT_EQ(s.buckets[0], 1u);
  EXPECT_EQ(s.buckets[1], 1u);
  EXPECT_EQ(s.buckets[BucketIndex(1000)], 2u);
  EXPECT_EQ(s.buckets[BucketIndex(5'000'000)], 1u);
}

TEST(Histogram, HugeValuesGoToTheLastBucketWithTheirExactMax) {
  Histogram h;
  h.Record(kMaxU64);
  h.Record(uint64_t{1} << 36);
  h.Record((uint64_t{1} << 36) - 1);
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.buckets[kOverflowBucket], 2u);
  EXPECT_EQ(s.buckets[kOverflowBucket - 1], 1u);
  EXPECT_EQ(s.max, kMaxU64);
  EXPECT_EQ(s.Percentile(1.0), kMaxU64);
}

TEST(Histogram, SnapshotAddsTheStripesOfEveryThread) {
  // More threads than stripes, one after the other: every stripe gets used,
  // some twice.
  Histogram h;
  for (uint64_t t = 1; t <= 3 * kStripeCount; ++t) {
    std::thread([&h, t] { h.Record(t * 100); }).join();
  }
  HistogramSnapshot s = h.Snapshot();
  uint64_t n = 3 * kStripeCount;
  EXPECT_EQ(s.count, n);
  EXPECT_EQ(s.sum, 100 * n * (n + 1) / 2);
  EXPECT_EQ(s.max, n * 100);
}

// The exact `fraction` percentile of sorted values, by the same rank rule.
uint64_t ExactPercentile(const std::vector<uint64_t>& sorted, double fraction) {
  auto rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

void ExpectPercentilesWithinOneBucket(const std::vector<uint64_t>& values) {
  Histogram h;
  for (uint64_t v : values) h.Record(v);
  std::vector<uint64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  HistogramSnapshot s = h.Snapshot();
  for (double q : {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0}) {
    SCOPED_TRACE(q);
    uint64_t exact = ExactPercentile(sorted, q);
    uint64_t estimate = s.Percentile(q);
    // Same bucket, so the error is below the bucket's width, at most 1/8.
    EXPECT_EQ(BucketIndex(estimate), BucketIndex(exact)) << estimate << " vs " << exact;
    uint64_t width = BucketUpperBound(BucketIndex(exact)) - BucketLowerBound(BucketIndex(exact));
    EXPECT_LE(estimate > exact ? estimate - exact : exact - estimate, width);
    EXPECT_LE(static_cast<double>(estimate), static_cast<double>(exact) * 1.125 + 1);
    EXPECT_GE(static_cast<double>(estimate), static_cast<double>(exact) * 0.875 - 1);
    EXPECT_LE(estimate, s.max);
  }
  EXPECT_EQ(s.Percentile(1.0), sorted.back());
}

TEST(Histogram, PercentilesOfAUniformSpreadAreWithinABucket) {
  std::vector<uint64_t> values;
  for (uint64_t v = 1; v <= 100000; ++v) values.push_back(v);
  ExpectPercentilesWithinOneBucket(values);
}

TEST(Histogram, PercentilesOfALogNormalLatencyAreWithinABucket) {
  // What SQL checks look like: microseconds, with a long tail.
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(std::log(3000.0), 0.8);
  std::vector<uint64_t> values;
  for (int i = 0; i < 50000; ++i) values.push_back(static_cast<uint64_t>(latency(random)));
  ExpectPercentilesWithinOneBucket(values);
}

TEST(Histogram, PercentilesOfASingleValueAreThatValue) {
  Histogram h;
  for (int i = 0; i < 10; ++i) h.Record(12345);
  HistogramSnapshot s = h.Snapshot();
  // Capped by the max, which is exact: no bucket spread to invent.
  EXPECT_EQ(s.Percentile(0.99), 12345u);
  EXPECT_EQ(s.Percentile(1.0), 12345u);
  EXPECT_GE(s.Percentile(0.5), BucketLowerBound(BucketIndex(12345)));
}

TEST(Histogram, DeltaIsWhatWasRecordedBetweenTwoSnapshots) {
  Histogram h;
  Histogram only_second;  // what the second interval alone recorded
  for (uint64_t v : {10, 200, 3000}) h.Record(v);
  HistogramSnapshot first = h.Snapshot();
  for (uint64_t v : {5, 250, 250, 40000}) {
    h.Record(v);
    only_second.Record(v);
  }
  HistogramSnapshot second = h.Snapshot();
  HistogramSnapshot delta = second - first;
  HistogramSnapshot expected = only_second.Snapshot();
  EXPECT_EQ(delta.count, 4u);
  EXPECT_EQ(delta.sum, expected.sum);
  EXPECT_EQ(delta.buckets, expected.buckets);
  EXPECT_EQ(delta.max, 40000u);  // a new overall max: exact

  // Nothing recorded: an empty interval.
  HistogramSnapshot empty = h.Snapshot() - second;
  EXPECT_EQ(empty.count, 0u);
  EXPECT_EQ(empty.sum, 0u);
  EXPECT_EQ(empty.max, 0u);
}

TEST(Histogram, DeltaMaxBelowTheOverallMaxStaysInItsBucket) {
  Histogram h;
  h.Record(1'000'000);  // the overall max, in an earlier interval
  HistogramSnapshot first = h.Snapshot();
  h.Record(700);
  h.Record(2900);
  HistogramSnapshot delta = h.Snapshot() - first;
  EXPECT_EQ(delta.count, 2u);
  EXPECT_GE(delta.max, 2900u);
  EXPECT_LE(delta.max, BucketUpperBound(BucketIndex(2900)));
  EXPECT_EQ(BucketIndex(delta.max), BucketIndex(2900));
}

TEST(Histogram, DeltasOfManyIntervalsAddUpToTheTotal) {
  Histogram h;
  HistogramSnapshot previous = h.Snapshot();
  HistogramSnapshot total;
  std::mt19937_64 random(3);
  uint64_t recorded = 0, recorded_sum = 0;
  for (int interval = 0; interval < 20; ++interval) {
    int n = static_cast<int>(random() % 100);
    for (int i = 0; i < n; ++i) {
      uint64_t v = random() % 1'000'000;
      h.Record(v);
      ++recorded;
      recorded_sum += v;
    }
    HistogramSnapshot now = h.Snapshot();
    HistogramSnapshot delta = now - previous;
    previous = now;
    EXPECT_EQ(delta.count, static_cast<uint64_t>(n));
    total.count += delta.count;
    total.sum += delta.sum;
  }
  EXPECT_EQ(total.count, recorded);
  EXPECT_EQ(total.sum, recorded_sum);
}

TEST(Histogram, SumWrapsButDeltasStayExact) {
  Histogram h;
  h.Record(kMaxU64 - 5);
  HistogramSnapshot first = h.Snapshot();
  h.Record(10);  // the cumulative sum wraps
  HistogramSnapshot delta = h.Snapshot() - first;
  EXPECT_EQ(delta.sum, 10u);
  EXPECT_EQ(delta.count, 1u);
}

}  // namespace
}  // namespace vigil::recorder
