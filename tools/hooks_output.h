// Copyright Vigil authors.
//
// The two output formats of `vigil hooks`: a table for people and a JSON
// array for programs. Both are documented in docs/cli.md; scripts depend on
// the JSON field names, so change them only additively.
#ifndef VIGIL_TOOLS_HOOKS_OUTPUT_H_
#define VIGIL_TOOLS_HOOKS_OUTPUT_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "hook_points.h"

namespace vigil::tool {

// Writes the table of `shown` (one row per hook point: kind, qualified name,
// display signature, parameter names, file:line) and a count line, e.g.
//   "3 hook points in app (2 definitions, 1 call site)"
// or, when a filter hid some of the `total` hook points,
//   "1 of 3 hook points in app shown (1 definition, 0 call sites)".
// `file` names the input in the count line.
void WriteHooksText(const std::vector<const HookPoint*>& shown, size_t total,
                    std::string_view file, std::ostream& out);

// Writes `shown` as a JSON array of objects (fields in docs/cli.md), one
// field per line, followed by a newline. Strings that are not valid UTF-8
// have the offending bytes replaced by U+FFFD, so the output always parses.
void WriteHooksJson(const std::vector<const HookPoint*>& shown,
                    std::ostream& out);

// Makes untrusted text safe to print on a terminal: control characters
// (C0, DEL and C1) and bytes that are not valid UTF-8 become "\xNN", so a
// crafted binary cannot send escape sequences to the user's terminal.
std::string EscapeForTerminal(std::string_view text);

}  // namespace vigil::tool

#endif  // VIGIL_TOOLS_HOOKS_OUTPUT_H_
