// Copyright Vigil authors.
//
// Heartbeat metrics in one-minute buckets per application, for charts. Only
// what the charts show is kept: requests by outcome, and the latency
// histograms merged over their labels (a service can have thousands of hook
// points; one row per hook point per minute would dwarf the events).
#include <algorithm>
#include <map>

#include "storage/queries.h"

namespace vigil::server::store {
namespace {

constexpr const char* kHistograms[] = {"protection_ns", "hook_ns", "request_protection_ns"};

struct Merged {
  int64_t count = 0, sum = 0, max = 0;
  std::map<int64_t, int64_t> buckets;
  void Add(int64_t c, int64_t s, int64_t m, const std::vector<std::pair<int64_t, int64_t>>& b) {
    count += c;
    sum += s;
    max = std::max(max, m);
    for (auto [bound, n] : b) buckets[bound] += n;
  }
  Json BucketsJson() const {
    Json a = Json::array();
    for (auto [bound, n] : buckets) a.push_back({bound, n});
    return a;
  }
  void AddJson(const std::string& text) {
    Json a = Json::parse(text, nullptr, false);
    if (!a.is_array()) return;
    for (const Json& b : a) {
      if (b.is_array() && b.size() == 2) buckets[b[0].get<int64_t>()] += b[1].get<int64_t>();
    }
  }
  // The upper bound of the bucket holding the q-quantile.
  Json Quantile(double q) const {
    if (buckets.empty()) return nullptr;
    int64_t total = 0;
    for (auto [bound, n] : buckets) total += n;
    int64_t rank = static_cast<int64_t>(q * static_cast<double>(total));
    int64_t seen = 0;
    for (auto [bound, n] : buckets) {
      seen += n;
      if (seen > rank) return bound;
    }
    return buckets.rbegin()->first;
  }
};

}  // namespace

void AddMetrics(Database& db, int64_t app_id, int64_t bucket, const HeartbeatRequest& r) {
  std::map<std::string, int64_t> requests;
  for (const MetricCounter& c : r.counters) {
    if (c.name == "requests") requests[c.label] += c.value;
  }
  for (const auto& [label, value] : requests) {
    if (label.size() > 32) continue;
    db.Exec(
        "INSERT INTO metric_counters (app_id, bucket, name, label, value) VALUES (?,?,?,?,?) "
        "ON CONFLICT (app_id, bucket, name, label) DO UPDATE SET value = metric_counters.value + "
        "excluded.value",
        {app_id, bucket, std::string("requests"), label, value});
  }
  for (const char* name : kHistograms) {
    Merged m;
    bool any = false;
    for (const MetricHistogram& h : r.histograms) {
      if (h.name != name) continue;
      m.Add(h.count, h.sum, h.max, h.buckets);
      any = true;
    }
    if (!any) continue;
    auto old = db.Query(
        "SELECT count, sum, max, buckets FROM metric_histograms WHERE app_id = ? AND bucket = ? "
        "AND name = ? AND label = ''",
        {app_id, bucket, std::string(name)});
    if (!old.empty()) {
      m.count += old[0].Int(0);
      m.sum += old[0].Int(1);
      m.max = std::max(m.max, old[0].Int(2));
      m.AddJson(old[0].Str(3));
    }
    db.Exec(
        "INSERT INTO metric_histograms (app_id, bucket, name, label, count, sum, max, buckets) "
        "VALUES (?,?,?,'',?,?,?,?) ON CONFLICT (app_id, bucket, name, label) DO UPDATE SET "
        "count = excluded.count, sum = excluded.sum, max = excluded.max, buckets = excluded.buckets",
        {app_id, bucket, std::string(name), m.count, m.sum, m.max, m.BucketsJson().dump()});
  }
}

Json Timeseries(Database& db, int64_t app_id, int64_t from, int64_t to, int64_t bucket_ms) {
  struct Slot {
    std::map<std::string, int64_t> requests;
    int64_t attacks = 0, blocks = 0;
    std::map<std::string, Merged> hist;
  };
  std::map<int64_t, Slot> slots;
  for (int64_t t = from; t < to; t += bucket_ms) slots[t];
  auto slot_of = [&](int64_t t) -> Slot* {
    if (t < from || t >= to) return nullptr;
    return &slots[from + (t - from) / bucket_ms * bucket_ms];
  };
  for (const SqlRow& r : db.Query(
           "SELECT bucket, label, value FROM metric_counters WHERE app_id = ? AND name = 'requests' "
           "AND bucket >= ? AND bucket < ?",
           {app_id, from, to})) {
    if (Slot* s = slot_of(r.Int(0))) s->requests[r.Str(1)] += r.Int(2);
  }
  for (const SqlRow& r : db.Query(
           "SELECT bucket, name, count, buckets FROM metric_histograms WHERE app_id = ? AND "
           "bucket >= ? AND bucket < ?",
           {app_id, from, to})) {
    if (Slot* s = slot_of(r.Int(0))) {
      Merged& m = s->hist[r.Str(1)];
      m.count += r.Int(2);
      m.AddJson(r.Str(3));
    }
  }
  for (const SqlRow& r : db.Query(
           "SELECT ((time - ?) / ?) * ? + ?, outcome, COUNT(*) FROM events WHERE app_id = ? AND "
           "time >= ? AND time < ? GROUP BY 1, 2",
           {from, bucket_ms, bucket_ms, from, app_id, from, to})) {
    if (Slot* s = slot_of(r.Int(0))) {
      s->attacks += r.Int(2);
      if (r.Str(1) == "blocked") s->blocks += r.Int(2);
    }
  }
  Json buckets = Json::array();
  for (auto& [t, s] : slots) {
    Json requests = {{"allowed", 0}, {"blocked", 0}, {"monitored", 0}, {"error", 0}};
    for (auto& [label, v] : s.requests) requests[label] = v;
    Json b = {{"t", t}, {"requests", requests}, {"attacks", s.attacks}, {"blocks", s.blocks}};
    for (const char* name : kHistograms) {
      const Merged& m = s.hist[name];
      b[name] = {{"count", m.count}, {"p50", m.Quantile(0.5)}, {"p99", m.Quantile(0.99)}};
    }
    buckets.push_back(std::move(b));
  }
  return {{"from", from}, {"to", to}, {"bucket_ms", bucket_ms}, {"buckets", buckets}};
}

int64_t DeleteMetricsBefore(Database& db, int64_t cutoff) {
  return db.Exec("DELETE FROM metric_counters WHERE bucket < ?", {cutoff}) +
         db.Exec("DELETE FROM metric_histograms WHERE bucket < ?", {cutoff});
}

}  // namespace vigil::server::store
