// Copyright Vigil authors.
#include "families.h"

#include <gtest/gtest.h>

namespace vigil::recorder {
namespace {

TEST(Families, RequestOutcomesAreCountedUnderTheirLabels) {
  MetricsRegistry registry;
  RequestOutcomeCounters requests(registry);
  requests.Count(RequestOutcome::kAllowed);
  requests.Count(RequestOutcome::kAllowed);
  requests.Count(RequestOutcome::kBlocked);
  requests.Count(RequestOutcome::kMonitored);
  requests.Count(RequestOutcome::kError);
  EXPECT_EQ(registry.GetCounter("requests", "allowed")->Value(), 2u);
  EXPECT_EQ(registry.GetCounter("requests", "blocked")->Value(), 1u);
  EXPECT_EQ(registry.GetCounter("requests", "monitored")->Value(), 1u);
  EXPECT_EQ(registry.GetCounter("requests", "error")->Value(), 1u);
}

TEST(Families, RuleMetricsAreLabelledWithTheRuleId) {
  MetricsRegistry registry;
  RuleMetrics rule = RuleMetrics::For(registry, "sqli-001");
  EXPECT_EQ(rule.checks, registry.GetCounter("rule_checks", "sqli-001"));
  EXPECT_EQ(rule.findings, registry.GetCounter("rule_findings", "sqli-001"));
  EXPECT_EQ(rule.blocks, registry.GetCounter("rule_blocks", "sqli-001"));
  EXPECT_EQ(rule.skipped_budget, registry.GetCounter("rule_skipped_budget", "sqli-001"));
  EXPECT_EQ(rule.errors, registry.GetCounter("rule_errors", "sqli-001"));
  EXPECT_EQ(rule.protection_ns, registry.GetHistogram("protection_ns", "sqli-001"));
  // Looking a rule up again (a reloaded ruleset) keeps its totals.
  EXPECT_EQ(RuleMetrics::For(registry, "sqli-001").checks, rule.checks);
  EXPECT_NE(RuleMetrics::For(registry, "sqli-002").checks, rule.checks);
}

TEST(Families, HookPointMetricsAreLabelledWithTheHookPoint) {
  MetricsRegistry registry;
  HookPointMetrics hook = HookPointMetrics::For(registry, "sqlite3_prepare_v2");
  EXPECT_EQ(hook.callback_ns, registry.GetHistogram("hook_callback_ns", "sqlite3_prepare_v2"));
}

}  // namespace
}  // namespace vigil::recorder
