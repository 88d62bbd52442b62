// Calls to declared-only functions selected by the spec go through a wrapper
// that carries the call-site hook point; other calls are untouched.
// VIGIL-FLAGS: -O0

extern "C" {
struct sqlite3;
int sqlite3_exec(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
int helper_not_in_spec(int);
}

int run(sqlite3* db, const char* sql) {
  helper_not_in_spec(1);
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
}

// The default spec hooks calls, not definitions.
// CHECK-NOT: @__vigil_slot.def._Z3runP7sqlite3PKc
// CHECK: @__vigil_slot.call.sqlite3_exec = linkonce_odr hidden global ptr null, comdat
// CHECK: @__vigil_meta.call.sqlite3_exec = {{.*}}c"VGLM\04\00\02\00{{.*}}sqlite3_exec\00sqlite3_exec\00FiP7sqlite3PKcPFiPviPPcS5_ES3_S5_E\00
// CHECK-LABEL: define {{.*}} @_Z3runP7sqlite3PKc(
// CHECK: call i32 @helper_not_in_spec(
// CHECK: call i32 @__vigil_call.sqlite3_exec(
// CHECK-LABEL: define internal i32 @__vigil_call.sqlite3_exec(
// CHECK: load atomic ptr, ptr @__vigil_slot.call.sqlite3_exec monotonic
// CHECK: call i32 @sqlite3_exec(
