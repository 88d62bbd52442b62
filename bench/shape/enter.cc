// Copyright Vigil authors.
//
// The model of the entry's shortcut for bench/shape: a thread-local gate
// tested and updated, an epoch-like store before and after, and the
// callback's indirect call. Compiled three times under different names:
// into a shared library (as libvigil_rt.so is), and into the benchmark
// itself, with its own thread state or with the library's (as each image's
// copy of the entry uses libvigil_rt.so's).
#include <cstdint>

#include "shape.h"

struct ThreadGate {
  int64_t gate;
  uint64_t section;
};
#if defined(SHAPE_GATE_IN_DSO)
extern "C" __thread ThreadGate shape_gate __attribute__((tls_model("initial-exec")));
#define t_gate shape_gate
#elif defined(SHAPE_GATE_EXPORT)
extern "C" __attribute__((visibility("default"))) __thread ThreadGate shape_gate
    __attribute__((tls_model("initial-exec"))) = {1 << 30, 0};
#define t_gate shape_gate
#else
namespace {
__thread ThreadGate t_gate __attribute__((tls_model("initial-exec"))) = {1 << 30, 0};
}  // namespace
#endif

namespace {
inline bool Run(const ShapeSite* site, void** argv) {
  const int64_t g = t_gate.gate;
  if (g <= 1) return false;
  t_gate.section = 1;
  t_gate.gate = g - 257;
  site->callback(argv, site->user);
  t_gate.gate = g - 1;
  t_gate.section = 0;
  return true;
}

// As image_entry.cc reloads the spilled arguments: by their place in the frame.
inline uint64_t Reload(const uint64_t& spill) {
  uint64_t v;
  asm("movq %1, %0" : "=r"(v) : "m"(spill));
  return v;
}
}  // namespace

#ifdef SHAPE_ENTER
extern "C" __attribute__((visibility("default"))) int SHAPE_ENTER(const ShapeSite* site,
                                                                  void** argv) {
  return Run(site, argv) ? 1 : 0;
}
#endif

#ifdef SHAPE_ENTER_REGS
extern "C" __attribute__((visibility("default"))) ShapeRegs SHAPE_ENTER_REGS(
    uint64_t x0, uint64_t x1, uint64_t x2, const ShapeSite* site) __attribute__((swiftcall)) {
  uint64_t regs[1] = {x0};
  void* argv[1] = {&regs[0]};
  if (!Run(site, argv)) return ShapeRegs{x0, x1, x2, 0};
  return ShapeRegs{Reload(regs[0]), 0, 0, 0};
}
#endif

#ifdef SHAPE_GATE_EXPORT
extern "C" __attribute__((visibility("default"))) void shape_noop_in_dso(void**, void*) {
  asm volatile("");
}
#endif
