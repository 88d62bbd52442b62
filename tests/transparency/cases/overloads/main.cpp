// Overloaded functions: by arithmetic type, by pointer/array/string,
// by value category, by const-ness of the object, default arguments,
// overloads in namespaces (ADL) and overloaded function pointers.
#include <cstdio>
#include <string>
#include <utility>

static std::string trace;

int f(int x) { trace += "i"; return x + 1; }
long f(long x) { trace += "l"; return x + 2; }
double f(double x) { trace += "d"; return x * 1.5; }
float f(float x) { trace += "f"; return x * 0.5f; }
int f(char c) { trace += "c"; return c + 100; }
int f(unsigned x) { trace += "u"; return (int)(x % 97u); }
int f(const char* s) { trace += "s"; int n = 0; while (s[n]) ++n; return n; }
int f(const std::string& s) { trace += "S"; return (int)s.size() * 10; }
int f(int* p) { trace += "p"; return p ? *p * 3 : -1; }
int f(std::nullptr_t) { trace += "n"; return -42; }
int f(int a, int b, int c = 7) { trace += "3"; return a * 100 + b * 10 + c; }

int g(std::string& s) { s += "!"; return 1; }
int g(const std::string& s) { return 2 + (int)s.size(); }
int g(std::string&& s) { s += "?"; return 3; }

struct Box {
  int v = 5;
  int get() & { return v; }
  int get() && { return v * 1000; }
  int peek() const { return v + 1; }
  int peek() { return v + 2; }
};

namespace geo {
struct Pt { int x, y; };
int norm1(Pt p) { return (p.x < 0 ? -p.x : p.x) + (p.y < 0 ? -p.y : p.y); }
int norm1(Pt p, int scale) { return norm1(p) * scale; }
}  // namespace geo

int apply(int (*fn)(int), int v) { return fn(v); }
double apply(double (*fn)(double), double v) { return fn(v); }

int main() {
  int seven = 7;
  // One call per statement: the trace order is then fully defined.
  int r_i = f(1);
  long r_l = f(1L);
  double r_d = f(2.0);
  float r_f = f(3.0f);
  int r_c = f('A');
  int r_u = f(1000u);
  std::printf("%d %ld %.3f %.3f %d %d\n", r_i, r_l, r_d, (double)r_f, r_c, r_u);
  int r_s = f("hello");
  int r_S = f(std::string("xyz"));
  int r_p = f(&seven);
  int r_n = f(nullptr);
  int r_2 = f(1, 2);
  int r_3 = f(1, 2, 3);
  int r_0 = f((int*)nullptr);
  std::printf("%d %d %d %d %d %d %d\n", r_s, r_S, r_p, r_n, r_2, r_3, r_0);
  short sh = 9;
  unsigned char uc = 200;
  int r_sh = f(sh);
  int r_uc = f(uc);
  long r_big = f(static_cast<long>(sh) << 33);
  std::printf("promotions: %d %d %ld\n", r_sh, r_uc, r_big);
  std::printf("trace=%s\n", trace.c_str());

  std::string s = "abc";
  const std::string cs = "const";
  int r1 = g(s);
  int r2 = g(cs);
  int r3 = g(std::string("tmp"));
  int r4 = g(std::move(s));
  std::printf("g: %d %d %d %d s=%s\n", r1, r2, r3, r4, s.c_str());

  Box b;
  const Box cb{};
  std::printf("box: %d %d %d %d\n", b.get(), Box{}.get(), b.peek(), cb.peek());

  geo::Pt p{-3, 4};
  std::printf("adl: %d %d\n", norm1(p), norm1(p, 3));

  std::printf("fnptr: %d %.3f\n", apply(static_cast<int (*)(int)>(f), 41),
              apply(static_cast<double (*)(double)>(f), 4.0));
  return 0;
}
