// Copyright Vigil authors.
//
// Compiled once per variant (see work.h and bench/CMakeLists.txt). Kept tiny
// on purpose: the benchmark measures what instrumentation adds to a call, so
// the body must not hide it. One multiply and one add: a few cycles of latency
// on the dependency chain the benchmark loop builds through the result.
#include "work.h"

#ifndef VBENCH_WORK_NAME
#error "compile with -DVBENCH_WORK_NAME=WorkPlain (or another variant of work.h)"
#endif

namespace vbench {

uint32_t VBENCH_WORK_NAME(uint32_t x) { return x * 2654435761u + 1u; }

}  // namespace vbench
