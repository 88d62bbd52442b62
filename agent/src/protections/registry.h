// Copyright Vigil authors.
//
// The agent's table of protections: for each row of
// include/vigil/protections.inc, the sinks it checks, how a rule of it is
// compiled, and how its parameters are checked against those sinks. The
// ruleset parser and the rules engine go through this table only, so a new
// protection is one row here (and its detector, its sinks and its rule).
#ifndef VIGIL_AGENT_PROTECTIONS_REGISTRY_H_
#define VIGIL_AGENT_PROTECTIONS_REGISTRY_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protections/protection_rule.h"
#include "protections/sink.h"
#include "rule_counters.h"
#include "ruleset.h"

namespace vigil::agent {

// The sinks of `protection` (a table that lives for the process).
std::span<const Sink> SinksOf(Protection protection);

// The sinks of `rule`'s protection that `pattern` names.
std::vector<const Sink*> MatchRuleSinks(const Rule& rule, std::string_view pattern);

// Compiles `rule` (validated by ParseRuleset) into the rule object its
// callbacks share.
std::shared_ptr<const ProtectionRule> CompileRule(const Rule& rule,
                                                  std::shared_ptr<const ProtectionSettings> settings,
                                                  std::shared_ptr<RuleCounters> counters);

// Checks a rule's hook_points and params against the sinks they name: every
// pattern names at least one sink of the rule's protection, and each "*_arg"
// parameter is an argument of the kind the protection reads there. On
// failure sets `field` ("hook_points[1]", "params.sql_arg") and `reason`.
bool ValidateRuleSinks(const Rule& rule, std::string* field, std::string* reason);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_PROTECTIONS_REGISTRY_H_
