// Copyright Vigil authors.
//
// The attached path's general half, and __vigil_finish. Each instrumented
// image enters through its own copy of __vigil_enter (image_entry.cc), whose
// shortcut runs the common case; everything uncommon comes here: several
// callbacks, epilogs, a thread's first call (claims its epoch record and
// counter table), threads that found no free record, calls made from inside
// callbacks, re-entries from invoke, and the one call in kTimeSamplePeriod
// per thread whose callback time is measured.
#include <cxxabi.h>

#include <cstdint>
#include <exception>

#include "counters.h"
#include "cycle_clock.h"
#include "epoch.h"
#include "hook_point.h"
#include "image_entry.h"
#include "registry.h"
#include "snapshot.h"
#include "thread_state.h"
#include "vigil/abi.h"

// The C ABI is what instrumented images link against: exported despite
// -fvisibility=hidden (the attribute on each definition).
#define VIGIL_ABI_EXPORT __attribute__((visibility("default")))

VIGIL_ABI_EXPORT __thread void** __vigil_bypass __attribute__((tls_model("initial-exec"))) = nullptr;

namespace vigil::rt {

__thread ThreadState t_state __attribute__((tls_model("initial-exec"))) = {};

namespace {

// Adds `n` to one counter of the calling thread's own cell (a plain load
// and store), or of the hook point's shared cell (atomic) when the thread
// has none.
inline void Count(CounterCell* cell, HookPoint* hook, std::atomic<uint64_t> CounterCell::*counter,
                  uint64_t n = 1) {
  if (cell != nullptr) [[likely]] {
    Bump(cell->*counter, n);
  } else {
    (hook->shared.*counter).fetch_add(n, std::memory_order_relaxed);
  }
}

static_assert((kTimeSamplePeriod & (kTimeSamplePeriod - 1)) == 0,
              "kTimeSamplePeriod must be a power of two");

inline void RunCallback(internal::RawCallback fn, const Entry& e, vigil_call* call) {
  try {
    fn(call, e.user);
  } catch (...) {
    OnCallbackThrew(e, *call);
  }
}

// The invoke thunk sets __vigil_bypass for the function's entry check to
// consume. If the slot was disarmed in between, the entry check never looks
// and the flag would linger, skipping the hooks of some later call; clearing
// it after invoke (also when the function throws) rules that out.
struct BypassReset {
  ~BypassReset() { __vigil_bypass = nullptr; }
};

inline void InvokePlain(void** argv, void* ret, vigil_invoke_fn invoke) {
  BypassReset reset;
  invoke(argv, ret);
}

// Two registers: no stack temporary in the general path's frame, which a
// deep recursion through finished calls has once per level.
struct Outcome {
  void* exception;  // std::exception_ptr* chosen by a prolog, or nullptr
  bool aborted;
  bool proceed;     // prologs only, none aborted: the caller runs the body
};

inline int Result(const Outcome& out) {
  return out.proceed ? VIGIL_ENTER_CONTINUE : VIGIL_ENTER_DONE;
}

// A prolog aborted the call with an exception: throw it from the call, as
// the function itself could have (after the epilogs and the counters).
[[noreturn, gnu::noinline, gnu::cold]] void ThrowChosenException(void* pending) {
  auto* holder = static_cast<std::exception_ptr*>(pending);
  std::exception_ptr e = std::move(*holder);
  delete holder;
  std::rethrow_exception(std::move(e));
}

// Runs one call through `snap`: prologs in order until one aborts. Without
// epilogs and without an abort, that is all: the function's own entry goes
// on into its body (no second trip through the entry check). Otherwise the
// function unless aborted, then the epilogs of the callbacks whose turn came,
// in reverse. The function's own exceptions propagate (without epilogs).
template <bool kTimed>
[[gnu::always_inline]] inline Outcome RunHooks(const Snapshot& snap, ThreadState& ts,
                                               const vigil_site* site, void** argv, void* ret,
                                               vigil_invoke_fn invoke, bool finishing,
                                               uint64_t* spent_ticks = nullptr) {
  vigil_call call{site, snap.hook, argv, ret, nullptr, false, false, false, snap.frame_flags};
  const Entry* const entries = snap.entries();
  uint64_t spent = 0;
  uint64_t t0 = kTimed ? CycleClockNow() : 0;

  // A published snapshot is never empty (detached slots are null).
  const Entry* const end = entries + snap.count;
  const Entry* next = entries;
  {
    QuietScope quiet(ts);  // hook points the callbacks reach run plainly
    do {
      const Entry& e = *next++;
      if (e.prolog == nullptr) continue;
      RunCallback(e.prolog, e, &call);
      if (call.aborted) break;
    } while (next != end);
  }
  const uint32_t reached = static_cast<uint32_t>(next - entries);
  if (kTimed) spent = CycleClockNow() - t0;

  if (!call.aborted) [[likely]] {
    if (!snap.has_epilogs && !finishing) [[likely]] {
      if (kTimed) *spent_ticks = spent;
      return Outcome{nullptr, false, true};
    }
    InvokePlain(argv, ret, invoke);
    call.returned = true;
  }

  if (snap.has_epilogs) {
    if (kTimed) t0 = CycleClockNow();
    call.in_epilog = true;
    QuietScope quiet(ts);  // hook points the callbacks reach run plainly
    for (uint32_t i = reached; i-- > 0;) {
      const Entry& e = entries[i];
      if (e.epilog == nullptr) continue;
      RunCallback(e.epilog, e, &call);
    }
    if (kTimed) spent += CycleClockNow() - t0;
  }
  if (kTimed) *spent_ticks = spent;
  return Outcome{call.exception, call.aborted, false};
}

[[gnu::noinline]] Outcome RunHooksTimed(const Snapshot& snap, ThreadState& ts, CounterCell* cell,
                                        const vigil_site* site, void** argv, void* ret,
                                        vigil_invoke_fn invoke, bool finishing) {
  uint64_t spent = 0;
  Outcome out = RunHooks<true>(snap, ts, site, argv, ret, invoke, finishing, &spent);
  Count(cell, snap.hook, &CounterCell::sampled_calls);
  Count(cell, snap.hook, &CounterCell::sampled_ticks, spent);
  return out;
}

// How far the runtime takes a call: kContinue leaves a call whose prologs
// neither aborted it nor need epilogs to the function's own body (the
// caller's hook thunk); kFinish runs the function through invoke itself.
enum class Mode : bool { kContinue, kFinish };

[[gnu::always_inline]] inline Outcome RunSampledOrNot(bool sampled, const Snapshot& snap,
                                                      ThreadState& ts, CounterCell* cell,
                                                      const vigil_site* site, void** argv,
                                                      void* ret, vigil_invoke_fn invoke,
                                                      Mode mode) {
  const bool finishing = mode == Mode::kFinish;
  if (!sampled) [[likely]] return RunHooks<false>(snap, ts, site, argv, ret, invoke, finishing);
  return RunHooksTimed(snap, ts, cell, site, argv, ret, invoke, finishing);
}

// A read section of the general path. The outermost one also closes the
// shortcut's gate: a call it reached (an epilog's function running through
// invoke) must not open and close a section of its own on the same record.
struct ReadSection {
  ReadSection(ThreadState& ts, Reader* r) : ts(ts), r(r), prev(EnterRead(r)) {
    if (prev == 0) ts.gate -= kSectionUnit;
  }
  ~ReadSection() {
    if (prev == 0) ts.gate += kSectionUnit;
    ExitRead(r, prev);
  }
  ThreadState& ts;
  Reader* const r;
  const uint64_t prev;
};

struct OverflowSection {
  explicit OverflowSection(ThreadState& ts) : ts(ts) { EnterOverflowRead(ts); }
  ~OverflowSection() { ExitOverflowRead(ts); }
  ThreadState& ts;
};

// A thread's first call (or its first since its record was released, or
// since fork): claims an epoch record and a counter table, starts the
// countdown, and arms the shortcut if the thread has both and readers need
// not fence themselves.
[[gnu::noinline, gnu::cold]] void SetUpThread(ThreadState& ts) {
  QuietScope quiet;  // claiming may allocate
  if (ts.reader == nullptr && !ts.overflow) ClaimReader();
  const bool armed =
      ts.reader != nullptr && EnsureCounterTable(ts.reader) && !ReadersMustFence();
  ts.gate += int64_t{kTimeSamplePeriod} - (armed ? 0 : kUnarmedUnit);
}

// A call to run without callbacks (inside a callback, a re-entry from invoke,
// a slot detached meanwhile): kContinue leaves it to the caller's body;
// kFinish runs it through invoke, with the shortcut closed so that the
// re-entry is recognised (see __vigil_finish).
[[gnu::noinline]] int RunPlainly(void** argv, void* ret, vigil_invoke_fn invoke, Mode mode) {
  if (mode == Mode::kContinue) return VIGIL_ENTER_CONTINUE;
  struct Closed {
    Closed() { t_state.gate -= kSectionUnit; }
    ~Closed() { t_state.gate += kSectionUnit; }
  } closed;
  InvokePlain(argv, ret, invoke);
  return VIGIL_ENTER_DONE;
}

// A thread without an epoch record of its own: a shared count of open
// sections and the shared counters.
[[gnu::noinline]] int DispatchOverflow(ThreadState& ts, bool sampled, const vigil_site* site,
                                       void** argv, void* ret, vigil_invoke_fn invoke,
                                       Mode mode) {
  OverflowSection section(ts);
  const auto* snap = SnapshotIn(LoadSlot(site->slot));
  if (snap == nullptr) return RunPlainly(argv, ret, invoke, mode);
  CounterCell& shared = snap->hook->shared;
  shared.calls.fetch_add(1, std::memory_order_relaxed);
  Outcome out = RunSampledOrNot(sampled, *snap, ts, nullptr, site, argv, ret, invoke, mode);
  if (out.aborted) shared.aborts.fetch_add(1, std::memory_order_relaxed);
  if (out.exception != nullptr) ThrowChosenException(out.exception);
  return Result(out);
}

// Everything but the shortcut (image_entry.cc): several callbacks, epilogs,
// the calls whose time is sampled, calls made inside callbacks or reached
// from the general path's own sections, a thread's first call, threads
// without a record of their own, and re-entries from an invoke thunk.
[[gnu::noinline]] int DispatchGeneral(const vigil_site* site, void** argv, void* ret,
                                      vigil_invoke_fn invoke, Mode mode) {
  ThreadState& ts = t_state;
  if (Suppressed(ts)) return RunPlainly(argv, ret, invoke, mode);
  if (__vigil_bypass == site->slot) [[unlikely]] {
    __vigil_bypass = nullptr;  // an invoke thunk's call: the body, without hooks
    return RunPlainly(argv, ret, invoke, mode);
  }
  if (GateParts(ts.gate).countdown == 0) [[unlikely]] SetUpThread(ts);
  const bool sampled = GateParts(ts.gate).countdown == 1;
  ts.gate += sampled ? int64_t{kTimeSamplePeriod} - 1 : -1;

  Reader* r = ts.reader;
  if (r == nullptr) [[unlikely]] {
    return DispatchOverflow(ts, sampled, site, argv, ret, invoke, mode);
  }
  ReadSection section(ts, r);
  const auto* snap = SnapshotIn(LoadSlot(site->slot));
  if (snap == nullptr) [[unlikely]] return RunPlainly(argv, ret, invoke, mode);  // just detached

  CounterCell* cell = OwnCell(r, snap->index);
  Count(cell, snap->hook, &CounterCell::calls);
  Outcome out = RunSampledOrNot(sampled, *snap, ts, cell, site, argv, ret, invoke, mode);
  if (out.aborted) {
    Count(cell, snap->hook, &CounterCell::aborts);
    if (out.exception != nullptr) ThrowChosenException(out.exception);
  }
  return Result(out);
}

}  // namespace

// A callback threw: count it, and past its limit disable it: mark it and ask
// the registry to publish snapshots without it. That needs the registry lock,
// which the call path must never wait for, so it only tries; a callback that
// keeps failing retries on each failure, and any write sweeps it too. This
// way the common path needs no "disabled" check. Cold, entered from the
// catch-all handler: a thread being cancelled unwinds on (glibc requires
// abi::__forced_unwind to be rethrown). Keeping the type test here leaves
// the call path's landing pad with nothing to keep in registers.
[[gnu::noinline, gnu::cold]] void OnCallbackThrew(const Entry& e, const vigil_call& call) {
  try {
    throw;
  } catch (abi::__forced_unwind&) {
    throw;
  } catch (...) {
  }
  auto* hook = static_cast<HookPoint*>(const_cast<void*>(call.hook));
  hook->callback_errors.fetch_add(1, std::memory_order_relaxed);
  Callback* cb = e.callback;
  uint32_t errors = cb->errors.fetch_add(1, std::memory_order_relaxed) + 1;
  if (cb->max_errors != kNeverDisable && errors >= cb->max_errors) {
    cb->disabled.store(true, std::memory_order_release);
    Registry::Get().OnCallbackDisabled();
  }
}

[[gnu::noinline, gnu::cold]] int FinishAbort(const vigil_call& call) {
  Reader* r = t_state.reader;
  auto* hook = static_cast<HookPoint*>(const_cast<void*>(call.hook));
  Count(OwnCell(r, hook->index), hook, &CounterCell::aborts);
  ExitRead(r, 0);
  if (call.exception != nullptr) ThrowChosenException(call.exception);
  return VIGIL_ENTER_DONE;
}

int EnterGeneral(const vigil_site* site, void** argv, void* ret, vigil_invoke_fn invoke) {
  return DispatchGeneral(site, argv, ret, invoke != nullptr ? invoke : site->invoke,
                         Mode::kContinue);
}

}  // namespace vigil::rt

// The finish thunk's entry: the whole call, to its result in `ret`. While
// the runtime runs invoke the thread's shortcut is closed (by the general
// path's read section, or RunPlainly), so that when f is re-entered without
// its slot tagged VIGIL_SLOT_FINISH (the epilogs were detached meanwhile),
// DispatchGeneral recognises the re-entry. A tail call: a deep recursion
// through finished calls needs no more stack than the general path does.
extern "C" VIGIL_ABI_EXPORT void __vigil_finish(const vigil_site* site, void** argv, void* ret,
                                                vigil_invoke_fn invoke) {
  vigil::rt::DispatchGeneral(site, argv, ret, invoke, vigil::rt::Mode::kFinish);
}
