// Copyright Vigil authors.
#include "counters.h"

#include <new>

#include "thread_state.h"

namespace vigil::rt {

CellPosition CellPositionOf(uint32_t index) {
  if (index >= kMaxCountedHooks) return CellPosition{kMaxChunks, 0, index};
  return CellPosition{index / kCellsPerChunk,
                      static_cast<uint32_t>((index % kCellsPerChunk) * sizeof(CounterCell)), index};
}

CounterCell* OwnCellSlow(Reader* r, uint32_t index) {
  if (index >= kMaxCountedHooks) return nullptr;
  QuietScope quiet;
  // Only the owner allocates, so a plain check-then-store is race-free; the
  // release stores let GetHookStats walk the tables concurrently.
  CounterDir* dir = r->counters.load(std::memory_order_relaxed);
  if (dir == nullptr) {
    dir = new (std::nothrow) CounterDir{};
    if (dir == nullptr) return nullptr;
    r->counters.store(dir, std::memory_order_release);
  }
  std::atomic<CounterChunk*>& slot = dir->chunks[index / kCellsPerChunk];
  CounterChunk* chunk = slot.load(std::memory_order_relaxed);
  if (chunk == nullptr) {
    chunk = new (std::nothrow) CounterChunk{};
    if (chunk == nullptr) return nullptr;
    slot.store(chunk, std::memory_order_release);
  }
  return &chunk->cells[index % kCellsPerChunk];
}

namespace {
void AddCell(const CounterCell& c, CounterTotals* t) {
  t->calls += c.calls.load(std::memory_order_relaxed);
  t->aborts += c.aborts.load(std::memory_order_relaxed);
  t->sampled_calls += c.sampled_calls.load(std::memory_order_relaxed);
  t->sampled_ns += c.sampled_ns.load(std::memory_order_relaxed);
}
}  // namespace

void SumCells(uint32_t index, const CounterCell& shared, CounterTotals* t) {
  AddCell(shared, t);
  if (index >= kMaxCountedHooks) return;
  uint32_t high = g_reader_high.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < high; ++i) {
    CounterDir* dir = g_readers[i].counters.load(std::memory_order_acquire);
    if (dir == nullptr) continue;
    CounterChunk* chunk = dir->chunks[index / kCellsPerChunk].load(std::memory_order_acquire);
    if (chunk != nullptr) AddCell(chunk->cells[index % kCellsPerChunk], t);
  }
}

}  // namespace vigil::rt
