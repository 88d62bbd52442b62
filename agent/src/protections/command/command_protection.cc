// Copyright Vigil authors.
#include "protections/command/command_protection.h"

#include <spawn.h>
#include <stdio.h>
#include <unistd.h>
#include <wordexp.h>

#include <cstring>
#include <string_view>
#include <vector>

#include "protections/libc_sink.h"
#include "shell/shell.h"

namespace vigil::agent {
namespace {

std::vector<shell::Input>& InputBuffer() {
  thread_local std::vector<shell::Input> buffer;  // reused: nothing allocated once warm
  return buffer;
}

std::vector<std::string_view>& ArgvBuffer() {
  thread_local std::vector<std::string_view> buffer;
  return buffer;
}

// The program and arguments as one line: what an event shows of an exec.
std::string Joined(std::string_view program, std::span<const std::string_view> argv,
                   const shell::Finding& f) {
  std::string out;
  auto add = [&](std::string_view part, bool marked) {
    if (!out.empty()) out.push_back(' ');
    out += marked ? MarkInput(part, f.begin, f.end) : std::string(part);
  };
  if (!program.empty() && (argv.empty() || argv[0] != program)) add(program, f.arg_index == -1);
  for (size_t i = 0; i < argv.size() && out.size() < kMaxMarkedBytes; ++i) {
    add(argv[i], static_cast<int32_t>(i) == f.arg_index);
  }
  if (out.size() > kMaxMarkedBytes) out.resize(kMaxMarkedBytes);
  return out;
}

template <typename Sig>
class CommandView final : public CommandCall {
 public:
  CommandView(LibcCall<Sig>& call, const CommandRule& rule) : call_(call), params_(rule.params()) {}
  std::string_view hook_name() const override { return call_.hook_name(); }
  const char* command() const override { return call_.Text(params_.command_arg); }
  char* const* argv() const override { return call_.Argv(params_.argv_arg); }
  const char* program() const override { return call_.Text(params_.program_arg); }
  bool FailCall() override { return call_.Fail(); }

 private:
  LibcCall<Sig>& call_;
  const CommandInjectionParams& params_;
};

constexpr Failure kMinusOne{-1, EACCES};
constexpr Failure kSpawnRefused{EPERM, 0};      // posix_spawn returns the error
constexpr Failure kWordexpRefused{WRDE_CMDSUB, 0};

template <typename Sig, Failure kFailure>
Sink ProcessSink(std::string_view name, std::string_view prototype) {
  return LibcSink<Sig, CommandRule, CommandView, kFailure>(name, "libc", prototype);
}

std::vector<Sink> BuildSinks() {
  using Exec = int(const char*, char* const*);
  using ExecEnv = int(const char*, char* const*, char* const*);
  using Spawn = int(pid_t*, const char*, const posix_spawn_file_actions_t*,
                    const posix_spawnattr_t*, char* const*, char* const*);
  std::vector<Sink> v;
  v.push_back(ProcessSink<int(const char*), kMinusOne>("system", "int system(const char* command)"));
  v.push_back(ProcessSink<FILE*(const char*, const char*), kMinusOne>(
      "popen", "FILE* popen(const char* command, const char* type)"));
  v.push_back(ProcessSink<int(const char*, wordexp_t*, int), kWordexpRefused>(
      "wordexp", "int wordexp(const char* words, wordexp_t* pwordexp, int flags)"));
  v.push_back(ProcessSink<Exec, kMinusOne>("execv", "int execv(const char* path, char* const argv[])"));
  v.push_back(ProcessSink<Exec, kMinusOne>("execvp", "int execvp(const char* file, char* const argv[])"));
  v.push_back(ProcessSink<ExecEnv, kMinusOne>(
      "execve", "int execve(const char* path, char* const argv[], char* const envp[])"));
  v.push_back(ProcessSink<ExecEnv, kMinusOne>(
      "execvpe", "int execvpe(const char* file, char* const argv[], char* const envp[])"));
  v.push_back(ProcessSink<Spawn, kSpawnRefused>(
      "posix_spawn", "int posix_spawn(pid_t* pid, const char* path, const posix_spawn_file_actions_t* "
                     "file_actions, const posix_spawnattr_t* attrp, char* const argv[], "
                     "char* const envp[])"));
  v.push_back(ProcessSink<Spawn, kSpawnRefused>(
      "posix_spawnp", "int posix_spawnp(pid_t* pid, const char* file, const posix_spawn_file_actions_t* "
                      "file_actions, const posix_spawnattr_t* attrp, char* const argv[], "
                      "char* const envp[])"));
  return v;
}

DetectVerdict ToVerdict(shell::Verdict v, const shell::Finding& f) {
  if (v == shell::Verdict::kInjection) return DetectVerdict::kAttack;
  if (v == shell::Verdict::kLimitExceeded) {
    return f.status == shell::Status::kTooManyInputs ? DetectVerdict::kIncomplete
                                                     : DetectVerdict::kIncompleteAll;
  }
  return DetectVerdict::kClean;
}

}  // namespace

CommandRule::CommandRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
                         std::shared_ptr<RuleCounters> counters)
    : ProtectionRule(rule, std::move(settings), std::move(counters)), params_(rule.command) {}

