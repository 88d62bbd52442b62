// Copyright Vigil authors.
#include "registry.h"

#include <algorithm>
#include <utility>

namespace vigil::recorder {

// A metric, its key, and what the collector last read of it (touched by
// the collector only).
struct MetricsRegistry::CounterEntry {
  CounterEntry(std::string_view name, std::string_view label) : name(name), label(label) {}
  const std::string name;
  const std::string label;
  Counter metric;
  uint64_t previous = 0;
};

struct MetricsRegistry::HistogramEntry {
  HistogramEntry(std::string_view name, std::string_view label) : name(name), label(label) {}
  const std::string name;
  const std::string label;
  Histogram metric;
  HistogramSnapshot previous;
};

MetricsRegistry::MetricsRegistry(MetricsLimits limits)
    : counters_(limits.max_counters),
      histograms_(limits.max_histograms),
      overflow_counter_(std::make_unique<CounterEntry>(kOverflowName, "")),
      overflow_histogram_(std::make_unique<HistogramEntry>(kOverflowName, "")),
      last_collect_(std::chrono::steady_clock::now()) {}

MetricsRegistry::~MetricsRegistry() = default;

template <typename Entry>
Entry* MetricsRegistry::FindOrCreate(Table<Entry>& table, Entry* overflow, std::string_view name,
                                     std::string_view label) {
  std::lock_guard lock(mutex_);
  auto it = table.by_key.find(KeyView{name, label});
  if (it != table.by_key.end()) return it->second;
  size_t n = table.published.load(std::memory_order_relaxed);
  if (n == table.capacity) {
    overflow_lookups_.fetch_add(1, std::memory_order_relaxed);
    return overflow;
  }
  table.entries[n] = std::make_unique<Entry>(name, label);
  Entry* entry = table.entries[n].get();
  table.by_key.emplace(Key{std::string(name), std::string(label)}, entry);
  table.published.store(n + 1, std::memory_order_release);
  return entry;
}

Counter* MetricsRegistry::GetCounter(std::string_view name, std::string_view label) {
  return &FindOrCreate(counters_, overflow_counter_.get(), name, label)->metric;
}

Histogram* MetricsRegistry::GetHistogram(std::string_view name, std::string_view label) {
  return &FindOrCreate(histograms_, overflow_histogram_.get(), name, label)->metric;
}

IntervalMetrics MetricsRegistry::CollectInterval() {
  return CollectInterval(std::chrono::steady_clock::now());
}

IntervalMetrics MetricsRegistry::CollectInterval(std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(collect_mutex_);
  IntervalMetrics out;
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_collect_);
  out.interval_ms = static_cast<uint64_t>(std::max<int64_t>(elapsed.count(), 0));
  last_collect_ = now;

  auto collect_counter = [&out](CounterEntry& e) {
    uint64_t value = e.metric.Value();
    uint64_t delta = value - e.previous;  // modulo 2^64: exact across a wrap
    e.previous = value;
    if (delta != 0) out.counters.push_back({e.name, e.label, delta});
  };
  auto collect_histogram = [&out](HistogramEntry& e) {
    HistogramSnapshot now_values = e.metric.Snapshot();
    HistogramSnapshot delta = now_values - e.previous;
    // No value in the interval; but the snapshot may have caught the sum of
    // a record whose bucket it missed, so keep the previous snapshot: that
    // sum is reported with its bucket next time, not lost.
    if (delta.count == 0) return;
    e.previous = now_values;
    out.histograms.push_back({e.name, e.label, delta});
  };

  size_t counters = counters_.published.load(std::memory_order_acquire);
  for (size_t i = 0; i < counters; ++i) collect_counter(*counters_.entries[i]);
  collect_counter(*overflow_counter_);
  size_t histograms = histograms_.published.load(std::memory_order_acquire);
  for (size_t i = 0; i < histograms; ++i) collect_histogram(*histograms_.entries[i]);
  collect_histogram(*overflow_histogram_);

  uint64_t lookups = overflow_lookups_.load(std::memory_order_relaxed);
  out.overflow = lookups - last_overflow_lookups_;
  last_overflow_lookups_ = lookups;
  return out;
}

void MetricsRegistry::LockForFork() {
  collect_mutex_.lock();
  mutex_.lock();
}

void MetricsRegistry::UnlockAfterFork() {
  mutex_.unlock();
  collect_mutex_.unlock();
}

}  // namespace vigil::recorder
