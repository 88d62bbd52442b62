// Copyright Vigil authors.
//
// What every protection shares: its settings, its mode, and the generic part
// of a check, written once. A protection (SQL injection, command injection,
// path traversal ...) supplies only what differs: how to read the value a
// sink is about to use and compare it with the request's inputs (Detect),
// and how to make the call fail the way its library fails (Fail).
//
// ProtectionRule::Check, for one call of a sink:
//   1. The rule is off: nothing. No current HTTP request: nothing to compare
//      the call with (counted); done.
//   2. Budget left (budget.h)? Otherwise the check is skipped and counted.
//   3. Detect runs over the request's inputs in chunks, with the clock read
//      between chunks: a check past its budget stops there (counted), it is
//      never waited for.
//   4. A finding is recorded on the request (once, even while a ruleset swap
//      runs the old and new callbacks of one rule). In block mode Fail makes
//      the call fail and the request is answered with the block response.
// Everything is noexcept: an internal error is counted and the call goes on
// unchanged (fail open).
#ifndef VIGIL_AGENT_PROTECTIONS_PROTECTION_RULE_H_
#define VIGIL_AGENT_PROTECTIONS_PROTECTION_RULE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "block_response.h"
#include "budget.h"
#include "config.h"
#include "request_context.h"
#include "rule_counters.h"
#include "ruleset.h"

namespace vigil::agent {

// Settings every protection of one agent shares. Immutable once built.
struct ProtectionSettings {
  Mode global_mode = Mode::kMonitor;
  // Set from the server (docs/protocol.md, settings actions): every
  // protection off, and per protection a mode that takes the place of the
  // global mode for its rules (block here blocks in a monitor-mode agent).
  bool all_off = false;
  std::array<std::optional<RuleMode>, kProtectionCount> protection_mode{};
  Budgets budgets;
  BlockSettings block;
  // Longest statement read from a SQL sink (sqli::Limits).
  uint32_t max_statement_bytes = 64 * 1024;
  // Inputs compared per detector call between two clock reads. A detector
  // call re-reads the sink's value when an input occurs in it, so the step
  // is large: most requests are checked in one call.
  uint32_t inputs_per_step = 128;
};

// The mode a rule runs in: its own, capped by the global mode.
RuleMode EffectiveMode(RuleMode rule, Mode global);
// The same, also capped by the server's settings (all off, per protection).
RuleMode EffectiveMode(RuleMode rule, Protection protection, const ProtectionSettings& settings);

// One call of a sink, as a protection sees it. Each protection derives its
// own (the SQL text, the command, the path) over the typed hook-engine call.
class ProtectionCall {
 public:
  virtual ~ProtectionCall() = default;
  virtual std::string_view hook_name() const = 0;
};

// What Detect says about one chunk of inputs.
enum class DetectVerdict : uint8_t {
  kClean,          // no input of the chunk changes the value's structure
  kAttack,         // one does: DetectResult says which
  kIncomplete,     // a detector limit left this chunk partly unchecked
  kIncompleteAll,  // a limit that holds for every chunk (the value is too long)
};

struct DetectResult {
  size_t input_index = 0;  // within the chunk passed to Detect
  std::string marked;      // the sink's value, the injected part marked
  std::string reason;      // one line: what the input did
};

// Bytes of a sink's value kept in a finding.
inline constexpr size_t kMaxMarkedBytes = 4096;

// `value` with its bytes [begin, end) between "[[" and "]]" (the whole value,
// unmarked, if the range lies outside it), cut to kMaxMarkedBytes: what a
// finding shows of the command or path an input changed.
std::string MarkInput(std::string_view value, uint32_t begin, uint32_t end);

// One compiled rule of a protection: what its callbacks share. Immutable.
class ProtectionRule {
 public:
  ProtectionRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
                 std::shared_ptr<RuleCounters> counters);
  virtual ~ProtectionRule() = default;
  ProtectionRule(const ProtectionRule&) = delete;
  ProtectionRule& operator=(const ProtectionRule&) = delete;

  // Runs the protection for one call (steps 1-4 above). Never throws.
  void Check(ProtectionCall& call) const noexcept;

  const std::string& id() const { return id_; }
  Protection protection() const { return protection_; }
  RuleMode mode() const { return mode_; }
  const ProtectionSettings& settings() const { return *settings_; }
  const RuleCounters& counters() const { return *counters_; }

 protected:
  // Compares what `call` is about to use with `inputs` (a chunk of the
  // request's inputs). May throw (counted as an error; the call goes on).
  virtual DetectVerdict Detect(ProtectionCall& call, std::span<const RequestInput> inputs,
                               DetectResult* result) const = 0;
  // Makes the call fail as its library fails. Returns false if it could not
  // (counted as an error; the call goes on).
  virtual bool Fail(ProtectionCall& call) const = 0;

 private:
  void CheckInRequest(ProtectionCall& call, RequestContext& ctx) const;
  void Record(ProtectionCall& call, RequestContext& ctx, const RequestInput& input,
              DetectResult& result) const;

  std::string id_;
  Protection protection_;
  RuleMode mode_;  // effective
  std::shared_ptr<const ProtectionSettings> settings_;
  std::shared_ptr<RuleCounters> counters_;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_PROTECTIONS_PROTECTION_RULE_H_
