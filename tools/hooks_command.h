// Copyright Vigil authors.
//
// `vigil hooks BINARY [--json] [--kind definition|call] [--match GLOB]`:
// lists the hook points compiled into an executable, shared library or
// object file, read from the file without running it.
#ifndef VIGIL_TOOLS_HOOKS_COMMAND_H_
#define VIGIL_TOOLS_HOOKS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace vigil::tool {

// The text of `vigil hooks --help`.
extern const char kHooksUsage[];

// Runs the command. `args` are the arguments after "hooks". Writes the
// listing to `out` and diagnostics to `err`; returns an exit code from
// exit_codes.h. A file that cannot be read or parsed yields exactly one line
// "vigil: FILE: reason" on `err` and nothing on `out`.
int RunHooksCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err);

}  // namespace vigil::tool

#endif  // VIGIL_TOOLS_HOOKS_COMMAND_H_
