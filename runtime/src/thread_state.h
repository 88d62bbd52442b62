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

namespace vigil::rt {

struct Reader;

struct ThreadState {
  // Claimed epoch record; nullptr before the first call, and for threads
  // that found none free (then `overflow` is set and the slow path runs).
  Reader* reader;
  uint32_t suppress;        // > 0: hooks run plainly (inside a callback, or suppressed)
  uint32_t sample_tick;     // counts calls; time is measured when it wraps the period
  uint32_t overflow_depth;  // sections open through the overflow path
  bool overflow;            // no record of its own: use the overflow path
};

extern __thread ThreadState t_state __attribute__((tls_model("initial-exec")));

// Hooks run plainly on this thread while one exists. The runtime holds one
// whenever it may call code the application could have instrumented (an
// instrumented malloc, say) from a place where a callback must not run: under
// the registry lock, or while setting up a thread's first call.
class QuietScope {
 public:
  QuietScope() { ++t_state.suppress; }
  ~QuietScope() { --t_state.suppress; }
  QuietScope(const QuietScope&) = delete;
  QuietScope& operator=(const QuietScope&) = delete;
};

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_THREAD_STATE_H_
