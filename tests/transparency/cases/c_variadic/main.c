/* C variadic functions: a printf-like formatter built on va_list, va_copy,
 * forwarding a va_list to vsnprintf/vfprintf, variadic functions taking
 * doubles, long doubles, pointers and structs-by-pointer, a sentinel-ended
 * list, and a variadic function returning a struct by value. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { double lo, hi; } Range;

/* Minimal printf: %d %u %ld %x %s %c %f %% only. */
static int mini_format(char *out, size_t cap, const char *fmt, va_list ap) {
  size_t n = 0;
  char tmp[64];
  for (const char *p = fmt; *p; ++p) {
    const char *piece = tmp;
    if (*p != '%') {
      tmp[0] = *p; tmp[1] = 0;
    } else {
      ++p;
      switch (*p) {
        case 'd': snprintf(tmp, sizeof tmp, "%d", va_arg(ap, int)); break;
        case 'u': snprintf(tmp, sizeof tmp, "%u", va_arg(ap, unsigned)); break;
        case 'l': ++p; snprintf(tmp, sizeof tmp, "%ld", va_arg(ap, long)); break;
        case 'x': snprintf(tmp, sizeof tmp, "%x", va_arg(ap, unsigned)); break;
        case 's': piece = va_arg(ap, const char *); break;
        case 'c': tmp[0] = (char)va_arg(ap, int); tmp[1] = 0; break;
        case 'f': snprintf(tmp, sizeof tmp, "%.4f", va_arg(ap, double)); break;
        case '%': tmp[0] = '%'; tmp[1] = 0; break;
        default: tmp[0] = '?'; tmp[1] = 0; break;
      }
    }
    size_t len = strlen(piece);
    if (n + len + 1 < cap) { memcpy(out + n, piece, len); n += len; out[n] = 0; }
  }
  return (int)n;
}

static int my_printf(const char *fmt, ...) {
  char buf[512];
  buf[0] = 0;
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = mini_format(buf, sizeof buf, fmt, ap);
  /* The copy is still usable after the original was consumed: format again
     and compare. */
  char again[512];
  again[0] = 0;
  int n2 = mini_format(again, sizeof again, fmt, ap2);
  if (n2 != n || strcmp(buf, again) != 0) fputs("va_copy mismatch\n", stdout);
  va_end(ap2);
  va_end(ap);
  fputs(buf, stdout);
  return n;
}

static void log_err(const char *tag, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "[%s] ", tag);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static double sum_doubles(int count, ...) {
  va_list ap;
  va_start(ap, count);
  double s = 0;
  for (int i = 0; i < count; ++i) s += va_arg(ap, double) * (i + 1);
  va_end(ap);
  return s;
}

static long double sum_long_doubles(int count, ...) {
  va_list ap;
  va_start(ap, count);
  long double s = 0;
  for (int i = 0; i < count; ++i) s = s * 2 + va_arg(ap, long double);
  va_end(ap);
  return s;
}

/* Sentinel-terminated list of strings. */
static size_t total_len(const char *first, ...) {
  size_t n = 0;
  va_list ap;
  va_start(ap, first);
  for (const char *s = first; s; s = va_arg(ap, const char *)) n += strlen(s);
  va_end(ap);
  return n;
}

/* Variadic function returning a struct by value; mixes ints and doubles so
   both the integer and the SSE register save areas are used. */
static Range range_of(int count, ...) {
  Range r = {1e300, -1e300};
  va_list ap;
  va_start(ap, count);
  for (int i = 0; i < count; ++i) {
    double v = (i % 2) ? (double)va_arg(ap, int) : va_arg(ap, double);
    if (v < r.lo) r.lo = v;
    if (v > r.hi) r.hi = v;
  }
  va_end(ap);
  return r;
}

/* Walks the list twice with va_copy. */
static int64_t two_pass(int count, ...) {
  va_list ap, again;
  va_start(ap, count);
  va_copy(again, ap);
  int64_t a = 0, b = 0;
  for (int i = 0; i < count; ++i) a += va_arg(ap, int64_t);
  for (int i = 0; i < count; ++i) b ^= va_arg(again, int64_t) << (i % 7);
  va_end(again);
  va_end(ap);
  return a * 1000003 + b;
}

static int forward_to(int (*fn)(const char *, ...), const char *fmt, int a, double b, const char *c) {
  return fn(fmt, a, b, c);
}

int main(void) {
  int n = my_printf("int=%d uint=%u long=%ld hex=%x str=%s chr=%c dbl=%f pct=%%\n", -42, 3000000000u,
                    -1234567890123L, 0xBEEFu, "text", 'Q', 3.14159265);
  printf("my_printf returned %d\n", n);
  n = forward_to(my_printf, "fwd %d %f %s\n", 7, -0.5, "end");
  printf("forwarded returned %d\n", n);
  n = forward_to(printf, "libc %d %.3f %s\n", 8, 2.25, "ok");
  printf("printf returned %d\n", n);
  printf("sum_doubles=%.6f\n", sum_doubles(6, 1.0, 2.5, -3.25, 4.125, 1e-3, 100.0));
  printf("sum_doubles(many)=%.6f\n",
         sum_doubles(12, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0));
  printf("sum_long_doubles=%.10Lf\n", sum_long_doubles(4, 1.0L, 0.1L, 0.01L, 0.001L));
  printf("total_len=%zu\n", total_len("alpha", "beta", "", "gamma delta", (const char *)NULL));
  Range r = range_of(9, 2.5, 7, -1.25, -9, 8.75, 3, 0.0, 100, 42.0);
  printf("range=[%.2f, %.2f]\n", r.lo, r.hi);
  printf("two_pass=%lld\n", (long long)two_pass(10, (int64_t)1, (int64_t)-2, (int64_t)3, (int64_t)1 << 40,
                                                 (int64_t)5, (int64_t)6, (int64_t)7, (int64_t)8,
                                                 (int64_t)9, (int64_t)-10));
  log_err("warn", "value %d out of range [%d, %d] in %s", 12, 0, 10, "config");
  log_err("info", "%s=%.2e", "ratio", 1.0 / 3.0);
  return 0;
}
