// Structs and classes passed and returned by value, across the shapes the
// x86-64 SysV ABI classifies differently: {int,int} (one GPR),
// {double,double} (two SSE), {char,double} (GPR+SSE), {float,float,float}
// (SSE), 12-byte {int,int,int}, 16-byte {long,long}, 24-byte (memory, sret),
// big arrays, {long double}, a struct with a bit-field, and a non-trivially
// copyable class (always passed and returned in memory).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

struct II { int a, b; };
struct DD { double x, y; };
struct CD { char c; double d; };
struct FFF { float f[3]; };
struct III { int a, b, c; };
struct LL { long a, b; };
struct L3 { long a, b, c; };
struct Big { int v[32]; };
struct LD { long double v; };
struct FI { float f; int i; };
struct DI { double d; int i; };
struct BF { unsigned a : 3, b : 7, c : 22; };
struct Packed { char c; int i; short s; } __attribute__((packed));

struct Tracked {
  static int live, copies, moves;
  std::string label;
  int vals[3];
  Tracked(std::string l, int a, int b, int c) : label(std::move(l)), vals{a, b, c} { ++live; }
  Tracked(const Tracked& o) : label(o.label + "c"), vals{o.vals[0], o.vals[1], o.vals[2]} { ++live; ++copies; }
  Tracked(Tracked&& o) noexcept : label(std::move(o.label) + "m"), vals{o.vals[0], o.vals[1], o.vals[2]} {
    ++live;
    ++moves;
  }
  ~Tracked() { --live; }
  int sum() const { return vals[0] + vals[1] + vals[2]; }
};
int Tracked::live = 0, Tracked::copies = 0, Tracked::moves = 0;

II make_ii(int a, int b) { return {a * 3, b - a}; }
II swap_ii(II v) { return {v.b, v.a}; }
DD make_dd(double x, double y) { return {x + y, x * y}; }
DD rot_dd(DD v, double s) { return {-v.y * s, v.x * s}; }
CD make_cd(char c, double d) { return {char(c + 1), d / 2}; }
CD mix_cd(CD a, CD b) { return {char(a.c ^ b.c), a.d - b.d}; }
FFF make_fff(float a) { return {{a, a * 2, a * 3}}; }
float dot_fff(FFF a, FFF b) { return a.f[0] * b.f[0] + a.f[1] * b.f[1] + a.f[2] * b.f[2]; }
III make_iii(int s) { return {s, s * s, -s}; }
III add_iii(III a, III b) { return {a.a + b.a, a.b + b.b, a.c + b.c}; }
LL make_ll(long a) { return {a << 20, ~a}; }
L3 make_l3(long a, long b, long c) { return {a + b, b + c, c + a}; }
L3 scale_l3(L3 v, long k) { return {v.a * k, v.b * k, v.c * k}; }
Big make_big(int seed) {
  Big b;
  for (int i = 0; i < 32; ++i) b.v[i] = seed * i + (i ^ seed);
  return b;
}
long sum_big(Big b) {
  long s = 0;
  for (int x : b.v) s += x;
  return s;
}
LD make_ld(long double v) { return {v * 3}; }
FI make_fi(float f, int i) { return {f * 2, i + 1}; }
DI make_di(double d, int i) { return {d + i, i * 2}; }
BF make_bf(unsigned a, unsigned b, unsigned c) { return {a, b, c}; }
unsigned fold_bf(BF v) { return v.a * 1000000 + v.b * 1000 + v.c; }
Packed make_packed(char c, int i, short s) { return {c, i, s}; }

Tracked make_tracked(int k) { return Tracked("t" + std::to_string(k), k, k + 1, k + 2); }
Tracked make_named(int k) {
  Tracked t("n" + std::to_string(k), k, 2 * k, 3 * k);
  t.vals[0] += 100;
  return t;  // NRVO candidate
}
Tracked pass_through(Tracked t) { return t; }
int by_value(Tracked t) { return t.sum(); }

// Many struct arguments: the later ones go on the stack.
double many(II a, DD b, CD c, FFF d, III e, LL f, L3 g, FI h, DI i, II j) {
  return a.a + a.b + b.x + b.y + c.c + c.d + d.f[0] + d.f[1] + d.f[2] + e.a + e.b + e.c + f.a + f.b + g.a +
         g.b + g.c + h.f + h.i + i.d + i.i + j.a * j.b;
}

int main() {
  II ii = swap_ii(make_ii(7, 30));
  std::printf("II %d %d\n", ii.a, ii.b);
  DD dd = rot_dd(make_dd(1.5, -2.25), 2);
  std::printf("DD %.4f %.4f\n", dd.x, dd.y);
  CD cd = mix_cd(make_cd('a', 9.5), make_cd('0', -1.25));
  std::printf("CD %d %.4f\n", cd.c, cd.d);
  std::printf("FFF %.3f\n", (double)dot_fff(make_fff(1.5f), make_fff(-0.5f)));
  III iii = add_iii(make_iii(4), make_iii(-9));
  std::printf("III %d %d %d\n", iii.a, iii.b, iii.c);
  LL ll = make_ll(12345);
  std::printf("LL %ld %ld\n", ll.a, ll.b);
  L3 l3 = scale_l3(make_l3(1, 20, 300), -3);
  std::printf("L3 %ld %ld %ld\n", l3.a, l3.b, l3.c);
  std::printf("Big %ld %ld\n", sum_big(make_big(3)), sum_big(make_big(-77)));
  std::printf("LD %.6Lf\n", make_ld(1.0L / 3).v);
  FI fi = make_fi(2.5f, 41);
  DI di = make_di(0.125, -8);
  std::printf("FI %.2f %d DI %.3f %d\n", (double)fi.f, fi.i, di.d, di.i);
  std::printf("BF %u\n", fold_bf(make_bf(5, 99, 3000000)));
  Packed pk = make_packed('k', 0x12345678, -300);
  std::printf("Packed %c %x %d size=%zu\n", pk.c, pk.i, pk.s, sizeof(Packed));
  std::printf("many %.4f\n", many(make_ii(1, 2), make_dd(3, 4), make_cd('b', 5), make_fff(0.5f), make_iii(2),
                                  make_ll(1), make_l3(1, 2, 3), make_fi(1, 2), make_di(3, 4), make_ii(5, 6)));

  {
    Tracked a = make_tracked(1);
    Tracked b = make_named(2);
    Tracked c = pass_through(make_tracked(3));
    int s = by_value(b);
    std::printf("Tracked %s=%d %s=%d %s=%d by_value=%d live=%d copies=%d moves=%d\n", a.label.c_str(), a.sum(),
                b.label.c_str(), b.sum(), c.label.c_str(), c.sum(), s, Tracked::live, Tracked::copies,
                Tracked::moves);
  }
  std::printf("after scope live=%d\n", Tracked::live);
  return 0;
}
