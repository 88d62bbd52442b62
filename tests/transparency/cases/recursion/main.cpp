// Recursion: deep linear recursion (tens of thousands of frames), mutual
// recursion, tree recursion, recursion on a struct-returning function,
// Ackermann, and a recursive-descent expression parser.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

long deep_sum(long n) { return n == 0 ? 0 : n + deep_sum(n - 1); }

// Keeps a non-tail shape with a local array so frames are not trivial.
std::uint64_t deep_hash(int n, std::uint64_t h) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d", n);
  for (char* p = buf; *p; ++p) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  if (n == 0) return h;
  return deep_hash(n - 1, h) ^ (std::uint64_t)n;
}

bool is_even(unsigned n);
bool is_odd(unsigned n) { return n == 0 ? false : is_even(n - 1); }
bool is_even(unsigned n) { return n == 0 ? true : is_odd(n - 1); }

// Hofstadter Female/Male sequences: mutual recursion with two arguments of use.
int hof_m(int n);
int hof_f(int n) { return n == 0 ? 1 : n - hof_m(hof_f(n - 1)); }
int hof_m(int n) { return n == 0 ? 0 : n - hof_f(hof_m(n - 1)); }

unsigned long ackermann(unsigned long m, unsigned long n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

struct MinMax { int lo, hi; long sum; };
MinMax range(const int* a, int n) {
  if (n == 1) return {a[0], a[0], a[0]};
  MinMax l = range(a, n / 2), r = range(a + n / 2, n - n / 2);
  return {l.lo < r.lo ? l.lo : r.lo, l.hi > r.hi ? l.hi : r.hi, l.sum + r.sum};
}

std::string hanoi(int n, char from, char to, char via, int& moves) {
  if (n == 0) return "";
  std::string s = hanoi(n - 1, from, via, to, moves);
  ++moves;
  if (n >= 3) s += std::string(1, from) + to;
  return s + hanoi(n - 1, via, to, from, moves);
}

// Recursive-descent parser: expr := term (('+'|'-') term)*, term := factor (('*'|'/') factor)*,
// factor := number | '(' expr ')' | '-' factor
struct Parser {
  const char* p;
  long expr();
  long term();
  long factor();
};
long Parser::factor() {
  if (*p == '(') { ++p; long v = expr(); ++p; return v; }
  if (*p == '-') { ++p; return -factor(); }
  long v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return v;
}
long Parser::term() {
  long v = factor();
  while (*p == '*' || *p == '/') {
    char op = *p++;
    long r = factor();
    v = op == '*' ? v * r : v / r;
  }
  return v;
}
long Parser::expr() {
  long v = term();
  while (*p == '+' || *p == '-') {
    char op = *p++;
    long r = term();
    v = op == '+' ? v + r : v - r;
  }
  return v;
}

long eval(const char* s) { Parser ps{s}; return ps.expr(); }

int main() {
  std::printf("deep_sum(30000)=%ld\n", deep_sum(30000));
  std::printf("deep_hash(20000)=%016llx\n", (unsigned long long)deep_hash(20000, 1469598103934665603ull));
  std::printf("even/odd: %d %d %d %d\n", is_even(10000), is_odd(10000), is_even(7777), is_odd(7777));
  std::printf("hofstadter F:");
  for (int i = 0; i < 20; ++i) std::printf(" %d", hof_f(i));
  std::printf("\nhofstadter M:");
  for (int i = 0; i < 20; ++i) std::printf(" %d", hof_m(i));
  std::printf("\nackermann(2,3)=%lu ackermann(3,5)=%lu\n", ackermann(2, 3), ackermann(3, 5));
  int data[1000];
  for (int i = 0; i < 1000; ++i) data[i] = (i * 7919) % 1009 - 500;
  MinMax mm = range(data, 1000);
  std::printf("range lo=%d hi=%d sum=%ld\n", mm.lo, mm.hi, mm.sum);
  int moves = 0;
  std::string h = hanoi(12, 'A', 'C', 'B', moves);
  std::printf("hanoi moves=%d big-moves=%zu first=%s\n", moves, h.size() / 2, h.substr(0, 12).c_str());
  const char* exprs[] = {"1+2*3", "(1+2)*3", "-(4-10)*(2+3)/3", "((((((7))))))", "100/7-3*(2-(-5))"};
  for (const char* e : exprs) std::printf("eval(%s)=%ld\n", e, eval(e));
  return 0;
}
