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
