// After prologs that did not abort, the call goes on in the function's own
// body. On x86-64, functions with at most three IR arguments, all integers or
// pointers, and a result that fits a register enter the runtime directly
// (__vigil_enter_regs<n>[_void], or __vigil_enter_regs_mapped when the
// arguments are not one register each), which answers { x0, x1, x2, done }
// in registers; others have a hook thunk (swiftcc) that answers { done,
// result, the arguments as the prologs left them } in registers; either way
// the body continues with those and nothing of the function lives across
// the call. When that answer would not fit in registers, the hook thunk is
// preserve_most (the arguments stay in their registers), answers { done,
// result } and finishes the call through invoke when a prolog changed an
// argument. Results that do not fit the answer keep a thunk with the
// function's own signature, which always finishes the call through
// __vigil_finish. So does every function while the slot's value carries
// VIGIL_SLOT_FINISH (epilogs attached).
// VIGIL-FLAGS: --vigil-spec=all -O2
struct Point { long x, y; };
struct Big { long v[6]; };

long scale(long v, double by) { return static_cast<long>(v * by); }
void store(long* out, long v) { *out = v; }
long sum(Big b) { return b.v[0] + b.v[5]; }
Point twice(Point p) { return {p.x * 2, p.y * 2}; }
long many(long a, long b, long c, long d) { return a - b + c - d; }
float ratio(int a, bool invert) { return invert ? 1.0f / a : static_cast<float>(a); }

// The sites: no arg_map for functions without a direct entry.
// CHECK-DAG: @__vigil_site.def._Z5scaleld = {{.*}} ptr @_Z5scaleld.vigil.invoke, i64 0, i64 0 }
// CHECK-DAG: @__vigil_site.def._Z3sum3Big = {{.*}} ptr @_Z3sum3Big.vigil.invoke, i64 4295000065, i64 0 }
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
// Two integer arguments and no result: the direct entry, no hook thunk.
// CHECK-LABEL: define {{.*}} void @_Z5storePll(
// CHECK: [[P:%.*]] = ptrtoint ptr %0 to i64
// CHECK-NEXT: [[S:%.*]] = tail call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs2_void(i64 [[P]], i64 %1, i64 poison, ptr nonnull @__vigil_site.def._Z5storePll)
// CHECK: [[OUT:%.*]] = extractvalue { i64, i64, i64, i64 } [[S]], 0
// CHECK-NEXT: [[OUTP:%.*]] = inttoptr i64 [[OUT]] to ptr
// CHECK: phi ptr [ [[OUTP]],
// A byval argument reaches the entry as the address of the function's own
// copy, which the prologs change in place: it is not handed back. The
// mapped entry says so (arg_map 1 | 0x80 << 8 | VIGIL_RESULT_VALUE << 32).
// CHECK-LABEL: define {{.*}} i64 @_Z3sum3Big(ptr {{.*}}byval(%struct.Big)
// CHECK: [[BIG:%.*]] = ptrtoint ptr %0 to i64
// CHECK-NEXT: call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs_mapped(i64 [[BIG]], i64 poison, i64 poison, ptr nonnull @__vigil_site.def._Z3sum3Big)
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
// A float result comes back in x0's low bits; a bool argument is widened and
// narrowed again.
// CHECK-LABEL: define {{.*}} float @_Z5ratioib(
// CHECK: [[INV:%.*]] = zext i1 %1 to i64
// CHECK: [[R:%.*]] = tail call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs2(i64 {{%.*}}, i64 [[INV]], i64 poison, ptr nonnull @__vigil_site.def._Z5ratioib)
// CHECK-DAG: [[X0:%.*]] = extractvalue { i64, i64, i64, i64 } [[R]], 0
// CHECK-DAG: [[X1:%.*]] = extractvalue { i64, i64, i64, i64 } [[R]], 1
// CHECK-DAG: trunc i64 [[X1]] to i1
// CHECK-DAG: [[BITS:%.*]] = trunc i64 [[X0]] to i32
// CHECK-DAG: bitcast i32 [[BITS]] to float

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
