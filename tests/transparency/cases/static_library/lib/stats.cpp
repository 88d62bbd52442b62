#include "stats.h"

#include <algorithm>
#include <cmath>

namespace stats {

Summary summarize(const std::vector<double>& xs) {
  Summary s{0, 0, xs.empty() ? 0 : xs[0], xs.empty() ? 0 : xs[0], xs.size()};
  for (double x : xs) {
    s.mean += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  if (!xs.empty()) s.mean /= xs.size();
  for (double x : xs) s.stddev += (x - s.mean) * (x - s.mean);
  if (xs.size() > 1) s.stddev = std::sqrt(s.stddev / (xs.size() - 1));
  return s;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  std::size_t n = xs.size();
  return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

std::vector<double> moving_average(const std::vector<double>& xs, std::size_t window) {
  std::vector<double> out;
  double sum = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    sum += xs[i];
    if (i >= window) sum -= xs[i - window];
    if (i + 1 >= window) out.push_back(sum / window);
  }
  return out;
}

void Accumulator::add(double x) { xs_.push_back(x); }
Summary Accumulator::summary() const { return summarize(xs_); }
Accumulator Accumulator::from(const std::vector<double>& xs) {
  Accumulator a;
  for (double x : xs) a.add(x);
  return a;
}

}  // namespace stats
