// noexcept functions.  The noexcept-ness of a function is observable at
// compile time (noexcept operator, type traits, function types) and changes
// library behaviour at run time (std::vector reallocation moves only if the
// move constructor is noexcept, otherwise it copies).  Also a noexcept
// function that catches internally, conditional noexcept, and noexcept
// function pointers.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

int add(int a, int b) noexcept { return a + b; }
int may_throw(int a) { if (a < 0) throw std::domain_error("negative"); return a * 2; }

int safe_wrapper(int a) noexcept {
  try {
    return may_throw(a);
  } catch (const std::exception& e) {
    return -1000 - (int)std::string(e.what()).size();
  }
}

template <typename T>
T checked_copy(const T& v) noexcept(std::is_nothrow_copy_constructible_v<T>) { return v; }

struct FastMove {
  static int copies, moves;
  std::string s;
  explicit FastMove(std::string v) : s(std::move(v)) {}
  FastMove(const FastMove& o) : s(o.s) { ++copies; }
  FastMove(FastMove&& o) noexcept : s(std::move(o.s)) { ++moves; }
};
int FastMove::copies = 0, FastMove::moves = 0;

struct SlowMove {
  static int copies, moves;
  std::string s;
  explicit SlowMove(std::string v) : s(std::move(v)) {}
  SlowMove(const SlowMove& o) : s(o.s) { ++copies; }
  SlowMove(SlowMove&& o) : s(std::move(o.s)) { ++moves; }  // not noexcept
};
int SlowMove::copies = 0, SlowMove::moves = 0;

struct Dtor {
  ~Dtor() noexcept(false) {}
};

void swap_pair(std::pair<int, int>& p) noexcept { std::swap(p.first, p.second); }

using NoexceptFn = int (*)(int, int) noexcept;
int apply(NoexceptFn f, int a, int b) noexcept { return f(a, b); }

struct Calc {
  long acc = 0;
  Calc& add(long v) noexcept { acc += v; return *this; }
  long get() const noexcept { return acc; }
  static long twice(long v) noexcept { return v * 2; }
};

int main() {
  std::printf("noexcept(add)=%d noexcept(may_throw)=%d noexcept(safe_wrapper)=%d\n", noexcept(add(1, 2)),
              noexcept(may_throw(1)), noexcept(safe_wrapper(1)));
  std::printf("checked_copy<int>=%d checked_copy<string>=%d\n", noexcept(checked_copy(1)),
              noexcept(checked_copy(std::string())));
  std::printf("traits FastMove nothrow_move=%d SlowMove nothrow_move=%d Dtor nothrow_destr=%d\n",
              std::is_nothrow_move_constructible_v<FastMove>, std::is_nothrow_move_constructible_v<SlowMove>,
              std::is_nothrow_destructible_v<Dtor>);
  std::printf("fn types: %d %d\n", std::is_same_v<decltype(&add), NoexceptFn>,
              std::is_same_v<decltype(&may_throw), int (*)(int)>);
  std::printf("add=%d safe(21)=%d safe(-1)=%d apply=%d\n", add(40, 2), safe_wrapper(21), safe_wrapper(-1),
              apply(add, 7, 8));

  std::vector<FastMove> fv;
  std::vector<SlowMove> sv;
  for (int i = 0; i < 100; ++i) {
    fv.emplace_back("fast-string-number-" + std::to_string(i));
    sv.emplace_back("slow-string-number-" + std::to_string(i));
  }
  std::printf("vector growth: FastMove copies=%d moves=%d; SlowMove copies=%d moves=%d\n", FastMove::copies,
              FastMove::moves, SlowMove::copies, SlowMove::moves);
  std::printf("contents intact: %s %s\n", fv[57].s.c_str(), sv[99].s.c_str());

  std::pair<int, int> p{1, 2};
  swap_pair(p);
  Calc c;
  c.add(5).add(Calc::twice(10)).add(-3);
  std::printf("pair=%d,%d calc=%ld noexcept(get)=%d\n", p.first, p.second, c.get(), noexcept(c.get()));
  return 0;
}
