// Copyright Vigil authors.
//
// Eight writers record while a reader collects over and over: every record
// must show up in exactly one interval, and no reader may ever see a total
// go backwards. Runs under ThreadSanitizer in the tsan build, so it is kept
// short.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "counter.h"
#include "histogram.h"
#include "registry.h"

namespace vigil::recorder {
namespace {

constexpr int kWriters = 8;
constexpr uint64_t kRecordsPerWriter = 20000;

// The value writer `w` records the i-th time: all magnitudes, from 0 to
// past the last tracked bucket.
uint64_t ValueOf(int w, uint64_t i) {
  return ((i * 2654435761u) ^ static_cast<uint64_t>(w)) >> ((i + static_cast<uint64_t>(w)) % 32);
}

TEST(Concurrency, CollectedIntervalsAddUpToEverythingRecorded) {
  MetricsRegistry registry;
  Counter* requests = registry.GetCounter("requests", "allowed");
  Histogram* latency = registry.GetHistogram("protection_ns", "sqli-001");

  std::atomic<int> running{kWriters};
  // Collections done so far. Writers wait for a few halfway through, so the
  // reader is sure to collect while they record, however the threads are
  // scheduled.
  std::atomic<int> collections{0};
  auto wait_for_collections = [&collections](int n) {
    while (collections.load(std::memory_order_acquire) < n) std::this_thread::yield();
  };
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      wait_for_collections(1);
      // Metrics created while the reader collects: publication is tested too.
      Counter* own = registry.GetCounter("rule_checks", "writer-" + std::to_string(w));
      for (uint64_t i = 0; i < kRecordsPerWriter; ++i) {
        if (i == kRecordsPerWriter / 2) wait_for_collections(3);
        requests->Add(1);
        latency->Record(ValueOf(w, i));
        own->Add(2);
      }
      running.fetch_sub(1, std::memory_order_release);
    });
  }

  uint64_t requests_seen = 0, own_seen = 0, count_seen = 0, sum_seen = 0;
  std::vector<uint64_t> buckets_seen(kBucketCount);
  int intervals = 0;
  auto add_interval = [&](const IntervalMetrics& m) {
    ++intervals;
    for (const CounterDelta& c : m.counters) {
      // A total that went backwards would show as a huge delta.
      ASSERT_LE(c.value, 2 * kWriters * kRecordsPerWriter) << c.name << " " << c.label;
      if (c.name == "requests") requests_seen += c.value;
      if (c.name == "rule_checks") own_seen += c.value;
    }
    for (const HistogramDelta& h : m.histograms) {
      ASSERT_LE(h.values.count, kWriters * kRecordsPerWriter);
      count_seen += h.values.count;
      sum_seen += h.values.sum;
      for (uint32_t i = 0; i < kBucketCount; ++i) buckets_seen[i] += h.values.buckets[i];
    }
    EXPECT_EQ(m.overflow, 0u);
  };
  while (running.load(std::memory_order_acquire) != 0) {
    add_interval(registry.CollectInterval());
    collections.fetch_add(1, std::memory_order_release);
  }
  for (std::thread& t : writers) t.join();
  add_interval(registry.CollectInterval());  // the rest

  uint64_t records = kWriters * kRecordsPerWriter;
  std::vector<uint64_t> buckets_expected(kBucketCount);
  uint64_t sum_expected = 0;
  for (int w = 0; w < kWriters; ++w) {
    for (uint64_t i = 0; i < kRecordsPerWriter; ++i) {
      buckets_expected[BucketIndex(ValueOf(w, i))]++;
      sum_expected += ValueOf(w, i);
    }
  }
  EXPECT_EQ(requests_seen, records);
  EXPECT_EQ(own_seen, 2 * records);
  EXPECT_EQ(count_seen, records);
  EXPECT_EQ(sum_seen, sum_expected);
  EXPECT_EQ(buckets_seen, buckets_expected);
  EXPECT_GE(intervals, 4);
  RecordProperty("intervals", intervals);
}

TEST(Concurrency, SnapshotsNeverGoBackwardsWhileWritersRecord) {
  Counter counter;
  Histogram histogram;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed) && i < kRecordsPerWriter; ++i) {
        counter.Add(3);
        histogram.Record(ValueOf(w, i));
      }
    });
  }
  uint64_t last_value = 0;
  HistogramSnapshot last = histogram.Snapshot();
  for (int n = 0; n < 200; ++n) {
    uint64_t value = counter.Value();
    ASSERT_GE(value, last_value);
    last_value = value;
    HistogramSnapshot now = histogram.Snapshot();
    ASSERT_GE(now.count, last.count);
    ASSERT_GE(now.max, last.max);
    for (uint32_t i = 0; i < kBucketCount; ++i) ASSERT_GE(now.buckets[i], last.buckets[i]);
    HistogramSnapshot delta = now - last;
    if (delta.count != 0) {
      // The interval max stays consistent with the interval's buckets.
      ASSERT_NE(delta.buckets[BucketIndex(delta.max)], 0u);
    }
    last = now;
  }
  stop.store(true, std::memory_order_relaxed);
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(counter.Value() % 3, 0u);
  EXPECT_EQ(counter.Value() / 3, histogram.Snapshot().count);
}

}  // namespace
}  // namespace vigil::recorder
