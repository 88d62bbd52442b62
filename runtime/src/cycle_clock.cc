// Copyright Vigil authors.
#include "cycle_clock.h"

#include <time.h>

#include <mutex>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace vigil::rt {
namespace cycle_clock_internal {

bool g_use_tsc = false;

uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace cycle_clock_internal

namespace {

using cycle_clock_internal::MonotonicNs;

// Where both clocks stood at InitCycleClock.
uint64_t g_base_ticks = 0;
uint64_t g_base_ns = 0;
std::once_flag g_init;

bool InvariantTsc() {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (__get_cpuid(0x80000000u, &a, &b, &c, &d) == 0 || a < 0x80000007u) return false;
  __get_cpuid(0x80000007u, &a, &b, &c, &d);
  return (d & (1u << 8)) != 0;  // "TscInvariant": constant rate in every P-, C- and T-state
#else
  return false;
#endif
}

}  // namespace

void InitCycleClock() {
  std::call_once(g_init, [] {
    cycle_clock_internal::g_use_tsc = InvariantTsc();
    g_base_ns = MonotonicNs();
    g_base_ticks = CycleClockNow();
  });
}

uint64_t CycleClockToNs(uint64_t ticks) {
  InitCycleClock();
  if (!cycle_clock_internal::g_use_tsc) return ticks;
  // The rate since the start: over at least a millisecond, so that reading
  // the two clocks a few nanoseconds apart cannot skew it by more than a
  // few parts per million.
  uint64_t ns = MonotonicNs();
  while (ns - g_base_ns < 1000000) ns = MonotonicNs();
  const uint64_t elapsed_ticks = CycleClockNow() - g_base_ticks;
  if (elapsed_ticks == 0) return ticks;
  return static_cast<uint64_t>(static_cast<long double>(ticks) * (ns - g_base_ns) /
                               elapsed_ticks);
}

}  // namespace vigil::rt
