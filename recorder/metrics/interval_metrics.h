// Copyright Vigil authors.
//
// What the metrics of one heartbeat interval are: plain numbers, copied off
// the live metrics by MetricsRegistry::CollectInterval(), and their JSON
// form for the heartbeat of the agent-server protocol (README.md shows the
// shape; the server relies on it, so it changes only with the protocol).
#ifndef VIGIL_RECORDER_METRICS_INTERVAL_METRICS_H_
#define VIGIL_RECORDER_METRICS_INTERVAL_METRICS_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "histogram.h"

namespace vigil::recorder {

struct CounterDelta {
  std::string name;
  std::string label;
  uint64_t value = 0;  // added during the interval
};

struct HistogramDelta {
  std::string name;
  std::string label;
  HistogramSnapshot values;  // recorded during the interval
};

struct IntervalMetrics {
  uint64_t interval_ms = 0;  // since the previous collection (or the registry's creation)
  // Metrics with nothing recorded in the interval are left out: a heartbeat
  // stays small however many rules and hook points exist, and the server
  // reads an absent metric as zero.
  std::vector<CounterDelta> counters;
  std::vector<HistogramDelta> histograms;
  // Lookups of new metrics refused in the interval because the registry was
  // full; what they recorded is in the "_overflow" metrics.
  uint64_t overflow = 0;

  // {"interval_ms":..., "counters":[{"name","label","value"}...],
  //  "histograms":[{"name","label","count","sum","max","p50","p90","p99",
  //                 "buckets":[[upper_bound_ns, count]...]}...],
  //  "overflow":...}
  // Buckets: only the non-empty ones, in increasing order.
  nlohmann::json ToJson() const;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_INTERVAL_METRICS_H_
