// Links against a static library (libstats.a, C++ and C objects) built by
// build.sh with the same compiler as the program.
#include <cstdio>

#include "lib/stats.h"

int main() {
  std::vector<double> xs;
  unsigned s = 12345;
  for (int i = 0; i < 200; ++i) {
    s = s * 1103515245u + 12345u;
    xs.push_back(((s >> 8) % 10000) / 100.0);
  }
  stats::Summary sm = stats::summarize(xs);
  std::printf("n=%zu mean=%.4f sd=%.4f min=%.2f max=%.2f median=%.3f\n", sm.n, sm.mean, sm.stddev, sm.min, sm.max,
              stats::median(xs));
  auto ma = stats::moving_average(xs, 10);
  std::printf("moving avg n=%zu first=%.3f last=%.3f\n", ma.size(), ma.front(), ma.back());
  std::printf("%s", stats::histogram(xs, 8, 0, 100).c_str());
  auto acc = stats::Accumulator::from(ma);
  acc.add(1000);
  std::printf("acc mean=%.4f max=%.1f\n", acc.summary().mean, acc.summary().max);
  std::printf("checksum=%ld\n", stats_checksum(xs.data(), (int)xs.size()));
  return 0;
}
