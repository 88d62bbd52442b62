// Copyright Vigil authors.
//
// The agent's configuration: environment variables, optionally preceded by a
// JSON file named by VIGIL_CONFIG (the environment wins over the file).
// docs/agent.md is the reference for every option.
//
// Loading either succeeds completely or fails with ONE line naming the
// option, what was expected and what was found, e.g.
//   VIGIL_MODE: expected monitor or block, got 'blok'
// so that the start-up code can print "vigil: agent not started: <line>".
#ifndef VIGIL_AGENT_CONFIG_H_
#define VIGIL_AGENT_CONFIG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent_log.h"
#include "block_response.h"

namespace vigil::agent {

// The global protection mode. It caps every rule's own mode: in kMonitor,
// rules only record.
enum class Mode : uint8_t { kMonitor, kBlock };
std::string_view ModeName(Mode mode);

// Which requests get a "request" record in the events file.
enum class RequestRecords : uint8_t {
  kFindings,  // only requests with findings (the default)
  kAll,       // every request
  kNone,      // none: findings only
};

struct Config {
  // VIGIL_DISABLED: attach nothing, start no thread.
  bool disabled = false;
  // VIGIL_MODE.
  Mode mode = Mode::kMonitor;
  // VIGIL_RULES: a ruleset file replacing the built-in default; empty means
  // the built-in default ruleset. Reloaded when its modification time changes.
  std::string rules_file;
  // VIGIL_EVENTS: the JSON-lines events file; empty disables events.
  std::string events_file = "vigil-events.jsonl";
  // VIGIL_EVENTS_MAX_BYTES: size at which the events file is rotated.
  uint64_t events_max_bytes = 16ull << 20;
  // VIGIL_EVENTS_KEEP: rotated files kept (FILE.1 .. FILE.N); 0 keeps none.
  uint32_t events_keep = 3;
  // VIGIL_EVENTS_REQUESTS: findings | all | none.
  RequestRecords request_records = RequestRecords::kFindings;
  // VIGIL_EVENTS_QUEUE: requests waiting to be written; more are dropped.
  uint32_t events_queue = 4096;
  // VIGIL_BLOCK_STATUS, VIGIL_BLOCK_REDIRECT, VIGIL_BLOCK_HTML, VIGIL_BLOCK_JSON
  // (the last two name template files, read at start-up).
  BlockSettings block;
  // VIGIL_TRUSTED_PROXIES: comma-separated addresses or networks whose
  // X-Forwarded-For is believed ("10.0.0.0/8,::1"), validated.
  std::vector<std::string> trusted_proxies;
  // VIGIL_LOG_LEVEL.
  LogLevel log_level = LogLevel::kWarn;
  // VIGIL_CHECK_BUDGET_US: time one protection check may take.
  uint32_t check_budget_us = 1000;
  // VIGIL_REQUEST_BUDGET_US: time all protections of one request may take.
  uint32_t request_budget_us = 10000;
  // VIGIL_RULES_POLL_MS: how often VIGIL_RULES is checked for changes; 0
  // turns polling off (reload through the API only).
  uint32_t rules_poll_ms = 1000;
  // -- Delivery to vigil-server (docs/agent.md, "Server"). --
  // VIGIL_SERVER: the server's base URL; empty keeps events in the local
  // file. With it, VIGIL_API_KEY and VIGIL_SERVER_KEY are required.
  std::string server_url;
  // VIGIL_API_KEY: the application's key, created on the server.
  std::string api_key;
  // VIGIL_SERVER_KEY: the server's Ed25519 public key (base64); actions not
  // signed with it are refused.
  std::string server_key;
  // VIGIL_APP_NAME: the application's name; default the program's name.
  std::string app_name;
  // VIGIL_SPOOL_DIR: where undelivered batches wait ("" keeps them in memory).
  std::string spool_dir = "vigil-spool";
  // VIGIL_SPOOL_MAX_BYTES: the spool's bound; past it the oldest are dropped.
  uint64_t spool_max_bytes = 64ull << 20;
  // VIGIL_BATCH_EVENTS, VIGIL_BATCH_SECONDS: a batch is sent when it holds
  // this many events or its oldest is this old.
  uint32_t batch_events = 1000;
  uint32_t batch_seconds = 20;
  // VIGIL_HEARTBEAT_SECONDS: until the server says otherwise.
  uint32_t heartbeat_seconds = 60;
  // VIGIL_OTLP_URL: also export events as OpenTelemetry logs (OTLP/HTTP JSON,
  // e.g. http://127.0.0.1:4318/v1/logs).
  std::string otlp_url;

  // -- Scrubbing of everything that leaves the process. --
  // VIGIL_SCRUB: on (default) or off.
  bool scrub = true;
  // VIGIL_SCRUB_KEYS: more sensitive key words, comma-separated.
  std::vector<std::string> scrub_keys;
  // VIGIL_SCRUB_PATTERNS: regular expressions (RE2) whose matches are
  // redacted, one per line (a JSON array in the config file).
  std::vector<std::string> scrub_patterns;

  // VIGIL_CONFIG: the file the above came from, if any (informational).
  std::string config_file;
};

// How configuration reads the environment (getenv in production, a map in
// tests). Returns null for an unset variable.
using EnvLookup = std::function<const char*(const char* name)>;

// The process environment.
EnvLookup ProcessEnvironment();

// True for the environment variables this file reads (and VIGIL_CONFIG,
// and VIGIL_SPEC, which belongs to the compiler drivers).
bool IsKnownVariable(std::string_view name);

// Builds the configuration from `env` (and the file VIGIL_CONFIG names).
// On failure returns false and sets `error` to one line naming the option.
bool LoadConfig(const EnvLookup& env, Config* out, std::string* error);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_CONFIG_H_