DetectVerdict CommandRule::Detect(ProtectionCall& base, std::span<const RequestInput> request_inputs,
                                  DetectResult* result) const {
  CommandCall& call = static_cast<CommandCall&>(base);
  std::vector<shell::Input>& inputs = InputBuffer();
  inputs.clear();
  for (const RequestInput& in : request_inputs) inputs.push_back({in.value, in.key});
  shell::Limits limits;
  limits.max_inputs = static_cast<uint32_t>(inputs.size());
  // Never read more than one byte past what the detector looks at.
  const size_t cap = limits.max_command_bytes + 1;
  shell::Finding found;

  if (const char* command = call.command(); command != nullptr) {
    const std::string_view text(command, strnlen(command, cap));
    const shell::Verdict v = shell::DetectShell(text, inputs, limits, &found);
    if (v == shell::Verdict::kInjection) {
      result->marked = MarkInput(text, found.begin, found.end);
    }
    result->input_index = found.input_index;
    result->reason = std::string(found.Reason());
    return ToVerdict(v, found);
  }
  char* const* argv = call.argv();
  if (argv == nullptr) return DetectVerdict::kClean;
  std::vector<std::string_view>& args = ArgvBuffer();
  args.clear();
  for (size_t i = 0; argv[i] != nullptr; ++i) {
    if (i >= limits.max_args) {
      // More arguments than the detector reads: one more makes it say so.
      args.emplace_back();
      break;
    }
    args.emplace_back(argv[i], strnlen(argv[i], cap));
  }
  const char* program = call.program();
  const std::string_view path = program != nullptr ? std::string_view(program, strnlen(program, cap))
                                                   : std::string_view();
  const shell::Verdict v = program != nullptr ? shell::DetectExec(path, args, inputs, limits, &found)
                                              : shell::DetectArgv(args, inputs, limits, &found);
  if (v == shell::Verdict::kInjection) result->marked = Joined(path, args, found);
  result->input_index = found.input_index;
  result->reason = std::string(found.Reason());
  return ToVerdict(v, found);
}

bool CommandRule::Fail(ProtectionCall& call) const {
  return static_cast<CommandCall&>(call).FailCall();
}

std::span<const Sink> KnownCommandSinks() {
  static const std::vector<Sink>* sinks = new std::vector<Sink>(BuildSinks());
  return *sinks;
}

bool ValidateCommandRuleSinks(const Rule& rule, std::string* field, std::string* reason) {
  const CommandInjectionParams& p = rule.command;
  return ValidateArg(rule, "command_arg", p.command_arg, ArgKind::kCString, false, field, reason) &&
         ValidateArg(rule, "argv_arg", p.argv_arg, ArgKind::kArgv, false, field, reason) &&
         ValidateArg(rule, "program_arg", p.program_arg, ArgKind::kCString, false, field, reason);
}

}  // namespace vigil::agent
