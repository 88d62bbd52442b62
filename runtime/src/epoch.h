// Copyright Vigil authors.
//
// Safe memory reclamation for the call path: epoch-based, with the cost moved
// to the writers.
//
// Readers (__vigil_dispatch) announce "I may hold pointers read from a slot"
// by copying the global epoch into a record of their own, claimed once per
// thread from a static array, and clear it when they leave. That is one
// acquire load and two plain stores (x86: three plain movs; no lock prefix,
// no fence). A nested dispatch (a hooked function calling another) finds its
// record already set and leaves it alone: the outermost section covers it,
// which is conservative.
//
// A writer unlinks an object (stores a new snapshot in every slot), retires it
// tagged with the current epoch E and advances the epoch to E+1. Later it
// frees the object once every record is either quiescent (0) or shows an
// epoch > E: such a reader loaded the epoch after E+1 was published, which
// was after the unlink, so its acquire load of the slot cannot return the old
// object. The store-then-load order a reader needs (publish epoch, then read
// the slot) is provided asymmetrically: before scanning the records the
// writer calls membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which runs a full
// barrier on every thread of the process, so any record store made before a
// reader's slot load is visible to the scan, or the load sees the unlink.
// Where membarrier is unavailable, readers execute a seq_cst fence instead;
// under ThreadSanitizer (which does not model membarrier) the publication and
// the slot accesses are seq_cst operations, which TSan does model.
//
// Writers never wait for readers: what cannot be freed yet stays on the
// retired list and is freed by a later write (or vigil::Reclaim()). A reader
// that stays inside a hooked call for long therefore only delays reclamation.
#ifndef VIGIL_RUNTIME_EPOCH_H_
#define VIGIL_RUNTIME_EPOCH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "layout.h"
#include "thread_state.h"

#if defined(__SANITIZE_THREAD__)
#define VIGIL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VIGIL_TSAN 1
#endif
#endif
#ifndef VIGIL_TSAN
#define VIGIL_TSAN 0
#endif

namespace vigil::rt {

struct CounterCell;

// One thread's read-side state. Records are never freed; a record released
// by an exiting thread is reused by the next one (with its counter cells,
// which keep accumulating: totals are per hook point, not per thread).
struct alignas(64) Reader {
  std::atomic<uint64_t> epoch{0};  // 0: outside any read-side section
  std::atomic<uint32_t> owned{0};  // 1 while a thread owns the record
  std::atomic<CounterCell*> cells{nullptr};  // see counters.h
};

inline constexpr size_t kMaxReaders = 1024;

struct alignas(64) ReadShared {
  std::atomic<uint64_t> epoch{1};  // never 0 (0 marks a quiescent record)
  // True until membarrier is registered: readers then fence themselves. Starts
  // true so a reader that sees a stale value errs on the safe side.
  std::atomic<bool> reader_fence{true};
};

// Constant-initialised: valid before any static constructor has run.
extern VIGIL_RT_SHARED ReadShared g_read VIGIL_RT_INTERNAL("read");  // see image_entry.h
extern Reader g_readers[kMaxReaders];
extern std::atomic<uint32_t> g_reader_high;  // records [0, high) were ever claimed
// Threads that found every record taken announce themselves with an atomic
// count of open sections instead (slower, still correct).
extern std::atomic<uint64_t> g_overflow_active;

// Claims a record for the calling thread (released at thread exit) and stores
// it in t_state.reader. Returns nullptr and sets t_state.overflow if every
// record is taken.
Reader* ClaimReader();

inline constexpr std::memory_order kPublishOrder =
    VIGIL_TSAN ? std::memory_order_seq_cst : std::memory_order_relaxed;
inline constexpr int kSlotLoadOrder = VIGIL_TSAN ? __ATOMIC_SEQ_CST : __ATOMIC_ACQUIRE;
inline constexpr int kSlotStoreOrder = VIGIL_TSAN ? __ATOMIC_SEQ_CST : __ATOMIC_RELEASE;

// Publishes the global epoch in the calling thread's own record `r`, which
// shows 0 (no section open): for a thread whose gate is open
// (thread_state.h), which it only is when readers need no fence of their own.
inline void EnterOutermostReadUnfenced(Reader* r) {
  // Acquire: a reader that sees epoch E+1 also sees the unlinks before it.
  r->epoch.store(g_read.epoch.load(std::memory_order_acquire), kPublishOrder);
  std::atomic_signal_fence(std::memory_order_seq_cst);  // membarrier does the rest
}

// The same for any reader: fences itself while membarrier is not registered.
inline void EnterOutermostRead(Reader* r) {
  EnterOutermostReadUnfenced(r);
  if constexpr (!VIGIL_TSAN) {
    if (g_read.reader_fence.load(std::memory_order_relaxed)) [[unlikely]] {
      std::atomic_thread_fence(std::memory_order_seq_cst);
    }
  }
}

// Whether readers must fence themselves (membarrier is not registered).
// Under ThreadSanitizer they never do: their accesses are seq_cst instead.
inline bool ReadersMustFence() {
  return !VIGIL_TSAN && g_read.reader_fence.load(std::memory_order_acquire);
}

// Opens a read-side section on the calling thread's own record `r`. Returns
// the record's previous value: non-zero when a section is already open (a
// hooked function called from inside another), which then covers this one.
// Only the owning thread writes its record, so no depth counter is needed.
inline uint64_t EnterRead(Reader* r) {
  uint64_t prev = r->epoch.load(std::memory_order_relaxed);
  if (prev == 0) [[likely]] EnterOutermostRead(r);
  return prev;
}

inline void ExitRead(Reader* r, uint64_t prev) {
  // Release: everything read in the section happens before a scan that sees 0.
  if (prev == 0) r->epoch.store(0, std::memory_order_release);
}

// The same for threads without a record: a shared count of open sections
// (atomic read-modify-write; slower, still correct).
inline void EnterOverflowRead(ThreadState& ts) {
  ++ts.overflow_depth;
  g_overflow_active.fetch_add(1, std::memory_order_seq_cst);
}
inline void ExitOverflowRead(ThreadState& ts) {
  g_overflow_active.fetch_sub(1, std::memory_order_release);
  --ts.overflow_depth;
}

inline void* LoadSlot(void* const* slot) { return __atomic_load_n(slot, kSlotLoadOrder); }
inline void StoreSlot(void** slot, void* value) { __atomic_store_n(slot, value, kSlotStoreOrder); }

// The writer half. Not thread-safe: the registry's mutex serialises callers.
class Reclaimer {
 public:
  struct Item {
    uint64_t tag;
    void* object;
    void (*free_fn)(void*);
  };

  // Registers membarrier once (idempotent). Call before the first slot is armed.
  static void Init();
  // After fork(), in the child: forget the records of threads that are gone.
  static void AfterForkInChild();

  // `object` has been unlinked from every place a reader could newly find it.
  void Retire(void* object, void (*free_fn)(void*));
  // Ends a write: advances the epoch if anything was retired since last time.
  void Advance();
  // Moves the retired objects that no reader can still hold to `*out`; the
  // caller frees them (outside its lock: they may run user code).
  void Collect(std::vector<Item>* out);

  // Makes room for `n` more Retire calls, which then cannot throw.
  void Reserve(size_t n) { retired_.reserve(retired_.size() + n); }
  size_t pending() const { return retired_.size(); }
  static bool membarrier_enabled();

 private:
  std::vector<Item> retired_;
  bool retired_since_advance_ = false;
};

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_EPOCH_H_
