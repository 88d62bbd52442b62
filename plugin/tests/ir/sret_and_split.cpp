// Arguments split by the ABI into several IR arguments are spilled as one C++
// object; a class returned through a hidden pointer uses that pointer as the
// return storage (passed to the hook thunk, or the mapped direct entry, as a
// plain pointer).
// VIGIL-FLAGS: --vigil-spec=all -O1
#include <string>

struct Pair { double x, y; };
struct Big { long v[6]; };

double norm(Pair p) { return p.x * p.x + p.y * p.y; }
Big make(long a) { Big b{}; b.v[0] = a; return b; }
std::string greet(std::string name) { return "hi " + name; }
struct Span { const char* data; long size; };
long count(Span s) { return s.size; }

// The mapped direct entry's arg_map: for make, its argument in x1 and the
// result in the storage x0 points to (1 | 1 << 8 | 0x80 << 32); for greet,
// the string's address in x1 (1 | 0x81 << 8 | 0x80 << 32); for count, a Span
// in x0 and x1 (1 | VIGIL_RESULT_VALUE << 32).
// CHECK: @__vigil_site.def._Z4makel = {{.*}} ptr @_Z4makel.vigil.invoke, i64 549755814145, i64 0 }
// CHECK: @__vigil_site.def._Z5greetNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE = {{.*}}.vigil.invoke, i64 549755846913, i64 0 }
// CHECK: @__vigil_site.def._Z5count4Span = {{.*}} ptr @_Z5count4Span.vigil.invoke, i64 4294967297, i64 0 }
// CHECK-LABEL: define {{.*}} void @_Z4makel(ptr {{.*}}sret(%struct.Big) {{.*}}%0, i64 noundef %1)
// CHECK: [[RET:%.*]] = ptrtoint ptr %0 to i64
// CHECK-NEXT: call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs_mapped(i64 [[RET]], i64 %1, i64 poison, ptr nonnull @__vigil_site.def._Z4makel)
// CHECK-LABEL: define {{.*}} @_Z5greetNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE(
// CHECK: call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs_mapped(
// CHECK-LABEL: define {{.*}} i64 @_Z5count4Span(ptr %0, i64 %1)
// CHECK: [[DATA:%.*]] = ptrtoint ptr %0 to i64
// CHECK-NEXT: [[SPAN:%.*]] = tail call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs_mapped(i64 [[DATA]], i64 %1, i64 poison, ptr nonnull @__vigil_site.def._Z5count4Span)
// CHECK-DAG: extractvalue { i64, i64, i64, i64 } [[SPAN]], 0
// CHECK-DAG: extractvalue { i64, i64, i64, i64 } [[SPAN]], 1
// Two doubles: a hook thunk, which spills them as one Pair.
// CHECK-LABEL: define internal {{.*}} @_Z4norm4Pair.vigil.hook(double {{.*}}%0, double {{.*}}%1)
// CHECK: [[SPILL:%.*]] = alloca { double, double }, align 8
// CHECK: store double %0, ptr [[SPILL]]
// CHECK: getelementptr inbounds i8, ptr [[SPILL]], i64 8
