// Copyright Vigil authors.
#include "config.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "http_inputs.h"
#include "signed_action.h"

namespace vigil::agent {
namespace {

// Templates and the config file are read whole; anything this large is a
// mistake (a wrong path), not a configuration.
constexpr size_t kMaxFileBytes = 256 * 1024;

std::string Quote(std::string_view v) {
  std::string out = "'";
  for (char c : v.substr(0, 200)) {
    out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  }
  if (v.size() > 200) out += "...";
  out += "'";
  return out;
}

std::string Expected(std::string_view what, std::string_view got) {
  return "expected " + std::string(what) + ", got " + Quote(got);
}

bool ReadSmallFile(const std::string& path, std::string* out, std::string* error) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + Quote(path) + ": " + (errno ? std::strerror(errno) : "open failed");
    return false;
  }
  std::string data;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxFileBytes) {
      *error = Quote(path) + " is larger than " + std::to_string(kMaxFileBytes) + " bytes";
      return false;
    }
  }
  *out = std::move(data);
  return true;
}

template <typename T>
bool ParseUnsigned(std::string_view v, T min, T max, T* out) {
  uint64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty()) return false;
  if (x < static_cast<uint64_t>(min) || x > static_cast<uint64_t>(max)) return false;
  *out = static_cast<T>(x);
  return true;
}

std::string Range(uint64_t min, uint64_t max) {
  return "an integer " + std::to_string(min) + ".." + std::to_string(max);
}

// One option: its environment variable, its key in the config file, and how a
// textual value is applied. A setter returns "" or the reason (without the
// option's name, which the caller prefixes).
struct Option {
  const char* env;
  const char* key;
  std::string (*apply)(std::string_view value, Config* c);
};

// On/off switches: 1/true/yes/on and 0/false/no/off; empty is `empty_is`.
bool ParseSwitch(std::string_view v, bool empty_is, bool* out) {
  if (v == "1" || v == "true" || v == "yes" || v == "on" || (v.empty() && empty_is)) {
    *out = true;
  } else if (v == "0" || v == "false" || v == "no" || v == "off" || (v.empty() && !empty_is)) {
    *out = false;
  } else {
    return false;
  }
  return true;
}

std::string SetDisabled(std::string_view v, Config* c) {
  return ParseSwitch(v, /*empty_is=*/false, &c->disabled) ? "" : Expected("1 or 0", v);
}

std::string SetMode(std::string_view v, Config* c) {
  if (v == "monitor") {
    c->mode = Mode::kMonitor;
  } else if (v == "block") {
    c->mode = Mode::kBlock;
  } else {
    return Expected("monitor or block", v);
  }
  return "";
}

std::string SetRules(std::string_view v, Config* c) {
  c->rules_file = std::string(v);
  return "";
}

std::string SetEvents(std::string_view v, Config* c) {
  // "off" (or empty) disables events; anything else is a path.
  c->events_file = (v == "off" || v == "none" || v.empty()) ? "" : std::string(v);
  return "";
}

std::string SetEventsMaxBytes(std::string_view v, Config* c) {
  // Below 64 KiB a single large event could not fit in one file.
  constexpr uint64_t kMin = 64 * 1024, kMax = 1ull << 40;
  return ParseUnsigned(v, kMin, kMax, &c->events_max_bytes) ? "" : Expected(Range(kMin, kMax), v);
}

std::string SetEventsKeep(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 0, 100, &c->events_keep) ? "" : Expected(Range(0, 100), v);
}

std::string SetEventsRequests(std::string_view v, Config* c) {
  if (v == "findings") {
    c->request_records = RequestRecords::kFindings;
  } else if (v == "all") {
    c->request_records = RequestRecords::kAll;
  } else if (v == "none") {
    c->request_records = RequestRecords::kNone;
  } else {
    return Expected("findings, all or none", v);
  }
  return "";
}

std::string SetEventsQueue(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 16, 1 << 20, &c->events_queue)
             ? ""
             : Expected(Range(16, 1 << 20), v);
}

