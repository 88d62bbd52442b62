/* Less common C parameter/result types: GCC/Clang vector extensions (16-byte
 * in SSE registers, 32- and 64-byte ones in memory without AVX), over-aligned
 * structs, _Float16, _BitInt(N) of odd and large widths, and old-style
 * (K&R, unprototyped) function definitions called with default promotions. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef float v4sf __attribute__((vector_size(16)));
typedef int v4si __attribute__((vector_size(16)));
typedef double v4df __attribute__((vector_size(32)));
typedef int64_t v8di __attribute__((vector_size(64)));
typedef unsigned char v16qu __attribute__((vector_size(16)));

static v4sf vmadd(v4sf a, v4sf b, v4sf c) { return a * b + c; }
static v4si vshuffle(v4si a) { return __builtin_shufflevector(a, a, 3, 2, 1, 0) + (v4si){1, 2, 3, 4}; }
static v4df vscale(v4df a, double k) { return a * k; }
static v8di vmix(v8di a, v8di b) { return (a ^ b) + (a >> 3); }
static v16qu vsat(v16qu a, v16qu b) { return a + b; }

typedef struct __attribute__((aligned(64))) { double v[3]; int tag; } Aligned64;
static Aligned64 aligned_make(int tag) {
  Aligned64 a;
  memset(&a, 0, sizeof a);
  for (int i = 0; i < 3; ++i) a.v[i] = tag * (i + 0.5);
  a.tag = tag;
  return a;
}
static double aligned_sum(Aligned64 a, Aligned64 b) { return a.v[0] + a.v[1] + a.v[2] + b.v[2] + a.tag * b.tag; }

static _Float16 half_mul(_Float16 a, _Float16 b) { return a * b; }
static _Float16 half_sum(int n, const _Float16 *v) {
  _Float16 s = 0;
  for (int i = 0; i < n; ++i) s += v[i];
  return s;
}

static _BitInt(37) bi37_mul(_BitInt(37) a, _BitInt(37) b) { return a * b; }
static unsigned _BitInt(200) bi200_pow(unsigned _BitInt(200) b, int e) {
  unsigned _BitInt(200) r = 1;
  while (e--) r *= b;
  return r;
}
static unsigned _BitInt(7) bi7_wrap(unsigned _BitInt(7) a) { return a + 100; }
static void print_u200(unsigned _BitInt(200) v) {
  char buf[80];
  int n = 0;
  do {
    buf[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  while (n) putchar(buf[--n]);
}

/* K&R definitions: no prototype in scope at the call sites below. */
long kr_combine();
double kr_average();
long kr_combine(a, b, c) char a; short b; long c; { return a * 10000L + b * 100L + c; }
double kr_average(x, y) float x; double y; { return (x + y) / 2; }

int main(void) {
  v4sf f = vmadd((v4sf){1, 2, 3, 4}, (v4sf){0.5f, -1, 2, 0.25f}, (v4sf){10, 20, 30, 40});
  printf("v4sf %.2f %.2f %.2f %.2f\n", f[0], f[1], f[2], f[3]);
  v4si i = vshuffle((v4si){10, 20, 30, 40});
  printf("v4si %d %d %d %d\n", i[0], i[1], i[2], i[3]);
  v4df d = vscale((v4df){1.5, -2, 1e10, 0.125}, 4);
  printf("v4df %.3f %.3f %.3g %.3f\n", d[0], d[1], d[2], d[3]);
  v8di m = vmix((v8di){1, 2, 3, 4, 5, 6, 7, 8}, (v8di){-1, 1000, 1 << 20, 9, 9, 9, 9, (int64_t)1 << 40});
  printf("v8di");
  for (int k = 0; k < 8; ++k) printf(" %lld", (long long)m[k]);
  v16qu q = vsat((v16qu){250, 5, 128, 1}, (v16qu){10, 5, 128, 1});
  printf("\nv16qu %u %u %u %u %u\n", q[0], q[1], q[2], q[3], q[15]);
  Aligned64 a1 = aligned_make(3), a2 = aligned_make(-2);
  printf("aligned sizeof=%zu sum=%.3f\n", sizeof(Aligned64), aligned_sum(a1, a2));
  _Float16 hv[5] = {1.5f16, 0.25f16, -3.0f16, 1000.0f16, 0.001f16};
  printf("half %.4f %.4f\n", (double)half_mul(1.5f16, -2.75f16), (double)half_sum(5, hv));
  printf("bitint37 %lld\n", (long long)bi37_mul(123456, -1000));
  printf("bitint200 ");
  print_u200(bi200_pow(1000003, 11));
  printf("\nbitint7 %u\n", (unsigned)bi7_wrap(60));
  printf("k&r %ld %.3f\n", kr_combine('A', -3, 77L), kr_average(1.25f, 3.5));
  return 0;
}
