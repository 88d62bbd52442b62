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
// CHECK: [[HOOKED]]:
// CHECK-NEXT: load ptr, ptr @__vigil_bypass
// CHECK: store ptr null, ptr @__vigil_bypass
// CHECK: [[ANSWER:%.*]] = tail call preserve_mostcc { i1, i32 } @_Z3addii.vigil.hook(i32 %0, i32 %1)
// CHECK-NEXT: [[DONE:%.*]] = extractvalue { i1, i32 } [[ANSWER]], 0
// CHECK-NEXT: br i1 [[DONE]], label %{{.*}}, label %[[BODY]]
// CHECK: [[BODY]]:
// CHECK-NEXT: add nsw i32
// CHECK-LABEL: define internal void @_Z3addii.vigil.invoke(
// CHECK: store ptr @__vigil_slot.def._Z3addii, ptr @__vigil_bypass
// CHECK-NEXT: call {{.*}} i32 @_Z3addii(
// CHECK-LABEL: define internal {{.*}} @_Z3addii.vigil.hook(
// CHECK: call i32 @__vigil_enter(ptr {{.*}}@__vigil_site.def._Z3addii, ptr {{.*}}, ptr {{.*}}, ptr {{.*}}@_Z3addii.vigil.invoke)
// CHECK: @__vigil_image_ctor()
// CHECK: call void @vigil_register_image(ptr @__start_vigil_sites, ptr @__stop_vigil_sites)
// CHECK: attributes {{.*}} = { cold noinline

// At -O0 the allocas stay in the entry block, ahead of the check.
// O0-LABEL: define {{.*}} i32 @_Z3addii(
// O0: alloca i32
// O0: alloca i32
// O0-NEXT: load atomic ptr, ptr @__vigil_slot.def._Z3addii monotonic
