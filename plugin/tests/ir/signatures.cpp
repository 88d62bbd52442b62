// Descriptors carry the Itanium type name of the function type with `this`
// explicit, the parameter names and the join-point kind.
// VIGIL-FLAGS: --vigil-spec=all -O1

namespace shop {
struct Db {
  int base;
  int find(int id) const { return base + id; }
  static long count(long n) { return n; }
};
}  // namespace shop

int use(const shop::Db& db) { return db.find(3) + (int)shop::Db::count(4); }

// CHECK-DAG: c"VGLM\04\00\01\00{{.*}}shop::Db::count\00_ZN4shop2Db5countEl\00FllE\00long (long)\00n\00
// CHECK-DAG: c"VGLM\04\00\01\00{{.*}}shop::Db::find\00_ZNK4shop2Db4findEi\00FiPKN4shop2DbEiE\00int (const shop::Db *, int)\00this,id\00
