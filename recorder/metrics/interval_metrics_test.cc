// Copyright Vigil authors.
#include "interval_metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "registry.h"

namespace vigil::recorder {
namespace {

using nlohmann::json;

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.insert(it.key());
  return keys;
}

TEST(IntervalMetricsJson, HandBuiltIntervalHasTheProtocolShape) {
  IntervalMetrics m;
  m.interval_ms = 60000;
  m.counters.push_back({"requests", "blocked", 3});
  HistogramDelta h{"protection_ns", "sqli-001", {}};
  for (uint64_t v : {100, 100, 4000}) {
    h.values.buckets[BucketIndex(v)]++;
    h.values.count++;
    h.values.sum += v;
  }
  h.values.max = 4000;
  m.histograms.push_back(h);
  m.overflow = 2;

  json expected = json::parse(R"({
    "interval_ms": 60000,
    "counters": [{"name": "requests", "label": "blocked", "value": 3}],
    "histograms": [{"name": "protection_ns", "label": "sqli-001", "count": 3, "sum": 4200,
                    "max": 4000, "p50": 101, "p90": 4000, "p99": 4000,
                    "buckets": [[103, 2], [4095, 1]]}],
    "overflow": 2})");
  EXPECT_EQ(m.ToJson(), expected) << m.ToJson().dump(2);
}

TEST(IntervalMetricsJson, ReadmeExampleIsWhatToJsonWrites) {
  IntervalMetrics m;
  m.interval_ms = 60000;
  m.counters.push_back({"requests", "blocked", 3});
  HistogramDelta h{"protection_ns", "sqli-001", {}};
  h.values.buckets[BucketIndex(959)] = 4;
  h.values.buckets[BucketIndex(1023)] = 2;
  h.values.buckets[BucketIndex(2047)] = 3;
  h.values.buckets[BucketIndex(4095)] = 1;
  h.values.count = 10;
  h.values.sum = 15700;
  h.values.max = 4000;
  m.histograms.push_back(h);
  // As in README.md.
  json expected = json::parse(R"({"interval_ms": 60000,
 "counters": [{"name": "requests", "label": "blocked", "value": 3}],
 "histograms": [{"name": "protection_ns", "label": "sqli-001",
                 "count": 10, "sum": 15700, "max": 4000,
                 "p50": 975, "p90": 2025, "p99": 4000,
                 "buckets": [[959, 4], [1023, 2], [2047, 3], [4095, 1]]}],
 "overflow": 0})");
  EXPECT_EQ(m.ToJson(), expected) << m.ToJson().dump(2);
}

TEST(IntervalMetricsJson, EmptyIntervalHasEmptyListsNotNulls) {
  json j = IntervalMetrics{}.ToJson();
  EXPECT_EQ(j.dump(), R"({"counters":[],"histograms":[],"interval_ms":0,"overflow":0})");
}

TEST(IntervalMetricsJson, CollectedIntervalHasTheProtocolShape) {
  MetricsRegistry registry;
  auto t0 = std::chrono::steady_clock::now();
  registry.CollectInterval(t0);
  registry.GetCounter("requests", "blocked")->Add(3);
  registry.GetCounter("requests", "allowed")->Add(97);
  Histogram* h = registry.GetHistogram("protection_ns", "sqli-001");
  for (uint64_t v = 1; v <= 1000; ++v) h->Record(v * 10);
  registry.GetHistogram("hook_callback_ns", "sqlite3_prepare_v2")->Record(250);

  json j = registry.CollectInterval(t0 + std::chrono::seconds(60)).ToJson();
  // Survives a trip through text, as it does in a heartbeat.
  j = json::parse(j.dump());

  EXPECT_EQ(Keys(j), (std::set<std::string>{"interval_ms", "counters", "histograms", "overflow"}));
  EXPECT_EQ(j["interval_ms"], 60000);
  EXPECT_EQ(j["overflow"], 0);
  ASSERT_TRUE(j["counters"].is_array());
  ASSERT_EQ(j["counters"].size(), 2u);
  for (const json& c : j["counters"]) {
    EXPECT_EQ(Keys(c), (std::set<std::string>{"name", "label", "value"}));
    EXPECT_TRUE(c["name"].is_string());
    EXPECT_TRUE(c["label"].is_string());
    EXPECT_TRUE(c["value"].is_number_unsigned());
  }
  EXPECT_EQ(j["counters"][0], json::parse(R"({"name":"requests","label":"blocked","value":3})"));

  ASSERT_EQ(j["histograms"].size(), 2u);
  for (const json& hj : j["histograms"]) {
    EXPECT_EQ(Keys(hj), (std::set<std::string>{"name", "label", "count", "sum", "max", "p50", "p90",
                                               "p99", "buckets"}));
    for (const char* number : {"count", "sum", "max", "p50", "p90", "p99"}) {
      EXPECT_TRUE(hj[number].is_number_unsigned()) << number;
    }
    // Only non-empty buckets, increasing bounds, counts adding up to count.
    uint64_t total = 0, previous_bound = 0;
    bool first = true;
    for (const json& bucket : hj["buckets"]) {
      ASSERT_TRUE(bucket.is_array());
      ASSERT_EQ(bucket.size(), 2u);
      uint64_t bound = bucket[0].get<uint64_t>();
      uint64_t count = bucket[1].get<uint64_t>();
      EXPECT_GT(count, 0u);
      EXPECT_EQ(BucketUpperBound(BucketIndex(bound)), bound);  // a real bucket bound
      if (!first) EXPECT_GT(bound, previous_bound);
      previous_bound = bound;
      first = false;
      total += count;
    }
    EXPECT_EQ(total, hj["count"].get<uint64_t>());
    EXPECT_LE(hj["p50"].get<uint64_t>(), hj["p90"].get<uint64_t>());
    EXPECT_LE(hj["p90"].get<uint64_t>(), hj["p99"].get<uint64_t>());
    EXPECT_LE(hj["p99"].get<uint64_t>(), hj["max"].get<uint64_t>());
  }
  const json& protection = j["histograms"][0];
  EXPECT_EQ(protection["name"], "protection_ns");
  EXPECT_EQ(protection["label"], "sqli-001");
  EXPECT_EQ(protection["count"], 1000);
  EXPECT_EQ(protection["sum"], 5005000);
  EXPECT_EQ(protection["max"], 10000);
  EXPECT_NEAR(protection["p50"].get<double>(), 5000, 5000 / 8.0);
  EXPECT_NEAR(protection["p99"].get<double>(), 9900, 9900 / 8.0);
}

TEST(IntervalMetricsJson, LastBucketBoundIsTheLargestUnsigned) {
  MetricsRegistry registry;
  registry.GetHistogram("hook_callback_ns", "slow")->Record(uint64_t{1} << 40);
  json j = json::parse(registry.CollectInterval().ToJson().dump());
  EXPECT_EQ(j["histograms"][0]["buckets"], json::parse("[[18446744073709551615, 1]]"));
  EXPECT_EQ(j["histograms"][0]["max"], uint64_t{1} << 40);
}

}  // namespace
}  // namespace vigil::recorder
