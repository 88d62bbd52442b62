// Copyright Vigil authors.
#include "agent_metrics.h"

#include "request_context.h"
#include "vigil/hook.h"

namespace vigil::agent {

AgentMetrics& AgentMetrics::Get() {
  static AgentMetrics* instance = new AgentMetrics();
  return *instance;
}

AgentMetrics::AgentMetrics()
    : outcomes_(registry_),
      request_protection_ns_(registry_.GetHistogram("request_protection_ns", "all")) {}

void AgentMetrics::CountRequest(const RequestContext& ctx) noexcept {
  using recorder::RequestOutcome;
  const RequestOutcome outcome = ctx.blocked()              ? RequestOutcome::kBlocked
                                 : !ctx.findings().empty() ? RequestOutcome::kMonitored
                                                           : RequestOutcome::kAllowed;
  outcomes_.Count(outcome);
  if (ctx.protection_ns > 0) request_protection_ns_->Record(ctx.protection_ns);
}

void AgentMetrics::LockForFork() {
  collect_mu_.lock();
  registry_.LockForFork();
}

void AgentMetrics::UnlockAfterFork() {
  registry_.UnlockAfterFork();
  collect_mu_.unlock();
}

void AgentMetrics::AddDelta(nlohmann::json& counters, const char* name, const std::string& label,
                            uint64_t now, uint64_t* previous) {
  // A counter can only go down when its rule was dropped and re-created;
  // then everything it holds is new.
  const uint64_t delta = now >= *previous ? now - *previous : now;
  *previous = now;
  if (delta > 0) counters.push_back({{"name", name}, {"label", label}, {"value", delta}});
}

nlohmann::json AgentMetrics::Collect(const std::vector<RuleStats>& rules) {
  std::lock_guard<std::mutex> lock(collect_mu_);
  nlohmann::json out = registry_.CollectInterval().ToJson();
  if (!out.contains("counters") || !out["counters"].is_array()) out["counters"] = nlohmann::json::array();
  nlohmann::json& counters = out["counters"];
  for (const RuleStats& r : rules) {
    RuleStats& prev = previous_rules_[r.rule_id];
    AddDelta(counters, "rule_checks", r.rule_id, r.checks, &prev.checks);
    AddDelta(counters, "rule_findings", r.rule_id, r.findings, &prev.findings);
    AddDelta(counters, "rule_blocks", r.rule_id, r.blocks, &prev.blocks);
    AddDelta(counters, "rule_skipped", r.rule_id, r.skipped_budget, &prev.skipped_budget);
    AddDelta(counters, "rule_errors", r.rule_id, r.errors, &prev.errors);
  }
  for (const vigil::HookInfo& h : vigil::FindHooks("*")) {
    if (h.callbacks == 0) continue;
    auto stats = vigil::GetHookStats(h.symbol);
    if (!stats.ok()) continue;
    HookTotals& prev = previous_hooks_[h.name];
    AddDelta(counters, "hook_calls", h.name, stats->calls, &prev.calls);
    AddDelta(counters, "hook_aborts", h.name, stats->aborts, &prev.aborts);
    AddDelta(counters, "hook_errors", h.name, stats->callback_errors, &prev.errors);
    AddDelta(counters, "hook_callback_ns", h.name, stats->EstimatedCallbackNs(), &prev.callback_ns);
  }
  return out;
}

}  // namespace vigil::agent
