// Copyright Vigil authors.
#include "interval_metrics.h"

#include <nlohmann/json.hpp>

namespace vigil::recorder {
namespace {

nlohmann::json HistogramJson(const HistogramDelta& h) {
  const HistogramSnapshot& v = h.values;
  nlohmann::json buckets = nlohmann::json::array();
  for (uint32_t i = 0; i < kBucketCount; ++i) {
    if (v.buckets[i] != 0) buckets.push_back({BucketUpperBound(i), v.buckets[i]});
  }
  return {{"name", h.name},
          {"label", h.label},
          {"count", v.count},
          {"sum", v.sum},
          {"max", v.max},
          {"p50", v.Percentile(0.50)},
          {"p90", v.Percentile(0.90)},
          {"p99", v.Percentile(0.99)},
          {"buckets", std::move(buckets)}};
}

}  // namespace

nlohmann::json IntervalMetrics::ToJson() const {
  nlohmann::json counter_list = nlohmann::json::array();
  for (const CounterDelta& c : counters) {
    counter_list.push_back({{"name", c.name}, {"label", c.label}, {"value", c.value}});
  }
  nlohmann::json histogram_list = nlohmann::json::array();
  for (const HistogramDelta& h : histograms) histogram_list.push_back(HistogramJson(h));
  return {{"interval_ms", interval_ms},
          {"counters", std::move(counter_list)},
          {"histograms", std::move(histogram_list)},
          {"overflow", overflow}};
}

}  // namespace vigil::recorder
