/* Functions with attributes that constrain how they may be compiled:
 * [[clang::musttail]] calls (the call must stay a tail call), a naked
 * function written in assembly (no prologue may be added), an ifunc whose
 * resolver runs during relocation (before the program's constructors and
 * before any runtime is initialised), target_clones (compiler-generated
 * ifunc), noinline/always_inline/flatten, weak definitions and aliases,
 * noreturn, cold/hot, const/pure, returns_twice-free inline asm, and
 * functions in a custom section. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* musttail: a state machine that would overflow the stack without it. */
static long count_down(long n, long acc);
static long count_step(long n, long acc) {
  if (n == 0) return acc;
  __attribute__((musttail)) return count_down(n - 1, acc + (n & 3));
}
static long count_down(long n, long acc) {
  __attribute__((musttail)) return count_step(n, acc ^ 1);
}

/* naked: the body is pure assembly; computes a*3+b (SysV: rdi, rsi). */
__attribute__((naked, noinline)) long naked_madd(long a, long b) {
  __asm__ volatile(
      "lea (%rdi,%rdi,2), %rax\n\t"
      "add %rsi, %rax\n\t"
      "ret\n\t");
}

/* ifunc: resolver picks an implementation at load time. */
static int impl_generic(int x) { return x * 2 + 1; }
static int impl_other(int x) { return x * 2 + 1; }
static int resolver_calls;
typedef int (*int_fn)(int);
static int_fn resolve_double_plus_one(void) {
  ++resolver_calls;
  return impl_generic ? impl_generic : impl_other;
}
int double_plus_one(int x) __attribute__((ifunc("resolve_double_plus_one")));

/* target_clones: the result must not depend on the clone chosen. */
__attribute__((target_clones("avx2", "default"))) long dot_clone(const int *a, const int *b, int n) {
  long s = 0;
  for (int i = 0; i < n; ++i) s += (long)a[i] * b[i];
  return s;
}

__attribute__((noinline)) static int never_inlined(int x) { return x * 7 - 3; }
__attribute__((always_inline)) static inline int always_inlined(int x) { return x + 11; }
__attribute__((flatten)) static int flattened(int x) { return never_inlined(always_inlined(x)) + never_inlined(x); }

__attribute__((weak)) int weak_value(void) { return 17; }
int real_impl(int x) { return x * x + 1; }
int aliased(int x) __attribute__((alias("real_impl")));

__attribute__((noreturn, noinline)) static void die(int code) {
  printf("die(%d)\n", code);
  fflush(stdout);
  exit(code);
}
__attribute__((cold, noinline)) static int rare_path(int x) { return -x; }
__attribute__((hot)) static int common_path(int x) { return x + 1; }
__attribute__((const)) static int pure_square(int x) { return x * x; }
__attribute__((pure)) static int pure_sum(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += v[i];
  return s;
}
__attribute__((section(".text.vigil_custom"), noinline)) int in_custom_section(int x) { return x ^ 0x5a5a; }

static uint64_t rotl_asm(uint64_t v, uint8_t s) {
  __asm__("rolq %%cl, %0" : "+r"(v) : "c"(s));
  return v;
}

/* Other calling conventions on x86-64. */
__attribute__((ms_abi, noinline)) static long win64_sum(long a, long b, long c, long d, long e, double f) {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + (long)(f * 10);
}
__attribute__((preserve_most, noinline)) static long keep_regs(long a, long b) { return a * 31 + b; }
__attribute__((regcall, noinline)) static int reg_many(int a, int b, int c, int d, int e, int f, int g, int h) {
  return a - b + c - d + e - f + g - h;
}
__attribute__((sysv_abi, noinline)) static double sysv_mix(float a, double b, int c) { return a + b * c; }

__attribute__((used, noinline)) static int used_but_unreferenced(void) { return 123; }

int main(int argc, char **argv) {
  (void)argv;
  printf("musttail %ld\n", count_down(3000000, 0));
  printf("naked %ld %ld\n", naked_madd(14, -2), naked_madd(-5, 100));
  printf("ifunc %d %d resolver_calls=%d\n", double_plus_one(20), double_plus_one(-3), resolver_calls);
  int a[64], b[64];
  for (int i = 0; i < 64; ++i) { a[i] = i - 20; b[i] = 3 * i + 1; }
  printf("target_clones %ld\n", dot_clone(a, b, 64));
  printf("inline %d %d %d\n", never_inlined(6), always_inlined(6), flattened(6));
  printf("weak %d alias %d\n", weak_value(), aliased(9));
  int path = 0;
  for (int i = 0; i < 100; ++i) path += (i % 37 == 0) ? rare_path(i) : common_path(i);
  printf("paths %d const %d pure %d\n", path, pure_square(12), pure_sum(a, 64));
  printf("section %d asm %016llx\n", in_custom_section(1000), (unsigned long long)rotl_asm(0x0123456789abcdefULL, 12));
  printf("ccs %ld %ld %d %.3f\n", win64_sum(1, 2, 3, 4, 5, 0.75), keep_regs(7, -3), reg_many(8, 7, 6, 5, 4, 3, 2, 1),
         sysv_mix(0.5f, 1.25, 4));
  if (argc > 3) die(1);
  (void)used_but_unreferenced;
  die(9);
}
