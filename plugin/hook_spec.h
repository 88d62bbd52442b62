// Copyright Vigil authors.
//
// HookSpec decides which functions get hook points. It is parsed from the
// spec file format documented in docs/hook-spec.md, from the built-in default
// spec, or is the special value `all`.
//
// A function is selected when it matches a `hook` rule of its join point
// (definition or call) and no `skip` rule, and its source file passes the file
// filters. Matching is on the qualified C++ name (template arguments included,
// parameters excluded) and, as an alternative, on the linkage symbol, so C
// functions and mangled names can be named directly.
//
// The parser has no LLVM or Clang dependency so that it can be fuzzed and
// tested alone.
#ifndef VIGIL_PLUGIN_HOOK_SPEC_H_
#define VIGIL_PLUGIN_HOOK_SPEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "glob.h"  // runtime/src: vigil::rt::GlobMatch

namespace vigil::plugin {

// Glob match: `*` matches any run of characters (including `::`), `?` one
// character; everything else is literal. The runtime's matcher, so that a
// spec pattern and an attach pattern mean the same thing.
using rt::GlobMatch;

enum class JoinPoint { kDefinition, kCall };

class HookSpec {
 public:
  // The spec used when none is given: call sites of well-known sinks (SQL
  // drivers, process execution, file and network opening).
  static HookSpec Default();
  // Every function that can be instrumented, every call to a declared-only one.
  static HookSpec All();

  // Parses spec text. On error returns false and sets `*error` to
  // "<origin>:<line>: <reason>"; `*spec` is left untouched.
  static bool Parse(std::string_view text, std::string_view origin,
                    HookSpec* spec, std::string* error);

  // Loads `value`: "all", "default", or a path to a spec file.
  static bool Load(std::string_view value, HookSpec* spec, std::string* error);

  // Whether a function of this join point, with this qualified name and
  // symbol, defined in (definition) or called from (call) `file`, gets a hook.
  bool Selects(JoinPoint jp, std::string_view qualified_name,
               std::string_view symbol, std::string_view file) const;

  // Whether a `hook` pattern (not just `all`) names this function.
  bool NamesExplicitly(JoinPoint jp, std::string_view qualified_name,
                       std::string_view symbol) const;

  // Whether any call-site rule exists (lets the pass skip the call scan).
  bool HasCallRules() const { return all_ || !hook_call_.empty(); }
  bool HasDefinitionRules() const { return all_ || !hook_function_.empty(); }

 private:
  bool FilePasses(std::string_view file) const;

  bool all_ = false;
  std::vector<std::string> hook_function_, skip_function_;
  std::vector<std::string> hook_call_, skip_call_;
  std::vector<std::string> skip_file_, only_file_;
};

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_HOOK_SPEC_H_
