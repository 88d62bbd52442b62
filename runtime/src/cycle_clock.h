// Copyright Vigil authors.
//
// The clock of the sampled calls (counters.h): the processor's time-stamp
// counter where it ticks at a constant rate (x86-64 with an invariant TSC),
// a few nanoseconds to read instead of the tens clock_gettime takes in a
// virtual machine; CLOCK_MONOTONIC's nanoseconds elsewhere. Ticks become
// nanoseconds only when someone reads the counters, at the rate measured
// between the runtime's start and then.
#ifndef VIGIL_RUNTIME_CYCLE_CLOCK_H_
#define VIGIL_RUNTIME_CYCLE_CLOCK_H_

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace vigil::rt {

namespace cycle_clock_internal {
extern bool g_use_tsc;  // set once, before any hook point can be armed
uint64_t MonotonicNs();
}  // namespace cycle_clock_internal

// Decides which clock to use and notes where both stand. Called once, early
// (Reclaimer::Init); idempotent.
void InitCycleClock();

inline uint64_t CycleClockNow() {
#if defined(__x86_64__)
  if (cycle_clock_internal::g_use_tsc) [[likely]] return __rdtsc();
#endif
  return cycle_clock_internal::MonotonicNs();
}

// Nanoseconds for `ticks` of CycleClockNow().
uint64_t CycleClockToNs(uint64_t ticks);

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_CYCLE_CLOCK_H_
