// Copyright Vigil authors.
//
// MergeMetrics (recorder.h): a heartbeat that could not be delivered must not
// lose its interval, and the protocol carries one metrics object per
// heartbeat, so the undelivered one is folded into the next.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "recorder.h"

namespace vigil::recorder {
namespace {

using json = nlohmann::json;
using Key = std::pair<std::string, std::string>;

Key KeyOf(const json& m) {
  return {m.value("name", std::string()), m.value("label", std::string())};
}

// A non-negative integer, however the parser typed it (JSON has one number
// type; nlohmann tells signed from unsigned by how it was made).
bool AsU64(const json& v, uint64_t* out) {
  if (v.is_number_unsigned()) {
    *out = v.get<uint64_t>();
    return true;
  }
  if (v.is_number_integer() && v.get<int64_t>() >= 0) {
    *out = static_cast<uint64_t>(v.get<int64_t>());
    return true;
  }
  return false;
}

uint64_t U64(const json& m, const char* field) {
  uint64_t v = 0;
  return m.contains(field) && AsU64(m[field], &v) ? v : 0;
}

// The upper bound of the bucket holding the q-quantile (nearest rank).
uint64_t Quantile(const std::map<uint64_t, uint64_t>& buckets, uint64_t count, double q) {
  if (count == 0) return 0;
  const uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count))));
  uint64_t seen = 0;
  for (const auto& [bound, n] : buckets) {
    seen += n;
    if (seen >= rank) return bound;
  }
  return buckets.empty() ? 0 : buckets.rbegin()->first;
}

}  // namespace

json MergeMetrics(const json& older, const json& newer) {
  if (!older.is_object()) return newer;
  if (!newer.is_object()) return older;
  json out = json::object();
  out["interval_ms"] = U64(older, "interval_ms") + U64(newer, "interval_ms");
  out["overflow"] = U64(older, "overflow") + U64(newer, "overflow");

  std::map<Key, uint64_t> counters;
  for (const json* m : {&older, &newer}) {
    if (!m->contains("counters") || !(*m)["counters"].is_array()) continue;
    for (const json& c : (*m)["counters"]) {
      if (c.is_object()) counters[KeyOf(c)] += U64(c, "value");
    }
  }
  out["counters"] = json::array();
  for (const auto& [key, value] : counters) {
    out["counters"].push_back({{"name", key.first}, {"label", key.second}, {"value", value}});
  }

  struct Hist {
    uint64_t count = 0, sum = 0, max = 0;
    std::map<uint64_t, uint64_t> buckets;
  };
  std::map<Key, Hist> hists;
  for (const json* m : {&older, &newer}) {
    if (!m->contains("histograms") || !(*m)["histograms"].is_array()) continue;
    for (const json& h : (*m)["histograms"]) {
      if (!h.is_object()) continue;
      Hist& merged = hists[KeyOf(h)];
      merged.count += U64(h, "count");
      merged.sum += U64(h, "sum");
      merged.max = std::max(merged.max, U64(h, "max"));
      if (!h.contains("buckets") || !h["buckets"].is_array()) continue;
      for (const json& b : h["buckets"]) {
        uint64_t bound = 0, n = 0;
        if (b.is_array() && b.size() == 2 && AsU64(b[0], &bound) && AsU64(b[1], &n)) {
          merged.buckets[bound] += n;
        }
      }
    }
  }
  out["histograms"] = json::array();
  for (const auto& [key, h] : hists) {
    json buckets = json::array();
    for (const auto& [bound, n] : h.buckets) buckets.push_back({bound, n});
    out["histograms"].push_back({{"name", key.first},
                                 {"label", key.second},
                                 {"count", h.count},
                                 {"sum", h.sum},
                                 {"max", h.max},
                                 {"p50", std::min(h.max, Quantile(h.buckets, h.count, 0.50))},
                                 {"p90", std::min(h.max, Quantile(h.buckets, h.count, 0.90))},
                                 {"p99", std::min(h.max, Quantile(h.buckets, h.count, 0.99))},
                                 {"buckets", std::move(buckets)}});
  }
  return out;
}

}  // namespace vigil::recorder
