// The detached path of a hooked function is one relaxed load of its slot and
// a branch, before any of the original body, with nothing spilled.
// VIGIL-FLAGS: --vigil-spec=all -O2
// VIGIL-FLAGS: --vigil-spec=all -O0 PREFIX=O0

int add(int a, int b) { return a + b; }

// CHECK: @__vigil_slot.def._Z3addii = linkonce_odr hidden global ptr null, comdat, align 8
// CHECK: @__vigil_site.def._Z3addii = {{.*}} section "vigil_sites", comdat($__vigil_slot.def._Z3addii), align 8
// CHECK-LABEL: define {{.*}} i32 @_Z3addii(
// CHECK-NEXT: [[STATE:%.*]] = load atomic ptr, ptr @__vigil_slot.def._Z3addii monotonic, align 8
// CHECK-NEXT: [[DET:%.*]] = icmp eq ptr [[STATE]], null
// CHECK-NEXT: br i1 [[DET]], label %[[BODY:.*]], label %[[HOOKED:.*]], !prof
// The attached path: the finish test, the re-entry test only before
// finishing, then the hook thunk, whose answer carries the arguments the
// prologs left; the body goes on with those.
// CHECK: [[HOOKED]]:
// CHECK-NEXT: ptrtoint ptr [[STATE]] to i64
// CHECK-NEXT: and i64 {{.*}}, 1
// CHECK: load ptr, ptr @__vigil_bypass
// CHECK: [[ANSWER:%.*]] = tail call swiftcc { i1, i32, i32, i32 } @_Z3addii.vigil.hook(i32 %0, i32 %1)
// CHECK-NEXT: [[DONE:%.*]] = extractvalue { i1, i32, i32, i32 } [[ANSWER]], 0
// CHECK-NEXT: [[A:%.*]] = extractvalue { i1, i32, i32, i32 } [[ANSWER]], 2
// CHECK-NEXT: [[B:%.*]] = extractvalue { i1, i32, i32, i32 } [[ANSWER]], 3
// CHECK-NEXT: br i1 [[DONE]], label %{{.*}}, label %[[BODY]]
// CHECK: call {{.*}} @_Z3addii.vigil.finish(i32 noundef %0, i32 noundef %1)
// CHECK: store ptr null, ptr @__vigil_bypass
// CHECK: [[BODY]]:
// CHECK-NEXT: phi i32 [ [[A]], %{{.*}} ], [ %0, %{{.*}} ], [ %0, %{{.*}} ]
// CHECK-NEXT: phi i32 [ [[B]], %{{.*}} ], [ %1, %{{.*}} ], [ %1, %{{.*}} ]
// CHECK-NEXT: add nsw i32
// CHECK-LABEL: define internal void @_Z3addii.vigil.invoke(
// CHECK: store ptr @__vigil_slot.def._Z3addii, ptr @__vigil_bypass
// CHECK-NEXT: call {{.*}} i32 @_Z3addii(
// CHECK-LABEL: define internal swiftcc { i1, i32, i32, i32 } @_Z3addii.vigil.hook(
// CHECK: call i32 @__vigil_enter(ptr {{.*}}@__vigil_site.def._Z3addii, ptr {{.*}}, ptr {{.*}}, ptr {{.*}}@_Z3addii.vigil.invoke)
// CHECK: @__vigil_image_ctor()
// CHECK: call void @vigil_register_image(ptr @__start_vigil_sites, ptr @__stop_vigil_sites)
// CHECK: attributes {{.*}} = { cold noinline

// At -O0 the allocas stay in the entry block, ahead of the check.
// O0-LABEL: define {{.*}} i32 @_Z3addii(
// O0: alloca i32
// O0: alloca i32
// O0-NEXT: load atomic ptr, ptr @__vigil_slot.def._Z3addii monotonic
