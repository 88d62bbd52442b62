// Copyright Vigil authors.
//
// Hook-point name patterns: `*` matches any run of characters (including
// "::"), `?` exactly one character, everything else itself. No escapes:
// C++ names never contain `*` or `?`.
#ifndef VIGIL_RUNTIME_GLOB_H_
#define VIGIL_RUNTIME_GLOB_H_

#include <string_view>

namespace vigil::rt {

bool HasWildcards(std::string_view pattern);

// True if `pattern` matches all of `text`. Linear-time in practice (greedy
// with one backtrack point), so hostile patterns cannot blow up.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_GLOB_H_
