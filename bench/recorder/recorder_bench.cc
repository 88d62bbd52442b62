// Copyright Vigil authors.
//
// vigil-bench-recorder: what recording costs a protected service
// (docs/performance.md, "Recording and delivery").
//
//   2. hand-off: a request thread handing its finished request to the agent
//      (metrics + the striped lock-free record queue), 8 producer threads,
//      each call timed; median and p99. Side by side, the obvious
//      alternative: a std::mutex-guarded std::deque of records allocated
//      per request. Both for a benign request (counted only) and for an
//      attack request (moved into the queue), with the queue drained
//      between bursts as the agent thread does (completing, symbolizing).
//   3. recorder throughput: events per second from AddEvent through
//      batching, the spool (memory, then disk) and HTTP to a local server.
//   1. memory: the agent's RSS growth with the record queue full and the
//      recorder's pending bound full.
//
// A harness rather than Google Benchmark: the figures wanted are
// percentiles of individual calls under contention. Times are reported,
// never asserted.
#include <httplib.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent_metrics.h"
#include "config.h"
#include "events.h"
#include "recorder.h"
#include "request_context.h"

namespace {

using namespace vigil;
using Clock = std::chrono::steady_clock;

constexpr int kProducers = 8;

agent::RequestContext Request(bool attack) {
  agent::RequestContext ctx;
  ctx.method = "GET";
  ctx.path = "/search";
  ctx.client_ip = "198.51.100.7";
  ctx.user_agent = "Mozilla/5.0 (X11; Linux x86_64)";
  ctx.request_id = "0123456789abcdef";
  ctx.framework = "cpp-httplib";
  ctx.AddQueryString("q=%27%20OR%201%3D1%20--&page=2");
  ctx.AddHeader("Host", "shop.example");
  ctx.AddHeader("Accept", "text/html");
  ctx.status = attack ? 403 : 200;
  if (attack) {
    agent::Finding f;
    f.rule_id = "sqli-sqlite-prepare";
    f.protection = "sql_injection";
    f.hook_point = "sqlite3_prepare_v2";
    f.input_key = "query.q";
    f.input_value = "' OR 1=1 --";
    f.sink_value = "SELECT id, name FROM items WHERE name LIKE '%\u27e6' OR 1=1 --\u27e7%'";
    f.reason = "input leaves a string literal and adds OR";
    f.blocked = true;
    f.stack.assign(12, 0x55d0c0);
    ctx.AddFinding(f);
  }
  return ctx;
}

// The naive alternative: the same record, allocated, one lock for everyone
// (its drain only frees the records).
struct LockedQueue {
  std::mutex mu;
  std::deque<std::unique_ptr<agent::RequestRecord>> q;
  void Submit(agent::RequestContext& ctx) {
    if (ctx.findings().empty()) return;
    auto r = agent::RequestRecord::From(ctx);
    std::lock_guard<std::mutex> lock(mu);
    if (q.size() < 4096) q.push_back(std::move(r));
  }
  size_t Drain() {
    std::deque<std::unique_ptr<agent::RequestRecord>> taken;
    {
      std::lock_guard<std::mutex> lock(mu);
      taken.swap(q);
    }
    return taken.size();
  }
};

struct Percentiles {
  double p50, p99;
};

Percentiles Summarise(std::vector<uint64_t>& ns) {
  std::sort(ns.begin(), ns.end());
  return {static_cast<double>(ns[ns.size() / 2]), static_cast<double>(ns[ns.size() * 99 / 100])};
}

// Runs `submit` kCalls times on each of kProducers threads while `drain`
// runs on another; returns the per-call percentiles.
// Each call hands off its own finished request (copies of `model` made
// before the clock starts: in a service the request already exists). The
// producers run in bursts that fit the queue (8 x 256 < 4096), and the
// queue is drained between bursts, so every measured call takes the path
// that queues a record rather than the (cheaper) one that drops it.
template <typename Submit, typename Drain>
Percentiles HandOff(const agent::RequestContext& model, Submit submit, Drain drain, int calls) {
  constexpr int kBurst = 256;
  std::vector<std::vector<uint64_t>> times(kProducers);
  auto drain_all = [&]() noexcept {
    while (drain() > 0) {
    }
  };
  std::barrier round(kProducers, drain_all);
  std::vector<std::thread> producers;
  for (int t = 0; t < kProducers; ++t) {
    producers.emplace_back([&, t] {
      times[t].reserve(calls);
      std::vector<agent::RequestContext> requests;
      for (int done = 0; done < calls; done += kBurst) {
        requests.assign(kBurst, model);
        round.arrive_and_wait();
        for (agent::RequestContext& ctx : requests) {
          const auto a = Clock::now();
          submit(ctx);
          times[t].push_back(
              std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - a).count());
        }
      }
      round.arrive_and_drop();
    });
  }
  for (auto& p : producers) p.join();
  drain_all();
  std::vector<uint64_t> all;
  for (auto& v : times) all.insert(all.end(), v.begin(), v.end());
  return Summarise(all);
}

