// constexpr functions used both at compile time (static_assert, array
// bounds, template arguments, constinit) and at run time on values the
// optimiser cannot see (volatile inputs); consteval and if constexpr.
#include <array>
#include <cstdint>
#include <cstdio>

constexpr std::uint64_t fib(unsigned n) {
  std::uint64_t a = 0, b = 1;
  for (unsigned i = 0; i < n; ++i) {
    std::uint64_t t = a + b;
    a = b;
    b = t;
  }
  return a;
}
constexpr int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
constexpr bool is_prime(unsigned n) {
  if (n < 2) return false;
  for (unsigned d = 2; d * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}
constexpr std::uint32_t crc32(const char* s, std::size_t n) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= (unsigned char)s[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}
template <std::size_t N>
constexpr std::array<unsigned, N> first_primes() {
  std::array<unsigned, N> out{};
  unsigned c = 2;
  for (std::size_t i = 0; i < N; ++c)
    if (is_prime(c)) out[i++] = c;
  return out;
}
consteval int square_ce(int x) { return x * x; }

struct Vec2 {
  double x, y;
  constexpr Vec2 operator+(Vec2 o) const { return {x + o.x, y + o.y}; }
  constexpr double dot(Vec2 o) const { return x * o.x + y * o.y; }
};
constexpr Vec2 scale(Vec2 v, double k) { return {v.x * k, v.y * k}; }

template <typename T>
constexpr const char* kind_of() {
  if constexpr (sizeof(T) == 1) return "byte";
  else if constexpr (sizeof(T) <= 4) return "word";
  else return "wide";
}

constinit std::uint64_t kFib50 = fib(50);
static_assert(fib(10) == 55);
static_assert(gcd(84, 36) == 12);
static_assert(is_prime(7919) && !is_prime(7917));
static_assert(crc32("123456789", 9) == 0xCBF43926u);
constexpr auto kPrimes = first_primes<12>();
static_assert(kPrimes[11] == 37);
int table[fib(7)];  // 13 elements
constexpr Vec2 kV = scale(Vec2{1, 2} + Vec2{3, 4}, 0.5);
static_assert(kV.dot(Vec2{1, 1}) == 5.0);

template <int N>
struct Fixed {
  int data[N];
  static constexpr int size = N;
};

int main() {
  volatile unsigned vn = 60;
  volatile int va = 1071, vb = 462;
  volatile unsigned vp = 1000003;
  const char text[] = "The quick brown fox jumps over the lazy dog";
  volatile std::size_t vlen = sizeof text - 1;
  std::printf("fib(%u)=%llu compile-time fib(50)=%llu\n", (unsigned)vn, (unsigned long long)fib(vn),
              (unsigned long long)kFib50);
  std::printf("gcd=%d is_prime(%u)=%d\n", gcd(va, vb), (unsigned)vp, is_prime(vp));
  std::printf("crc32 runtime=%08x compile=%08x\n", crc32(text, vlen), crc32("123456789", 9));
  auto rp = first_primes<20>();
  std::printf("primes:");
  for (unsigned p : rp) std::printf(" %u", p);
  std::printf("\nkPrimes[5]=%u table=%zu Fixed<gcd>=%d square_ce=%d\n", kPrimes[5], sizeof table / sizeof table[0],
              Fixed<gcd(48, 18)>::size, square_ce(12));
  volatile double vx = 2.5;
  Vec2 v = scale(Vec2{vx, -vx} + kV, 3);
  std::printf("vec=%.3f,%.3f dot=%.3f\n", v.x, v.y, v.dot(kV));
  std::printf("kinds: %s %s %s %s\n", kind_of<char>(), kind_of<short>(), kind_of<float>(), kind_of<double>());
  return 0;
}
