// Copyright Vigil authors.
//
// Per-hook-point counters without atomic read-modify-write on the call path.
//
// Each reader record (one per thread, see epoch.h) owns a table of cells
// indexed by the hook point's dense index: one reservation of address space,
// made the first time a thread that owns the record calls a hook point, whose
// pages the kernel provides as cells are first written (a program with a few
// hundred hooked functions touches a few pages per thread). So the call path
// reaches its cell with one load and an add, and never allocates. Only the
// owning thread writes a cell, with a relaxed load and a relaxed store (a
// plain increment, no lock prefix); GetHookStats sums the cells of every
// record with relaxed loads, so a total may lag by the calls in flight but
// never tears. Tables are never freed; a record reused by a new thread keeps
// adding to them. Threads without a table (no record of their own, or the
// reservation failed) and hook points past kMaxCountedHooks fall back to
// atomic increments of the hook point's shared cell.
#ifndef VIGIL_RUNTIME_COUNTERS_H_
#define VIGIL_RUNTIME_COUNTERS_H_

#include <atomic>
#include <cstdint>

#include "epoch.h"

namespace vigil::rt {

struct CounterCell {
  std::atomic<uint64_t> calls{0};
  std::atomic<uint64_t> aborts{0};
  std::atomic<uint64_t> sampled_calls{0};
  std::atomic<uint64_t> sampled_ticks{0};  // of CycleClockNow() (cycle_clock.h)
};

inline constexpr uint32_t kMaxCountedHooks = 131072;  // 4 MiB of address space per record

// Gives record `r` its table if it has none yet; false if it cannot.
bool EnsureCounterTable(Reader* r);

// The calling thread's exclusive cell of hook point `index`, or nullptr (then
// count in the hook point's shared cell with atomic RMW).
inline CounterCell* OwnCell(Reader* r, uint32_t index) {
  CounterCell* table = r->cells.load(std::memory_order_relaxed);
  if (table == nullptr || index >= kMaxCountedHooks) [[unlikely]] return nullptr;
  return table + index;
}

// Owner-only increment: a load and a store, which no other thread writes.
inline void Bump(std::atomic<uint64_t>& c, uint64_t n) {
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

struct CounterTotals {
  uint64_t calls = 0;
  uint64_t aborts = 0;
  uint64_t sampled_calls = 0;
  uint64_t sampled_ticks = 0;
};

// Adds the cells of hook point `index` of every record, and `shared`, to `*t`.
void SumCells(uint32_t index, const CounterCell& shared, CounterTotals* t);

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_COUNTERS_H_
