// The detached path of a hooked function is one relaxed load of its slot and
// a branch, before any of the original body, with nothing spilled.
// VIGIL-FLAGS: --vigil-spec=all -O2
// VIGIL-FLAGS: --vigil-spec=all -O0 PREFIX=O0

int add(int a, int b) { return a + b; }

// CHECK: @__vigil_slot.def._Z3addii = linkonce_odr hidden global ptr null, comdat, align 8
// The site names the invoke thunk and, for the direct entry, where the
// arguments and the result are: two arguments in x0 and x1, a value result
// (vigil_site::arg_map = 2 | 0 << 8 | 1 << 16 | VIGIL_RESULT_VALUE << 32).
// CHECK: @__vigil_site.def._Z3addii = {{.*}} { i32 {{[0-9]+}}, i32 1, ptr @__vigil_slot.def._Z3addii, ptr @__vigil_meta.def._Z3addii, ptr @_Z3addii.vigil.invoke, i64 4295032834, i64 0 }, section "vigil_sites", comdat($__vigil_slot.def._Z3addii), align 8
// CHECK-LABEL: define {{.*}} i32 @_Z3addii(
// CHECK-NEXT: [[STATE:%.*]] = load atomic ptr, ptr @__vigil_slot.def._Z3addii monotonic, align 8
// CHECK-NEXT: [[DET:%.*]] = icmp eq ptr [[STATE]], null
// CHECK-NEXT: br i1 [[DET]], label %[[BODY:.*]], label %[[HOOKED:.*]], !prof
// The attached path: the finish test, the re-entry test only before
// finishing, then the direct entry (no hook thunk: two integer arguments),
// which takes the arguments in their registers and answers them back with
// `done`; the body goes on with those.
// CHECK: [[HOOKED]]:
// CHECK-NEXT: ptrtoint ptr [[STATE]] to i64
// CHECK-NEXT: and i64 {{.*}}, 1
// CHECK: load ptr, ptr @__vigil_bypass
// CHECK: [[A64:%.*]] = zext i32 %0 to i64
// CHECK-NEXT: [[B64:%.*]] = zext i32 %1 to i64
// CHECK-NEXT: [[ANSWER:%.*]] = tail call swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs2(i64 [[A64]], i64 [[B64]], i64 poison, ptr nonnull @__vigil_site.def._Z3addii)
// CHECK-NEXT: [[DONE:%.*]] = extractvalue { i64, i64, i64, i64 } [[ANSWER]], 3
// CHECK-NEXT: icmp eq i64 [[DONE]], 0
// CHECK-NEXT: [[X0:%.*]] = extractvalue { i64, i64, i64, i64 } [[ANSWER]], 0
// CHECK-NEXT: [[A:%.*]] = trunc i64 [[X0]] to i32
// CHECK-NEXT: [[X1:%.*]] = extractvalue { i64, i64, i64, i64 } [[ANSWER]], 1
// CHECK-NEXT: [[B:%.*]] = trunc i64 [[X1]] to i32
// CHECK: call {{.*}} @_Z3addii.vigil.finish(i32 noundef %0, i32 noundef %1)
// CHECK: store ptr null, ptr @__vigil_bypass
// CHECK: [[BODY]]:
// CHECK-NEXT: phi i32 [ [[A]], %{{.*}} ], [ %0, %{{.*}} ], [ %0, %{{.*}} ]
// CHECK-NEXT: phi i32 [ [[B]], %{{.*}} ], [ %1, %{{.*}} ], [ %1, %{{.*}} ]
// CHECK-NEXT: add nsw i32
// CHECK-LABEL: define internal void @_Z3addii.vigil.invoke(
// CHECK: store ptr @__vigil_slot.def._Z3addii, ptr @__vigil_bypass
// CHECK-NEXT: call {{.*}} i32 @_Z3addii(
// CHECK-NOT: @_Z3addii.vigil.hook
// The entry is linked into the image (libvigil_entry.a): hidden.
// CHECK: declare hidden swiftcc { i64, i64, i64, i64 } @__vigil_enter_regs2(i64, i64, i64, ptr)
// CHECK: @__vigil_image_ctor()
// CHECK: call void @vigil_register_image(ptr @__start_vigil_sites, ptr @__stop_vigil_sites)
// CHECK: attributes {{.*}} = { cold noinline

// At -O0 the allocas stay in the entry block, ahead of the check.
// O0-LABEL: define {{.*}} i32 @_Z3addii(
// O0: alloca i32
// O0: alloca i32
// O0-NEXT: load atomic ptr, ptr @__vigil_slot.def._Z3addii monotonic
