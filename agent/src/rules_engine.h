// Copyright Vigil authors.
//
// The rules engine: turns a validated Ruleset into hook-engine attachments,
// and swaps rulesets at run time without a gap.
//
// A swap never leaves a call unprotected. For each (rule id, sink) that
// stays, the callbacks are swapped with vigil::Replace, which is atomic for
// running calls. Everything new is attached BEFORE anything old is detached,
// so during the swap a call runs the old callbacks, the new ones, or both
// (a finding recorded twice is merged, see ProtectionRule::Check). If attaching the
// new ruleset fails, what was attached of it is detached again and the old
// ruleset stays in force.
#ifndef VIGIL_AGENT_RULES_ENGINE_H_
#define VIGIL_AGENT_RULES_ENGINE_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rule_counters.h"
#include "ruleset.h"
#include "protections/protection_rule.h"
#include "protections/sink.h"
#include "vigil/hook.h"

namespace vigil::agent {

class RulesEngine {
 public:
  explicit RulesEngine(std::shared_ptr<const ProtectionSettings> settings);
  ~RulesEngine();  // detaches everything
  RulesEngine(const RulesEngine&) = delete;
  RulesEngine& operator=(const RulesEngine&) = delete;

  // Makes `ruleset` the one in force (it must have passed ParseRuleset). On
  // failure returns false with a one-line `error`, and the ruleset in force
  // is unchanged. Thread-safe (serialised).
  bool Apply(const Ruleset& ruleset, std::string* error);

  // Recompiles the ruleset in force with `settings` (mode, block response)
  // and swaps it in without a gap. On failure the previous settings stay.
  bool UpdateSettings(std::shared_ptr<const ProtectionSettings> settings, std::string* error);
  std::shared_ptr<const ProtectionSettings> settings() const;

  // Detaches everything.
  void Clear();

  // The version of the ruleset in force ("" before the first Apply).
  std::string version() const;
  // Counters of the rules in force, in ruleset order.
  std::vector<RuleStats> Stats() const;

  // Around fork() (the agent's atfork handlers): held by the forking thread,
  // so a child never finds it taken by a thread that did not come along.
  void LockForFork() const { mu_.lock(); }
  void UnlockAfterFork() const { mu_.unlock(); }
  // Live attachments (one per rule and sink).
  size_t attachment_count() const;
  // Sinks a rule attach was skipped for (type mismatch with a hook point of
  // the same name): they would never run, the rest of the ruleset does.
  uint64_t skipped_sinks() const;

 private:
  struct Installed {
    std::string rule_id;
    const Sink* sink = nullptr;
    int priority = 0;
    vigil::Attachment attachment;
    std::shared_ptr<const ProtectionRule> rule;
  };
  struct RuleInfo {
    std::string id;
    RuleMode mode;
    std::shared_ptr<RuleCounters> counters;
  };

  std::shared_ptr<RuleCounters> CountersFor(const std::string& id);
  bool ApplyLocked(const Ruleset& ruleset, std::string* error);

  std::shared_ptr<const ProtectionSettings> settings_;  // guarded by mu_
  Ruleset current_;  // the ruleset in force, guarded by mu_
  mutable std::mutex mu_;
  std::vector<Installed> installed_;
  std::vector<RuleInfo> rules_;  // in ruleset order, for Stats()
  std::map<std::string, std::shared_ptr<RuleCounters>> counters_;
  std::string version_;
  uint64_t skipped_sinks_ = 0;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_RULES_ENGINE_H_