// What the clock itself costs per timed call (subtracted from nothing, just
// printed, so the reader can judge).
double ClockCost() {
  std::vector<uint64_t> ns;
  for (int i = 0; i < 100000; ++i) {
    const auto a = Clock::now();
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - a).count());
  }
  return Summarise(ns).p50;
}

void HandOffSection(int calls) {
  std::printf("2. hand-off of a finished request, %d producer threads x %d calls, in bursts drained between\n",
              kProducers, calls);
  std::printf("   (clock read pair: %.0f ns, included in every figure)\n", ClockCost());
  std::printf("   %-34s %10s %10s\n", "", "median ns", "p99 ns");
  for (bool attack : {false, true}) {
    const agent::RequestContext ctx = Request(attack);
    agent::Config config;
    config.events_file = "/dev/null";
    config.events_queue = 4096;
    agent::EventPipeline pipeline(config, nullptr);
    pipeline.SetConsumer([](agent::RequestRecord&) {});
    agent::AgentMetrics& metrics = agent::AgentMetrics::Get();
    const Percentiles vigil = HandOff(
        ctx,
        [&](agent::RequestContext& request) {
          metrics.CountRequest(request);
          pipeline.Submit(request);
        },
        [&] { return pipeline.Drain(1 << 20); }, calls);
    LockedQueue locked;
    const Percentiles naive = HandOff(
        ctx, [&](agent::RequestContext& request) { locked.Submit(request); }, [&] { return locked.Drain(); },
        calls);
    const char* what = attack ? "attack request (record queued)" : "benign request (counted)";
    std::printf("   %-34s %10.0f %10.0f   Vigil\n", what, vigil.p50, vigil.p99);
    std::printf("   %-34s %10.0f %10.0f   mutex + deque (ratio %.2fx median, %.2fx p99)\n", "",
                naive.p50, naive.p99, naive.p50 / std::max(1.0, vigil.p50),
                naive.p99 / std::max(1.0, vigil.p99));
    std::printf("   records dropped by the bound: %llu\n",
                static_cast<unsigned long long>(pipeline.stats().dropped));
  }
}

class QuietHost : public recorder::RecorderHost {
 public:
  nlohmann::json LoginFields() override { return {{"hook_points", nlohmann::json::array()}}; }
  nlohmann::json HeartbeatFields() override { return nlohmann::json::object(); }
  nlohmann::json CollectMetrics() override { return nlohmann::json::object(); }
  bool ApplyAction(const recorder::Action&, std::string*) override { return true; }
  void RecorderGaveUp(const std::string&) override {}
};

