// Copyright Vigil authors.
//
// The per-thread state of the call path, in one initial-exec TLS block.
//
// __thread (not thread_local) with constant zero initialisation: no TLS
// wrapper function, no guard, no destructor, so the dispatch path reaches it
// with one %fs-relative access and it is usable from image constructors that
// run before any static initialiser of ours.
#ifndef VIGIL_RUNTIME_THREAD_STATE_H_
#define VIGIL_RUNTIME_THREAD_STATE_H_

#include <cstdint>

#include "layout.h"
#include "vigil/hook.h"

namespace vigil::rt {

struct Reader;

// `gate` is what __vigil_enter's shortcut tests, once: the shortcut may run
// only while gate > 1. Everything that rules the shortcut out is folded into
// it, as a sum of independent parts, so that each can be added and taken away
// again (in any order, with plain arithmetic) without knowing the others:
//
//   countdown to the thread's next sampled call, 1..kTimeSamplePeriod
//                                          (0: the thread is not set up yet)
//   − kSuppressUnit per level of suppression (inside a callback, QuietScope,
//                                          vigil::ScopedSuppressHooks)
//   − kSectionUnit per read section held open by the general call path
//                                          (the shortcut must be outermost)
//   − kUnarmedUnit while the thread cannot take the shortcut at all (no epoch
//                                          record or counter table of its own,
//                                          or readers must fence themselves)
//
// The countdown stays in the low kCountdownBits whatever the other parts
// are, and GateParts() takes the sum apart again for the slow paths.
inline constexpr int kCountdownBits = 12;
inline constexpr int64_t kCountdownMask = (int64_t{1} << kCountdownBits) - 1;
inline constexpr int64_t kSuppressUnit = int64_t{1} << kCountdownBits;
inline constexpr int64_t kSectionUnit = kSuppressUnit << 16;
inline constexpr int64_t kUnarmedUnit = kSectionUnit << 16;
static_assert(kTimeSamplePeriod <= kCountdownMask, "the countdown must fit its bits");

struct ThreadState {
  // Claimed epoch record; nullptr before the first call, and for threads
  // that found none free (then `overflow` is set and the slow path runs).
  Reader* reader;
  int64_t gate;             // see above
  uint32_t overflow_depth;  // sections open through the overflow path
  bool overflow;            // no record of its own: use the overflow path
};

// Exported for the image entry (image_entry.h).
extern VIGIL_RT_SHARED __thread ThreadState t_state VIGIL_RT_INTERNAL("thread_state")
    __attribute__((tls_model("initial-exec")));

struct GateView {
  uint32_t countdown;
  uint32_t suppress;  // levels
  uint32_t sections;
  bool unarmed;
};

inline GateView GateParts(int64_t gate) {
  // gate = countdown − (suppress + sections·2^16 + unarmed·2^32)·kSuppressUnit
  // with 0 <= countdown < kSuppressUnit, so the arithmetic shift leaves
  // exactly −(…).
  const auto levels = static_cast<uint64_t>(-(gate >> kCountdownBits));
  return GateView{static_cast<uint32_t>(gate & kCountdownMask),
                  static_cast<uint32_t>(levels & 0xffff),
                  static_cast<uint32_t>((levels >> 16) & 0xffff), (levels >> 32) != 0};
}

inline bool Suppressed(const ThreadState& ts) { return GateParts(ts.gate).suppress != 0; }

// Back to "not set up": the thread's next call sets it up again (after its
// record was released, or in a forked child).
inline void ResetGate(ThreadState& ts) {
  const GateView v = GateParts(ts.gate);
  ts.gate -= v.countdown;
  if (v.unarmed) ts.gate += kUnarmedUnit;
}

// Hooks run plainly on this thread while one exists. The runtime holds one
// whenever it may call code the application could have instrumented (an
// instrumented malloc, say) from a place where a callback must not run: under
// the registry lock, or while setting up a thread's first call.
// `ts` is the calling thread's state, for callers that have it at hand.
class QuietScope {
 public:
  explicit QuietScope(ThreadState& ts = t_state) : ts_(ts) { ts_.gate -= kSuppressUnit; }
  ~QuietScope() { ts_.gate += kSuppressUnit; }
  QuietScope(const QuietScope&) = delete;
  QuietScope& operator=(const QuietScope&) = delete;

 private:
  ThreadState& ts_;
};

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_THREAD_STATE_H_
