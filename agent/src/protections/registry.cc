// Copyright Vigil authors.
#include "protections/registry.h"

#include <iterator>

#include "protections/command/command_protection.h"
#include "protections/path/path_protection.h"
#include "sql_protection.h"
#include "sql_sinks.h"

namespace vigil::agent {
namespace {

template <typename R>
std::shared_ptr<const ProtectionRule> Compile(const Rule& rule,
                                              std::shared_ptr<const ProtectionSettings> settings,
                                              std::shared_ptr<RuleCounters> counters) {
  return std::make_shared<const R>(rule, std::move(settings), std::move(counters));
}

struct Row {
  Protection protection;
  std::span<const Sink> (*sinks)();
  std::shared_ptr<const ProtectionRule> (*compile)(const Rule&,
                                                   std::shared_ptr<const ProtectionSettings>,
                                                   std::shared_ptr<RuleCounters>);
  bool (*validate)(const Rule&, std::string*, std::string*);
};

// In the order of include/vigil/protections.inc.
constexpr Row kRows[] = {
    {Protection::kSqlInjection, &KnownSqlSinks, &Compile<SqlRule>, &ValidateSqlRuleSinks},
    {Protection::kCommandInjection, &KnownCommandSinks, &Compile<CommandRule>,
     &ValidateCommandRuleSinks},
    {Protection::kPathTraversal, &KnownPathSinks, &Compile<PathRule>, &ValidatePathRuleSinks},
};
static_assert(std::size(kRows) == kProtectionCount, "one row per protection");

const Row& RowOf(Protection p) {
  for (const Row& r : kRows) {
    if (r.protection == p) return r;
  }
  return kRows[0];  // unreachable: every enumerator has a row (static_assert above)
}

}  // namespace

std::span<const Sink> SinksOf(Protection protection) { return RowOf(protection).sinks(); }

std::vector<const Sink*> MatchRuleSinks(const Rule& rule, std::string_view pattern) {
  return MatchSinks(SinksOf(rule.protection), pattern);
}

std::shared_ptr<const ProtectionRule> CompileRule(const Rule& rule,
                                                  std::shared_ptr<const ProtectionSettings> settings,
                                                  std::shared_ptr<RuleCounters> counters) {
  return RowOf(rule.protection).compile(rule, std::move(settings), std::move(counters));
}

bool ValidateRuleSinks(const Rule& rule, std::string* field, std::string* reason) {
  const Row& row = RowOf(rule.protection);
  for (size_t i = 0; i < rule.hook_points.size(); ++i) {
    if (MatchSinks(row.sinks(), rule.hook_points[i]).empty()) {
      *field = "hook_points[" + std::to_string(i) + "]";
      *reason = "\"" + rule.hook_points[i] + "\" matches no known " +
                std::string(ProtectionLabel(rule.protection)) + " sink (docs/ruleset.md lists them)";
      return false;
    }
  }
  return row.validate(rule, field, reason);
}

}  // namespace vigil::agent
