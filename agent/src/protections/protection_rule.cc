// Copyright Vigil authors.
#include "protections/protection_rule.h"

#include <algorithm>
#include <utility>

#include "histogram.h"
#include "stack_trace.h"

namespace vigil::agent {
namespace {

bool SameFinding(const Finding& a, const Finding& b) {
  return a.rule_id == b.rule_id && a.hook_point == b.hook_point && a.input_key == b.input_key &&
         a.sink_value == b.sink_value && a.blocked == b.blocked;
}

}  // namespace

std::string MarkInput(std::string_view value, uint32_t begin, uint32_t end) {
  std::string out;
  if (begin <= end && end <= value.size()) {
    out.reserve(std::min(value.size() + 4, kMaxMarkedBytes));
    out.append(value.substr(0, begin)).append("[[").append(value.substr(begin, end - begin));
    out.append("]]").append(value.substr(end));
  } else {
    out.assign(value.substr(0, kMaxMarkedBytes));
  }
  if (out.size() > kMaxMarkedBytes) out.resize(kMaxMarkedBytes);
  return out;
}

RuleMode EffectiveMode(RuleMode rule, Mode global) {
  if (global == Mode::kMonitor && rule == RuleMode::kBlock) return RuleMode::kMonitor;
  return rule;
}

RuleMode EffectiveMode(RuleMode rule, Protection protection, const ProtectionSettings& settings) {
  if (settings.all_off) return RuleMode::kOff;
  const size_t i = static_cast<size_t>(protection);
  // RuleMode is ordered off < monitor < block: a cap is a minimum.
  if (i < kProtectionCount && settings.protection_mode[i].has_value()) {
    return std::min(rule, *settings.protection_mode[i]);
  }
  return EffectiveMode(rule, settings.global_mode);
}

ProtectionRule::ProtectionRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
                               std::shared_ptr<RuleCounters> counters)
    : id_(rule.id),
      protection_(rule.protection),
      mode_(EffectiveMode(rule.mode, rule.protection, *settings)),
      settings_(std::move(settings)),
      counters_(std::move(counters)) {}

void ProtectionRule::Check(ProtectionCall& call) const noexcept {
  RuleCounters::Add(counters_->calls);
  try {
    if (mode_ == RuleMode::kOff) return;
    RequestContext* ctx = CurrentRequest();
    if (ctx == nullptr) {
      RuleCounters::Add(counters_->no_request);
      return;
    }
    CheckInRequest(call, *ctx);
  } catch (...) {
    // Fail open: the call goes on as the application made it.
    RuleCounters::Add(counters_->errors);
  }
}

void ProtectionRule::CheckInRequest(ProtectionCall& call, RequestContext& ctx) const {
  const std::vector<RequestInput>& inputs = ctx.inputs();
  if (inputs.empty()) return;  // nothing the client controls
  const uint64_t start = NowNs();
  const uint64_t deadline = CheckDeadline(settings_->budgets, ctx, start);
  if (deadline == 0) {
    RuleCounters::Add(counters_->skipped_budget);
    ++ctx.checks_skipped;
    return;
  }
  RuleCounters::Add(counters_->checks);

  const size_t step = std::max<uint32_t>(1, settings_->inputs_per_step);
  DetectResult result;
  size_t found = inputs.size();  // the attacking input's index, if any
  bool skipped = false;
  for (size_t off = 0; off < inputs.size(); off += step) {
    if (off > 0 && NowNs() >= deadline) {
      skipped = true;  // the rest of the inputs stay unchecked: never wait
      break;
    }
    const size_t n = std::min(step, inputs.size() - off);
    const DetectVerdict v = Detect(call, std::span<const RequestInput>(inputs.data() + off, n), &result);
    if (v == DetectVerdict::kAttack) {
      found = off + std::min(result.input_index, n - 1);
      break;
    }
    if (v == DetectVerdict::kIncomplete || v == DetectVerdict::kIncompleteAll) {
      RuleCounters::Add(counters_->incomplete);
      if (v == DetectVerdict::kIncompleteAll) break;
    }
  }
  const uint64_t elapsed = NowNs() - start;
  ChargeRequest(ctx, elapsed);
  RuleCounters::Add(counters_->time_ns, elapsed);
  if (counters_->latency != nullptr) counters_->latency->Record(elapsed);
  if (skipped) {
    RuleCounters::Add(counters_->skipped_budget);
    ++ctx.checks_skipped;
  }
  if (found < inputs.size()) Record(call, ctx, inputs[found], result);
}

void ProtectionRule::Record(ProtectionCall& call, RequestContext& ctx, const RequestInput& input,
                            DetectResult& result) const {
  RuleCounters::Add(counters_->findings);
  Finding finding;
  finding.rule_id = id_;
  finding.protection = std::string(ProtectionName(protection_));
  finding.hook_point = std::string(call.hook_name());
  finding.input_key = input.key;
  finding.input_value = input.value;
  finding.sink_value = std::move(result.marked);
  finding.reason = std::move(result.reason);
  finding.stack = CaptureStack(/*skip=*/2);
  if (mode_ == RuleMode::kBlock) {
    if (Fail(call)) {
      finding.blocked = true;
      RuleCounters::Add(counters_->blocks);
      if (!ctx.blocked()) ctx.Block(MakeBlockResponse(settings_->block, ctx.accept, ctx.request_id));
    } else {
      RuleCounters::Add(counters_->errors);
    }
  }
  // While a ruleset is being swapped, a call may run the old and the new
  // callbacks of one rule: record the finding once.
  for (const Finding& f : ctx.findings()) {
    if (SameFinding(f, finding)) return;
  }
  ctx.AddFinding(std::move(finding));
}

}  // namespace vigil::agent
