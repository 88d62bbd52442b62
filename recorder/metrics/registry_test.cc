// Copyright Vigil authors.
#include "registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace vigil::recorder {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

const CounterDelta* FindCounter(const IntervalMetrics& m, std::string_view name,
                                std::string_view label) {
  for (const CounterDelta& c : m.counters) {
    if (c.name == name && c.label == label) return &c;
  }
  return nullptr;
}

const HistogramDelta* FindHistogram(const IntervalMetrics& m, std::string_view name,
                                    std::string_view label) {
  for (const HistogramDelta& h : m.histograms) {
    if (h.name == name && h.label == label) return &h;
  }
  return nullptr;
}

TEST(MetricsRegistry, SameKeySameMetric) {
  MetricsRegistry registry;
  Counter* blocked = registry.GetCounter("requests", "blocked");
  EXPECT_EQ(registry.GetCounter("requests", "blocked"), blocked);
  EXPECT_NE(registry.GetCounter("requests", "allowed"), blocked);
  EXPECT_NE(registry.GetCounter("request", "sblocked"), blocked);  // not a concatenation
  Histogram* h = registry.GetHistogram("protection_ns", "sqli-001");
  EXPECT_EQ(registry.GetHistogram("protection_ns", "sqli-001"), h);
  // Kinds are separate namespaces.
  registry.GetCounter("protection_ns", "sqli-001")->Add(1);
  EXPECT_EQ(h->Snapshot().count, 0u);
  EXPECT_EQ(registry.overflow_total(), 0u);
}

TEST(MetricsRegistry, CollectReportsDeltasPerInterval) {
  MetricsRegistry registry;
  Counter* blocked = registry.GetCounter("requests", "blocked");
  Counter* allowed = registry.GetCounter("requests", "allowed");
  Histogram* check = registry.GetHistogram("protection_ns", "sqli-001");

  blocked->Add(3);
  allowed->Add(100);
  check->Record(900);
  check->Record(4000);
  IntervalMetrics first = registry.CollectInterval();
  ASSERT_NE(FindCounter(first, "requests", "blocked"), nullptr);
  EXPECT_EQ(FindCounter(first, "requests", "blocked")->value, 3u);
  EXPECT_EQ(FindCounter(first, "requests", "allowed")->value, 100u);
  const HistogramDelta* h = FindHistogram(first, "protection_ns", "sqli-001");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->values.count, 2u);
  EXPECT_EQ(h->values.sum, 4900u);
  EXPECT_EQ(h->values.max, 4000u);

  allowed->Add(7);
  check->Record(1000);
  IntervalMetrics second = registry.CollectInterval();
  // Unchanged metrics are left out; changed ones report only the interval.
  EXPECT_EQ(FindCounter(second, "requests", "blocked"), nullptr);
  EXPECT_EQ(FindCounter(second, "requests", "allowed")->value, 7u);
  EXPECT_EQ(FindHistogram(second, "protection_ns", "sqli-001")->values.count, 1u);
  EXPECT_EQ(FindHistogram(second, "protection_ns", "sqli-001")->values.sum, 1000u);

  IntervalMetrics quiet = registry.CollectInterval();
  EXPECT_TRUE(quiet.counters.empty());
  EXPECT_TRUE(quiet.histograms.empty());
  EXPECT_EQ(quiet.overflow, 0u);
}

TEST(MetricsRegistry, MetricsCreatedBetweenCollectionsAreReported) {
  MetricsRegistry registry;
  registry.CollectInterval();
  registry.GetCounter("rule_checks", "sqli-002")->Add(2);
  IntervalMetrics m = registry.CollectInterval();
  ASSERT_NE(FindCounter(m, "rule_checks", "sqli-002"), nullptr);
  EXPECT_EQ(FindCounter(m, "rule_checks", "sqli-002")->value, 2u);
}

TEST(MetricsRegistry, IntervalIsTheTimeSinceThePreviousCollection) {
  MetricsRegistry registry;
  steady_clock::time_point t0 = steady_clock::now() + milliseconds(5);
  registry.CollectInterval(t0);
  EXPECT_EQ(registry.CollectInterval(t0 + milliseconds(60000)).interval_ms, 60000u);
  EXPECT_EQ(registry.CollectInterval(t0 + milliseconds(60250)).interval_ms, 250u);
  // A clock read before the previous one (two readers racing) is not negative.
  EXPECT_EQ(registry.CollectInterval(t0).interval_ms, 0u);
}

TEST(MetricsRegistry, LookupsPastTheLimitShareAnOverflowMetricAndAreCounted) {
  MetricsRegistry registry(MetricsLimits{.max_counters = 2, .max_histograms = 1});
  Counter* a = registry.GetCounter("rule_checks", "a");
  Counter* b = registry.GetCounter("rule_checks", "b");
  Counter* c = registry.GetCounter("rule_checks", "c");
  Counter* d = registry.GetCounter("rule_checks", "d");
  EXPECT_NE(c, a);
  EXPECT_NE(c, b);
  EXPECT_EQ(c, d);  // the shared overflow counter
  Histogram* h1 = registry.GetHistogram("protection_ns", "a");
  Histogram* h2 = registry.GetHistogram("protection_ns", "b");
  EXPECT_NE(h1, h2);
  // Existing metrics are still found when the registry is full.
  EXPECT_EQ(registry.GetCounter("rule_checks", "a"), a);
  EXPECT_EQ(registry.GetHistogram("protection_ns", "a"), h1);
  EXPECT_EQ(registry.overflow_total(), 3u);

  c->Add(5);
  d->Add(1);
  h2->Record(300);
  IntervalMetrics m = registry.CollectInterval();
  EXPECT_EQ(m.overflow, 3u);
  // Nothing recorded is lost: it is reported under the overflow name.
  const CounterDelta* overflow = FindCounter(m, MetricsRegistry::kOverflowName, "");
  ASSERT_NE(overflow, nullptr);
  EXPECT_EQ(overflow->value, 6u);
  const HistogramDelta* overflow_h = FindHistogram(m, MetricsRegistry::kOverflowName, "");
  ASSERT_NE(overflow_h, nullptr);
  EXPECT_EQ(overflow_h->values.count, 1u);

  // The overflow field is per interval too.
  registry.GetCounter("rule_checks", "e");
  EXPECT_EQ(registry.CollectInterval().overflow, 1u);
  EXPECT_EQ(registry.CollectInterval().overflow, 0u);
  EXPECT_EQ(registry.overflow_total(), 4u);
}

TEST(MetricsRegistry, KeysAreCopied) {
  MetricsRegistry registry;
  std::string label = "sqli-001";
  Counter* c = registry.GetCounter("rule_blocks", label);
  label = "changed";
  c->Add(1);
  IntervalMetrics m = registry.CollectInterval();
  ASSERT_EQ(m.counters.size(), 1u);
  EXPECT_EQ(m.counters[0].label, "sqli-001");
  EXPECT_EQ(registry.GetCounter("rule_blocks", "sqli-001"), c);
}

}  // namespace
}  // namespace vigil::recorder
