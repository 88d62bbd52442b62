// Copyright Vigil authors.
//
// bench/shape: what the shape of the attached call path costs on this
// machine, apart from Vigil's own work (see main.cc).
#ifndef VIGIL_BENCH_SHAPE_SHAPE_H_
#define VIGIL_BENCH_SHAPE_SHAPE_H_

#include <cstdint>

struct ShapeSite {
  void (*callback)(void** argv, void* user);
  void* user;
};

// The answer of a direct entry, in registers: the arguments as the callback
// left them, and whether the call is over.
struct ShapeRegs {
  uint64_t x0, x1, x2, done;
};

// ABI 3's shape: the entry takes argv, built by the function's hook thunk.
extern "C" int shape_enter_dso(const ShapeSite* site, void** argv);
extern "C" int shape_enter_local(const ShapeSite* site, void** argv);

// ABI 4's: a direct entry takes the arguments in registers and spills them
// itself. In the shared library, or linked into the program with its thread
// state in the library (as libvigil_entry.a is).
extern "C" ShapeRegs shape_enter_dso_regs(uint64_t x0, uint64_t x1, uint64_t x2,
                                          const ShapeSite* site) __attribute__((swiftcall));
extern "C" ShapeRegs shape_enter_copy_regs(uint64_t x0, uint64_t x1, uint64_t x2,
                                           const ShapeSite* site) __attribute__((swiftcall));

// A no-op callback in the shared library, where the agent's callbacks are.
extern "C" void shape_noop_in_dso(void** argv, void* user);

#endif  // VIGIL_BENCH_SHAPE_SHAPE_H_
