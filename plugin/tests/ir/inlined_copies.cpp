// The pass runs before inlining: an inlined copy keeps its hook point.
// VIGIL-FLAGS: --vigil-spec=all -O2

static inline int square(int x) { return x * x; }
int caller(int y) { return square(y) + 1; }

// The slot of an internal function is internal too (one per translation unit).
// CHECK: @__vigil_slot.def._ZL6squarei = internal global ptr null
// CHECK-LABEL: define {{.*}} i32 @_Z6calleri(
// CHECK: load atomic ptr, ptr @__vigil_slot.def._Z6calleri monotonic
// CHECK: load atomic ptr, ptr @__vigil_slot.def._ZL6squarei monotonic
// CHECK: mul nsw i32
