// Copyright Vigil authors.
#include "snapshot.h"

#include <new>

#include "thread_state.h"

namespace vigil::rt {

void Callback::Free(void* p) {
  auto* cb = static_cast<Callback*>(p);
  if (cb->destroy != nullptr) {
    // User code: hooks stay quiet inside it and nothing may escape.
    QuietScope quiet;
    try {
      cb->destroy(cb->user);
    } catch (...) {
    }
  }
  delete cb;
}

Snapshot* Snapshot::Create(HookPoint* hook, uint32_t index, uint8_t frame_flags,
                           const std::vector<Entry>& entries) {
  if (entries.empty()) return nullptr;
  void* mem = ::operator new(sizeof(Snapshot) + entries.size() * sizeof(Entry));
  auto* s = new (mem)
      Snapshot{hook,  index, static_cast<uint32_t>(index * sizeof(CounterCell)),
               static_cast<uint32_t>(entries.size()), false, frame_flags, false};
  auto* out = reinterpret_cast<Entry*>(s + 1);
  for (size_t i = 0; i < entries.size(); ++i) {
    new (&out[i]) Entry(entries[i]);
    if (entries[i].epilog != nullptr) s->has_epilogs = true;
  }
  s->single_prolog = entries.size() == 1 && entries[0].prolog != nullptr && !s->has_epilogs &&
                     index < kMaxCountedHooks;
  return s;
}

void Snapshot::Free(void* p) { ::operator delete(p); }

}  // namespace vigil::rt
