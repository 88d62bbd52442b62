// Variadic templates: recursive unpacking, fold expressions, sizeof...,
// perfect forwarding through several layers, pack expansion into function
// calls and initializer lists, std::tuple/std::apply, index sequences and a
// variadic class template.
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

void print_all() { std::printf("\n"); }
template <typename T, typename... Rest>
void print_all(const T& first, const Rest&... rest) {
  std::ostringstream os;
  os << first;
  std::printf("%s%s", os.str().c_str(), sizeof...(rest) ? "," : "");
  print_all(rest...);
}

template <typename... Ts>
auto sum(Ts... xs) { return (xs + ... + 0); }

template <typename... Ts>
auto product_left(Ts... xs) { return (1 * ... * xs); }

template <typename... Ts>
bool all_positive(Ts... xs) { return ((xs > 0) && ...); }

template <typename... Ts>
constexpr std::size_t count_args(Ts&&...) { return sizeof...(Ts); }

struct Widget {
  std::string name;
  int a;
  double b;
  static int copies, moves;
  Widget(std::string n, int a_, double b_) : name(std::move(n)), a(a_), b(b_) {}
  Widget(const Widget& o) : name(o.name), a(o.a), b(o.b) { ++copies; }
  Widget(Widget&& o) noexcept : name(std::move(o.name)), a(o.a), b(o.b) { ++moves; }
};
int Widget::copies = 0;
int Widget::moves = 0;

template <typename T, typename... Args>
std::unique_ptr<T> make_layer3(Args&&... args) { return std::make_unique<T>(std::forward<Args>(args)...); }
template <typename T, typename... Args>
std::unique_ptr<T> make_layer2(Args&&... args) { return make_layer3<T>(std::forward<Args>(args)...); }
template <typename T, typename... Args>
std::unique_ptr<T> make_layer1(Args&&... args) { return make_layer2<T>(std::forward<Args>(args)...); }

template <typename F, typename... Args>
decltype(auto) invoke_logged(const char* what, F&& f, Args&&... args) {
  std::printf("invoke %s with %zu args\n", what, sizeof...(args));
  return std::forward<F>(f)(std::forward<Args>(args)...);
}

template <typename Tuple, std::size_t... I>
std::string join_tuple(const Tuple& t, std::index_sequence<I...>) {
  std::ostringstream os;
  ((os << (I == 0 ? "" : "|") << std::get<I>(t)), ...);
  return os.str();
}
template <typename... Ts>
std::string join(const std::tuple<Ts...>& t) { return join_tuple(t, std::index_sequence_for<Ts...>{}); }

template <typename... Ts>
struct TypeList {
  static constexpr std::size_t size = sizeof...(Ts);
  static std::size_t total_size() { return (sizeof(Ts) + ... + 0); }
};

template <typename... Ts>
class Record {
 public:
  explicit Record(Ts... vs) : values_(vs...) {}
  template <std::size_t I>
  auto get() const { return std::get<I>(values_); }
  double weighted() const {
    return std::apply([](auto... v) {
      double w = 0, k = 1;
      ((w += static_cast<double>(v) * k, k *= 2), ...);
      return w;
    }, values_);
  }

 private:
  std::tuple<Ts...> values_;
};

int main() {
  print_all(1, 2.5, "three", 'c', std::string("five"), -6L);
  std::printf("sum=%d %.3f %lld\n", sum(1, 2, 3, 4), sum(1.5, 2, 3.25f), sum(1LL << 40, 1, 2));
  std::printf("product=%d %.2f\n", product_left(2, 3, 4, 5), product_left(1.5, 2.0, -1.0));
  std::printf("all_positive=%d %d %d\n", all_positive(1, 2, 3), all_positive(1, -2, 3), all_positive());
  std::printf("count_args=%zu %zu\n", count_args(), count_args(1, "x", 2.0, nullptr));
  static_assert(count_args(1, 2, 3) == 3);

  std::string nm = "gizmo";
  auto w1 = make_layer1<Widget>(nm, 3, 4.5);
  auto w2 = make_layer1<Widget>(std::string("temp"), 7, -1.0);
  Widget src("src", 1, 2);
  auto w3 = make_layer1<Widget>(src);
  auto w4 = make_layer1<Widget>(std::move(src));
  std::printf("widgets %s/%d/%.1f %s %s %s copies=%d moves=%d src.name='%s'\n", w1->name.c_str(), w1->a, w1->b,
              w2->name.c_str(), w3->name.c_str(), w4->name.c_str(), Widget::copies, Widget::moves,
              src.name.c_str());

  int r = invoke_logged("lambda", [](int a, int b, int c) { return a * b - c; }, 6, 7, 8);
  std::string s = invoke_logged("concat", [](std::string a, const std::string& b) { return a + b; },
                                std::string("foo"), std::string("bar"));
  int x = 1;
  int& ref = invoke_logged("ref", [](int& v) -> int& { return ++v; }, x);
  ref += 10;
  std::printf("r=%d s=%s x=%d\n", r, s.c_str(), x);

  auto t = std::make_tuple(42, 2.5, std::string("tuple"), 'z');
  std::printf("join=%s\n", join(t).c_str());
  std::printf("typelist size=%zu bytes=%zu\n", TypeList<char, int, double, short>::size,
              TypeList<char, int, double, short>::total_size());

  Record<int, double, short, long> rec(3, 0.25, (short)-4, 1000L);
  std::printf("record get<1>=%.2f get<3>=%ld weighted=%.3f\n", rec.get<1>(), rec.get<3>(), rec.weighted());
  return 0;
}
