// Copyright Vigil authors.
#include "families.h"

namespace vigil::recorder {

std::string_view RequestOutcomeLabel(RequestOutcome outcome) noexcept {
  switch (outcome) {
    case RequestOutcome::kAllowed:
      return "allowed";
    case RequestOutcome::kBlocked:
      return "blocked";
    case RequestOutcome::kMonitored:
      return "monitored";
    case RequestOutcome::kError:
      return "error";
  }
  return "error";
}

RequestOutcomeCounters::RequestOutcomeCounters(MetricsRegistry& registry) {
  for (size_t i = 0; i < kRequestOutcomeCount; ++i) {
    by_outcome_[i] =
        registry.GetCounter("requests", RequestOutcomeLabel(static_cast<RequestOutcome>(i)));
  }
}

RuleMetrics RuleMetrics::For(MetricsRegistry& registry, std::string_view rule_id) {
  return RuleMetrics{
      .checks = registry.GetCounter("rule_checks", rule_id),
      .findings = registry.GetCounter("rule_findings", rule_id),
      .blocks = registry.GetCounter("rule_blocks", rule_id),
      .skipped_budget = registry.GetCounter("rule_skipped_budget", rule_id),
      .errors = registry.GetCounter("rule_errors", rule_id),
      .protection_ns = registry.GetHistogram("protection_ns", rule_id),
  };
}

HookPointMetrics HookPointMetrics::For(MetricsRegistry& registry, std::string_view hook_point) {
  return HookPointMetrics{.callback_ns = registry.GetHistogram("hook_callback_ns", hook_point)};
}

}  // namespace vigil::recorder
