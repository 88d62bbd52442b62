// Copyright Vigil authors.
//
// A hook point as the runtime keeps it: one per function, however many images
// carry a slot for it. Created when the first image providing it registers and
// never freed (names, counters and attachments outlive dlclose, so a library
// loaded again gets its callbacks back, and a snapshot held by a running call
// can always reach it).
#ifndef VIGIL_RUNTIME_HOOK_POINT_H_
#define VIGIL_RUNTIME_HOOK_POINT_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "counters.h"
#include "snapshot.h"
#include "vigil/abi.h"

namespace vigil::rt {

struct AttachmentRec;

struct HookPoint {
  // Immutable after creation (read without the lock by the C API).
  uint32_t index = 0;  // dense, for the counter tables
  std::string name;
  std::string symbol;
  std::string signature;
  std::string display;
  std::string params;
  std::string file;
  uint32_t line = 0;
  uint32_t flags = 0;
  uint32_t ret_size = 0;
  uint16_t arg_count = 0;
  uint16_t first_kind = 0;
  uint8_t frame_flags = 0;  // internal::kHook* bits for vigil_call::hook_flags

  // Guarded by the registry mutex.
  std::vector<const vigil_site*> definition_sites;
  std::vector<const vigil_site*> call_sites;
  std::vector<AttachmentRec*> attachments;  // sorted by (priority, seq)
  Snapshot* current = nullptr;              // what armed slots hold

  // Shared counters (atomic RMW): overflow readers and rare events.
  CounterCell shared;
  std::atomic<uint64_t> callback_errors{0};

  bool internal() const { return (flags & VIGIL_META_INTERNAL) != 0; }
};

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_HOOK_POINT_H_
