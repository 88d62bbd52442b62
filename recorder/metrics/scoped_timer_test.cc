// Copyright Vigil authors.
#include "scoped_timer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace vigil::recorder {
namespace {

TEST(ScopedTimer, RecordsTheScopesDuration) {
  Histogram h;
  uint64_t before = MonotonicNowNs();
  {
    ScopedTimer timer(&h);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  uint64_t outer = MonotonicNowNs() - before;
  HistogramSnapshot s = h.Snapshot();
  ASSERT_EQ(s.count, 1u);
  EXPECT_GE(s.sum, 2'000'000u);
  EXPECT_LE(s.sum, outer);
}

TEST(ScopedTimer, CancelledOrNullRecordsNothing) {
  Histogram h;
  {
    ScopedTimer timer(&h);
    timer.Cancel();
  }
  { ScopedTimer timer(nullptr); }
  EXPECT_EQ(h.Snapshot().count, 0u);
}

TEST(ScopedTimer, ClockIsMonotonic) {
  uint64_t previous = MonotonicNowNs();
  for (int i = 0; i < 1000; ++i) {
    uint64_t now = MonotonicNowNs();
    ASSERT_GE(now, previous);
    previous = now;
  }
}

}  // namespace
}  // namespace vigil::recorder
