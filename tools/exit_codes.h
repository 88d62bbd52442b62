// Copyright Vigil authors.
//
// Exit codes of the `vigil` tool, shared by all its commands (docs/cli.md).
// Scripts tell "nothing to list" (0) from "you called me wrong" (1) from
// "this file could not be read" (2), so these never change meaning.
#ifndef VIGIL_TOOLS_EXIT_CODES_H_
#define VIGIL_TOOLS_EXIT_CODES_H_

namespace vigil::tool {

inline constexpr int kExitOk = 0;          // success, including "no hook points"
inline constexpr int kExitUsage = 1;       // bad command line
inline constexpr int kExitInputError = 2;  // unreadable or malformed input,
                                           // or output that could not be written

}  // namespace vigil::tool

#endif  // VIGIL_TOOLS_EXIT_CODES_H_
