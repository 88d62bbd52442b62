// Copyright Vigil authors.
//
// What recording costs on the hot path, next to the naive way (one shared
// std::atomic, one unstriped histogram), alone and with eight threads
// recording into the same metric; and what collecting costs the reader.
// Not a test: run build-dir/bin/vigil_metrics_bench by hand (README.md has
// figures).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "metrics.h"

namespace vigil::recorder {
namespace {

// Latencies as SQL checks produce them (0.5 to 60 us), cycled so that
// records land in different buckets like real ones do.
constexpr uint64_t kLatencies[16] = {512,  900,  1300,  2100,  2900,  3500,  4100,  5200,
                                     7000, 9100, 12000, 15500, 21000, 30000, 45000, 60000};

uint64_t NextLatency(uint32_t& i) { return kLatencies[i++ & 15]; }

// --- Counters ---------------------------------------------------------------

alignas(64) std::atomic<uint64_t> g_naive_counter{0};
Counter g_counter;

void BM_NaiveAtomicAdd(benchmark::State& state) {
  for (auto _ : state) g_naive_counter.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NaiveAtomicAdd)->Threads(1)->Threads(8)->UseRealTime();

void BM_CounterAdd(benchmark::State& state) {
  for (auto _ : state) g_counter.Add(1);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CounterAdd)->Threads(1)->Threads(8)->UseRealTime();

// --- Histograms -------------------------------------------------------------

// The same record as Histogram's, with every writer on one copy.
struct NaiveHistogram {
  std::atomic<uint64_t> sum{0};
  std::atomic<uint64_t> max{0};
  std::atomic<uint64_t> buckets[kBucketCount] = {};

  void Record(uint64_t value) {
    buckets[BucketIndex(value)].fetch_add(1, std::memory_order_relaxed);
    sum.fetch_add(value, std::memory_order_relaxed);
    uint64_t seen = max.load(std::memory_order_relaxed);
    while (value > seen && !max.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
    }
  }
};
alignas(64) NaiveHistogram g_naive_histogram;
Histogram g_histogram;

void BM_NaiveHistogramRecord(benchmark::State& state) {
  uint32_t i = 0;
  for (auto _ : state) g_naive_histogram.Record(NextLatency(i));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NaiveHistogramRecord)->Threads(1)->Threads(8)->UseRealTime();

void BM_HistogramRecord(benchmark::State& state) {
  uint32_t i = 0;
  for (auto _ : state) g_histogram.Record(NextLatency(i));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord)->Threads(1)->Threads(8)->UseRealTime();

// Two clock reads and a record: what timing a check costs.
void BM_ScopedTimer(benchmark::State& state) {
  for (auto _ : state) {
    ScopedTimer timer(&g_histogram);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScopedTimer)->Threads(1)->Threads(8)->UseRealTime();

// --- The reader -------------------------------------------------------------

void BM_HistogramSnapshot(benchmark::State& state) {
  Histogram h;
  for (uint32_t i = 0; i < 1000; ++i) h.Record(kLatencies[i & 15] + i);
  for (auto _ : state) benchmark::DoNotOptimize(h.Snapshot());
}
BENCHMARK(BM_HistogramSnapshot);

// A registry the size of a busy agent: 100 rules and hook points with a
// histogram each, 1000 counters, everything changed in every interval.
struct BusyRegistry {
  MetricsRegistry registry;
  std::vector<Counter*> counters;
  std::vector<Histogram*> histograms;

  BusyRegistry() {
    for (int i = 0; i < 1000; ++i) {
      counters.push_back(registry.GetCounter("rule_checks", "rule-" + std::to_string(i)));
    }
    for (int i = 0; i < 100; ++i) {
      histograms.push_back(registry.GetHistogram("protection_ns", "rule-" + std::to_string(i)));
    }
  }
  void RecordSome() {
    for (Counter* c : counters) c->Add(3);
    for (Histogram* h : histograms) {
      for (uint64_t v : kLatencies) h->Record(v);
    }
  }
};

void BM_CollectInterval(benchmark::State& state) {
  BusyRegistry busy;
  for (auto _ : state) {
    state.PauseTiming();
    busy.RecordSome();
    state.ResumeTiming();
    benchmark::DoNotOptimize(busy.registry.CollectInterval());
  }
}
BENCHMARK(BM_CollectInterval)->Unit(benchmark::kMicrosecond);

void BM_CollectIntervalToJsonText(benchmark::State& state) {
  BusyRegistry busy;
  size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    busy.RecordSome();
    state.ResumeTiming();
    std::string text = busy.registry.CollectInterval().ToJson().dump();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_CollectIntervalToJsonText)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vigil::recorder

BENCHMARK_MAIN();
