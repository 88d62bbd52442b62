#include <string>

#include "stats.h"

namespace stats {

std::string histogram(const std::vector<double>& xs, int buckets, double lo, double hi) {
  std::vector<int> counts(buckets);
  for (double x : xs) {
    int b = (int)((x - lo) / (hi - lo) * buckets);
    if (b < 0) b = 0;
    if (b >= buckets) b = buckets - 1;
    ++counts[b];
  }
  std::string out;
  for (int b = 0; b < buckets; ++b) out += std::to_string(b) + ":" + std::string(counts[b], '#') + "\n";
  return out;
}

}  // namespace stats
