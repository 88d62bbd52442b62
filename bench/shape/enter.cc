// Copyright Vigil authors.
//
// The model of __vigil_enter's shortcut for bench/shape: a thread-local gate
// tested and updated, an epoch-like store before and after, and the
// callback's indirect call. Compiled twice: into a shared library (as
// libvigil_rt.so is) and into the benchmark itself, under two prefixes.
#include <cstdint>

#include "shape.h"

namespace {
struct ThreadGate {
  int64_t gate;
  uint64_t section;
};
__thread ThreadGate t_gate __attribute__((tls_model("initial-exec"))) = {1 << 30, 0};
}  // namespace

extern "C" __attribute__((visibility("default"))) int SHAPE_ENTER(const ShapeSite* site,
                                                                  void** argv) {
  const int64_t g = t_gate.gate;
  if (g <= 1) return 0;
  t_gate.section = 1;
  t_gate.gate = g - 257;
  site->callback(argv, site->user);
  t_gate.gate = g - 1;
  t_gate.section = 0;
  return 1;
}
