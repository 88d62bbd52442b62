// Copyright Vigil authors.
//
// Per-hook-point counters without atomic read-modify-write on the call path.
//
// Each reader record (one per thread, see epoch.h) owns a lazily allocated
// table of cells indexed by the hook point's dense index. Only the owning
// thread writes a cell, with a relaxed load and a relaxed store (a plain
// increment, no lock prefix); GetHookStats sums the cells of every record with
// relaxed loads, so a total may lag by the calls in flight but never tears.
// Tables are never freed; a record reused by a new thread keeps adding to
// them. Threads without a record of their own (see epoch.h) and allocation
// failures fall back to atomic increments of the hook point's shared cell.
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
  std::atomic<uint64_t> sampled_ns{0};
};

inline constexpr uint32_t kCellsPerChunk = 64;
inline constexpr uint32_t kMaxChunks = 2048;  // 131072 hook points
inline constexpr uint32_t kMaxCountedHooks = kCellsPerChunk * kMaxChunks;

struct CounterChunk {
  CounterCell cells[kCellsPerChunk];
};
struct CounterDir {
  std::atomic<CounterChunk*> chunks[kMaxChunks + 1];  // the last: sentinel, always null
};

// Where hook point `index` keeps its cell in every table, precomputed once
// per snapshot so the call path does no arithmetic. Indexes past the limit
// get the directory's sentinel entry, which is always null.
struct CellPosition {
  uint32_t chunk;   // kMaxChunks (the sentinel) if not counted per thread
  uint32_t offset;  // byte offset of the cell in its chunk
  uint32_t index;
};
CellPosition CellPositionOf(uint32_t index);

// Allocates the cell of `index` for record `r`; nullptr when it cannot.
CounterCell* OwnCellSlow(Reader* r, uint32_t index);

// The calling thread's exclusive cell at `pos`, or nullptr (then count in the
// hook point's shared cell with atomic RMW).
inline CounterCell* OwnCell(Reader* r, const CellPosition& pos) {
  CounterDir* dir = r->counters.load(std::memory_order_relaxed);
  if (dir != nullptr) [[likely]] {
    CounterChunk* chunk = dir->chunks[pos.chunk].load(std::memory_order_relaxed);
    if (chunk != nullptr) [[likely]] {
      return reinterpret_cast<CounterCell*>(reinterpret_cast<char*>(chunk) + pos.offset);
    }
  }
  return OwnCellSlow(r, pos.index);
}

// Owner-only increment: a load and a store, which no other thread writes.
inline void Bump(std::atomic<uint64_t>& c, uint64_t n) {
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

struct CounterTotals {
  uint64_t calls = 0;
  uint64_t aborts = 0;
  uint64_t sampled_calls = 0;
  uint64_t sampled_ns = 0;
};

// Adds the cells of hook point `index` of every record, and `shared`, to `*t`.
void SumCells(uint32_t index, const CounterCell& shared, CounterTotals* t);

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_COUNTERS_H_
