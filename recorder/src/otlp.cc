// Copyright Vigil authors.
#include "otlp.h"

#include <random>

namespace vigil::recorder {
namespace {

using json = nlohmann::json;

// OTLP splits an endpoint URL into the client's base and a path.
void SplitUrl(const std::string& url, std::string* base, std::string* path) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) {
    *base = url;
    *path = "/v1/logs";
  } else {
    *base = url.substr(0, slash);
    *path = url.substr(slash);
  }
}

json StringAttr(const char* key, const json& value) {
  return {{"key", key}, {"value", {{"stringValue", value.is_string() ? value.get<std::string>() : value.dump()}}}};
}

const json* Find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

json LogRecord(const json& e) {
  const int64_t ms = e.value("time", int64_t{0});
  const std::string outcome = e.value("outcome", std::string());
  json attrs = json::array();
  static const std::pair<const char*, const char*> kTop[] = {
      {"vigil.event.id", "id"},         {"vigil.agent.id", "agent_id"},
      {"vigil.event.type", "type"},     {"vigil.protection", "protection"},
      {"vigil.rule", "rule"},           {"vigil.hook_point", "hook_point"},
      {"vigil.outcome", "outcome"},     {"vigil.reason", "reason"}};
  for (const auto& [key, field] : kTop) {
    if (const json* v = Find(e, field)) attrs.push_back(StringAttr(key, *v));
  }
  if (const json* input = Find(e, "input")) {
    if (const json* v = Find(*input, "source")) attrs.push_back(StringAttr("vigil.input.source", *v));
    if (const json* v = Find(*input, "key")) attrs.push_back(StringAttr("vigil.input.key", *v));
    if (const json* v = Find(*input, "value")) attrs.push_back(StringAttr("vigil.input.value", *v));
  }
  if (const json* sink = Find(e, "sink")) {
    if (const json* v = Find(*sink, "value")) attrs.push_back(StringAttr("db.query.text", *v));
  }
  if (const json* r = Find(e, "request")) {
    static const std::pair<const char*, const char*> kRequest[] = {
        {"http.request.method", "method"}, {"url.path", "path"},
        {"url.query", "query"},            {"http.route", "route"},
        {"client.address", "client_ip"},   {"user_agent.original", "user_agent"},
        {"vigil.request.id", "id"}};
    for (const auto& [key, field] : kRequest) {
      if (const json* v = Find(*r, field)) attrs.push_back(StringAttr(key, *v));
    }
    if (const json* v = Find(*r, "status"); v != nullptr && v->is_number_integer()) {
      attrs.push_back({{"key", "http.response.status_code"}, {"value", {{"intValue", std::to_string(v->get<int64_t>())}}}});
    }
  }
  std::string body = e.value("protection", std::string("event")) + " " +
                     (outcome.empty() ? std::string("seen") : outcome);
  if (const json* r = Find(e, "request")) {
    body += ": " + r->value("method", std::string()) + " " + r->value("path", std::string());
  }
  // WARN (13) for what was blocked, ERROR (17) for an attack let through.
  const bool blocked = outcome == "blocked";
  return {{"timeUnixNano", std::to_string(ms * 1'000'000)},
          {"severityNumber", blocked ? 13 : 17},
          {"severityText", blocked ? "WARN" : "ERROR"},
          {"body", {{"stringValue", body}}},
          {"attributes", std::move(attrs)}};
}

}  // namespace

json OtlpLogsRequest(const std::vector<std::string>& events, const std::string& service_name) {
  json records = json::array();
  for (const std::string& text : events) {
    json e = json::parse(text, nullptr, false);
    if (e.is_object()) records.push_back(LogRecord(e));
  }
  return {{"resourceLogs",
           {{{"resource", {{"attributes", {StringAttr("service.name", service_name)}}}},
             {"scopeLogs", {{{"scope", {{"name", "vigil"}}}, {"logRecords", std::move(records)}}}}}}}};
}

OtlpExporter::OtlpExporter(std::string url, std::chrono::milliseconds timeout,
                           std::string service_name)
    : service_name_(std::move(service_name)),
      client_([&] {
        HttpClientOptions o;
        SplitUrl(url, &o.base_url, &path_);
        o.timeout = timeout;
        o.connect_timeout = std::min(timeout, std::chrono::milliseconds(3000));
        o.headers = {"User-Agent: vigil-agent"};
        return o;
      }()),
      backoff_(std::chrono::milliseconds(1000), std::chrono::milliseconds(60000), std::random_device{}()) {}

void OtlpExporter::Add(const std::vector<std::string>& events) {
  if (events.empty()) return;
  if (queue_.size() >= kMaxQueuedRequests) {
    dropped_ += queue_.front().events;  // the oldest goes, as in the spool
    queue_.pop_front();
  }
  queue_.push_back({OtlpLogsRequest(events, service_name_).dump(-1, ' ', false, json::error_handler_t::replace),
                    static_cast<uint32_t>(events.size())});
}

void OtlpExporter::Pump() {
  while (!queue_.empty() && std::chrono::steady_clock::now() >= next_attempt_) {
    const HttpResponse r = client_.PostJson(path_, queue_.front().body);
    if (r.status >= 200 && r.status < 300) {
      sent_ += queue_.front().events;
      queue_.pop_front();
      backoff_.Reset();
    } else if (r.status == 400) {
      dropped_ += queue_.front().events;  // the collector will never take it
      queue_.pop_front();
    } else {
      next_attempt_ = std::chrono::steady_clock::now() + backoff_.Fail(r.retry_after);
      return;
    }
  }
}

}  // namespace vigil::recorder
