// Copyright Vigil authors.
//
// The server's own counters and their Prometheus text rendering (GET
// /metrics). Counters are per process; label sets are bounded (routes are
// patterns, statuses are numbers).
#ifndef VIGIL_SERVER_METRICS_TEXT_H_
#define VIGIL_SERVER_METRICS_TEXT_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vigil::server {

class ServerMetrics {
 public:
  void CountRequest(const std::string& route, int status);
  void CountError(const std::string& kind);
  void CountIngested(int64_t stored, int64_t duplicates);

  std::atomic<int64_t> events_ingested{0}, batches{0}, duplicates{0};
  std::atomic<int64_t> overload_429{0}, overload_503{0};
  std::atomic<int64_t> queue_depth{0}, queue_bytes{0};
  // The most batches ever in flight at once (what the bound guarantees).
  std::atomic<int64_t> queue_depth_peak{0};
  std::atomic<int64_t> agents_online{0};

  // Prometheus text format 0.0.4.
  std::string Render();

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, int64_t> errors_;
  // For the ingestion rate: events at the previous Render (or rate window).
  int64_t rate_events_ = 0, rate_at_ms_ = 0;
  double rate_ = 0;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_METRICS_TEXT_H_
