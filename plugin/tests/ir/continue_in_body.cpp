// After prologs that changed nothing, the call goes on in the function's own
// body: the hook thunk (preserve_most, so the arguments stay in their
// registers) answers { done, result }, and the entry branches into the body
// when not done. A prolog that changed an argument, an abort or an epilog
// make the call finish in the thunk (through invoke) instead. Results that do
// not fit the answer's registers keep a thunk with the function's own
// signature, which always finishes the call. So does every function while
// the slot's value carries VIGIL_SLOT_FINISH (epilogs attached).
// VIGIL-FLAGS: --vigil-spec=all -O2
struct Point { long x, y; };
struct Big { long v[6]; };

long scale(long v, double by) { return static_cast<long>(v * by); }
void store(long* out, long v) { *out = v; }
long sum(Big b) { return b.v[0] + b.v[5]; }
Point twice(Point p) { return {p.x * 2, p.y * 2}; }

// CHECK-LABEL: define {{.*}} i64 @_Z5scaleld(
// CHECK: [[STATE:%.*]] = load atomic ptr, ptr @__vigil_slot.def._Z5scaleld monotonic
// CHECK: [[BITS:%.*]] = ptrtoint ptr [[STATE]] to i64
// CHECK: and i64 [[BITS]], 1
// CHECK: tail call {{.*}}i64 @_Z5scaleld.vigil.finish(i64 {{.*}}%0, double {{.*}}%1)
// CHECK: [[A:%.*]] = tail call preserve_mostcc { i1, i64 } @_Z5scaleld.vigil.hook(i64 %0, double %1)
// CHECK-NEXT: [[D:%.*]] = extractvalue { i1, i64 } [[A]], 0
// CHECK-NEXT: br i1 [[D]]
// CHECK-LABEL: define {{.*}} void @_Z5storePll(
// CHECK: tail call preserve_mostcc i1 @_Z5storePll.vigil.hook(ptr %0, i64 %1)
// A byval argument reaches the thunk as the function's own copy.
// CHECK-LABEL: define {{.*}} i64 @_Z3sum3Big(ptr {{.*}}byval(%struct.Big)
// CHECK: call preserve_mostcc { i1, i64 } @_Z3sum3Big.vigil.hook(ptr {{.*}}%0)
// A two-register result: the thunk finishes the call.
// CHECK-LABEL: define {{.*}} { i64, i64 } @_Z5twice5Point(
// CHECK: tail call {{.*}}{ i64, i64 } @_Z5twice5Point.vigil.finish(
// CHECK-NOT: extractvalue

// The thunk compares what the prologs left with what it was given, bit for
// bit (a double as an integer), and finishes the call through invoke when
// anything changed.
// CHECK-LABEL: define internal preserve_mostcc { i1, i64 } @_Z5scaleld.vigil.hook(i64 %0, double %1)
// CHECK: [[ANSWER:%.*]] = call i32 @__vigil_enter(
// CHECK: icmp eq i32 [[ANSWER]], 1
// CHECK-DAG: icmp ne i64 {{.*}}, %0
// CHECK-DAG: bitcast double %1 to i64
// CHECK: call void @_Z5scaleld.vigil.invoke(
// CHECK-NEXT: store ptr null, ptr @__vigil_bypass
// CHECK-LABEL: define internal {{.*}}{ i64, i64 } @_Z5twice5Point.vigil.finish(
// CHECK: call i32 @__vigil_enter(
// CHECK: call void @_Z5twice5Point.vigil.invoke(
