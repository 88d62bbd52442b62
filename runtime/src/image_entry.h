// Copyright Vigil authors.
//
// What the per-image entry (image_entry.cc) shares with libvigil_rt.so.
//
// __vigil_enter is not in libvigil_rt.so: every instrumented image links its
// own hidden copy from libvigil_entry.a (the drivers and the CMake package
// add it), so the attached path's calls stay inside the image instead of
// crossing to a shared library mapped far away, which costs this path
// nanoseconds per call (docs/performance.md). The copy reads the runtime's
// thread state, epoch, snapshots and counter tables directly, as the
// runtime's own code does, and calls back into libvigil_rt.so for everything
// else (the general path, aborts, failing callbacks).
//
// That makes the layout of those structures a contract between the two, so
// every symbol the copy needs carries the layout's version in its name: an
// image linked with another Vigil's copy fails to load ("undefined symbol:
// __vigil_rt_L2_...") instead of misreading memory. Whenever the copy's view
// changes, bump VIGIL_RT_LAYOUT (layout.h) and kLayoutFingerprint with it;
// LayoutFingerprint() below fails the build if one is forgotten.
#ifndef VIGIL_RUNTIME_IMAGE_ENTRY_H_
#define VIGIL_RUNTIME_IMAGE_ENTRY_H_

#include <cstddef>
#include <cstdint>

#include "counters.h"
#include "epoch.h"
#include "layout.h"
#include "snapshot.h"
#include "thread_state.h"
#include "vigil/abi.h"
#include "vigil/vigil.h"

namespace vigil::rt {

// The general path for calls the shortcut does not take (dispatch.cc).
// `invoke` may be null: the site's.
VIGIL_RT_SHARED int EnterGeneral(const vigil_site* site, void** argv, void* ret,
                                 vigil_invoke_fn invoke) VIGIL_RT_INTERNAL("enter_general");

// The shortcut's abort: counted, then the chosen exception if any. Entered
// inside the outermost read section, which it closes.
VIGIL_RT_SHARED int FinishAbort(const vigil_call& call) VIGIL_RT_INTERNAL("finish_abort");

// A callback threw (called from a catch-all handler): counts it, disables the
// callback past its limit, and rethrows a thread cancellation.
VIGIL_RT_SHARED void OnCallbackThrew(const Entry& e, const vigil_call& call)
    VIGIL_RT_INTERNAL("callback_threw");

// Offsets and sizes of everything image_entry.cc reads or writes, folded into
// one number.
constexpr uint64_t LayoutFingerprint() {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  mix(sizeof(ThreadState));
  mix(offsetof(ThreadState, reader));
  mix(offsetof(ThreadState, gate));
  mix(static_cast<uint64_t>(kSuppressUnit));
  mix(sizeof(Reader));
  mix(offsetof(Reader, epoch));
  mix(offsetof(Reader, cells));
  mix(offsetof(ReadShared, epoch));
  mix(sizeof(Snapshot));
  mix(offsetof(Snapshot, hook));
  mix(offsetof(Snapshot, cell_offset));
  mix(offsetof(Snapshot, frame_flags));
  mix(kSlotShortcut);
  mix(sizeof(Entry));
  mix(offsetof(Entry, prolog));
  mix(offsetof(Entry, user));
  mix(offsetof(CounterCell, calls));
  mix(sizeof(vigil_call));
  return h;
}

// LayoutFingerprint() for VIGIL_RT_LAYOUT "2" on x86-64.
inline constexpr uint64_t kLayoutFingerprint = 471100558624328906ull;
#if defined(__x86_64__)
static_assert(LayoutFingerprint() == kLayoutFingerprint,
              "image_entry.cc's view of the runtime changed: bump VIGIL_RT_LAYOUT (layout.h) "
              "and set kLayoutFingerprint to the new LayoutFingerprint()");
#endif

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_IMAGE_ENTRY_H_
