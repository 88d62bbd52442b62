// Empty classes as parameters and results: tag dispatch (iterator
// categories, custom tags), std::true_type/false_type, empty structs passed
// by value between other arguments (they take no register), empty struct
// results, [[no_unique_address]] members, stateless comparators/allocators,
// and std::monostate.
#include <cstdio>
#include <iterator>
#include <list>
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

struct Fast {};
struct Safe {};
struct Unit {};
struct Nothing {
  bool operator==(const Nothing&) const = default;
};

long compute(int n, Fast) { return (long)n * (n + 1) / 2; }
long compute(int n, Safe) {
  long s = 0;
  for (int i = 1; i <= n; ++i) s += i;
  return s;
}

template <typename It>
long distance_impl(It a, It b, std::random_access_iterator_tag) { return (b - a) * 1000; }
template <typename It>
long distance_impl(It a, It b, std::input_iterator_tag) {
  long n = 0;
  for (; a != b; ++a) ++n;
  return n;
}
template <typename It>
long my_distance(It a, It b) { return distance_impl(a, b, typename std::iterator_traits<It>::iterator_category{}); }

template <typename T>
std::string describe(const T& v, std::true_type) { return "integral:" + std::to_string(v); }
template <typename T>
std::string describe(const T& v, std::false_type) { return "other:" + std::string(v); }
template <typename T>
std::string describe(const T& v) { return describe(v, std::is_integral<T>{}); }

// Empty structs interleaved with real arguments.
double interleave(Unit, int a, Unit, double b, Nothing, long c, Unit, float d, Nothing, char e) {
  return a + b + c + d + e;
}
Unit make_unit(int& counter) { ++counter; return Unit{}; }
Nothing pass_nothing(Nothing n, int& counter) { counter += 10; return n; }

struct Stateless {
  bool operator()(int a, int b) const { return (a % 10) < (b % 10) || ((a % 10) == (b % 10) && a < b); }
};

struct Compact {
  [[no_unique_address]] Unit u;
  int value;
  [[no_unique_address]] Nothing n;
};
Compact make_compact(int v) { return {Unit{}, v * 3, Nothing{}}; }

std::variant<std::monostate, int, std::string> maybe(int i) {
  if (i == 0) return std::monostate{};
  if (i % 2) return i;
  return std::string(i, '#');
}

int main() {
  std::printf("compute %ld %ld\n", compute(1000, Fast{}), compute(1000, Safe{}));
  std::vector<int> v(37);
  std::list<int> l(23);
  std::printf("distance %ld %ld\n", my_distance(v.begin(), v.end()), my_distance(l.begin(), l.end()));
  std::printf("describe %s %s\n", describe(42).c_str(), describe("text").c_str());
  std::printf("interleave %.3f\n", interleave(Unit{}, 1, Unit{}, 2.5, Nothing{}, 1L << 33, Unit{}, 0.25f, Nothing{}, 'A'));
  int counter = 0;
  for (int i = 0; i < 5; ++i) make_unit(counter);
  Nothing n = pass_nothing(Nothing{}, counter);
  std::printf("units counter=%d equal=%d sizeof(Unit)=%zu sizeof(Compact)=%zu\n", counter, n == Nothing{},
              sizeof(Unit), sizeof(Compact));
  std::map<int, std::string, Stateless> m;
  for (int x : {31, 12, 45, 2, 91, 22, 11}) m[x] = std::to_string(x * x);
  std::printf("map:");
  for (const auto& [k, s] : m) std::printf(" %d=%s", k, s.c_str());
  std::printf("\ncompact %d\n", make_compact(14).value);
  for (int i = 0; i < 4; ++i) {
    auto r = maybe(i);
    std::printf("maybe(%d) index=%zu\n", i, r.index());
  }
  return 0;
}
