#include "lto.h"

namespace {
struct Sq : Shape {
  double s;
  explicit Sq(double v) : s(v) {}
  double area() const override { return s * s; }
  std::string name() const override { return "square"; }
};
struct Circ : Shape {
  double r;
  explicit Circ(double v) : r(v) {}
  double area() const override { return 3.14159265358979 * r * r; }
  std::string name() const override { return "circle"; }
};
struct Tri : Shape {
  double b;
  explicit Tri(double v) : b(v) {}
  double area() const override { return b * b * 0.4330127018922193; }
  std::string name() const override { return "triangle"; }
};
}  // namespace

Shape* make_shape(int kind, double size) {
  switch (kind) {
    case 0: return new Sq(size);
    case 1: return new Circ(size);
    default: return new Tri(size);
  }
}
static long helper(long x, long k) { return x * k + 1; }
long poly_eval(long x) { return helper(helper(helper(x, 3), 5), 7); }
unsigned fold_string(const char* s) {
  unsigned h = 7;
  while (*s) h = h * 131 + (unsigned char)*s++;
  return h;
}
