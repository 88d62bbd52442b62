// Copyright Vigil authors.
//
// The argv sinks: ShellCommandIndex() recognises "sh -c TEXT" and its
// relatives (also behind env and nohup); DetectArgv() hands that TEXT to
// DetectShell() and examines the other entries itself -- argv[0] (and
// DetectExec()'s path, and the program env or nohup runs) as the program,
// the rest as arguments, where only an option the input starts matters (no
// shell reads them: blanks, quotes and ';' are plain bytes there).
#include <algorithm>

#include "finding_internal.h"
#include "limits_internal.h"
#include "occurrence.h"
#include "search.h"
#include "shell.h"

namespace vigil::shell {
namespace {

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsShellName(std::string_view name) {
  static constexpr std::string_view kShells[] = {"sh", "bash", "dash", "zsh", "ksh",
                                                 "mksh", "ash", "rbash", "ksh93", "pdksh"};
  return std::find(std::begin(kShells), std::end(kShells), name) != std::end(kShells);
}

// What an input occurrence [pos, pos + len) does in one argv entry.
enum class ArgRole : uint8_t { kProgram, kArgument };

uint16_t ArgEffect(std::string_view arg, size_t pos, size_t len, ArgRole role) {
  if (role == ArgRole::kProgram) {
    // The whole program, or its whole last path component: "/opt/tools/{IN}".
    const bool starts = pos == 0 || arg[pos - 1] == '/';
    return starts && pos + len == arg.size() ? kIsProgram : 0;
  }
  // The whole argument, option-like.
  return pos == 0 && len == arg.size() && internal::IsOptionLike(arg) ? kStartsOption : 0;
}

void WriteArgReason(uint16_t effect, int32_t arg_index, Finding* f) {
  f->reason_size = 0;
  internal::ReasonWriter w(f);
  w.Append(effect == kIsProgram ? "input is the program" : "input starts an option");
  if (arg_index >= 0) {
    w.Append(" (argv[");
    w.AppendNumber(static_cast<uint64_t>(arg_index));
    w.Append("])");
  } else {
    w.Append(" (path)");
  }
}

// Examines one argv entry (or the path, arg_index -1) for every input.
// Returns true with `*f` filled when an input injects.
bool ExamineArg(std::string_view arg, int32_t arg_index, ArgRole role,
                std::span<const Input> inputs, size_t min_len, Finding* f) {
  if (arg.size() < min_len) return false;
  // An argument that is not option-like cannot be an option.
  if (role == ArgRole::kArgument && !internal::IsOptionLike(arg)) return false;
  for (size_t index = 0; index < inputs.size(); ++index) {
    const internal::NeedleMatch m = internal::FindNeedle(arg, inputs[index].value, min_len, nullptr);
    for (size_t pos = m.pos; pos != internal::npos;
         pos = internal::NextOccurrence(arg, m.needle, pos + 1)) {
      const uint16_t effect = ArgEffect(arg, pos, m.needle.text.size(), role);
      if (effect == 0) continue;
      internal::SetInjection(index, inputs[index], static_cast<uint32_t>(pos),
                             static_cast<uint32_t>(pos + m.needle.text.size()), effect, f);
      f->arg_index = arg_index;
      f->flags = kInArgv;
      WriteArgReason(effect, arg_index, f);
      return true;
    }
  }
  return false;
}

// The index of the program that really runs: 0, or, through the launchers
// that run their operand (env [-i] [-u NAME] [NAME=value]... PROGRAM, nohup
// PROGRAM), that operand's. argv.size() when there is none.
size_t ProgramIndex(std::span<const std::string_view> argv) {
  size_t i = 0;
  for (int hops = 0; hops < 4 && i < argv.size(); ++hops) {
    const std::string_view name = BaseName(argv[i]);
    if (name == "nohup") {
      ++i;
    } else if (name == "env") {
      for (++i; i < argv.size(); ++i) {
        const std::string_view a = argv[i];
        if (a == "-u" || a == "-C") {
          ++i;  // takes an operand
        } else if (a == "--") {
          ++i;
          break;
        } else if (!(a.size() > 1 && a[0] == '-') && a.find('=') == std::string_view::npos) {
          break;
        }
      }
    } else {
      return i;
    }
  }
  return i < argv.size() ? i : argv.size();
}

}  // namespace

int ShellCommandIndex(std::span<const std::string_view> argv) noexcept {
  size_t i = ProgramIndex(argv);
  if (i >= argv.size()) return -1;
  std::string_view name = BaseName(argv[i++]);
  if (name == "busybox") {
    if (i >= argv.size()) return -1;
    name = argv[i++];
  }
  if (!IsShellName(name)) return -1;
  bool command = false;
  for (; i < argv.size(); ++i) {
    const std::string_view a = argv[i];
    if (a == "--" || a == "-") {
      ++i;
      break;
    }
    if (a.size() < 2 || (a[0] != '-' && a[0] != '+')) break;
    if (a[0] == '-' && a[1] == '-') {
      if (a == "--rcfile" || a == "--init-file") ++i;  // bash: take an operand
      continue;
    }
    bool operand = false;  // -o pipefail, +O extglob
    for (char c : a.substr(1)) {
      command = command || (c == 'c' && a[0] == '-');
      operand = operand || c == 'o' || c == 'O';
    }
    if (operand) ++i;
  }
  return command && i < argv.size() ? static_cast<int>(i) : -1;
}

Verdict DetectArgv(std::span<const std::string_view> argv, std::span<const Input> inputs,
                   const Limits& limits, Finding* out) noexcept {
  Finding scratch;
  Finding* f = out ? out : &scratch;
  *f = Finding();

  const size_t nargs = std::min<size_t>(argv.size(), limits.max_args);
  const std::span<const std::string_view> args = argv.first(nargs);
  const size_t ninputs = std::min<size_t>(inputs.size(), limits.max_inputs);
  const std::span<const Input> used = inputs.first(ninputs);
  const size_t min_len = internal::MinInputBytes(limits);
  const uint32_t max_bytes = internal::MaxCommandBytes(limits);
  const int shell = ShellCommandIndex(args);
  const size_t program = ProgramIndex(args);

  Finding limit;  // the first limit reached, reported if nothing is found
  bool options_ended = false;
  for (size_t k = 0; k < nargs; ++k) {
    const auto index = static_cast<int32_t>(k);
    if (index == shell) {
      // Straight into *f: a limit it reports is kept in `limit` below.
      const Verdict v = DetectShell(args[k], used, limits, f);
      f->arg_index = index;
      if (v == Verdict::kInjection) return v;
      if (v == Verdict::kLimitExceeded && limit.status == Status::kOk) limit = *f;
      *f = Finding();
      continue;
    }
    if (args[k].size() > max_bytes) {
      if (limit.status == Status::kOk) {
        internal::LimitExceeded(Status::kCommandTooLong, args[k].size(), max_bytes, &limit);
        limit.arg_index = index;
      }
      continue;
    }
    const bool is_program = k == 0 || k == program;
    const bool skip = !is_program && options_ended;
    if (!skip && ExamineArg(args[k], index, is_program ? ArgRole::kProgram : ArgRole::kArgument,
                            used, min_len, f)) {
      return Verdict::kInjection;
    }
    options_ended = options_ended || (k > 0 && args[k] == "--");
  }

  if (limit.status != Status::kOk) {
    *f = limit;
    return f->verdict;
  }
  if (argv.size() > nargs) {
    return internal::LimitExceeded(Status::kTooManyArguments, argv.size(), limits.max_args, f);
  }
  if (inputs.size() > ninputs) {
    return internal::LimitExceeded(Status::kTooManyInputs, inputs.size(), limits.max_inputs, f);
  }
  return Verdict::kNoInjection;
}

Verdict DetectExec(std::string_view path, std::span<const std::string_view> argv,
                   std::span<const Input> inputs, const Limits& limits, Finding* out) noexcept {
  Finding scratch;
  Finding* f = out ? out : &scratch;
  *f = Finding();
  const size_t ninputs = std::min<size_t>(inputs.size(), limits.max_inputs);
  if (path.size() <= internal::MaxCommandBytes(limits) &&
      ExamineArg(path, -1, ArgRole::kProgram, inputs.first(ninputs),
                 internal::MinInputBytes(limits), f)) {
    return Verdict::kInjection;
  }
  const Verdict v = DetectArgv(argv, inputs, limits, f);
  if (v == Verdict::kNoInjection && path.size() > internal::MaxCommandBytes(limits)) {
    return internal::LimitExceeded(Status::kCommandTooLong, path.size(),
                                   internal::MaxCommandBytes(limits), f);
  }
  return v;
}

}  // namespace vigil::shell
