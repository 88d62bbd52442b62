// Under `all`, a small function from a system header is hooked after
// inlining: inlined copies carry no check, the out-of-line copy (if any) has
// one. Naming it in a spec, or --vigil-system-threshold=0, restores the
// hook in inlined copies; user code always keeps it.
// VIGIL-FLAGS: --vigil-spec=all -isystem ir/sysinc -O2
// VIGIL-FLAGS: --vigil-spec=all --vigil-system-threshold=0 -isystem ir/sysinc -O2 PREFIX=EARLY
#include <tiny_lib.h>

int use(const tinylib::Box& b) { return b.get() + 1; }

// CHECK-LABEL: define {{.*}} i32 @_Z3useRKN7tinylib3BoxE(
// CHECK: load atomic ptr, ptr @__vigil_slot.def._Z3useRKN7tinylib3BoxE monotonic
// CHECK-NOT: __vigil_slot.def._ZNK7tinylib3Box3getEv
// CHECK: ret i32

// EARLY-LABEL: define {{.*}} i32 @_Z3useRKN7tinylib3BoxE(
// EARLY: load atomic ptr, ptr @__vigil_slot.def._Z3useRKN7tinylib3BoxE monotonic
// EARLY: load atomic ptr, ptr @__vigil_slot.def._ZNK7tinylib3Box3getEv monotonic
