#include <cstdio>
#include "shared.h"

std::uint32_t work_a(int n) {
  Accum acc;
  for (int i = 0; i < n; ++i) acc.add(square_plus<std::uint32_t>(i, 3));
  return acc.get();
}

std::string label_a() { return tag("a", g_calls); }

int main() {
  std::printf("counter start=%d calls=%d\n", shared_counter(), g_calls);
  std::uint32_t a = work_a(50);
  std::printf("a=%08x calls=%d\n", a, g_calls);
  std::uint32_t b = work_b(70);
  std::printf("b=%08x calls=%d\n", b, g_calls);
  std::printf("%s\n", label_a().c_str());
  std::printf("%s\n", label_b().c_str());
  std::printf("%s\n", label_a().c_str());
  std::printf("counter end=%d sq=%.3f\n", shared_counter(), square_plus(1.5, 0.25));
  std::printf("combined=%08x\n", mix(a, b));
  return 0;
}
