// Copyright Vigil authors.
#include "histogram_buckets.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

namespace vigil::recorder {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

TEST(HistogramBuckets, LayoutCovers1NsToOver1MinuteIn273Buckets) {
  EXPECT_EQ(kBucketCount, 273u);
  EXPECT_EQ(kOverflowBucket, 272u);
  EXPECT_EQ(BucketUpperBound(kOverflowBucket - 1), (uint64_t{1} << 36) - 1);
  EXPECT_GT(kLargestTracked, uint64_t{60'000'000'000});  // a minute in ns
}

TEST(HistogramBuckets, SmallValuesAreExact) {
  for (uint64_t v = 0; v < 16; ++v) {
    uint32_t i = BucketIndex(v);
    EXPECT_EQ(i, v);
    EXPECT_EQ(BucketLowerBound(i), v);
    EXPECT_EQ(BucketUpperBound(i), v);
  }
}

TEST(HistogramBuckets, ZeroOneAndMaxValue) {
  EXPECT_EQ(BucketIndex(0), 0u);
  EXPECT_EQ(BucketIndex(1), 1u);
  EXPECT_EQ(BucketIndex(kMaxU64), kOverflowBucket);
  EXPECT_EQ(BucketUpperBound(kOverflowBucket), kMaxU64);
  EXPECT_EQ(BucketLowerBound(kOverflowBucket), uint64_t{1} << 36);
}

TEST(HistogramBuckets, EveryPowerOfTwoStartsABucketUntilTheLastOne) {
  for (uint32_t k = 0; k < 64; ++k) {
    uint64_t p = uint64_t{1} << k;
    uint32_t i = BucketIndex(p);
    SCOPED_TRACE(k);
    if (k < kTrackedBits) {
      EXPECT_EQ(BucketLowerBound(i), p);
      // The value just below is the end of the previous bucket.
      EXPECT_EQ(BucketIndex(p - 1), i - 1);
      EXPECT_EQ(BucketUpperBound(i - 1), p - 1);
      // Above 8, a power of two is the first of kSubBuckets sub-buckets.
      if (k >= kSubBucketBits) {
        EXPECT_EQ(i % kSubBuckets, 0u);
        EXPECT_EQ(BucketIndex(2 * p - 1), i + kSubBuckets - 1);
      }
    } else {
      EXPECT_EQ(i, kOverflowBucket);
    }
    EXPECT_LE(BucketLowerBound(BucketIndex(p)), p);
    EXPECT_GE(BucketUpperBound(BucketIndex(p)), p);
  }
}

TEST(HistogramBuckets, BucketsTileTheRangeAndMapBackToThemselves) {
  for (uint32_t i = 0; i < kBucketCount; ++i) {
    SCOPED_TRACE(i);
    uint64_t lower = BucketLowerBound(i);
    uint64_t upper = BucketUpperBound(i);
    ASSERT_LE(lower, upper);
    EXPECT_EQ(BucketIndex(lower), i);
    EXPECT_EQ(BucketIndex(upper), i);
    if (i + 1 < kBucketCount) EXPECT_EQ(upper + 1, BucketLowerBound(i + 1));
    // Never wider than 1/8 of the lower bound: the error bound the
    // percentiles promise.
    if (i >= 2 * kSubBuckets && i < kOverflowBucket) EXPECT_LE((upper - lower + 1) * 8, lower);
  }
}

TEST(HistogramBuckets, RandomValuesFallInsideTheirBucket) {
  std::mt19937_64 random(42);
  for (int n = 0; n < 100000; ++n) {
    // Spread over all magnitudes, not just the huge ones.
    uint64_t v = random() >> (random() % 64);
    uint32_t i = BucketIndex(v);
    ASSERT_LT(i, kBucketCount);
    ASSERT_LE(BucketLowerBound(i), v) << v;
    ASSERT_GE(BucketUpperBound(i), v) << v;
  }
}

static_assert(BucketIndex(1000) == BucketIndex(BucketLowerBound(BucketIndex(1000))),
              "the bucket math is usable at compile time");

}  // namespace
}  // namespace vigil::recorder
