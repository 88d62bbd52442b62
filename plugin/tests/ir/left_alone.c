// Functions the pass cannot instrument are left alone and --vigil-verbose
// says which and why; opting out with the annotation works too.
// VIGIL-FLAGS: -x c --vigil-spec=all --vigil-verbose -O0
#include <stdarg.h>

int sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; ++i) s += va_arg(ap, int);
  va_end(ap);
  return s;
}

__attribute__((annotate("vigil_no_hook"))) int private_fn(int x) { return x; }
__attribute__((no_instrument_function)) int also_private(int x) { return x; }

int plain(int x) { return sum(2, x, x) + private_fn(x) + also_private(x); }

// CHECK: left_alone.c:6: vigil: not instrumented: definition sum: variadic: its arguments cannot be forwarded
// CHECK: vigil: {{.*}}left_alone.c: 1 definition hook points, 0 call-site hook points, 1 left alone
// CHECK-NOT: @__vigil_slot.def.sum
// CHECK-NOT: @__vigil_slot.def.private_fn
// CHECK-NOT: @__vigil_slot.def.also_private
// CHECK: @__vigil_slot.def.plain
