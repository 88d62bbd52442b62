// Copyright Vigil authors.
#include "server_events.h"

namespace vigil::agent {

std::vector<nlohmann::json> ServerEvents(const RequestRecord& r) {
  using json = nlohmann::json;
  json headers = json::object();
  for (const auto& [name, value] : r.headers) headers[name] = value;
  json request = {{"id", r.request_id},       {"method", r.method},   {"path", r.path},
                  {"query", r.query},          {"route", r.route},     {"client_ip", r.client_ip},
                  {"user_agent", r.user_agent}, {"framework", r.framework}, {"status", r.status},
                  {"headers", std::move(headers)}};
  std::vector<json> events;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    const size_t dot = f.input_key.find('.');
    json e = {{"type", "attack"},
              {"time", r.time_ms},
              {"protection", f.protection},
              {"rule", f.rule_id},
              {"hook_point", f.hook_point},
              {"outcome", f.blocked ? "blocked" : "monitored"},
              {"input", {{"source", f.input_key.substr(0, dot)}, {"key", f.input_key}, {"value", f.input_value}}},
              {"sink", {{"kind", "sql"}, {"value", f.sink_value}}},
              {"reason", f.reason},
              {"stack", i < r.stacks.size() ? json(r.stacks[i]) : json::array()},
              {"request", request}};
    if (r.findings_total > r.findings.size()) e["findings_in_request"] = r.findings_total;
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace vigil::agent
