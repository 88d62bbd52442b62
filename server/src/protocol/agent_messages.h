// Copyright Vigil authors.
//
// The agent protocol's requests (docs/protocol.md §3) as validated structs.
// Parse* functions take the (decompressed) body text and throw InvalidInput
// with a message for the agent when it does not follow the protocol. Unknown
// fields are ignored (protocol §9), unknown event fields are kept.
#ifndef VIGIL_SERVER_PROTOCOL_AGENT_MESSAGES_H_
#define VIGIL_SERVER_PROTOCOL_AGENT_MESSAGES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json_fields.h"

namespace vigil::server {

// Limits from the protocol.
inline constexpr size_t kMaxHookPoints = 20000;
inline constexpr size_t kMaxEventsPerBatch = 10000;
inline constexpr size_t kMaxString = 4096;

struct HookPoint {
  std::string name, symbol, signature, kind, file, image;
  int64_t line = 0;
};

struct LoginRequest {
  std::string agent_id, app_name, host, exe, agent_version, runtime_version, mode,
      ruleset_version;
  int64_t pid = 0, started_at = 0, settings_version = 0, hook_points_total = 0;
  std::vector<HookPoint> hook_points;
};

struct MetricCounter {
  std::string name, label;
  int64_t value = 0;
};

struct MetricHistogram {
  std::string name, label;
  int64_t count = 0, sum = 0, max = 0;
  std::vector<std::pair<int64_t, int64_t>> buckets;  // [upper bound ns, count]
};

struct ActionResult {
  std::string id, error;
  bool ok = false;
};

struct HeartbeatRequest {
  std::string agent_id, ruleset_version, mode, status, last_error;
  int64_t seq = 0, time = 0, settings_version = 0, interval_ms = 0, overflow = 0;
  std::vector<MetricCounter> counters;
  std::vector<MetricHistogram> histograms;
  std::string delivery_json;  // the validated delivery object, re-serialised
  std::vector<ActionResult> action_results;
};

// One event as stored: indexed fields plus the whole event's JSON text.
struct EventRecord {
  std::string event_id, agent_id, type, protection, rule, hook_point, outcome;
  int64_t time = 0;
  std::string body;
};

struct BatchRequest {
  std::string agent_id, batch_id;
  std::vector<EventRecord> events;
};

struct LogoutRequest {
  std::string agent_id, reason;
};

struct NewsQuery {
  std::string agent_id, ruleset_version;
  int64_t settings_version = 0;
};

LoginRequest ParseLogin(std::string_view body);
HeartbeatRequest ParseHeartbeat(std::string_view body);
BatchRequest ParseBatch(std::string_view body);
LogoutRequest ParseLogout(std::string_view body);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PROTOCOL_AGENT_MESSAGES_H_
