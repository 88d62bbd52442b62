// A constructor of a class defined in a prebuilt library (declared only
// here) is a call-site hook point; defined constructors are left alone.
// VIGIL-FLAGS: --vigil-spec=all --vigil-verbose -O0

namespace lib {
struct Statement {
  Statement(void* db, const char* sql);  // defined in a prebuilt library
  int x;
};
}  // namespace lib

struct Local {
  Local(int v) : v(v) {}
  int v;
};

int use(void* db) {
  lib::Statement s(db, "SELECT 1");
  Local l(3);
  return s.x + l.v;
}

// CHECK: vigil: not instrumented: definition Local::Local: constructors are hook points at call sites only
// CHECK: c"VGLM\04\00\02\00{{.*}}lib::Statement::Statement\00_ZN3lib9StatementC1EPvPKc\00FvPN3lib9StatementEPvPKcE\00
// CHECK-LABEL: define {{.*}} @_Z3usePv(
// CHECK: call void @__vigil_call._ZN3lib9StatementC1EPvPKc(
