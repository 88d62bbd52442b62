// Copyright Vigil authors.
//
// __vigil_enter and the direct entries: the attached path's way in, one
// hidden copy per instrumented image (libvigil_entry.a; image_entry.h says
// why, and what it shares with libvigil_rt.so).
//
// Budget: a few nanoseconds over the plain call with one no-op prolog. So it
// has no lock, no atomic read-modify-write, no fence (epoch.h), no allocation
// and no clock read; exceptions cost nothing until thrown. It runs the
// shortcut: a hook point with one prolog and no epilog (what protections
// attach), on a thread whose gate is open (thread_state.h: its own epoch
// record and counter table, outside callbacks and outside the general path's
// sections, in a call whose time is not sampled). One test decides that.
// Everything else goes to the general path in libvigil_rt.so.
#include "image_entry.h"

namespace vigil::rt {
namespace {

// What became of a call the shortcut was offered.
enum class Taken {
  kContinued,  // the prolog left the call to the function's body
  kAborted,    // the prolog aborted it (counted; its value is in `ret`)
  kDeclined,   // not the shortcut's: the caller takes the general path
};

// Runs the call through the shortcut if it applies. The caller acts on the
// answer, so each way out returns straight to the function.
[[gnu::always_inline]] inline Taken Shortcut(const vigil_site* site, void** argv, void* ret) {
  ThreadState& ts = t_state;
  const int64_t gate = ts.gate;
  if (gate <= 1) [[unlikely]] return Taken::kDeclined;
  Reader* r = ts.reader;
  EnterOutermostReadUnfenced(r);  // an open gate means readers need no fence
  // The slot's tag says whether the snapshot is the shortcut's (snapshot.h).
  void* const value = LoadSlot(site->slot);
  if ((reinterpret_cast<uintptr_t>(value) & kSlotShortcut) == 0) [[unlikely]] {
    ExitRead(r, 0);
    return Taken::kDeclined;
  }
  const Snapshot* snap = SnapshotIn(value);
  // One call nearer the sample, and quiet during the prolog. Both are plain
  // stores of values computed from the load above: a read-modify-write of
  // the gate after the prolog would chain every call's update to the
  // previous one through memory (store forwarding, twice per call).
  const int64_t next = gate - 1;
  ts.gate = next - kSuppressUnit;
  // The call record first: from here on the arguments are in memory, and
  // nothing below needs them in registers.
  vigil_call call{site, snap->hook, argv, ret, nullptr, false, false, false, snap->frame_flags};
  auto* cell = reinterpret_cast<CounterCell*>(
      reinterpret_cast<char*>(r->cells.load(std::memory_order_relaxed)) + snap->cell_offset);
  Bump(cell->calls, 1);
  const Entry& e = snap->entries()[0];
  try {
    e.prolog(&call, e.user);
  } catch (...) {
    OnCallbackThrew(e, call);
  }
  // Found again rather than kept: the thread's state and record do not move.
  // Callbacks leave the gate as they found it (their scopes are balanced),
  // so it goes back to `next`. (A prolog that forks: the child's gate is
  // armed again, which is safe, see Reclaimer::AfterForkInChild.)
  ThreadState& after = t_state;
  after.gate = next;
  if (call.aborted) [[unlikely]] {
    FinishAbort(call);
    return Taken::kAborted;
  }
  ExitRead(after.reader, 0);
  return Taken::kContinued;
}

// Where a direct entry's C++ argument or result described by `a` (one byte of
// vigil_site::arg_map) is: in the register's spilled copy, or at the address
// the register holds. Without branches (both are computed, one is kept): the
// call path must not mispredict on what differs from one function to the next.
inline void* ArgAddress(uint64_t* regs, uint64_t a) {
  uint64_t* reg = &regs[a & VIGIL_ARG_REG_MASK];
  const uint64_t held = *reg;
  const uint64_t by_address = 0 - ((a >> 7) & 1);  // all ones for VIGIL_ARG_BY_ADDRESS
  return reinterpret_cast<void*>((held & by_address) |
                                 (reinterpret_cast<uint64_t>(reg) & ~by_address));
}

}  // namespace
}  // namespace vigil::rt

extern "C" __attribute__((visibility("hidden"))) int __vigil_enter(const vigil_site* site,
                                                                   void** argv, void* ret,
                                                                   vigil_invoke_fn invoke) {
  using vigil::rt::Taken;
  switch (vigil::rt::Shortcut(site, argv, ret)) {
    case Taken::kContinued:
      return VIGIL_ENTER_CONTINUE;
    case Taken::kAborted:
      return VIGIL_ENTER_DONE;
    case Taken::kDeclined:
      break;
  }
  return vigil::rt::EnterGeneral(site, argv, ret, invoke);
}

