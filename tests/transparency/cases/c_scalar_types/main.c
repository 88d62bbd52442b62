/* C scalar parameter and return types: _Bool, char (signed/unsigned), short,
 * __int128, long double, float, _Complex float/double/long double, plus
 * functions with more arguments than registers (integers, floats and long
 * doubles spilled to the stack) and sub-int returns that must be extended. */
#include <complex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

static _Bool b_not(_Bool b) { return !b; }
static _Bool b_and3(_Bool a, _Bool b, _Bool c) { return a && b && c; }
static char c_next(char c) { return (char)(c + 1); }
static signed char sc_neg(signed char c) { return (signed char)-c; }
static unsigned char uc_add(unsigned char a, unsigned char b) { return (unsigned char)(a + b); }
static short s_mul(short a, short b) { return (short)(a * b); }
static unsigned short us_sub(unsigned short a, unsigned short b) { return (unsigned short)(a - b); }
static __int128 i128_mul(__int128 a, __int128 b) { return a * b; }
static unsigned __int128 u128_shift(unsigned __int128 v, int s) { return (v << s) | (v >> (128 - s)); }
static long double ld_poly(long double x) { return ((x * 3.0L - 2.0L) * x + 0.5L) * x - 1.0L / 3.0L; }
static float f_half(float f) { return f * 0.5f; }
static double _Complex cd_mul(double _Complex a, double _Complex b) { return a * b; }
static float _Complex cf_conj(float _Complex a) { return conjf(a); }
static long double _Complex cld_add(long double _Complex a, long double _Complex b) { return a + b; }

static void print_i128(const char *label, __int128 v) {
  char buf[64];
  int neg = v < 0, n = 0;
  unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
  do { buf[n++] = '0' + (int)(u % 10); u /= 10; } while (u);
  printf("%s=%s", label, neg ? "-" : "");
  while (n) putchar(buf[--n]);
  putchar('\n');
}

static long many_ints(char a, short b, int c, long d, unsigned char e, unsigned short f, unsigned g,
                      unsigned long h, _Bool i, signed char j, long long k, int l) {
  return a + b * 2L + c * 3L + d * 4 + e * 5L + f * 6L + (long)g * 7 + (long)h * 8 + i * 9 + j * 10L + k * 11 + l * 12L;
}
static double many_floats(float a, double b, float c, double d, float e, double f, float g, double h, float i,
                          double j, float k, double l) {
  return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10 + k * 11 + l * 12;
}
static long double many_mixed(long double a, int b, double c, long double d, char e, float f, __int128 g,
                              long double h, short i, _Bool j) {
  return a + b + c + d * 2 + e + f + (long double)g + h * 3 + i + j;
}

int main(void) {
  printf("bool %d %d %d %d\n", b_not(0), b_not(1), b_and3(1, 1, 1), b_and3(1, 0, 1));
  printf("char %c %d %u\n", c_next('y'), sc_neg(-128), uc_add(200, 100));
  printf("short %d %u\n", s_mul(300, 300), us_sub(5, 10));
  print_i128("i128", i128_mul((__int128)1 << 100, -3) + 12345);
  unsigned __int128 r = u128_shift(((unsigned __int128)0xDEADBEEF << 64) | 0xCAFEBABE, 36);
  printf("u128 hi=%016llx lo=%016llx\n", (unsigned long long)(r >> 64), (unsigned long long)r);
  printf("ld %.15Lf\n", ld_poly(1.1L));
  printf("float %.7f\n", (double)f_half(3.1415927f));
  double _Complex z = cd_mul(1.5 + 2.0 * I, -0.5 + 4.0 * I);
  float _Complex w = cf_conj(2.0f - 3.5f * I);
  long double _Complex q = cld_add(1.0L + 1.0L * I, 0.25L - 2.0L * I);
  printf("complex %.3f%+.3fi %.3f%+.3fi %.3Lf%+.3Lfi\n", creal(z), cimag(z), (double)crealf(w), (double)cimagf(w),
         creall(q), cimagl(q));
  printf("many_ints %ld\n", many_ints('a', -2, 3, -4000000000L, 250, 65000, 4000000000u, 1UL << 40, 1, -100,
                                      -(1LL << 50), 77));
  printf("many_floats %.6f\n", many_floats(1.5f, 2.25, -3.0f, 4.5, 0.125f, -6.0, 7.75f, 8.0, -9.5f, 10.0, 11.0f, 0.5));
  printf("many_mixed %.6Lf\n", many_mixed(1.25L, -7, 3.5, 2.0L, 'x', 0.75f, (__int128)1 << 70, -1.5L, -300, 1));
  return 0;
}
