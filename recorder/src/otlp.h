// Copyright Vigil authors.
//
// OtlpExporter: also sends events as OpenTelemetry logs (OTLP/HTTP with the
// JSON encoding) to a collector, for teams whose alerts and searches already
// live in an OpenTelemetry pipeline. Best effort next to the server: a small
// bounded queue of requests, retried with backoff; what does not fit is
// dropped and counted. Used by the recorder's thread only.
#ifndef VIGIL_RECORDER_OTLP_H_
#define VIGIL_RECORDER_OTLP_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backoff.h"
#include "http_client.h"

namespace vigil::recorder {

// The OTLP logs request body for `events` (serialised event objects of
// docs/protocol.md 4).
nlohmann::json OtlpLogsRequest(const std::vector<std::string>& events,
                               const std::string& service_name);

class OtlpExporter {
 public:
  // `url` is the full logs endpoint ("http://127.0.0.1:4318/v1/logs").
  OtlpExporter(std::string url, std::chrono::milliseconds timeout, std::string service_name);

  void Add(const std::vector<std::string>& events);
  // Sends what is queued, unless backing off.
  void Pump();

  uint64_t sent() const { return sent_; }
  uint64_t dropped() const { return dropped_; }

  static constexpr size_t kMaxQueuedRequests = 16;

 private:
  struct Request {
    std::string body;
    uint32_t events;
  };
  std::string path_;
  std::string service_name_;
  HttpClient client_;
  Backoff backoff_;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::deque<Request> queue_;
  uint64_t sent_ = 0, dropped_ = 0;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_OTLP_H_