std::string SetBlockStatus(std::string_view v, Config* c) {
  return ParseUnsigned<int>(v, 100, 599, &c->block.status) ? "" : Expected(Range(100, 599), v);
}

std::string SetBlockRedirect(std::string_view v, Config* c) {
  c->block.redirect_url = std::string(v);
  return "";
}

std::string SetTemplate(std::string_view path, std::string* out) {
  if (path.empty()) {
    out->clear();
    return "";
  }
  std::string error;
  return ReadSmallFile(std::string(path), out, &error) ? "" : error;
}

std::string SetBlockHtml(std::string_view v, Config* c) { return SetTemplate(v, &c->block.html_template); }
std::string SetBlockJson(std::string_view v, Config* c) { return SetTemplate(v, &c->block.json_template); }

std::string SetTrustedProxies(std::string_view v, Config* c) {
  c->trusted_proxies.clear();
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    if (comma == std::string_view::npos) comma = v.size();
    std::string_view item = v.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      IpNetwork net;
      std::string why;
      if (!ParseIpNetwork(item, &net, &why)) {
        return Expected("IP addresses or networks (10.0.0.0/8, ::1) separated by commas", item);
      }
      c->trusted_proxies.emplace_back(item);
    }
    pos = comma + 1;
  }
  return "";
}

std::string SetLogLevel(std::string_view v, Config* c) {
  return ParseLogLevel(v, &c->log_level) ? "" : Expected("off, error, warn, info or debug", v);
}

std::string SetCheckBudget(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 1, 10'000'000, &c->check_budget_us)
             ? ""
             : Expected(Range(1, 10'000'000), v);
}

std::string SetRequestBudget(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 1, 100'000'000, &c->request_budget_us)
             ? ""
             : Expected(Range(1, 100'000'000), v);
}

std::string SetRulesPoll(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 0, 3'600'000, &c->rules_poll_ms)
             ? ""
             : Expected(Range(0, 3'600'000), v);
}

std::string SetUrl(std::string_view v, std::string* out) {
  if (!v.empty() && v.substr(0, 7) != "http://" && v.substr(0, 8) != "https://") {
    return Expected("an http:// or https:// URL", v);
  }
  *out = std::string(v);
  return "";
}

std::string SetServer(std::string_view v, Config* c) { return SetUrl(v, &c->server_url); }

std::string SetApiKey(std::string_view v, Config* c) {
  for (char ch : v) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) return "contains spaces or control characters";
  }
  c->api_key = std::string(v);
  return "";
}

std::string SetServerKey(std::string_view v, Config* c) {
  if (!v.empty()) {
    recorder::PublicKey key;
    std::string why;
    if (!recorder::ParsePublicKey(v, &key, &why)) {
      return "not an Ed25519 public key (" + why + "); `vigil-server pubkey` prints it";
    }
  }
  c->server_key = std::string(v);
  return "";
}

std::string SetAppName(std::string_view v, Config* c) {
  if (v.size() > 128) return Expected("a name of at most 128 characters", v);
  c->app_name = std::string(v);
  return "";
}

std::string SetSpoolDir(std::string_view v, Config* c) {
  c->spool_dir = (v == "off" || v == "none") ? "" : std::string(v);
  return "";
}

std::string SetSpoolMaxBytes(std::string_view v, Config* c) {
  constexpr uint64_t kMin = 64 * 1024, kMax = 1ull << 40;
  return ParseUnsigned(v, kMin, kMax, &c->spool_max_bytes) ? "" : Expected(Range(kMin, kMax), v);
}

std::string SetBatchEvents(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 1, 100000, &c->batch_events) ? "" : Expected(Range(1, 100000), v);
}

std::string SetBatchSeconds(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 1, 3600, &c->batch_seconds) ? "" : Expected(Range(1, 3600), v);
}

