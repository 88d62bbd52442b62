// Copyright Vigil authors.
//
// Named metrics, and their collection once per heartbeat interval.
//
// A metric is keyed by its kind (counter or histogram), a name and a label:
// counter "requests" labelled "blocked", histogram "protection_ns" labelled
// with a rule id (families.h names the ones the agent records). Get*()
// returns a pointer that stays valid for the registry's life; callers look a
// metric up once and keep the pointer, so the hot path never hashes or
// compares a string. Creating a metric takes a mutex, which is fine: it
// happens once per name.
//
// The number of metrics is bounded, because labels come from configuration
// (rule ids, hook point names) and a mistake there must not grow the
// process without limit. Past the bound, Get*() returns a shared overflow
// metric named "_overflow" and counts the refused lookup: what is recorded
// is still reported, under that name, and the heartbeat says how many
// lookups were refused.
//
// CollectInterval() runs on one reader thread (the recorder's, once per
// heartbeat). It reads every metric without any lock writers could wait
// for and reports what changed since its previous call.
#ifndef VIGIL_RECORDER_METRICS_REGISTRY_H_
#define VIGIL_RECORDER_METRICS_REGISTRY_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "counter.h"
#include "histogram.h"
#include "interval_metrics.h"

namespace vigil::recorder {

struct MetricsLimits {
  // A counter takes about 0.6 KiB and a histogram about 20 KiB (eight
  // stripes, and the collector's previous snapshot), so the defaults cap
  // the registry at about 2.5 + 10 MiB, allocated only as metrics are
  // created. The agent needs a few per rule and per hook point.
  size_t max_counters = 4096;
  size_t max_histograms = 512;
};

class MetricsRegistry {
 public:
  // The name of the metrics that lookups past the limits share.
  static constexpr std::string_view kOverflowName = "_overflow";

  explicit MetricsRegistry(MetricsLimits limits = {});
  // Metrics die with the registry: it must outlive every thread that may
  // still record (the agent keeps its registry for the life of the process).
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The metric of that kind, name and label, created on first use. Never
  // null. Thread-safe; takes a mutex, so cache the result.
  Counter* GetCounter(std::string_view name, std::string_view label = {});
  Histogram* GetHistogram(std::string_view name, std::string_view label = {});

  // What every metric recorded since the previous call (or since creation).
  // Meant for one reader thread; concurrent calls are serialised.
  IntervalMetrics CollectInterval();
  // The same, as of `now` (tests pass their own clock).
  IntervalMetrics CollectInterval(std::chrono::steady_clock::time_point now);

  // Around fork(): held by the forking thread so that the child finds no
  // lock taken by a thread that did not come along (collector, then
  // creation, the order the collector takes them in).
  void LockForFork();
  void UnlockAfterFork();

  // Lookups refused since creation.
  uint64_t overflow_total() const { return overflow_lookups_.load(std::memory_order_relaxed); }

 private:
  struct CounterEntry;
  struct HistogramEntry;
  struct Key {
    std::string name;
    std::string label;
  };
  struct KeyView {
    std::string_view name;
    std::string_view label;
  };
  // Compares keys and views alike, so a lookup of an existing metric
  // allocates nothing.
  struct KeyLess {
    using is_transparent = void;
    static KeyView View(const Key& k) { return {k.name, k.label}; }
    static KeyView View(const KeyView& k) { return k; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      KeyView x = View(a), y = View(b);
      return x.name != y.name ? x.name < y.name : x.label < y.label;
    }
  };

  // Entries live in fixed arrays filled in order and published by a count
  // (release), so the collector walks them without the mutex.
  template <typename Entry>
  struct Table {
    explicit Table(size_t capacity)
        : capacity(capacity), entries(std::make_unique<std::unique_ptr<Entry>[]>(capacity)) {}
    size_t capacity;
    std::unique_ptr<std::unique_ptr<Entry>[]> entries;
    std::atomic<size_t> published{0};
    std::map<Key, Entry*, KeyLess> by_key;  // under mutex_
  };

  template <typename Entry>
  Entry* FindOrCreate(Table<Entry>& table, Entry* overflow, std::string_view name,
                      std::string_view label);

  std::mutex mutex_;  // creation of metrics
  Table<CounterEntry> counters_;
  Table<HistogramEntry> histograms_;
  std::unique_ptr<CounterEntry> overflow_counter_;
  std::unique_ptr<HistogramEntry> overflow_histogram_;
  std::atomic<uint64_t> overflow_lookups_{0};

  std::mutex collect_mutex_;  // the collector's state below
  std::chrono::steady_clock::time_point last_collect_;
  uint64_t last_overflow_lookups_ = 0;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_REGISTRY_H_
