// Lambdas: capture by value and by reference, init-captures, mutable,
// generic (auto) lambdas, recursive lambdas via std::function and via a
// self parameter, lambdas returned from functions, stored in containers,
// used as comparators, and immediately invoked.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

std::function<int(int)> make_adder(int k) { return [k](int x) { return x + k; }; }

auto make_counter() {
  return [n = 0]() mutable { return ++n; };
}

template <typename F>
auto twice(F f) {
  return [f](auto x) { return f(f(x)); };
}

int main() {
  int base = 10;
  auto by_val = [base](int x) { return base * x; };
  auto by_ref = [&base](int x) { base += x; return base; };
  base = 20;
  int r_val = by_val(3);
  int r_ref = by_ref(5);
  std::printf("by_val=%d by_ref=%d base=%d by_val_again=%d\n", r_val, r_ref, base, by_val(1));

  auto counter = make_counter();
  counter();
  counter();
  std::printf("counter=%d\n", counter());

  auto add5 = make_adder(5);
  std::printf("adder=%d twice=%d\n", add5(1), twice(add5)(1));

  auto generic = [](auto a, auto b) { return a + b; };
  std::printf("generic: %d %.2f %s\n", generic(2, 3), generic(1.5, 2.25),
              generic(std::string("con"), std::string("cat")).c_str());

  std::function<long(int)> fib = [&fib](int n) -> long { return n < 2 ? n : fib(n - 1) + fib(n - 2); };
  std::printf("fib(25)=%ld\n", fib(25));

  auto fact = [](auto self, int n) -> unsigned long long { return n <= 1 ? 1 : n * self(self, n - 1); };
  std::printf("fact(20)=%llu\n", fact(fact, 20));

  std::vector<int> v(20);
  std::iota(v.begin(), v.end(), -7);
  int threshold = 3;
  std::sort(v.begin(), v.end(), [](int a, int b) { return (a * a) < (b * b) || ((a * a) == (b * b) && a < b); });
  long cnt = std::count_if(v.begin(), v.end(), [&](int x) { return x > threshold; });
  std::printf("sorted:");
  for (int x : v) std::printf(" %d", x);
  std::printf("\ncount>%d=%ld\n", threshold, cnt);

  std::vector<std::function<double(double)>> ops = {
      [](double x) { return x * 2; },
      [base](double x) { return x + base; },
      [p = std::make_shared<double>(0.5)](double x) { return x * *p; },
  };
  double acc = 1;
  for (auto& op : ops) acc = op(acc);
  std::printf("ops=%.3f\n", acc);

  auto ptr = std::make_unique<int>(99);
  auto owns = [q = std::move(ptr)]() { return *q + 1; };
  std::printf("owns=%d moved=%d\n", owns(), ptr == nullptr);

  int total = [&]() {
    int s = 0;
    for (int i = 0; i < 100; ++i) s += i % 7;
    return s;
  }();
  std::printf("iife=%d\n", total);

  std::string text = "lambda";
  auto appender = [&text](const char* s) -> std::string& { return text += s; };
  appender("-one");
  appender("-two");
  std::printf("text=%s\n", text.c_str());

  int (*fp)(int) = [](int x) { return x * x - 1; };
  std::printf("fp=%d\n", fp(12));

  auto fold = [](auto... xs) { return (xs + ... + 0); };
  std::printf("fold=%d\n", fold(1, 2, 3, 4, 5));
  return 0;
}