std::string SetHeartbeatSeconds(std::string_view v, Config* c) {
  return ParseUnsigned<uint32_t>(v, 1, 3600, &c->heartbeat_seconds) ? "" : Expected(Range(1, 3600), v);
}

std::string SetOtlpUrl(std::string_view v, Config* c) { return SetUrl(v, &c->otlp_url); }

std::string SetScrub(std::string_view v, Config* c) {
  return !v.empty() && ParseSwitch(v, /*empty_is=*/true, &c->scrub) ? "" : Expected("on or off", v);
}

std::vector<std::string> SplitList(std::string_view v, char separator) {
  std::vector<std::string> items;
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t end = v.find(separator, pos);
    if (end == std::string_view::npos) end = v.size();
    std::string_view item = v.substr(pos, end - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t' || item.back() == '\r')) {
      item.remove_suffix(1);
    }
    if (!item.empty()) items.emplace_back(item);
    pos = end + 1;
  }
  return items;
}

std::string SetScrubKeys(std::string_view v, Config* c) {
  c->scrub_keys = SplitList(v, ',');
  return "";
}

std::string SetScrubPatterns(std::string_view v, Config* c) {
  c->scrub_patterns = SplitList(v, '\n');
  return "";
}

constexpr Option kOptions[] = {
    {"VIGIL_DISABLED", "disabled", SetDisabled},
    {"VIGIL_MODE", "mode", SetMode},
    {"VIGIL_RULES", "rules", SetRules},
    {"VIGIL_RULES_POLL_MS", "rules_poll_ms", SetRulesPoll},
    {"VIGIL_EVENTS", "events", SetEvents},
    {"VIGIL_EVENTS_MAX_BYTES", "events_max_bytes", SetEventsMaxBytes},
    {"VIGIL_EVENTS_KEEP", "events_keep", SetEventsKeep},
    {"VIGIL_EVENTS_REQUESTS", "events_requests", SetEventsRequests},
    {"VIGIL_EVENTS_QUEUE", "events_queue", SetEventsQueue},
    {"VIGIL_BLOCK_STATUS", "block_status", SetBlockStatus},
    {"VIGIL_BLOCK_REDIRECT", "block_redirect", SetBlockRedirect},
    {"VIGIL_BLOCK_HTML", "block_html", SetBlockHtml},
    {"VIGIL_BLOCK_JSON", "block_json", SetBlockJson},
    {"VIGIL_TRUSTED_PROXIES", "trusted_proxies", SetTrustedProxies},
    {"VIGIL_LOG_LEVEL", "log_level", SetLogLevel},
    {"VIGIL_CHECK_BUDGET_US", "check_budget_us", SetCheckBudget},
    {"VIGIL_REQUEST_BUDGET_US", "request_budget_us", SetRequestBudget},
    {"VIGIL_SERVER", "server", SetServer},
    {"VIGIL_API_KEY", "api_key", SetApiKey},
    {"VIGIL_SERVER_KEY", "server_key", SetServerKey},
    {"VIGIL_APP_NAME", "app_name", SetAppName},
    {"VIGIL_SPOOL_DIR", "spool_dir", SetSpoolDir},
    {"VIGIL_SPOOL_MAX_BYTES", "spool_max_bytes", SetSpoolMaxBytes},
    {"VIGIL_BATCH_EVENTS", "batch_events", SetBatchEvents},
    {"VIGIL_BATCH_SECONDS", "batch_seconds", SetBatchSeconds},
    {"VIGIL_HEARTBEAT_SECONDS", "heartbeat_seconds", SetHeartbeatSeconds},
    {"VIGIL_OTLP_URL", "otlp_url", SetOtlpUrl},
    {"VIGIL_SCRUB", "scrub", SetScrub},
    {"VIGIL_SCRUB_KEYS", "scrub_keys", SetScrubKeys},
    {"VIGIL_SCRUB_PATTERNS", "scrub_patterns", SetScrubPatterns},
};

