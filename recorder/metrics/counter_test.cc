// Copyright Vigil authors.
#include "counter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

namespace vigil::recorder {
namespace {

TEST(Counter, StartsAtZeroAndAdds) {
  Counter c;
  EXPECT_EQ(c.Value(), 0u);
  c.Add();
  c.Add(41);
  EXPECT_EQ(c.Value(), 42u);
}

TEST(Counter, ValueAddsTheStripesOfEveryThread) {
  Counter c;
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < 3 * kStripeCount; ++t) {
    threads.emplace_back([&c, t] {
      for (uint32_t i = 0; i <= t; ++i) c.Add(1);
    });
  }
  for (std::thread& t : threads) t.join();
  uint64_t n = 3 * kStripeCount;
  EXPECT_EQ(c.Value(), n * (n + 1) / 2);
}

TEST(Counter, DifferenceIsExactAcrossAWrap) {
  Counter c;
  c.Add(std::numeric_limits<uint64_t>::max() - 1);
  uint64_t before = c.Value();
  c.Add(5);
  EXPECT_EQ(c.Value() - before, 5u);
}

TEST(Counter, StripesDoNotShareCacheLines) {
  static_assert(sizeof(Counter) == kStripeCount * 64);
  static_assert(alignof(Counter) == 64);
}

TEST(Stripe, ThreadsGetDifferentStripesRoundRobin) {
  std::vector<uint32_t> stripes(kStripeCount);
  for (uint32_t t = 0; t < kStripeCount; ++t) {
    std::thread([&stripes, t] {
      stripes[t] = CurrentStripe();
      EXPECT_EQ(CurrentStripe(), stripes[t]);  // stable for the thread's life
    }).join();
  }
  for (uint32_t t = 1; t < kStripeCount; ++t) {
    EXPECT_EQ(stripes[t], (stripes[0] + t) % kStripeCount);
  }
}

}  // namespace
}  // namespace vigil::recorder
