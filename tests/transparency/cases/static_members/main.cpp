// Static member functions (as callbacks, in templates, private statics
// called by members, static factories) and static data members (inline,
// constexpr, out-of-class definitions, per-instantiation statics).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

class Registry {
 public:
  static int add(const std::string& name) {
    names_.push_back(name);
    return next_id_++;
  }
  static std::size_t count() { return names_.size(); }
  static std::string joined() {
    std::string s;
    for (const auto& n : names_) s += (s.empty() ? "" : ",") + n;
    return s;
  }
  static int compare_abs(const void* a, const void* b) {
    int x = std::abs(*static_cast<const int*>(a)), y = std::abs(*static_cast<const int*>(b));
    return (x > y) - (x < y);
  }

 private:
  static inline std::vector<std::string> names_;
  static int next_id_;
};
int Registry::next_id_ = 100;

template <typename T>
struct Counter {
  static int created;
  static int live() { return created - destroyed; }
  static inline int destroyed = 0;
  Counter() { ++created; }
  ~Counter() { ++destroyed; }
};
template <typename T>
int Counter<T>::created = 0;

struct A : Counter<A> {};
struct B : Counter<B> {};

class Temperature {
 public:
  static Temperature celsius(double c) { return Temperature(c); }
  static Temperature fahrenheit(double f) { return Temperature(to_c(f)); }
  double kelvin() const { return c_ + kZero; }
  static constexpr double kZero = 273.15;

 private:
  explicit Temperature(double c) : c_(c) {}
  static double to_c(double f) { return (f - 32) * 5 / 9; }
  double c_;
};

struct MathOps {
  static long square(long v) { return v * v; }
  static long cube(long v) { return v * v * v; }
  static long negate(long v) { return -v; }
};

long apply_all(long v, long (*const* fs)(long), int n) {
  for (int i = 0; i < n; ++i) v = fs[i](v);
  return v;
}

int main() {
  int id1 = Registry::add("alpha");
  int id2 = Registry::add("be");
  int id3 = Registry::add("gamma-long");
  std::printf("registry ids %d %d %d count=%zu names=%s\n", id1, id2, id3, Registry::count(), Registry::joined().c_str());
  int arr[] = {-9, 4, -1, 7, 3, -5, 0, 8};
  std::qsort(arr, 8, sizeof(int), Registry::compare_abs);  // static member as a C callback
  std::printf("sorted by abs:");
  for (int x : arr) std::printf(" %d", x);
  std::printf("\n");
  {
    A a1, a2, a3;
    B b1;
    std::printf("live A=%d B=%d\n", A::live(), B::live());
  }
  std::vector<A> many(5);
  std::printf("after: A created=%d live=%d B created=%d live=%d\n", Counter<A>::created, A::live(), Counter<B>::created,
              B::live());
  std::printf("temps %.2f %.2f kZero=%.2f\n", Temperature::celsius(25).kelvin(), Temperature::fahrenheit(-40).kelvin(),
              Temperature::kZero);
  long (*const fs[])(long) = {&MathOps::square, &MathOps::negate, &MathOps::cube, MathOps::negate};
  std::printf("apply_all %ld\n", apply_all(3, fs, 4));
  return 0;
}
