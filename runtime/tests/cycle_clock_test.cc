// Copyright Vigil authors.
//
// The sampled calls' clock: ticks converted to nanoseconds agree with
// CLOCK_MONOTONIC over the same interval (whatever the machine's load: both
// clocks measure the same wall time).
#include "cycle_clock.h"

#include <gtest/gtest.h>
#include <time.h>

#include <cstdint>

namespace {

uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

TEST(CycleClockTest, TicksConvertToTheNanosecondsThatPassed) {
  vigil::rt::InitCycleClock();
  const uint64_t ns0 = MonotonicNs();
  const uint64_t t0 = vigil::rt::CycleClockNow();
  timespec nap{0, 30 * 1000 * 1000};
  nanosleep(&nap, nullptr);
  const uint64_t t1 = vigil::rt::CycleClockNow();
  const uint64_t ns1 = MonotonicNs();
  ASSERT_GT(t1, t0);
  const double measured = static_cast<double>(vigil::rt::CycleClockToNs(t1 - t0));
  const double passed = static_cast<double>(ns1 - ns0);
  EXPECT_NEAR(measured / passed, 1.0, 0.02) << measured << " ns for " << passed << " ns";
}

TEST(CycleClockTest, ZeroTicksAreZeroNanoseconds) {
  EXPECT_EQ(vigil::rt::CycleClockToNs(0), 0u);
}

}  // namespace
