// Copyright Vigil authors.
//
// The `vigil` command-line tool: one executable, one subcommand per job
// (git-style), so that new commands do not need new binaries.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "exit_codes.h"
#include "hooks_command.h"

namespace {

constexpr char kUsage[] =
    "usage: vigil COMMAND [ARGS...]\n"
    "\n"
    "Vigil command-line tool.\n"
    "\n"
    "commands:\n"
    "  hooks BINARY    list the hook points compiled into an executable,\n"
    "                  shared library or object file\n"
    "\n"
    "options:\n"
    "  -h, --help      show this help\n"
    "  --version       print the version\n"
    "\n"
    "Run 'vigil COMMAND --help' for the options of a command.\n";

int UsageError(const std::string& message) {
  std::cerr << "vigil: " << message << '\n'
            << "Try 'vigil --help' for more information.\n";
  return vigil::tool::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return vigil::tool::kExitUsage;
  }
  const std::string_view command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help") {
    std::cout << kUsage << std::flush;
    return std::cout ? vigil::tool::kExitOk : vigil::tool::kExitInputError;
  }
  if (command == "--version") {
    std::cout << "vigil " VIGIL_VERSION "\n" << std::flush;
    return std::cout ? vigil::tool::kExitOk : vigil::tool::kExitInputError;
  }
  if (command == "hooks") {
    return vigil::tool::RunHooksCommand(rest, std::cout, std::cerr);
  }
  if (!command.empty() && command[0] == '-') {
    return UsageError("unknown option '" + std::string(command) + "'");
  }
  return UsageError("unknown command '" + std::string(command) + "'");
}
