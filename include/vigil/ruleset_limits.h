// Copyright Vigil authors.
//
// The bounds of a ruleset, defined once: the agent's parser
// (agent/src/ruleset.cc) and vigil-server's validator
// (server/src/protocol/ruleset_check.cc) enforce the same numbers, so a
// ruleset the server accepts is one every agent accepts.
#ifndef VIGIL_RULESET_LIMITS_H_
#define VIGIL_RULESET_LIMITS_H_

#include <cstddef>

namespace vigil::ruleset_limits {

inline constexpr size_t kMaxRules = 512;              // rules in one ruleset
inline constexpr size_t kMaxHookPointsPerRule = 64;   // patterns in "hook_points"
inline constexpr size_t kMaxHookPointBytes = 512;     // one pattern
inline constexpr size_t kMaxRuleIdBytes = 64;         // "id": [A-Za-z0-9._-]
inline constexpr size_t kMaxDescriptionBytes = 4096;  // "description"
inline constexpr size_t kMaxVersionBytes = 128;       // the ruleset's "version"
inline constexpr int kMaxArgIndex = 15;               // any "*_arg" parameter
inline constexpr int kMinPriority = -1000;            // "priority"
inline constexpr int kMaxPriority = 1000;
inline constexpr size_t kMaxAllowedRoots = 32;        // path_traversal "allowed_roots"
inline constexpr size_t kMaxAllowedRootBytes = 1024;  // one of them

}  // namespace vigil::ruleset_limits

#endif  // VIGIL_RULESET_LIMITS_H_
