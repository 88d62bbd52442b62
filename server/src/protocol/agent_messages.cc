// Copyright Vigil authors.
#include "protocol/agent_messages.h"

namespace vigil::server {
namespace {

constexpr int64_t kMaxTime = int64_t(1) << 50;  // far beyond any real Unix ms
constexpr int64_t kMaxCount = INT64_MAX / 4;      // leaves room for sums

std::string AgentId(const Json& obj, const char* key = "agent_id") {
  std::string id = GetString(obj, key, 64);
  if (!IsProtocolId(id)) {
    throw InvalidInput(std::string("field \"") + key +
                       "\": expected 1..64 lowercase hex digits or dashes");
  }
  return id;
}

const Json& ArrayField(const Json& obj, const char* key, size_t max, const Json& empty) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return empty;
  if (!it->is_array()) throw InvalidInput(std::string("field \"") + key + "\": expected an array");
  if (it->size() > max) {
    throw InvalidInput(std::string("field \"") + key + "\": more than " + std::to_string(max) +
                       " entries");
  }
  return *it;
}

std::string At(const char* array, size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "] ";
}

template <typename F>
auto WithPrefix(const std::string& prefix, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const InvalidInput& e) {
    throw InvalidInput(prefix + e.what());
  }
}

void ParseMetrics(const Json& m, HeartbeatRequest& hb) {
  RequireObject(m, "field \"metrics\"");
  hb.interval_ms = GetInt(m, "interval_ms", 0, kMaxTime, 0);
  hb.overflow = GetInt(m, "overflow", 0, kMaxCount, 0);
  const Json empty = Json::array();
  const Json& counters = ArrayField(m, "counters", 100000, empty);
  hb.counters.reserve(counters.size());
  for (size_t i = 0; i < counters.size(); ++i) {
    WithPrefix(At("metrics.counters", i), [&] {
      RequireObject(counters[i], "counter");
      hb.counters.push_back({GetString(counters[i], "name", 128), GetString(counters[i], "label", 512, ""),
                             GetInt(counters[i], "value", 0, kMaxCount)});
      return 0;
    });
  }
  const Json& hists = ArrayField(m, "histograms", 100000, empty);
  hb.histograms.reserve(hists.size());
  for (size_t i = 0; i < hists.size(); ++i) {
    WithPrefix(At("metrics.histograms", i), [&] {
      const Json& h = hists[i];
      RequireObject(h, "histogram");
      MetricHistogram out{GetString(h, "name", 128), GetString(h, "label", 512, ""),
                          GetInt(h, "count", 0, kMaxCount), GetInt(h, "sum", 0, kMaxCount, 0),
                          GetInt(h, "max", 0, kMaxCount, 0), {}};
      const Json& buckets = ArrayField(h, "buckets", 128, empty);
      for (const Json& b : buckets) {
        if (!b.is_array() || b.size() != 2 || !b[0].is_number_integer() ||
            !b[1].is_number_integer() || b[0].get<int64_t>() < 0 || b[1].get<int64_t>() < 0 ||
            b[1].get<int64_t>() > kMaxCount) {
          throw InvalidInput("field \"buckets\": expected [[upper bound, count], ...]");
        }
        out.buckets.emplace_back(b[0].get<int64_t>(), b[1].get<int64_t>());
      }
      hb.histograms.push_back(std::move(out));
      return 0;
    });
  }
}

}  // namespace

LoginRequest ParseLogin(std::string_view body) {
  Json j = ParseJsonObject(body);
  if (GetInt(j, "protocol", 0, INT64_MAX, 1) != 1) {
    throw InvalidInput("protocol version not spoken by this server; it speaks: 1");
  }
  LoginRequest r;
  r.agent_id = AgentId(j);
  r.app_name = GetString(j, "app_name", 256, "");
  r.host = GetString(j, "host", 256, "");
  r.pid = GetInt(j, "pid", 0, INT32_MAX, 0);
  r.exe = GetString(j, "exe", kMaxString, "");
  r.started_at = GetInt(j, "started_at", 0, kMaxTime, 0);
  r.agent_version = GetString(j, "agent_version", 64, "");
  r.runtime_version = GetString(j, "runtime_version", 64, "");
  r.mode = GetString(j, "mode", 16, "");
  r.ruleset_version = GetString(j, "ruleset_version", 128, "");
  r.settings_version = GetInt(j, "settings_version", 0, INT64_MAX, 0);
  const Json empty = Json::array();
  const Json& hps = ArrayField(j, "hook_points", kMaxHookPoints, empty);
  r.hook_points.reserve(hps.size());
  for (size_t i = 0; i < hps.size(); ++i) {
    WithPrefix(At("hook_points", i), [&] {
      const Json& h = hps[i];
      RequireObject(h, "hook point");
      r.hook_points.push_back({GetString(h, "name", kMaxString), GetString(h, "symbol", kMaxString, ""),
                               GetString(h, "signature", kMaxString, ""),
                               GetString(h, "kind", 32, ""), GetString(h, "file", kMaxString, ""),
                               GetString(h, "image", kMaxString, ""),
                               GetInt(h, "line", 0, INT32_MAX, 0)});
      return 0;
    });
  }
  r.hook_points_total =
      GetInt(j, "hook_points_total", 0, INT32_MAX, static_cast<int64_t>(r.hook_points.size()));
  return r;
}