// A JSON value of the config file as the text an environment variable would
// hold. Arrays of strings are joined with `separator` (commas; newlines for
// scrub_patterns, whose items may contain commas).
bool JsonToText(const nlohmann::json& v, std::string* out, char separator = ',') {
  if (v.is_string()) {
    *out = v.get<std::string>();
  } else if (v.is_boolean()) {
    *out = v.get<bool>() ? "1" : "0";
  } else if (v.is_number_unsigned() || v.is_number_integer()) {
    *out = v.dump();
  } else if (v.is_array()) {
    std::string joined;
    for (const auto& item : v) {
      if (!item.is_string()) return false;
      if (!joined.empty()) joined += separator;
      joined += item.get<std::string>();
    }
    *out = joined;
  } else {
    return false;
  }
  return true;
}

bool LoadConfigFile(const std::string& path, Config* c, std::string* error) {
  const std::string where = "VIGIL_CONFIG " + path + ": ";
  std::string text, why;
  if (!ReadSmallFile(path, &text, &why)) {
    *error = where + why;
    return false;
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Parse again with exceptions only to get the position of the error.
    try {
      (void)nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string m = e.what();
      size_t at = m.find("parse error");
      *error = where + "invalid JSON: " + (at == std::string::npos ? m : m.substr(at));
      return false;
    } catch (...) {
    }
    *error = where + "invalid JSON";
    return false;
  }
  if (!doc.is_object()) {
    *error = where + "expected a JSON object";
    return false;
  }
  for (const auto& [key, value] : doc.items()) {
    const Option* opt = nullptr;
    for (const Option& o : kOptions) {
      if (key == o.key) opt = &o;
    }
    if (opt == nullptr) {
      std::string known;
      for (const Option& o : kOptions) known += std::string(known.empty() ? "" : ", ") + o.key;
      *error = where + "unknown field \"" + key + "\" (known: " + known + ")";
      return false;
    }
    std::string textual;
    if (!JsonToText(value, &textual, key == "scrub_patterns" ? '\n' : ',')) {
      *error = where + "field \"" + key + "\": expected a string, number or boolean, got " +
               value.dump();
      return false;
    }
    std::string why2 = opt->apply(textual, c);
    if (!why2.empty()) {
      *error = where + "field \"" + key + "\": " + why2;
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view ModeName(Mode mode) { return mode == Mode::kBlock ? "block" : "monitor"; }

bool IsKnownVariable(std::string_view name) {
  if (name == "VIGIL_CONFIG" || name == "VIGIL_SPEC") return true;
  for (const Option& o : kOptions) {
    if (name == o.env) return true;
  }
  return false;
}

EnvLookup ProcessEnvironment() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

bool LoadConfig(const EnvLookup& env, Config* out, std::string* error) {
  try {
    Config c;
    if (const char* file = env("VIGIL_CONFIG"); file != nullptr && *file != '\0') {
      c.config_file = file;
      if (!LoadConfigFile(c.config_file, &c, error)) return false;
    }
    for (const Option& o : kOptions) {
      const char* v = env(o.env);
      if (v == nullptr) continue;
      std::string why = o.apply(v, &c);
      if (!why.empty()) {
        *error = std::string(o.env) + ": " + why;
        return false;
      }
    }
    if (!c.server_url.empty() && (c.api_key.empty() || c.server_key.empty())) {
      *error = std::string("VIGIL_SERVER is set but ") +
               (c.api_key.empty() ? "VIGIL_API_KEY is not (create one with `vigil-server key create`)"
                                  : "VIGIL_SERVER_KEY is not (the agent could not verify what the "
                                    "server sends; `vigil-server pubkey` prints it)");
      return false;
    }
    std::string why;
    if (!ValidateBlockSettings(c.block, &why)) {
      *error = "block response settings (VIGIL_BLOCK_*): " + why;
      return false;
    }
    *out = std::move(c);
    return true;
  } catch (const std::exception& e) {
    *error = std::string("configuration: ") + e.what();
  } catch (...) {
    *error = "configuration: unexpected error";
  }
  return false;
}

}  // namespace vigil::agent
