// Copyright Vigil authors.
//
// The function the micro benchmark calls, once per variant. work.cc defines
// it; CMake compiles work.cc once per variant, each time with that variant's
// compiler and flags and with VBENCH_WORK_NAME set to the variant's name, so
// the bodies are the same source and only the instrumentation differs.
#ifndef VIGIL_BENCH_MICRO_WORK_H_
#define VIGIL_BENCH_MICRO_WORK_H_

#include <cstdint>

namespace vbench {

// Each in its own translation unit, so that the benchmark loop (compiled
// plainly) really calls it; noinline in case of LTO.
[[gnu::noinline]] uint32_t WorkPlain(uint32_t x);  // plain clang++ -O2
[[gnu::noinline]] uint32_t WorkVigil(uint32_t x);  // vigil-c++ --vigil-spec=all
[[gnu::noinline]] uint32_t WorkXray(uint32_t x);   // -fxray-instrument, threshold 1
[[gnu::noinline]] uint32_t WorkCyg(uint32_t x);    // -finstrument-functions

// Qualified name of WorkVigil's hook point, and its type for vigil::Attach.
inline constexpr const char kVigilHookName[] = "vbench::WorkVigil";
using WorkSig = uint32_t(uint32_t);

}  // namespace vbench

#endif  // VIGIL_BENCH_MICRO_WORK_H_
