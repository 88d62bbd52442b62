// Copyright Vigil authors.
#include "rules_engine.h"

#include <set>
#include <utility>

#include "agent_log.h"
#include "agent_metrics.h"
#include "protections/registry.h"

namespace vigil::agent {
namespace {

// One (rule, sink) pair of a ruleset being applied.
struct Target {
  const Rule* rule;
  const Sink* sink;
  std::shared_ptr<const ProtectionRule> compiled;
};

}  // namespace

RulesEngine::RulesEngine(std::shared_ptr<const ProtectionSettings> settings)
    : settings_(std::move(settings)) {}

RulesEngine::~RulesEngine() { Clear(); }

std::shared_ptr<RuleCounters> RulesEngine::CountersFor(const std::string& id) {
  auto it = counters_.find(id);
  if (it != counters_.end()) return it->second;
  auto c = std::make_shared<RuleCounters>();
  c->latency = AgentMetrics::Get().registry().GetHistogram("protection_ns", id);
  counters_.emplace(id, c);
  return c;
}

bool RulesEngine::Apply(const Ruleset& ruleset, std::string* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!ApplyLocked(ruleset, error)) return false;
  try {
    current_ = ruleset;
  } catch (...) {
  }
  return true;
}

bool RulesEngine::UpdateSettings(std::shared_ptr<const ProtectionSettings> settings,
                                 std::string* error) {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<const ProtectionSettings> previous = settings_;
  settings_ = std::move(settings);
  // The rules compile the settings in (mode, block response): recompile the
  // ruleset in force with the new ones; same gap-free swap as a new ruleset.
  if (!ApplyLocked(current_, error)) {
    settings_ = std::move(previous);
    return false;
  }
  return true;
}

std::shared_ptr<const ProtectionSettings> RulesEngine::settings() const {
  std::lock_guard<std::mutex> lock(mu_);
  return settings_;
}

bool RulesEngine::ApplyLocked(const Ruleset& ruleset, std::string* error) {
  try {
    // 1. Compile: one rule object per rule, one target per (rule, sink).
    std::vector<Target> targets;
    std::vector<RuleInfo> infos;
    std::map<std::string, std::shared_ptr<RuleCounters>> counters;
    for (const Rule& rule : ruleset.rules) {
      std::shared_ptr<RuleCounters> c = CountersFor(rule.id);
      counters.emplace(rule.id, c);
      const RuleMode mode = EffectiveMode(rule.mode, rule.protection, *settings_);
      infos.push_back({rule.id, mode, c});
      if (mode == RuleMode::kOff) continue;  // attaches nothing
      std::shared_ptr<const ProtectionRule> compiled = CompileRule(rule, settings_, c);
      std::set<const Sink*> seen;
      for (const std::string& pattern : rule.hook_points) {
        for (const Sink* sink : MatchRuleSinks(rule, pattern)) {
          if (seen.insert(sink).second) targets.push_back({&rule, sink, compiled});
        }
      }
    }

    // 2. Pair each target with an attachment of the same (rule id, sink,
    // priority) in force, if any: those are swapped in place.
    std::vector<int> reuse(targets.size(), -1);
    std::vector<bool> reused(installed_.size(), false);
    for (size_t t = 0; t < targets.size(); ++t) {
      for (size_t i = 0; i < installed_.size(); ++i) {
        const Installed& old = installed_[i];
        if (!reused[i] && old.rule_id == targets[t].rule->id && old.sink == targets[t].sink &&
            old.priority == targets[t].rule->priority) {
          reuse[t] = static_cast<int>(i);
          reused[i] = true;
          break;
        }
      }
    }

    // 3. Attach what is new. Nothing in force has changed yet, so a failure
    // here only has to detach what this step attached.
    std::vector<Installed> next(targets.size());
    std::vector<bool> keep(targets.size(), true);
    std::vector<vigil::Attachment> attached_now;
    uint64_t skipped = 0;
    auto attach = [&](size_t t, std::string* why) -> bool {
      const Target& target = targets[t];
      vigil::AttachOptions options;
      options.priority = target.rule->priority;
      // Sinks are attached by symbol before the image that calls them may be
      // loaded: start-up runs before the executable registers its hook
      // points, and libraries come later with dlopen.
      options.allow_pending = true;
      vigil::StatusOr<vigil::Attachment> a =
          target.sink->attach(*target.sink, target.compiled, options);
      if (a.ok()) {
        next[t].attachment = *a;
        attached_now.push_back(*a);
        return true;
      }
      if (a.status().code() == vigil::StatusCode::kTypeMismatch) {
        // A function of the same name but another type (the program's own):
        // this sink cannot be protected; the rest of the ruleset can.
        LogWarn("rule \"" + target.rule->id + "\": " + a.status().message());
        ++skipped;
        keep[t] = false;
        return true;
      }
      *why = "rule \"" + target.rule->id + "\": cannot attach to " +
             std::string(target.sink->name) + ": " + a.status().message();
      return false;
    };
    for (size_t t = 0; t < targets.size(); ++t) {
      next[t].rule_id = targets[t].rule->id;
      next[t].sink = targets[t].sink;
      next[t].priority = targets[t].rule->priority;
      next[t].rule = targets[t].compiled;
      if (reuse[t] >= 0) continue;
      std::string why;
      if (!attach(t, &why)) {
        for (vigil::Attachment a : attached_now) (void)vigil::Detach(a);
        *error = why;
        return false;
      }
    }

    // 4. Swap the callbacks of what stays (atomic for running calls).
    for (size_t t = 0; t < targets.size(); ++t) {
      if (reuse[t] < 0) continue;
      const Installed& old = installed_[static_cast<size_t>(reuse[t])];
      vigil::Status s = targets[t].sink->replace(old.attachment, *targets[t].sink,
                                                 targets[t].compiled);
      if (s.ok()) {
        next[t].attachment = old.attachment;
        continue;
      }
      // Refused (e.g. the old callbacks were disabled after errors): attach
      // afresh; the old attachment is detached with the rest below.
      reused[static_cast<size_t>(reuse[t])] = false;
      std::string why;
      if (!attach(t, &why)) {
        LogWarn(why);
        keep[t] = false;
      }
    }

    // 5. Only now detach what the new ruleset no longer has.
    for (size_t i = 0; i < installed_.size(); ++i) {
      if (!reused[i]) (void)vigil::Detach(installed_[i].attachment);
    }
    installed_.clear();
    for (size_t t = 0; t < next.size(); ++t) {
      if (keep[t]) installed_.push_back(std::move(next[t]));
    }
    rules_ = std::move(infos);
    counters_ = std::move(counters);
    version_ = ruleset.version;
    skipped_sinks_ = skipped;
    return true;
  } catch (const std::exception& e) {
    *error = std::string("internal error applying the ruleset: ") + e.what();
  } catch (...) {
    *error = "internal error applying the ruleset";
  }
  return false;
}

void RulesEngine::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Installed& i : installed_) (void)vigil::Detach(i.attachment);
  installed_.clear();
  rules_.clear();
  version_.clear();
}

std::string RulesEngine::version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return version_;
}

std::vector<RuleStats> RulesEngine::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<RuleStats> out;
  for (const RuleInfo& r : rules_) {
    out.push_back(RuleStats::From(r.id, std::string(RuleModeName(r.mode)), *r.counters));
  }
  return out;
}

size_t RulesEngine::attachment_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return installed_.size();
}

uint64_t RulesEngine::skipped_sinks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return skipped_sinks_;
}

}  // namespace vigil::agent
