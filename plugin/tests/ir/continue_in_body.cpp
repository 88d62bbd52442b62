// After prologs that did not abort, the call goes on in the function's own
// body. On x86-64 the hook thunk (swiftcc) answers { done, result, the
// arguments as the prologs left them } in registers and the body continues
// with those; nothing of the function lives across the call. When that
// answer would not fit in registers, the hook thunk is preserve_most (the
// arguments stay in their registers), answers { done, result } and finishes
// the call through invoke when a prolog changed an argument. Results that do
// not fit the answer keep a thunk with the function's own signature, which
// always finishes the call through __vigil_finish. So does every function
// while the slot's value carries VIGIL_SLOT_FINISH (epilogs attached).
// VIGIL-FLAGS: --vigil-spec=all -O2
struct Point { long x, y; };
struct Big { long v[6]; };

long scale(long v, double by) { return static_cast<long>(v * by); }
void store(long* out, long v) { *out = v; }
long sum(Big b) { return b.v[0] + b.v[5]; }
Point twice(Point p) { return {p.x * 2, p.y * 2}; }
long many(long a, long b, long c, long d) { return a - b + c - d; }

// CHECK-LABEL: define {{.*}} i64 @_Z5scaleld(
// CHECK: [[STATE:%.*]] = load atomic ptr, ptr @__vigil_slot.def._Z5scaleld monotonic
// CHECK: [[BITS:%.*]] = ptrtoint ptr [[STATE]] to i64
// CHECK: and i64 [[BITS]], 1
// CHECK: load ptr, ptr @__vigil_bypass
// CHECK: [[A:%.*]] = tail call swiftcc { i1, i64, i64, double } @_Z5scaleld.vigil.hook(i64 %0, double %1)
// CHECK-NEXT: [[D:%.*]] = extractvalue { i1, i64, i64, double } [[A]], 0
// CHECK-DAG: [[V:%.*]] = extractvalue { i1, i64, i64, double } [[A]], 2
// CHECK-DAG: [[BY:%.*]] = extractvalue { i1, i64, i64, double } [[A]], 3
// CHECK: br i1 [[D]]
// CHECK: call {{.*}}i64 @_Z5scaleld.vigil.finish(i64 {{.*}}%0, double {{.*}}%1)
// CHECK-DAG: phi i64 [ [[V]],
// CHECK-DAG: phi double [ [[BY]],
// CHECK-LABEL: define {{.*}} void @_Z5storePll(
// CHECK: tail call swiftcc { i1, ptr, i64 } @_Z5storePll.vigil.hook(ptr %0, i64 %1)
// A byval argument reaches the thunk as the function's own copy, which the
// prologs change in place: it is not handed back.
// CHECK-LABEL: define {{.*}} i64 @_Z3sum3Big(ptr {{.*}}byval(%struct.Big)
// CHECK: call swiftcc { i1, i64 } @_Z3sum3Big.vigil.hook(ptr {{.*}}%0)
// A two-register result: the thunk finishes the call.
// CHECK-LABEL: define {{.*}} { i64, i64 } @_Z5twice5Point(
// CHECK: tail call {{.*}}{ i64, i64 } @_Z5twice5Point.vigil.finish(
// CHECK-NOT: extractvalue
// Four integer arguments and a result do not fit the answer's four integer
// registers with `done`: preserve_most, and the re-entry test comes first.
// CHECK-LABEL: define {{.*}} i64 @_Z4manyllll(
// CHECK: load atomic ptr, ptr @__vigil_slot.def._Z4manyllll monotonic
// CHECK: load ptr, ptr @__vigil_bypass
// CHECK: ptrtoint ptr
// CHECK: call preserve_mostcc { i1, i64 } @_Z4manyllll.vigil.hook(i64 %0, i64 %1, i64 %2, i64 %3)

// The swiftcc thunk reloads what the prologs left.
// CHECK-LABEL: define internal swiftcc { i1, i64, i64, double } @_Z5scaleld.vigil.hook(i64 %0, double %1)
// CHECK: [[ANSWER:%.*]] = call i32 @__vigil_enter(
// CHECK: icmp eq i32 [[ANSWER]], 1
// CHECK-DAG: load i64, ptr
// CHECK-DAG: load double, ptr
// CHECK-NOT: call
// CHECK: {{^}$}}
// CHECK-LABEL: define internal {{.*}}{ i64, i64 } @_Z5twice5Point.vigil.finish(
// CHECK: call void @__vigil_finish(
// CHECK-NOT: __vigil_enter
// The preserve_most thunk compares what the prologs left with what it was
// given, bit for bit, and finishes the call through invoke when anything
// changed.
// CHECK-LABEL: define internal preserve_mostcc { i1, i64 } @_Z4manyllll.vigil.hook(
// CHECK: [[ANSWER2:%.*]] = call i32 @__vigil_enter(
// CHECK: icmp eq i32 [[ANSWER2]], 1
// CHECK-DAG: icmp ne i64 {{.*}}, %0
// CHECK: call void @_Z4manyllll.vigil.invoke(
// CHECK-NEXT: store ptr null, ptr @__vigil_bypass
