// Copyright Vigil authors.
#include "event_json.h"

#include <time.h>

#include <cstdio>

#include <nlohmann/json.hpp>

namespace vigil::agent {
namespace {

using nlohmann::ordered_json;

std::string Dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

ordered_json RequestSummary(const RequestRecord& r) {
  ordered_json j;
  j["id"] = r.request_id;
  j["method"] = r.method;
  j["path"] = r.path;
  if (!r.query.empty()) j["query"] = r.query;
  j["client_ip"] = r.client_ip;
  j["status"] = r.status;
  if (!r.headers.empty()) {
    ordered_json h = ordered_json::object();
    for (const auto& [name, value] : r.headers) h[name] = value;
    j["headers"] = std::move(h);
  }
  return j;
}

}  // namespace

std::string FormatTimestamp(int64_t unix_ms) {
  const time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

std::vector<std::string> FindingLines(const RequestRecord& r) {
  std::vector<std::string> lines;
  const std::string time = FormatTimestamp(r.time_ms);
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    ordered_json j;
    j["type"] = "finding";
    j["time"] = time;
    j["rule"] = f.rule_id;
    j["protection"] = f.protection;
    j["hook_point"] = f.hook_point;
    const size_t dot = f.input_key.find('.');
    j["input"] = {{"source", f.input_key.substr(0, dot)},
                  {"key", f.input_key},
                  {"value", f.input_value}};
    j["statement"] = f.sink_value;
    j["reason"] = f.reason;
    j["blocked"] = f.blocked;
    if (i < r.stacks.size() && !r.stacks[i].empty()) j["stack"] = r.stacks[i];
    j["request"] = RequestSummary(r);
    lines.push_back(Dump(j));
  }
  return lines;
}

std::string RequestLine(const RequestRecord& r) {
  ordered_json j;
  j["type"] = "request";
  j["time"] = FormatTimestamp(r.time_ms);
  j["id"] = r.request_id;
  j["method"] = r.method;
  j["path"] = r.path;
  if (!r.route.empty()) j["route"] = r.route;
  j["client_ip"] = r.client_ip;
  j["user_agent"] = r.user_agent;
  if (!r.framework.empty()) j["framework"] = r.framework;
  j["status"] = r.status;
  j["blocked"] = r.blocked;
  j["findings"] = r.findings_total;
  j["protection_us"] = r.protection_ns / 1000;
  j["checks_skipped"] = r.checks_skipped;
  j["truncated_inputs"] = r.truncated_inputs;
  return Dump(j);
}

}  // namespace vigil::agent