HeartbeatRequest ParseHeartbeat(std::string_view body) {
  Json j = ParseJsonObject(body);
  HeartbeatRequest r;
  r.agent_id = AgentId(j);
  r.seq = GetInt(j, "seq", 0, INT64_MAX, 0);
  r.time = GetInt(j, "time", 0, kMaxTime, 0);
  r.ruleset_version = GetString(j, "ruleset_version", 128, "");
  r.settings_version = GetInt(j, "settings_version", 0, INT64_MAX, 0);
  r.mode = GetString(j, "mode", 16, "");
  r.status = GetString(j, "status", 16, "running");
  r.last_error = GetString(j, "last_error", kMaxString, "");
  if (auto it = j.find("metrics"); it != j.end() && !it->is_null()) ParseMetrics(*it, r);
  Json delivery = Json::object();
  if (auto it = j.find("delivery"); it != j.end() && !it->is_null()) {
    RequireObject(*it, "field \"delivery\"");
    for (auto f = it->begin(); f != it->end(); ++f) {
      // Known counters are checked; unknown ones (later agents) are kept
      // when they are counters too.
      if (!f.value().is_number_integer() || f.value().get<int64_t>() < 0 || f.key().size() > 64) {
        throw InvalidInput("field \"delivery." + f.key() + "\": expected a non-negative integer");
      }
      delivery[f.key()] = f.value();
    }
  }
  r.delivery_json = delivery.dump();
  const Json empty = Json::array();
  const Json& results = ArrayField(j, "action_results", 1000, empty);
  for (size_t i = 0; i < results.size(); ++i) {
    WithPrefix(At("action_results", i), [&] {
      RequireObject(results[i], "action result");
      r.action_results.push_back({GetString(results[i], "id", 128),
                                  GetString(results[i], "error", kMaxString, ""),
                                  GetBool(results[i], "ok")});
      return 0;
    });
  }
  return r;
}

BatchRequest ParseBatch(std::string_view body) {
  Json j = ParseJsonObject(body);
  BatchRequest r;
  r.agent_id = AgentId(j);
  r.batch_id = GetString(j, "batch_id", 128, "");
  auto it = j.find("events");
  if (it == j.end() || !it->is_array()) throw InvalidInput("field \"events\": expected an array");
  if (it->size() > kMaxEventsPerBatch) {
    throw InvalidInput("field \"events\": more than " + std::to_string(kMaxEventsPerBatch) +
                       " events");
  }
  r.events.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    WithPrefix(At("events", i), [&] {
      const Json& e = (*it)[i];
      RequireObject(e, "event");
      EventRecord rec;
      rec.event_id = GetString(e, "id", 128);
      if (!IsProtocolId(rec.event_id)) {
        throw InvalidInput("field \"id\": expected 1..64 lowercase hex digits or dashes");
      }
      rec.agent_id = e.contains("agent_id") ? AgentId(e) : r.agent_id;
      rec.type = GetString(e, "type", 64);
      rec.time = GetInt(e, "time", 0, kMaxTime);
      rec.protection = GetString(e, "protection", 128, "");
      rec.rule = GetString(e, "rule", 128, "");
      rec.hook_point = GetString(e, "hook_point", kMaxString, "");
      rec.outcome = GetString(e, "outcome", 32, "");
      rec.body = e.dump(-1, ' ', false, Json::error_handler_t::replace);
      r.events.push_back(std::move(rec));
      return 0;
    });
  }
  return r;
}

LogoutRequest ParseLogout(std::string_view body) {
  Json j = ParseJsonObject(body);
  return {AgentId(j), GetString(j, "reason", 256, "")};
}

}  // namespace vigil::server
