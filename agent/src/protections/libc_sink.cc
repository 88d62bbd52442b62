// Copyright Vigil authors.
#include "protections/libc_sink.h"

#include <string>

#include "protections/registry.h"

namespace vigil::agent {

bool ValidateArg(const Rule& rule, std::string_view field, int index, ArgKind kind, bool required,
                 std::string* out_field, std::string* reason) {
  if (index < 0) {
    if (!required) return true;
    *out_field = "params." + std::string(field);
    *reason = "missing";
    return false;
  }
  for (const std::string& pattern : rule.hook_points) {
    for (const Sink* s : MatchRuleSinks(rule, pattern)) {
      const ArgKind got = static_cast<size_t>(index) < s->arity ? s->args[index] : ArgKind::kOther;
      if (got == kind) continue;
      *out_field = "params." + std::string(field);
      if (static_cast<size_t>(index) >= s->arity) {
        *reason = "argument " + std::to_string(index) + " of " + std::string(s->name) +
                  " does not exist (" + std::string(s->prototype) + ": " +
                  std::to_string(s->arity) + " arguments)";
      } else {
        *reason = "argument " + std::to_string(index) + " of " + std::string(s->name) + " is " +
                  std::string(ArgKindName(got)) + ", not " + std::string(ArgKindName(kind)) +
                  " (" + std::string(s->prototype) + ")";
      }
      return false;
    }
  }
  return true;
}

}  // namespace vigil::agent
