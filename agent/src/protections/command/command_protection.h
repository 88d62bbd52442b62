// Copyright Vigil authors.
//
// The command-injection protection: what runs in the prolog of a process
// sink (system, popen, wordexp, execv*, posix_spawn*). The generic steps are
// ProtectionRule's; what is its own:
//   - Detect: the detector (shell/shell.h) compares the shell text, or the
//     program and argument vector (a shell's -c text read as shell text),
//     with the request's inputs;
//   - Fail: nothing is executed; the call fails as it fails on its own:
//     system -1 and popen NULL with errno EACCES, exec* -1 with EACCES,
//     posix_spawn* EPERM (its result, as it reports errors), wordexp
//     WRDE_CMDSUB (a command substitution was refused).
//
// execl, execlp and execle are variadic: they have no hook point yet (the
// hook engine's call sites take fixed types).
#ifndef VIGIL_AGENT_PROTECTIONS_COMMAND_COMMAND_PROTECTION_H_
#define VIGIL_AGENT_PROTECTIONS_COMMAND_COMMAND_PROTECTION_H_

#include <memory>
#include <span>
#include <string>

#include "protections/protection_rule.h"
#include "protections/sink.h"
#include "ruleset.h"

namespace vigil::agent {

// One call of a process sink, as the check needs it.
class CommandCall : public ProtectionCall {
 public:
  virtual const char* command() const = 0;  // params.command_arg, or null
  virtual char* const* argv() const = 0;    // params.argv_arg, or null
  virtual const char* program() const = 0;  // params.program_arg, or null
  virtual bool FailCall() = 0;
};

class CommandRule final : public ProtectionRule {
 public:
  CommandRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
              std::shared_ptr<RuleCounters> counters);

  const CommandInjectionParams& params() const { return params_; }

 private:
  DetectVerdict Detect(ProtectionCall& call, std::span<const RequestInput> inputs,
                       DetectResult* result) const override;
  bool Fail(ProtectionCall& call) const override;

  CommandInjectionParams params_;
};

// Every known process sink.
std::span<const Sink> KnownCommandSinks();

// Checks command_arg, argv_arg and program_arg against the sinks the rule
// names.
bool ValidateCommandRuleSinks(const Rule& rule, std::string* field, std::string* reason);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_PROTECTIONS_COMMAND_COMMAND_PROTECTION_H_
