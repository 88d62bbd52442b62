// Copyright Vigil authors.
//
// The agent's metrics (docs/protocol.md, section 5): requests by outcome and
// per-request protection time recorded on the request threads (lock-free,
// recorder/metrics), per-rule latency recorded by the protections, and the
// cumulative counters of rules and hook points turned into per-interval
// deltas when the recorder collects them for a heartbeat.
#ifndef VIGIL_AGENT_AGENT_METRICS_H_
#define VIGIL_AGENT_AGENT_METRICS_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "families.h"
#include "registry.h"
#include "rule_counters.h"

namespace vigil::agent {

class RequestContext;

class AgentMetrics {
 public:
  // The process-wide instance. Never destroyed: request threads may record
  // into it until the very end of the process.
  static AgentMetrics& Get();

  recorder::MetricsRegistry& registry() { return registry_; }

  // On the request's thread when it finishes. Never blocks.
  void CountRequest(const RequestContext& finished) noexcept;

  // The metrics of the interval since the previous call, including the
  // deltas of `rules` (cumulative counters) and of the hook points that
  // have callbacks attached. The recorder's thread only.
  nlohmann::json Collect(const std::vector<RuleStats>& rules);

  // Around fork() (the agent's atfork handlers): every lock held.
  void LockForFork();
  void UnlockAfterFork();

 private:
  AgentMetrics();
  void AddDelta(nlohmann::json& counters, const char* name, const std::string& label,
                uint64_t now, uint64_t* previous);

  recorder::MetricsRegistry registry_;
  recorder::RequestOutcomeCounters outcomes_;
  recorder::Histogram* request_protection_ns_;
  std::mutex collect_mu_;
  std::map<std::string, RuleStats> previous_rules_;
  struct HookTotals {
    uint64_t calls = 0, aborts = 0, errors = 0, callback_ns = 0;
  };
  std::map<std::string, HookTotals> previous_hooks_;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_AGENT_METRICS_H_
