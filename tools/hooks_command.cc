// Copyright Vigil authors.
#include "hooks_command.h"

#include <memory>
#include <optional>
#include <string_view>

#include "byte_source.h"
#include "exit_codes.h"
#include "hook_points.h"
#include "hooks_output.h"
#include "vigil/abi.h"

namespace vigil::tool {

const char kHooksUsage[] =
    "usage: vigil hooks BINARY [--json] [--kind definition|call] [--match GLOB]\n"
    "\n"
    "List the hook points compiled into BINARY (an executable, shared library\n"
    "or object file built with vigil-cc/vigil-c++). The file is read, never\n"
    "run.\n"
    "\n"
    "options:\n"
    "  --json           print a JSON array instead of a table\n"
    "  --kind KIND      only hook points of this kind: 'definition' (functions\n"
    "                   compiled with Vigil) or 'call' (calls to functions\n"
    "                   compiled elsewhere, e.g. in libsqlite3)\n"
    "  --match GLOB     only hook points whose qualified name or symbol matches\n"
    "                   the shell pattern GLOB ('*' also matches '::');\n"
    "                   repeat to list the union\n"
    "  -h, --help       show this help\n"
    "\n"
    "exit status: 0 listed (also when BINARY has no hook points), 1 bad usage,\n"
    "2 BINARY cannot be read or is not a valid ELF64 file.\n";

namespace {

struct Options {
  bool help = false;
  bool json = false;
  std::string file;
  HookPointFilter filter;
};

// Parses `args` into `*opts`. On a usage error returns false and sets
// `*error`.
bool ParseArgs(const std::vector<std::string>& args, Options* opts,
               std::string* error) {
  bool have_file = false;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      if (have_file) {
        *error = "unexpected argument '" + arg + "' (one BINARY at a time)";
        return false;
      }
      opts->file = arg;
      have_file = true;
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      opts->help = true;
      return true;
    }
    if (arg == "--json") {
      opts->json = true;
      continue;
    }
    // Options with a value accept both "--opt VALUE" and "--opt=VALUE".
    std::string_view name = arg;
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name != "--kind" && name != "--match") {
      *error = "unknown option '" + std::string(name) + "'";
      return false;
    }
    if (!value) {
      if (i + 1 == args.size()) {
        *error = "option '" + std::string(name) + "' needs a value";
        return false;
      }
      value = args[++i];
    }
    if (name == "--kind") {
      if (*value == "definition") {
        opts->filter.kind = VIGIL_KIND_DEFINITION;
      } else if (*value == "call") {
        opts->filter.kind = VIGIL_KIND_CALL_SITE;
      } else {
        *error = "--kind must be 'definition' or 'call', not '" + *value + "'";
        return false;
      }
    } else {
      opts->filter.globs.push_back(*value);
    }
  }
  if (!have_file) {
    *error = "missing BINARY";
    return false;
  }
  return true;
}

// The single line every input error is reported with.
int InputError(std::ostream& err, const std::string& file,
               const std::string& reason) {
  err << "vigil: " << EscapeForTerminal(file) << ": " << EscapeForTerminal(reason)
      << '\n';
  return kExitInputError;
}

int Finish(std::ostream& out, std::ostream& err) {
  out.flush();
  if (!out) {
    err << "vigil: error writing the output\n";
    return kExitInputError;
  }
  return kExitOk;
}

}  // namespace

int RunHooksCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err) {
  Options opts;
  std::string error;
  if (!ParseArgs(args, &opts, &error)) {
    err << "vigil hooks: " << EscapeForTerminal(error) << '\n'
        << "Try 'vigil hooks --help' for more information.\n";
    return kExitUsage;
  }
  if (opts.help) {
    out << kHooksUsage;
    return Finish(out, err);
  }

  std::unique_ptr<FileSource> source = FileSource::Open(opts.file, &error);
  if (source == nullptr) return InputError(err, opts.file, error);
  HookPointList list;
  if (!ReadHookPoints(*source, &list, &error)) {
    return InputError(err, opts.file, error);
  }

  if (!list.has_section) {
    // Not an error: plain binaries are a normal thing to point the tool at,
    // and a script listing many files should not stop at one of them.
    const std::string note = "no Vigil hook points in " +
                             EscapeForTerminal(opts.file) +
                             " (was it built with vigil-cc/vigil-c++?)\n";
    if (opts.json) {
      out << "[]\n";
      err << "vigil: " << note;
    } else {
      out << note;
    }
    return Finish(out, err);
  }

  std::vector<const HookPoint*> shown;
  for (const HookPoint& p : list.points) {
    if (Matches(p, opts.filter)) shown.push_back(&p);
  }
  if (opts.json) {
    WriteHooksJson(shown, out);
  } else {
    WriteHooksText(shown, list.points.size(), opts.file, out);
  }
  return Finish(out, err);
}

}  // namespace vigil::tool
