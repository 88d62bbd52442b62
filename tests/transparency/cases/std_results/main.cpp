// Standard-library types as parameters and results: std::string (short and
// heap), std::vector, std::unique_ptr, std::shared_ptr, std::optional,
// std::pair, std::tuple, std::map, std::variant, std::array, std::function.
#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

std::string short_str(int n) { return std::string(n % 10, 'a' + n % 26); }
std::string long_str(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += std::to_string(i * i) + ",";
  return s;
}
std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c -= 32;
  return s;
}
std::vector<int> primes(int limit) {
  std::vector<bool> sieve(limit + 1, true);
  std::vector<int> out;
  for (int i = 2; i <= limit; ++i) {
    if (!sieve[i]) continue;
    out.push_back(i);
    for (int j = i * 2; j <= limit; j += i) sieve[j] = false;
  }
  return out;
}
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts(1);
  for (char c : s) {
    if (c == sep) parts.emplace_back();
    else parts.back() += c;
  }
  return parts;
}
struct Node {
  int value;
  std::unique_ptr<Node> next;
};
std::unique_ptr<Node> build_list(int n) {
  std::unique_ptr<Node> head;
  for (int i = n; i > 0; --i) head = std::unique_ptr<Node>(new Node{i * 11, std::move(head)});
  return head;
}
int sum_list(const std::unique_ptr<Node>& head) {
  int s = 0;
  for (const Node* p = head.get(); p; p = p->next.get()) s += p->value;
  return s;
}
std::unique_ptr<int[]> make_array(int n) {
  std::unique_ptr<int[]> a(new int[n]);
  for (int i = 0; i < n; ++i) a[i] = n - i;
  return a;
}
std::shared_ptr<std::vector<double>> shared_data(int n) {
  auto p = std::make_shared<std::vector<double>>();
  for (int i = 0; i < n; ++i) p->push_back(i * 0.5);
  return p;
}
std::optional<int> parse_int(const std::string& s) {
  if (s.empty()) return std::nullopt;
  int v = 0, sign = 1;
  std::size_t i = 0;
  if (s[0] == '-') { sign = -1; i = 1; }
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return sign * v;
}
std::optional<std::string> find_key(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  if (it == m.end()) return {};
  return it->second;
}
std::pair<int, int> divmod(int a, int b) { return {a / b, a % b}; }
std::pair<std::string, double> label_value(int i) { return {"item" + std::to_string(i), i * 1.25}; }
std::tuple<int, std::string, double> triple(int i) { return {i, std::string(i, '*'), i / 8.0}; }
std::map<std::string, int> word_count(const std::vector<std::string>& words) {
  std::map<std::string, int> m;
  for (const auto& w : words) ++m[w];
  return m;
}
using Value = std::variant<int, double, std::string>;
Value classify(int i) {
  if (i % 3 == 0) return i;
  if (i % 3 == 1) return i + 0.5;
  return "s" + std::to_string(i);
}
std::string show(const Value& v) {
  return std::visit([](const auto& x) -> std::string {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, int>) return "int:" + std::to_string(x);
    else if constexpr (std::is_same_v<T, double>) return "dbl:" + std::to_string(x);
    else return "str:" + x;
  }, v);
}
std::array<long, 6> powers(long b) {
  std::array<long, 6> a{};
  long p = 1;
  for (auto& x : a) { x = p; p *= b; }
  return a;
}
std::function<std::string(const std::string&)> make_wrapper(std::string l, std::string r) {
  return [l, r](const std::string& s) { return l + s + r; };
}

int main() {
  std::printf("short='%s' long='%s'\n", short_str(7).c_str(), long_str(12).c_str());
  std::printf("upper=%s\n", upper(long_str(4) + "abcxyz").c_str());
  auto ps = primes(200);
  std::printf("primes n=%zu last=%d sum=%d\n", ps.size(), ps.back(), std::accumulate(ps.begin(), ps.end(), 0));
  auto parts = split("a,bb,,dddd,e", ',');
  std::printf("split n=%zu:", parts.size());
  for (const auto& p : parts) std::printf(" [%s]", p.c_str());
  std::printf("\n");
  auto list = build_list(9);
  std::printf("list sum=%d head=%d\n", sum_list(list), list->value);
  auto arr = make_array(5);
  std::printf("array %d %d %d\n", arr[0], arr[2], arr[4]);
  auto sd = shared_data(10);
  auto sd2 = sd;
  std::printf("shared use=%ld back=%.1f\n", sd.use_count(), sd2->back());
  for (const char* s : {"123", "-45", "", "12x", "0"}) {
    auto v = parse_int(s);
    std::printf("parse('%s')=%s%d\n", s, v ? "" : "none/", v.value_or(-1));
  }
  std::map<std::string, std::string> env{{"HOME", "/home/x"}, {"SHELL", "/bin/sh"}};
  std::printf("find=%s %s\n", find_key(env, "SHELL").value_or("?").c_str(), find_key(env, "PATH").value_or("?").c_str());
  auto [q, r] = divmod(100, 7);
  auto lv = label_value(4);
  std::printf("divmod=%d,%d pair=%s/%.2f\n", q, r, lv.first.c_str(), lv.second);
  auto [ti, ts, td] = triple(5);
  std::printf("triple=%d %s %.3f\n", ti, ts.c_str(), td);
  auto wc = word_count(split("x y z x y x", ' '));
  for (const auto& [k, v] : wc) std::printf("%s:%d ", k.c_str(), v);
  std::printf("\n");
  for (int i = 0; i < 6; ++i) std::printf("%s ", show(classify(i)).c_str());
  std::printf("\n");
  auto pw = powers(7);
  std::printf("powers %ld %ld\n", pw[3], pw[5]);
  auto wrap = make_wrapper("<<", ">>");
  std::printf("wrap=%s\n", wrap(wrap("core")).c_str());
  return 0;
}
