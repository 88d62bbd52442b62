// Arguments split by the ABI into several IR arguments are spilled as one C++
// object; a class returned through a hidden pointer uses that pointer as the
// return storage (passed to the hook thunk as a plain pointer).
// VIGIL-FLAGS: --vigil-spec=all -O1
#include <string>

struct Pair { double x, y; };
struct Big { long v[6]; };

double norm(Pair p) { return p.x * p.x + p.y * p.y; }
Big make(long a) { Big b{}; b.v[0] = a; return b; }
std::string greet(std::string name) { return "hi " + name; }

// CHECK-LABEL: define internal {{.*}} @_Z4norm4Pair.vigil.hook(double {{.*}}%0, double {{.*}}%1)
// CHECK: [[SPILL:%.*]] = alloca { double, double }, align 8
// CHECK: store double %0, ptr [[SPILL]]
// CHECK: getelementptr inbounds i8, ptr [[SPILL]], i64 8
// CHECK-LABEL: define internal swiftcc { i1, i64 } @_Z4makel.vigil.hook(ptr %0, i64 %1)
// CHECK: call i32 @__vigil_enter(ptr {{.*}}, ptr {{.*}}, ptr %0,
// CHECK-LABEL: define internal swiftcc i1 @_Z5greetNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE.vigil.hook(ptr %0, ptr %1)
