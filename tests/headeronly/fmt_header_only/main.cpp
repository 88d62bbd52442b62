// {fmt} in header-only mode (FMT_HEADER_ONLY, Debian libfmt-dev), compiled
// with every function instrumented: integers in all bases, floating point
// (shortest round-trip and fixed precision), strings, width/fill/alignment,
// named and positional arguments, containers via fmt/ranges.h, chrono-free
// user types via a formatter specialisation, fmt::memory_buffer, and
// format errors thrown at run time.
#define FMT_HEADER_ONLY
#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "../check.h"

struct Point3 {
  double x, y, z;
};
template <>
struct fmt::formatter<Point3> {
  char presentation = 'f';
  constexpr auto parse(format_parse_context& ctx) -> decltype(ctx.begin()) {
    auto it = ctx.begin();
    if (it != ctx.end() && (*it == 'f' || *it == 'e')) presentation = *it++;
    if (it != ctx.end() && *it != '}') throw format_error("invalid format");
    return it;
  }
  template <typename Ctx>
  auto format(const Point3& p, Ctx& ctx) const -> decltype(ctx.out()) {
    return presentation == 'f' ? fmt::format_to(ctx.out(), "({:.1f}, {:.1f}, {:.1f})", p.x, p.y, p.z)
                               : fmt::format_to(ctx.out(), "({:.1e}, {:.1e}, {:.1e})", p.x, p.y, p.z);
  }
};

int main() {
  std::string s = fmt::format("{} {} {} {}", 42, -7, 3000000000u, -9223372036854775807LL - 1);
  CHECK_EQ(s, "42 -7 3000000000 -9223372036854775808");
  fmt::print("{}\n", s);
  s = fmt::format("{:x} {:#X} {:o} {:#b} {:08d} {:+d}", 255, 255, 8, 5, -42, 17);
  CHECK_EQ(s, "ff 0XFF 10 0b101 -0000042 +17");
  fmt::print("{}\n", s);
  s = fmt::format("{} {} {} {}", 0.1, 1e300, 2.5f, 1.0 / 3);
  CHECK_EQ(s, "0.1 1e+300 2.5 0.3333333333333333");
  fmt::print("{}\n", s);
  s = fmt::format("{:.3f} {:10.2e} {:g} {:.0f} {}", 3.14159, 12345.678, 0.0001, 2.5, -0.0);
  CHECK_EQ(s, "3.142   1.23e+04 0.0001 2 -0");
  fmt::print("{}\n", s);
  s = fmt::format("[{:<8}] [{:>8}] [{:^8}] [{:*^9}] [{:.3}]", "left", "right", "mid", "star", "truncate");
  CHECK_EQ(s, "[left    ] [   right] [  mid   ] [**star***] [tru]");
  fmt::print("{}\n", s);
  s = fmt::format("{1} {0} {1}", "a", "b");
  CHECK_EQ(s, "b a b");
  s = fmt::format("{name} is {age} years", fmt::arg("name", "Ada"), fmt::arg("age", 36));
  CHECK_EQ(s, "Ada is 36 years");
  fmt::print("{}\n", s);
  s = fmt::format("{:{}.{}f}", 3.14159, 10, 2);
  CHECK_EQ(s, "      3.14");

  std::vector<int> v{1, 2, 3, 5, 8};
  std::map<std::string, int> m{{"one", 1}, {"two", 2}};
  std::tuple<int, char, std::string> t{1, 'x', "yz"};
  s = fmt::format("{} {} {}", v, m, t);
  CHECK_EQ(s, "[1, 2, 3, 5, 8] {\"one\": 1, \"two\": 2} (1, 'x', \"yz\")");
  fmt::print("{}\n", s);
  s = fmt::format("{}", fmt::join(v, " | "));
  CHECK_EQ(s, "1 | 2 | 3 | 5 | 8");
  std::vector<std::vector<double>> nested{{0.5, 1.5}, {}, {2}};
  fmt::print("nested {}\n", nested);

  Point3 p{1.25, -2.5, 1e3};
  s = fmt::format("{} {:e}", p, p);
  CHECK_EQ(s, "(1.2, -2.5, 1000.0) (1.2e+00, -2.5e+00, 1.0e+03)");
  fmt::print("{}\n", s);

  fmt::memory_buffer buf;
  for (int i = 0; i < 10; ++i) fmt::format_to(std::back_inserter(buf), "{}{}", i ? "," : "", i * i);
  CHECK_EQ(fmt::to_string(buf), "0,1,4,9,16,25,36,49,64,81");
  fmt::print("buffer {} size {}\n", fmt::to_string(buf), buf.size());
  CHECK_EQ(fmt::formatted_size("{:>20}", 1), 20u);

  char out[16];
  auto res = fmt::format_to_n(out, sizeof out - 1, "{}-{}-{}", 123456, 789012, 345678);
  *res.out = '\0';
  CHECK_EQ(res.size, 20u);
  fmt::print("format_to_n '{}' size {}\n", out, res.size);

  int errors = 0;
  const char* bad_formats[] = {"{:d}", "{0} {2}", "{:.{}f}", "{"};
  for (const char* f : bad_formats) {
    try {
      std::string r = fmt::format(fmt::runtime(f), "text", 1);
      fmt::print("unexpectedly formatted: {}\n", r);
    } catch (const fmt::format_error& e) {
      ++errors;
      fmt::print("format_error: {}\n", e.what());
    }
  }
  CHECK_EQ(errors, 4);
  fmt::print(stderr, "stderr line {}\n", 1);
  fmt::print("fmt_header_only OK\n");
  return 0;
}
