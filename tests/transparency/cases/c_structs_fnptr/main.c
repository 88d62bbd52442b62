/* C: structs passed and returned by value (small, mixed, large, nested,
 * with arrays and unions), function pointers in arrays and structs,
 * callbacks with user data, a function returning a function pointer, and a
 * tiny state machine driven by a table of function pointers. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { int x, y; } Point;
typedef struct { Point a, b; } Segment;
typedef struct { double re, im; } Cplx;
typedef struct { char tag; short s; int i; long l; float f; double d; } Mixed;
typedef struct { unsigned char bytes[40]; size_t len; } Blob;
typedef union { uint64_t u; double d; unsigned char b[8]; } Bits;
typedef struct { Bits bits; char kind; } Tagged;

static Point pt_add(Point p, Point q) { Point r = {p.x + q.x, p.y + q.y}; return r; }
static Point pt_scale(Point p, int k) { return (Point){p.x * k, p.y * k}; }
static Segment seg_make(Point a, Point b) { Segment s = {a, b}; return s; }
static long seg_len2(Segment s) {
  long dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
  return dx * dx + dy * dy;
}
static Cplx c_mul(Cplx a, Cplx b) { return (Cplx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
static Cplx c_pow(Cplx a, int n) {
  Cplx r = {1, 0};
  while (n-- > 0) r = c_mul(r, a);
  return r;
}
static Mixed mixed_make(int seed) {
  Mixed m = {(char)('A' + seed % 26), (short)(seed * 3), seed * 1000, (long)seed << 35, seed / 4.0f, seed / 3.0};
  return m;
}
static double mixed_sum(Mixed m) { return m.tag + m.s + m.i + (double)m.l + m.f + m.d; }
static Blob blob_fill(const char *s) {
  Blob b;
  memset(&b, 0, sizeof b);
  b.len = strlen(s);
  if (b.len > sizeof b.bytes) b.len = sizeof b.bytes;
  memcpy(b.bytes, s, b.len);
  return b;
}
static Blob blob_rot13(Blob b) {
  for (size_t i = 0; i < b.len; ++i) {
    unsigned char c = b.bytes[i];
    if (c >= 'a' && c <= 'z') b.bytes[i] = 'a' + (c - 'a' + 13) % 26;
    else if (c >= 'A' && c <= 'Z') b.bytes[i] = 'A' + (c - 'A' + 13) % 26;
  }
  return b;
}
static Tagged tag_double(double d) { Tagged t; t.bits.d = d; t.kind = 'd'; return t; }

typedef int (*binop)(int, int);
static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_max(int a, int b) { return a > b ? a : b; }
static binop pick(char c) {
  switch (c) {
    case '+': return op_add;
    case '-': return op_sub;
    case '*': return op_mul;
    default: return op_max;
  }
}
static int fold(const int *v, int n, binop f, int init) {
  for (int i = 0; i < n; ++i) init = f(init, v[i]);
  return init;
}

typedef void (*visit_fn)(void *ctx, int value);
static void for_each(const int *v, int n, visit_fn fn, void *ctx) {
  for (int i = 0; i < n; ++i) fn(ctx, v[i]);
}
typedef struct { long sum; int count_even; char trace[64]; } Ctx;
static void collect(void *p, int value) {
  Ctx *c = (Ctx *)p;
  c->sum += value;
  if (value % 2 == 0) c->count_even++;
  size_t n = strlen(c->trace);
  if (n + 4 < sizeof c->trace) snprintf(c->trace + n, sizeof c->trace - n, "%d;", value);
}

/* State machine: each state's handler returns the next state. */
typedef enum { S_START, S_NUM, S_WORD, S_END, S_COUNT } State;
typedef struct { int nums, words, chars; } Counts;
typedef State (*handler)(char, Counts *);
static State h_start(char c, Counts *k) {
  if (!c) return S_END;
  if (c >= '0' && c <= '9') { k->nums++; return S_NUM; }
  if (c != ' ') { k->words++; return S_WORD; }
  return S_START;
}
static State h_num(char c, Counts *k) {
  k->chars++;
  if (!c) return S_END;
  return (c == ' ') ? S_START : S_NUM;
}
static State h_word(char c, Counts *k) {
  k->chars++;
  if (!c) return S_END;
  return (c == ' ') ? S_START : S_WORD;
}
static const handler table[S_COUNT] = {h_start, h_num, h_word, NULL};

struct Vtable { const char *(*name)(void); int (*area)(const void *); };
struct Sq { const struct Vtable *vt; int side; };
static const char *sq_name(void) { return "square"; }
static int sq_area(const void *p) { return ((const struct Sq *)p)->side * ((const struct Sq *)p)->side; }
static const struct Vtable sq_vt = {sq_name, sq_area};

int main(void) {
  Point p = pt_add(pt_scale((Point){3, -4}, 5), (Point){1, 1});
  printf("point %d %d\n", p.x, p.y);
  printf("seg_len2 %ld\n", seg_len2(seg_make(p, pt_scale(p, -2))));
  Cplx z = c_pow((Cplx){0.6, 0.8}, 7);
  printf("cplx %.6f %.6f\n", z.re, z.im);
  Mixed m = mixed_make(29);
  printf("mixed %c %d %d %ld %.2f %.4f sum=%.4f\n", m.tag, m.s, m.i, m.l, m.f, m.d, mixed_sum(m));
  Blob b = blob_rot13(blob_rot13(blob_rot13(blob_fill("Hello, Struct-By-Value World"))));
  printf("blob %.*s len=%zu\n", (int)b.len, (const char *)b.bytes, b.len);
  Tagged t = tag_double(-2.5);
  printf("tagged %c %016llx b0=%02x b7=%02x\n", t.kind, (unsigned long long)t.bits.u, t.bits.b[0], t.bits.b[7]);

  int v[] = {4, -7, 12, 9, 0, 3, 8};
  const char *ops = "+-*m";
  for (const char *o = ops; *o; ++o) printf("fold %c = %d\n", *o, fold(v, 7, pick(*o), *o == '*' ? 1 : 0));
  Ctx ctx = {0, 0, ""};
  for_each(v, 7, collect, &ctx);
  printf("visit sum=%ld even=%d trace=%s\n", ctx.sum, ctx.count_even, ctx.trace);

  const char *text = "abc 123 de 4 5 fgh ijkl 99";
  Counts k = {0, 0, 0};
  State s = S_START;
  for (const char *c = text;; ++c) {
    s = table[s](*c, &k);
    if (s == S_END) break;
  }
  printf("fsm nums=%d words=%d chars=%d\n", k.nums, k.words, k.chars);

  struct Sq sq = {&sq_vt, 9};
  printf("vtable %s %d\n", sq.vt->name(), sq.vt->area(&sq));
  return 0;
}
