// C++ scalar parameters and results: bool, char, signed/unsigned char,
// wchar_t, char8_t/char16_t/char32_t, short, __int128, long double,
// _Complex (GNU extension in C++), std::complex, enums with small underlying
// types, std::byte, nullptr_t, and templates instantiated over all of them.
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

bool flip(bool b) { return !b; }
bool majority(bool a, bool b, bool c) { return (a + b + c) >= 2; }
char to_upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 32) : c; }
signed char clamp_sc(int v) { return (signed char)(v > 127 ? 127 : v < -128 ? -128 : v); }
unsigned char rotl8(unsigned char v, int s) { return (unsigned char)((v << s) | (v >> (8 - s))); }
wchar_t wide(wchar_t w) { return w + 1; }
char8_t u8next(char8_t c) { return char8_t(c + 2); }
char16_t u16swap(char16_t c) { return char16_t((c << 8) | (c >> 8)); }
char32_t u32mix(char32_t c) { return c ^ 0x10FFFFu; }
short sat_add(short a, short b) {
  int r = a + b;
  return (short)(r > 32767 ? 32767 : r < -32768 ? -32768 : r);
}
unsigned short ushort_mul(unsigned short a, unsigned short b) { return (unsigned short)(a * b); }
__int128 big_fact(int n) {
  __int128 r = 1;
  for (int i = 2; i <= n; ++i) r *= i;
  return r;
}
unsigned __int128 mulhi(unsigned __int128 a, unsigned __int128 b) { return (a >> 64) * (b >> 64) + a * 3 + b; }
long double harmonic(int n) {
  long double s = 0;
  for (int i = 1; i <= n; ++i) s += 1.0L / i;
  return s;
}
long double ld_fma(long double a, long double b, long double c) { return a * b + c; }
_Complex double gnu_complex(_Complex double a, double k) { return a * k + 1.0; }
std::complex<double> cpx_pow(std::complex<double> z, int n) {
  std::complex<double> r = 1;
  for (int i = 0; i < n; ++i) r *= z;
  return r;
}
std::complex<float> cpx_f(std::complex<float> a, std::complex<float> b) { return a * b - a; }
std::complex<long double> cpx_ld(std::complex<long double> a) { return a * a; }

enum class Color : unsigned char { Red = 1, Green = 2, Blue = 200 };
enum Small : short { SA = -5, SB = 300 };
Color next_color(Color c) { return c == Color::Red ? Color::Green : c == Color::Green ? Color::Blue : Color::Red; }
Small flip_small(Small s) { return s == SA ? SB : SA; }
std::byte xor_byte(std::byte a, std::byte b) { return a ^ b; }
const char* which(std::nullptr_t) { return "nullptr_t"; }

std::string i128_str(__int128 v) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
  std::string s;
  do { s.insert(s.begin(), char('0' + int(u % 10))); u /= 10; } while (u);
  return neg ? "-" + s : s;
}

template <typename T>
T twice(T v) { return T(v + v); }

int many(bool a, char b, short c, int d, long e, long long f, unsigned char g, unsigned short h, unsigned i,
         float j, double k, long double l, __int128 m, bool n, char o, short p) {
  return int(a + b + c + d + e + f + g + h + i + (int)j + (int)k + (int)l + (int)m + n + o + p);
}

int main() {
  std::printf("bool %d %d %d\n", flip(false), majority(true, false, true), majority(false, false, true));
  std::printf("char %c %d %u\n", to_upper('q'), clamp_sc(-1000), rotl8(0x81, 3));
  std::printf("wide %d u8 %d u16 %04x u32 %08x\n", (int)wide(L'A'), (int)u8next(u8'a'), (unsigned)u16swap(u'\u1234'),
              (unsigned)u32mix(U'\U0001F600'));
  std::printf("short %d %d %u\n", sat_add(30000, 10000), sat_add(-30000, -10000), ushort_mul(300, 300));
  std::printf("int128 30!=%s -30!=%s\n", i128_str(big_fact(30)).c_str(), i128_str(-big_fact(30)).c_str());
  unsigned __int128 mh = mulhi(~(unsigned __int128)0 / 3, (unsigned __int128)1 << 90);
  std::printf("mulhi %016llx%016llx\n", (unsigned long long)(mh >> 64), (unsigned long long)mh);
  std::printf("harmonic %.18Lf fma %.18Lf\n", harmonic(1000), ld_fma(1.0L / 3, 3.0L, -1.0L));
  _Complex double g = gnu_complex(2.0 + 3.0i, 1.5);
  std::printf("gnu complex %.3f %.3f\n", __real__ g, __imag__ g);
  auto z = cpx_pow({0.8, 0.6}, 9);
  auto f = cpx_f({1.5f, -2.0f}, {0.5f, 0.25f});
  auto ld = cpx_ld({1.25L, -0.75L});
  std::printf("std::complex %.6f %.6f | %.4f %.4f | %.6Lf %.6Lf\n", z.real(), z.imag(), (double)f.real(),
              (double)f.imag(), ld.real(), ld.imag());
  std::printf("enums %d %d %d\n", (int)next_color(Color::Green), (int)next_color(Color::Blue), (int)flip_small(SA));
  std::printf("byte %d nullptr %s\n", std::to_integer<int>(xor_byte(std::byte{0xF0}, std::byte{0x3C})), which(nullptr));
  std::printf("twice %d %d %d %.2f %s\n", (int)twice<char>(70), twice<short>(20000), twice<int>(-21),
              (double)twice<long double>(0.625L), i128_str(twice<__int128>((__int128)1 << 120)).c_str());
  std::printf("many %d\n", many(true, 'A', -300, 70000, -5000000000L, 1LL << 33, 255, 65535, 4000000000u, 2.75f, -8.5,
                                100.25L, (__int128)1 << 40, false, 'z', 7));
  return 0;
}
