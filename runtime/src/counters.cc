// Copyright Vigil authors.
#include "counters.h"

#include <sys/mman.h>

namespace vigil::rt {

bool EnsureCounterTable(Reader* r) {
  if (r->cells.load(std::memory_order_relaxed) != nullptr) return true;
  // Only the owner installs the table, so a plain check-then-store is
  // race-free; the release store lets GetHookStats walk it concurrently.
  // Untouched pages read as zero and cost no memory.
  void* mem = mmap(nullptr, sizeof(CounterCell) * kMaxCountedHooks, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) return false;
  r->cells.store(static_cast<CounterCell*>(mem), std::memory_order_release);
  return true;
}

namespace {
void AddCell(const CounterCell& c, CounterTotals* t) {
  t->calls += c.calls.load(std::memory_order_relaxed);
  t->aborts += c.aborts.load(std::memory_order_relaxed);
  t->sampled_calls += c.sampled_calls.load(std::memory_order_relaxed);
  t->sampled_ticks += c.sampled_ticks.load(std::memory_order_relaxed);
}
}  // namespace

void SumCells(uint32_t index, const CounterCell& shared, CounterTotals* t) {
  AddCell(shared, t);
  if (index >= kMaxCountedHooks) return;
  uint32_t high = g_reader_high.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < high; ++i) {
    CounterCell* table = g_readers[i].cells.load(std::memory_order_acquire);
    if (table != nullptr) AddCell(table[index], t);
  }
}

}  // namespace vigil::rt
