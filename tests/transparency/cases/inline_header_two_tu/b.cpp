#include "shared.h"

std::uint32_t work_b(int n) {
  Accum acc;
  for (int i = 0; i < n; ++i) acc.add(square_plus<std::uint32_t>(i * 7u, 11u) ^ (std::uint32_t)shared_counter());
  shared_counter() += 5;
  return acc.get();
}

std::string label_b() { return tag("b", g_calls * 2); }
