// Copyright Vigil authors.
//
// What a hook point's slot points to while callbacks are attached: an
// immutable, sorted array of callbacks. Writers never modify a published
// snapshot; they build a new one, store it in every slot of the hook point,
// and retire the old one (epoch.h), so a call runs with exactly one consistent
// set of callbacks from start to end.
#ifndef VIGIL_RUNTIME_SNAPSHOT_H_
#define VIGIL_RUNTIME_SNAPSHOT_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "counters.h"
#include "vigil/abi.h"
#include "vigil/hook.h"

namespace vigil::rt {

struct HookPoint;

// One attachment's callbacks as currently installed. Shared by the snapshots
// of every hook point the attachment covers; retired (and its user object
// destroyed) only after it was removed from all of them.
struct Callback {
  internal::RawCallback prolog = nullptr;
  internal::RawCallback epilog = nullptr;
  void* user = nullptr;
  void (*destroy)(void*) = nullptr;
  uint32_t max_errors = kDefaultMaxErrors;
  // Error path and registry only; the call path never reads these.
  std::atomic<bool> disabled{false};  // past max_errors: to be unpublished
  std::atomic<uint32_t> errors{0};

  // Reclaimer free function: destroys the user object, then the Callback.
  static void Free(void* callback);
};

// One callback in a snapshot. The function pointers and user object are
// copied from the Callback so a call never touches the Callback itself.
struct Entry {
  internal::RawCallback prolog;
  internal::RawCallback epilog;
  void* user;
  Callback* callback;
};

struct Snapshot {
  HookPoint* hook;       // never freed
  uint32_t index;        // the hook point's, for its counter cells (counters.h)
  uint32_t cell_offset;  // index * sizeof(CounterCell), for the shortcut
  uint32_t count;        // entries, in run order (priority, then attach order); >= 1
  bool has_epilogs;      // false: the call path skips the epilog phase
  uint8_t frame_flags;   // copied into vigil_call::hook_flags
  // One callback, a prolog only, and a counter cell in every table: what
  // __vigil_enter's shortcut runs.
  bool single_prolog;

  const Entry* entries() const { return reinterpret_cast<const Entry*>(this + 1); }

  // Returns nullptr for an empty list: a detached hook point has a null slot.
  static Snapshot* Create(HookPoint* hook, uint32_t index, uint8_t frame_flags,
                          const std::vector<Entry>& entries);
  static void Free(void* snapshot);
};

static_assert(sizeof(Snapshot) % alignof(Entry) == 0);

// A slot's value is the snapshot, tagged in its low bits (snapshots are
// allocated with at least 8-byte alignment): VIGIL_SLOT_FINISH (bit 0, for
// the instrumented code, vigil/abi.h) while it has epilogs, and
// kSlotShortcut (bit 1, for the entry) while it is single_prolog, so the
// entry decides on its shortcut from the slot's value alone.
inline constexpr uintptr_t kSlotShortcut = 2;
inline constexpr uintptr_t kSlotTags = VIGIL_SLOT_FINISH | kSlotShortcut;

inline void* SlotValue(const Snapshot* snap) {
  if (snap == nullptr) return nullptr;
  const uintptr_t tags = (snap->has_epilogs ? VIGIL_SLOT_FINISH : 0) |
                         (snap->single_prolog ? kSlotShortcut : 0);
  return reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(snap) | tags);
}

inline const Snapshot* SnapshotIn(void* slot_value) {
  return reinterpret_cast<const Snapshot*>(reinterpret_cast<uintptr_t>(slot_value) & ~kSlotTags);
}

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_SNAPSHOT_H_
