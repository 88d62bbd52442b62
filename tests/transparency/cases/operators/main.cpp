// User-defined operators: arithmetic, compound assignment, comparison
// (including <=> and ==), unary, increment, call operator, subscript,
// stream <<, conversion operators and user-defined literals.
#include <compare>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

struct Frac {
  long n, d;
  Frac(long n_ = 0, long d_ = 1) : n(n_), d(d_) { norm(); }
  void norm() {
    if (d < 0) { n = -n; d = -d; }
    long a = n < 0 ? -n : n, b = d;
    while (b) { long t = a % b; a = b; b = t; }
    if (a > 1) { n /= a; d /= a; }
  }
  Frac& operator+=(const Frac& o) { n = n * o.d + o.n * d; d *= o.d; norm(); return *this; }
  Frac& operator*=(const Frac& o) { n *= o.n; d *= o.d; norm(); return *this; }
  Frac operator-() const { return Frac(-n, d); }
  Frac& operator++() { n += d; return *this; }
  Frac operator++(int) { Frac old = *this; ++*this; return old; }
  explicit operator double() const { return double(n) / double(d); }
  explicit operator bool() const { return n != 0; }
  friend Frac operator+(Frac a, const Frac& b) { return a += b; }
  friend Frac operator-(Frac a, const Frac& b) { return a += -b; }
  friend Frac operator*(Frac a, const Frac& b) { return a *= b; }
  friend Frac operator/(Frac a, const Frac& b) { return a *= Frac(b.d, b.n); }
  friend bool operator==(const Frac& a, const Frac& b) { return a.n == b.n && a.d == b.d; }
  friend std::strong_ordering operator<=>(const Frac& a, const Frac& b) { return a.n * b.d <=> b.n * a.d; }
  friend std::ostream& operator<<(std::ostream& os, const Frac& f) {
    return f.d == 1 ? os << f.n : os << f.n << '/' << f.d;
  }
};

struct Matrix {
  int r, c;
  std::vector<double> a;
  Matrix(int r_, int c_) : r(r_), c(c_), a(r_ * c_) {}
  double& operator()(int i, int j) { return a[i * c + j]; }
  double operator()(int i, int j) const { return a[i * c + j]; }
  struct Row {
    Matrix* m; int i;
    double& operator[](int j) { return (*m)(i, j); }
  };
  Row operator[](int i) { return Row{this, i}; }
  friend Matrix operator*(const Matrix& x, const Matrix& y) {
    Matrix z(x.r, y.c);
    for (int i = 0; i < x.r; ++i)
      for (int j = 0; j < y.c; ++j) {
        double s = 0;
        for (int k = 0; k < x.c; ++k) s += x(i, k) * y(k, j);
        z(i, j) = s;
      }
    return z;
  }
  friend std::ostream& operator<<(std::ostream& os, const Matrix& m) {
    for (int i = 0; i < m.r; ++i) {
      os << '[';
      for (int j = 0; j < m.c; ++j) os << (j ? " " : "") << m(i, j);
      os << "]\n";
    }
    return os;
  }
};

struct Poly {  // call operator: evaluate polynomial
  std::vector<long> k;
  long operator()(long x) const {
    long acc = 0;
    for (auto it = k.rbegin(); it != k.rend(); ++it) acc = acc * x + *it;
    return acc;
  }
  long operator()(long x, long m) const { return (*this)(x) % m; }
};

struct Counter {
  std::map<std::string, int> m;
  int& operator[](const std::string& key) { return m[key]; }
  Counter& operator<<(const std::string& word) { ++m[word]; return *this; }
};

struct Bits {
  std::uint32_t v;
  Bits operator&(Bits o) const { return {v & o.v}; }
  Bits operator|(Bits o) const { return {v | o.v}; }
  Bits operator^(Bits o) const { return {v ^ o.v}; }
  Bits operator~() const { return {~v}; }
  Bits operator<<(int s) const { return {v << s}; }
  Bits operator>>(int s) const { return {v >> s}; }
  bool operator!() const { return v == 0; }
};

constexpr unsigned long long operator""_kib(unsigned long long v) { return v * 1024; }
Frac operator""_fr(unsigned long long v) { return Frac((long)v, 1000); }

int main() {
  Frac a(1, 3), b(3, 4), c(-10, 4);
  std::cout << "a+b=" << a + b << " a-b=" << a - b << " a*b=" << a * b << " a/b=" << a / b << " c=" << c << '\n';
  Frac d = a;
  d++;
  ++d;
  std::cout << "d=" << d << " double=" << static_cast<double>(d) << " bool=" << bool(Frac(0)) << bool(d) << '\n';
  std::cout << "cmp: " << (a < b) << (a > b) << (a == Frac(2, 6)) << (a != b) << (c <= a) << (b >= b) << '\n';
  Frac h;
  for (int i = 1; i <= 12; ++i) h += Frac(1, i);
  std::cout << "H12=" << h << " 250_fr=" << 250_fr << " 3_kib=" << 3_kib << '\n';

  Matrix m(2, 3), n(3, 2);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) { m[i][j] = i + j * 0.5; n(j, i) = (i + 1) * (j - 1); }
  std::cout << m * n << n * m;

  Poly p{{1, -2, 0, 3}};
  std::cout << "poly: " << p(0) << ' ' << p(2) << ' ' << p(-3) << ' ' << p(10, 7) << '\n';

  Counter ctr;
  std::istringstream words("the quick brown fox jumps over the lazy dog the end");
  std::string w;
  while (words >> w) ctr << w;
  ctr["extra"] += 5;
  for (const auto& [k, v] : ctr.m) std::cout << k << '=' << v << ' ';
  std::cout << '\n';

  Bits x{0xF0F0u}, y{0x0FF0u};
  std::cout << std::hex << (x & y).v << ' ' << (x | y).v << ' ' << (x ^ y).v << ' ' << (~x).v << ' '
            << (x << 4).v << ' ' << (y >> 3).v << std::dec << ' ' << !Bits{0} << !x << '\n';
  return 0;
}