#if defined(__x86_64__)
namespace vigil::rt {
namespace {

// How a direct entry finds the C++ arguments and the result among x0..x2.
enum class Shape {
  kInOrder,      // argument i is x_i, by value; the result is a value (x0)
  kInOrderVoid,  // the same, with no result
  kMapped,       // as vigil_site::arg_map says
};

// Loads `spill` by its place in the frame (rather than through a pointer to
// it the compiler kept in a register): a load from the same stack address as
// the store, which the processor forwards from the spill at once.
inline uint64_t Reload(const uint64_t& spill) {
  uint64_t v;
  asm("movq %1, %0" : "=r"(v) : "m"(spill));
  return v;
}

// kArgs: how many of x0..x2 hold arguments (the in-order shapes spill only
// those).
template <Shape kShape, int kArgs>
[[gnu::always_inline]] inline vigil_regs EnterRegs(uint64_t x0, uint64_t x1, uint64_t x2,
                                                   const vigil_site* site) {
  constexpr int kSpilled = kShape == Shape::kMapped ? 3 : kArgs;
  uint64_t regs[3];
  if constexpr (kSpilled > 0) regs[0] = x0;
  if constexpr (kSpilled > 1) regs[1] = x1;
  if constexpr (kSpilled > 2) regs[2] = x2;
  uint64_t value = 0;  // a VIGIL_RESULT_VALUE result; zero: bytes the result leaves
  void* argv[3];
  void* ret;
  if constexpr (kShape == Shape::kMapped) {
    const uint64_t map = site->arg_map;
    // All three, whatever the count: those past it are never read.
    argv[0] = ArgAddress(regs, map >> 8);
    argv[1] = ArgAddress(regs, map >> 16);
    argv[2] = ArgAddress(regs, map >> 24);
    const uint64_t result = (map >> 32) & 0xff;
    ret = (result & VIGIL_ARG_BY_ADDRESS) != 0 ? ArgAddress(regs, result)
          : result == VIGIL_RESULT_VALUE      ? &value
                                              : nullptr;
  } else {
    for (int i = 0; i < kArgs; ++i) argv[i] = &regs[i];
    ret = kShape == Shape::kInOrder ? &value : nullptr;
  }
  switch (Shortcut(site, argv, ret)) {
    case Taken::kContinued:
      break;
    case Taken::kAborted:
      return vigil_regs{Reload(value), 0, 0, 1};
    case Taken::kDeclined:
      // With the site's invoke thunk, should the general path finish the call.
      if (EnterGeneral(site, argv, ret, nullptr) != VIGIL_ENTER_CONTINUE) {
        return vigil_regs{Reload(value), 0, 0, 1};
      }
      break;
  }
  return vigil_regs{kSpilled > 0 ? Reload(regs[0]) : 0, kSpilled > 1 ? Reload(regs[1]) : 0,
                    kSpilled > 2 ? Reload(regs[2]) : 0, 0};
}

}  // namespace
}  // namespace vigil::rt

// The direct entries of small functions (no hook thunk of their own): their
// arguments arrive in the registers they came in, spilled here instead. Most
// functions pass each C++ argument in one register, in order; the others
// (arguments split over two registers or passed by address, sret results)
// take the mapped entry.
#define VIGIL_DIRECT_ENTRY(name, shape, args)                                                \
  extern "C" __attribute__((visibility("hidden"))) vigil_regs name(                           \
      uint64_t x0, uint64_t x1, uint64_t x2, const vigil_site* site) __attribute__((swiftcall)) { \
    return vigil::rt::EnterRegs<vigil::rt::Shape::shape, args>(x0, x1, x2, site);            \
  }
VIGIL_DIRECT_ENTRY(__vigil_enter_regs0, kInOrder, 0)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs1, kInOrder, 1)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs2, kInOrder, 2)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs3, kInOrder, 3)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs0_void, kInOrderVoid, 0)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs1_void, kInOrderVoid, 1)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs2_void, kInOrderVoid, 2)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs3_void, kInOrderVoid, 3)
VIGIL_DIRECT_ENTRY(__vigil_enter_regs_mapped, kMapped, 3)
#undef VIGIL_DIRECT_ENTRY
#endif
