// Copyright Vigil authors.
//
// Counters of one rule. They live as long as any callback of the rule (shared
// ownership) and are carried over when a reloaded ruleset keeps the rule id,
// so totals survive reloads. Relaxed atomic adds: a check costs microseconds,
// an uncontended add a few nanoseconds.
#ifndef VIGIL_AGENT_RULE_COUNTERS_H_
#define VIGIL_AGENT_RULE_COUNTERS_H_

#include <atomic>
#include <cstdint>
#include <string>

namespace vigil::recorder {
class Histogram;
}

namespace vigil::agent {

struct RuleCounters {
  std::atomic<uint64_t> calls{0};           // sink calls seen
  std::atomic<uint64_t> checks{0};          // calls checked against request inputs
  std::atomic<uint64_t> no_request{0};      // calls outside a request: nothing to compare
  std::atomic<uint64_t> findings{0};        // injections found
  std::atomic<uint64_t> blocks{0};          // calls made to fail
  std::atomic<uint64_t> skipped_budget{0};  // checks (or their rest) skipped: budget spent
  std::atomic<uint64_t> incomplete{0};      // checks a detector limit left incomplete
  std::atomic<uint64_t> errors{0};          // internal errors (failed open)
  std::atomic<uint64_t> time_ns{0};         // time spent checking
  // Latency of one check, per interval (recorder/metrics: lock-free, lives
  // for the process). Null in tests that make counters by hand.
  recorder::Histogram* latency = nullptr;

  static void Add(std::atomic<uint64_t>& c, uint64_t n = 1) {
    c.fetch_add(n, std::memory_order_relaxed);
  }
};

// A copy of a rule's counters, for Agent::Stats() and tests.
struct RuleStats {
  std::string rule_id;
  std::string mode;  // the effective mode: "off", "monitor" or "block"
  uint64_t calls = 0, checks = 0, no_request = 0, findings = 0, blocks = 0,
           skipped_budget = 0, incomplete = 0, errors = 0, time_ns = 0;

  static RuleStats From(const std::string& id, const std::string& mode, const RuleCounters& c) {
    RuleStats s;
    s.rule_id = id;
    s.mode = mode;
    s.calls = c.calls.load(std::memory_order_relaxed);
    s.checks = c.checks.load(std::memory_order_relaxed);
    s.no_request = c.no_request.load(std::memory_order_relaxed);
    s.findings = c.findings.load(std::memory_order_relaxed);
    s.blocks = c.blocks.load(std::memory_order_relaxed);
    s.skipped_budget = c.skipped_budget.load(std::memory_order_relaxed);
    s.incomplete = c.incomplete.load(std::memory_order_relaxed);
    s.errors = c.errors.load(std::memory_order_relaxed);
    s.time_ns = c.time_ns.load(std::memory_order_relaxed);
    return s;
  }
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_RULE_COUNTERS_H_
