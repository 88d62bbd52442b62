// Inline functions, an inline variable and an inline function with a local
// static, shared by two translation units: the program must see ONE copy of
// each (the linker folds the COMDAT copies of both TUs).
#pragma once
#include <cstdint>
#include <string>

inline int g_calls = 0;

inline std::uint32_t mix(std::uint32_t h, std::uint32_t v) {
  ++g_calls;
  h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
  return h;
}

inline int& shared_counter() {
  static int counter = 100;
  return counter;
}

inline std::string tag(const char* who, int n) {
  ++shared_counter();
  return std::string(who) + "#" + std::to_string(n) + "@" + std::to_string(shared_counter());
}

template <typename T>
inline T square_plus(T v, T k) { return v * v + k; }

struct Accum {
  std::uint32_t h = 17;
  void add(std::uint32_t v) { h = mix(h, v); }
  std::uint32_t get() const { return h; }
};

// Defined in a.cpp and b.cpp respectively.
std::uint32_t work_a(int n);
std::uint32_t work_b(int n);
std::string label_a();
std::string label_b();
