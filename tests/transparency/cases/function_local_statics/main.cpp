// Function-local statics: lazily initialised on first call (the order of
// first calls decides the order of initialisation), initialised by a
// function call with side effects, local static objects with destructors
// (run after main returns, in reverse order of construction), statics in
// templates (one per instantiation), statics in lambdas, and thread-safe
// initialisation under concurrent first calls.
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

static std::string g_order;

struct Noisy {
  std::string name;
  explicit Noisy(std::string n) : name(std::move(n)) {
    g_order += "[" + name + "]";
    std::printf("construct %s\n", name.c_str());
  }
  ~Noisy() { std::printf("destruct %s\n", name.c_str()); }
};

int expensive_init(int seed) {
  g_order += "{init" + std::to_string(seed) + "}";
  int v = seed;
  for (int i = 0; i < 1000; ++i) v = (v * 31 + i) % 1000003;
  return v;
}

int counter() {
  static int calls = 0;
  return ++calls;
}
int cached() {
  static const int value = expensive_init(7);
  return value;
}
Noisy& first() {
  static Noisy n("first");
  return n;
}
Noisy& second() {
  static Noisy n("second");
  return n;
}
const std::vector<int>& table() {
  static const std::vector<int> t = [] {
    std::vector<int> v;
    for (int i = 0; i < 10; ++i) v.push_back(i * i * i);
    g_order += "{table}";
    return v;
  }();
  return t;
}
template <typename T>
int per_type() {
  static int n = 0;
  return ++n;
}
int slow_shared() {
  static int v = [] {
    // Only one thread may run this, whichever arrives first.
    int s = 0;
    for (int i = 0; i < 200000; ++i) s += i % 13;
    g_order += "{slow}";
    return s;
  }();
  return v;
}

int main() {
  int c1 = counter();
  int c2 = counter();
  counter();
  std::printf("counter %d %d %d\n", c1, c2, counter());
  std::printf("cached %d %d\n", cached(), cached());
  const std::string& s2 = second().name;
  const std::string& s1 = first().name;
  std::printf("second then first: %s %s\n", s2.c_str(), s1.c_str());
  std::printf("table %d %d size=%zu\n", table()[3], table()[9], table().size());
  per_type<int>();
  per_type<int>();
  per_type<double>();
  std::printf("per_type int=%d double=%d char=%d\n", per_type<int>(), per_type<double>(), per_type<char>());
  auto lam = [] {
    static int hits = 100;
    return ++hits;
  };
  lam();
  std::printf("lambda static %d\n", lam());
  std::vector<std::thread> ts;
  std::vector<int> results(4);
  for (int i = 0; i < 4; ++i) ts.emplace_back([&results, i] { results[i] = slow_shared(); });
  for (auto& t : ts) t.join();
  std::printf("threads %d %d %d %d\n", results[0], results[1], results[2], results[3]);
  std::printf("order %s\n", g_order.c_str());
  std::printf("main returns\n");
  return 0;
}
