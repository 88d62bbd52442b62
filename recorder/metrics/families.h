// Copyright Vigil authors.
//
// The metric families the agent records, by name, so that the agent, the
// heartbeat and the server agree on them (README.md lists them too):
//
//   counter   "requests"            label: outcome (allowed, blocked, monitored, error)
//   counter   "rule_checks"         label: rule id    statements checked
//   counter   "rule_findings"       label: rule id    injections found
//   counter   "rule_blocks"         label: rule id    statements made to fail
//   counter   "rule_skipped_budget" label: rule id    checks skipped: time budget spent
//   counter   "rule_errors"         label: rule id    internal errors (failed open)
//   histogram "protection_ns"       label: rule id    time spent in the rule's checks
//   histogram "hook_callback_ns"    label: hook point time spent in Vigil's callbacks
//
// Each bundle looks its metrics up once (at attach or rule load) and keeps
// the pointers, so recording is a pointer dereference and an atomic add.
#ifndef VIGIL_RECORDER_METRICS_FAMILIES_H_
#define VIGIL_RECORDER_METRICS_FAMILIES_H_

#include <cstdint>
#include <string_view>

#include "counter.h"
#include "histogram.h"
#include "registry.h"

namespace vigil::recorder {

// How a request protected by Vigil ended.
enum class RequestOutcome : uint8_t {
  kAllowed,    // nothing found
  kBlocked,    // an attack was found and the request blocked
  kMonitored,  // an attack was found and let through (monitor mode)
  kError,      // Vigil failed internally (and let the request through)
};
inline constexpr size_t kRequestOutcomeCount = 4;

// "allowed", "blocked", "monitored" or "error": the label of the outcome.
std::string_view RequestOutcomeLabel(RequestOutcome outcome) noexcept;

// Counter "requests", one per outcome.
class RequestOutcomeCounters {
 public:
  explicit RequestOutcomeCounters(MetricsRegistry& registry);

  void Count(RequestOutcome outcome) noexcept { by_outcome_[static_cast<size_t>(outcome)]->Add(1); }

 private:
  Counter* by_outcome_[kRequestOutcomeCount];
};

// The metrics of one rule (labelled with its id).
struct RuleMetrics {
  Counter* checks;
  Counter* findings;
  Counter* blocks;
  Counter* skipped_budget;
  Counter* errors;
  Histogram* protection_ns;

  static RuleMetrics For(MetricsRegistry& registry, std::string_view rule_id);
};

// The metrics of one hook point (labelled with its name).
struct HookPointMetrics {
  Histogram* callback_ns;

  static HookPointMetrics For(MetricsRegistry& registry, std::string_view hook_point);
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_METRICS_FAMILIES_H_