void ThroughputSection(int events) {
  std::printf("\n3. recorder throughput: %d attack events, AddEvent -> batch (1000) -> spool -> HTTP\n",
              events);
  httplib::Server server;
  std::atomic<uint64_t> received{0};
  server.Post("/api/agent/v1/login", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"heartbeat_seconds":60,"news_seconds":0})", "application/json");
  });
  server.Post("/api/agent/v1/heartbeat", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  server.Post("/api/agent/v1/batch", [&](const httplib::Request& req, httplib::Response& res) {
    // Counting the events is enough for a server stand-in: "id" appears once per event.
    size_t n = 0;
    for (size_t p = req.body.find("\"id\":"); p != std::string::npos; p = req.body.find("\"id\":", p + 1)) ++n;
    received += n;
    res.set_content(R"({"accepted":1000,"duplicates":0})", "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread listener([&] { server.listen_after_bind(); });
  const std::string spool = std::filesystem::temp_directory_path() / ("vigil-bench-spool-" + std::to_string(getpid()));
  const agent::RequestContext ctx = Request(true);
  for (bool disk : {false, true}) {
    received = 0;
    recorder::RecorderOptions o;
    o.server_url = "http://127.0.0.1:" + std::to_string(port);
    o.api_key = "bench";
    o.app_name = "bench";
    o.spool_dir = disk ? spool : "";
    o.pending_max_events = 1u << 30;
    o.pending_max_bytes = size_t{1} << 34;
    o.news = std::chrono::milliseconds(0);
    QuietHost host;
    recorder::Recorder r(o, &host);
    std::string error, warning;
    r.Start(&error, &warning);
    nlohmann::json event = {{"type", "attack"},
                            {"time", 1795000000000},
                            {"protection", "sql_injection"},
                            {"rule", "sqli-sqlite-prepare"},
                            {"outcome", "blocked"},
                            {"input", {{"source", "query"}, {"key", "query.q"}, {"value", "' OR 1=1 --"}}},
                            {"sink", {{"kind", "sql"}, {"value", ctx.findings()[0].sink_value}}},
                            {"stack", std::vector<std::string>(8, "#0 shop::Search(std::string const&) src/shop.cc:88")},
                            {"request", {{"method", "GET"}, {"path", "/search"}, {"client_ip", "198.51.100.7"}}}};
    const auto start = Clock::now();
    for (int i = 0; i < events; ++i) r.AddEvent(event);
    while (r.stats().events_sent < static_cast<uint64_t>(events) &&
           Clock::now() - start < std::chrono::seconds(120)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("   spool %-7s %8.0f events/s  (%llu sent, %llu received by the server)\n",
                disk ? "on disk" : "memory", events / s,
                static_cast<unsigned long long>(r.stats().events_sent),
                static_cast<unsigned long long>(received.load()));
    r.Stop(std::chrono::milliseconds(1000));
  }
  std::filesystem::remove_all(spool);
  server.stop();
  listener.join();
}

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

void MemorySection() {
  std::printf("1. memory with every bound reached\n");
  const agent::RequestContext ctx = Request(true);
  const long before = RssKiB();
  agent::Config config;
  config.events_file = "/dev/null";
  config.events_queue = 4096;  // the default
  agent::EventPipeline pipeline(config, nullptr);
  for (int i = 0; i < 40960; ++i) {  // 10x the capacity
    agent::RequestContext request = ctx;
    pipeline.Submit(request);
  }
  const long queue_full = RssKiB();
  std::printf("   record queue full (4096 attack records, %llu of 40960 dropped and counted): +%.1f MiB\n",
              static_cast<unsigned long long>(pipeline.stats().dropped), (queue_full - before) / 1024.0);
  recorder::RecorderOptions o;
  o.server_url = "http://127.0.0.1:9";  // nothing listens: everything stays pending
  o.api_key = "bench";
  o.batch_max_age = std::chrono::hours(1);
  o.batch_max_events = 1u << 30;
  o.batch_max_bytes = size_t{1} << 40;  // nothing sealed: the pending bound is what holds
  QuietHost host;
  recorder::Recorder r(o, &host);
  std::string error, warning;
  r.Start(&error, &warning);
  nlohmann::json event = {{"type", "attack"}, {"sink", {{"value", ctx.findings()[0].sink_value}}},
                          {"stack", std::vector<std::string>(8, "#0 shop::Search(std::string const&) src/shop.cc:88")}};
  for (int i = 0; i < 200000; ++i) r.AddEvent(event);  // 10x the pending bound
  const long pending_full = RssKiB();
  std::printf("   recorder pending bound full (10000 events / 8 MiB, %llu of 200000 dropped and counted): +%.1f MiB\n",
              static_cast<unsigned long long>(r.stats().dropped_queue_full),
              (pending_full - queue_full) / 1024.0);
  std::printf("   total: +%.1f MiB over %.1f MiB before\n", (pending_full - before) / 1024.0, before / 1024.0);
  malloc_trim(0);
  std::printf("   after returning freed memory to the system (malloc_trim): +%.1f MiB\n",
              (RssKiB() - before) / 1024.0);
  r.Stop(std::chrono::milliseconds(0));
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  setvbuf(stdout, nullptr, _IOLBF, 0);
  MemorySection();
  std::printf("\n");
  HandOffSection(quick ? 2000 : 200000);
  ThroughputSection(quick ? 2000 : 100000);
  // Memory first, while the process is fresh (the other sections leave
  // freed memory in the allocator's arenas).
  return 0;
}
