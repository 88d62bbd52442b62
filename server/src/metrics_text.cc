// Copyright Vigil authors.
#include "metrics_text.h"

#include <chrono>
#include <cstdio>

namespace vigil::server {
namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void ServerMetrics::CountRequest(const std::string& route, int status) {
  std::lock_guard<std::mutex> l(mu_);
  ++requests_[{route, status}];
}

void ServerMetrics::CountError(const std::string& kind) {
  std::lock_guard<std::mutex> l(mu_);
  ++errors_[kind];
}

void ServerMetrics::CountIngested(int64_t stored, int64_t dups) {
  events_ingested += stored;
  duplicates += dups;
  ++batches;
}

std::string ServerMetrics::Render() {
  std::string out;
  char line[512];
  std::lock_guard<std::mutex> l(mu_);
  out += "# HELP vigil_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE vigil_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    std::snprintf(line, sizeof line, "vigil_http_requests_total{route=\"%s\",status=\"%d\"} %lld\n",
                  key.first.c_str(), key.second, static_cast<long long>(n));
    out += line;
  }
  // The rate over the time since the previous scrape (at least 1 s).
  int64_t now = SteadyMs(), events = events_ingested.load();
  if (rate_at_ms_ == 0) {
    rate_at_ms_ = now;
    rate_events_ = events;
  } else if (now - rate_at_ms_ >= 1000) {
    rate_ = static_cast<double>(events - rate_events_) * 1000.0 / static_cast<double>(now - rate_at_ms_);
    rate_at_ms_ = now;
    rate_events_ = events;
  }
  auto counter = [&](const char* name, const char* help, int64_t v, const char* type = "counter") {
    std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", name, help, name, type,
                  name, static_cast<long long>(v));
    out += line;
  };
  counter("vigil_events_ingested_total", "Events stored (duplicates excluded).", events);
  std::snprintf(line, sizeof line,
                "# HELP vigil_events_ingested_per_second Events stored per second since the "
                "previous scrape.\n# TYPE vigil_events_ingested_per_second gauge\n"
                "vigil_events_ingested_per_second %.1f\n",
                rate_);
  out += line;
  counter("vigil_batches_total", "Event batches acknowledged.", batches.load());
  counter("vigil_event_duplicates_total", "Events received again and not stored twice.",
          duplicates.load());
  counter("vigil_agents_online", "Agents online (all applications).", agents_online.load(), "gauge");
  out += "# HELP vigil_errors_total Failed requests by kind.\n# TYPE vigil_errors_total counter\n";
  for (const char* kind : {"storage", "bad_request", "internal"}) {
    auto it = errors_.find(kind);
    std::snprintf(line, sizeof line, "vigil_errors_total{kind=\"%s\"} %lld\n", kind,
                  static_cast<long long>(it == errors_.end() ? 0 : it->second));
    out += line;
  }
  std::snprintf(line, sizeof line,
                "# HELP vigil_overload_responses_total Requests shed with 429 or 503.\n"
                "# TYPE vigil_overload_responses_total counter\n"
                "vigil_overload_responses_total{status=\"429\"} %lld\n"
                "vigil_overload_responses_total{status=\"503\"} %lld\n",
                static_cast<long long>(overload_429.load()),
                static_cast<long long>(overload_503.load()));
  out += line;
  counter("vigil_ingest_queue_depth", "Batches being read or stored now.", queue_depth.load(), "gauge");
  counter("vigil_ingest_queue_bytes", "Bytes of batches being read or stored now.",
          queue_bytes.load(), "gauge");
  return out;
}

}  // namespace vigil::server
