// Copyright Vigil authors.
#include "epoch.h"

#include <linux/membarrier.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

namespace vigil::rt {

constinit ReadShared g_read;
constinit Reader g_readers[kMaxReaders];
constinit std::atomic<uint32_t> g_reader_high{0};
constinit std::atomic<uint64_t> g_overflow_active{0};

namespace {

constinit std::atomic<bool> g_membarrier{false};
// A forked child could not register membarrier again. Its forking thread may
// still read without fencing (a shortcut it was inside re-arms its gate when
// the prolog returns), so nothing is freed in that child: retired objects
// stay retired (memory grows with attach/detach churn only).
constinit std::atomic<bool> g_fence_lost{false};

long Membarrier(int cmd) { return syscall(__NR_membarrier, cmd, 0u, 0); }

bool RegisterMembarrier() {
  if (VIGIL_TSAN) return false;  // TSan cannot see its ordering; use seq_cst instead
  long cmds = Membarrier(MEMBARRIER_CMD_QUERY);
  if (cmds < 0 || (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
  return Membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

// Makes every reader's record store that precedes its slot load visible to
// the scan that follows, or the writer's earlier slot stores visible to it.
// Returns false if that could not be guaranteed (then nothing may be freed).
bool WriterBarrier() {
  if (g_fence_lost.load(std::memory_order_relaxed)) return false;
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (g_membarrier.load(std::memory_order_relaxed)) {
    return Membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0;
  }
  return true;  // readers fence themselves (or, under TSan, use seq_cst)
}

void ReleaseReader(void* arg) {
  auto* r = static_cast<Reader*>(arg);
  ThreadState& ts = t_state;
  if (ts.reader == r) {
    ts.reader = nullptr;
    ResetGate(ts);
  }
  r->epoch.store(0, std::memory_order_release);
  r->owned.store(0, std::memory_order_release);
}

pthread_key_t ReleaseKey(bool* ok) {
  static bool created = false;
  static pthread_key_t key = [] {
    pthread_key_t k{};
    created = pthread_key_create(&k, &ReleaseReader) == 0;
    return k;
  }();
  *ok = created;
  return key;
}

}  // namespace

Reader* ClaimReader() {
  ThreadState& ts = t_state;
  QuietScope quiet;  // pthread_key_create and friends may allocate
  for (uint32_t i = 0; i < kMaxReaders; ++i) {
    Reader& r = g_readers[i];
    uint32_t expected = 0;
    if (r.owned.load(std::memory_order_relaxed) != 0 ||
        !r.owned.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
      continue;
    }
    // Raise the scan bound before this thread's first epoch store (seq_cst
    // RMW), so a writer that misses the new bound also misses nothing else.
    uint32_t high = g_reader_high.load(std::memory_order_relaxed);
    while (high < i + 1 &&
           !g_reader_high.compare_exchange_weak(high, i + 1, std::memory_order_seq_cst)) {
    }
    bool ok = false;
    pthread_key_t key = ReleaseKey(&ok);
    if (ok) pthread_setspecific(key, &r);  // else the record leaks at thread exit
    ts.reader = &r;
    return &r;
  }
  ts.overflow = true;
  return nullptr;
}

void Reclaimer::Init() {
  static const bool done = [] {
    if (RegisterMembarrier()) {
      g_membarrier.store(true, std::memory_order_relaxed);
      g_read.reader_fence.store(false, std::memory_order_release);
    }
    return true;
  }();
  (void)done;
}

bool Reclaimer::membarrier_enabled() { return g_membarrier.load(std::memory_order_relaxed); }

void Reclaimer::AfterForkInChild() {
  // Only the forking thread survives. Its own record stays as it is (fork
  // may be called from inside a hooked function); the others are released.
  Reader* self = t_state.reader;
  uint32_t high = g_reader_high.load(std::memory_order_relaxed);
  for (uint32_t i = 0; i < high; ++i) {
    if (&g_readers[i] == self) continue;
    g_readers[i].epoch.store(0, std::memory_order_relaxed);
    g_readers[i].owned.store(0, std::memory_order_relaxed);
  }
  g_overflow_active.store(t_state.overflow_depth, std::memory_order_relaxed);
  ResetGate(t_state);  // set up again: whether readers must fence may change below
  if (g_membarrier.load(std::memory_order_relaxed) &&
      Membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) {
    g_read.reader_fence.store(true, std::memory_order_seq_cst);
    g_membarrier.store(false, std::memory_order_relaxed);
    g_fence_lost.store(true, std::memory_order_relaxed);
  }
}

void Reclaimer::Retire(void* object, void (*free_fn)(void*)) {
  retired_.push_back({g_read.epoch.load(std::memory_order_relaxed), object, free_fn});
  retired_since_advance_ = true;
}

void Reclaimer::Advance() {
  if (!retired_since_advance_) return;
  retired_since_advance_ = false;
  uint64_t e = g_read.epoch.load(std::memory_order_relaxed);
  g_read.epoch.store(e + 1, std::memory_order_release);
}

void Reclaimer::Collect(std::vector<Item>* out) {
  if (retired_.empty()) return;
  if (!WriterBarrier()) return;
  if (g_overflow_active.load(std::memory_order_seq_cst) != 0) return;
  uint64_t oldest = std::numeric_limits<uint64_t>::max();
  uint32_t high = g_reader_high.load(std::memory_order_seq_cst);
  for (uint32_t i = 0; i < high; ++i) {
    uint64_t e = g_readers[i].epoch.load(VIGIL_TSAN ? std::memory_order_seq_cst
                                                    : std::memory_order_acquire);
    if (e != 0 && e < oldest) oldest = e;
  }
  // Tags only grow along the list, so the safe items are a prefix.
  auto safe_end = std::find_if(retired_.begin(), retired_.end(),
                               [oldest](const Item& it) { return it.tag >= oldest; });
  out->insert(out->end(), retired_.begin(), safe_end);
  retired_.erase(retired_.begin(), safe_end);
}

}  // namespace vigil::rt
