// A small statistics library, built as a static archive (libstats.a).
#pragma once
#include <string>
#include <vector>

namespace stats {

struct Summary {
  double mean, stddev, min, max;
  std::size_t n;
};

Summary summarize(const std::vector<double>& xs);
double median(std::vector<double> xs);
std::vector<double> moving_average(const std::vector<double>& xs, std::size_t window);
std::string histogram(const std::vector<double>& xs, int buckets, double lo, double hi);

class Accumulator {
 public:
  void add(double x);
  Summary summary() const;
  static Accumulator from(const std::vector<double>& xs);

 private:
  std::vector<double> xs_;
};

}  // namespace stats

// A C entry point in the same archive.
extern "C" long stats_checksum(const double* xs, int n);
