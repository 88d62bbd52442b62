// Copyright Vigil authors.
//
// What the Clang side of the plugin learns about a function from the AST and
// hands to the IR pass: names, the exact C++ signature and how each C++
// argument is passed. The IR alone has only lowered types, so the pass looks
// functions up here by their linkage name.
#ifndef VIGIL_PLUGIN_FUNCTION_INFO_H_
#define VIGIL_PLUGIN_FUNCTION_INFO_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hook_spec.h"

namespace vigil::plugin {

// How one C++ argument (or the return value) reaches the function.
enum class ArgPassing : uint8_t {
  kDirect,    // by value in one or more IR arguments (scalars, trivial records)
  kIndirect,  // the address of the caller's object (records that are not
              // trivial for the purpose of calls, like std::string)
  kEmpty,     // an empty trivial record: no IR argument at all
};

struct ArgInfo {
  ArgPassing passing = ArgPassing::kDirect;
  uint64_t size = 0;   // sizeof in bytes
  uint64_t align = 1;  // alignof in bytes
};

struct FunctionInfo {
  std::string qualified_name;  // "shop::Db::find", "max<int>"
  std::string signature;       // Itanium type name, `this` explicit
  std::string display;         // "int (const shop::Db *, int)"
  std::string params;          // "this,id"
  std::string file;            // presumed file of the declaration
  uint32_t line = 0;
  uint32_t flags = 0;          // vigil_meta_flags
  std::vector<ArgInfo> args;   // C++ arguments, `this` first for members
  ArgInfo ret;                 // size 0 for void
  bool is_void = false;
  // Constructors are call-site hook points only: their complete and base
  // variants would make one construction run a definition hook twice.
  bool constructor = false;
  // Non-empty when the AST already shows that this function must be left
  // alone (constructor, coroutine, opted out...). Reported with --vigil-verbose.
  std::string skip_reason;
  // Opted out or Vigil's own code: never a hook point, and calls made from
  // it are not hooked either. Reported only with --vigil-verbose.
  bool excluded = false;
  // Declared in a system header (the C++ standard library, /usr/include).
  bool system_header = false;
};

// Per-compilation state shared by the Clang plugin (which fills it) and the
// IR pass (which reads it). Clang loads the plugin library once for both
// -fplugin and -fpass-plugin, so one process-wide instance is shared.
struct PluginState {
  bool active = false;          // the Clang side ran for this compilation
  HookSpec spec = HookSpec::Default();
  bool verbose = false;
  std::string keep_ir_path;     // where to write the instrumented IR, or empty
  // Small system-header functions selected only by `all` are instrumented
  // after inlining (see HookPointPass): at most this many IR instructions
  // before optimisation. 0 instruments everything before inlining.
  unsigned system_inline_threshold = 80;
  std::map<std::string, FunctionInfo, std::less<>> functions;  // by symbol
};

PluginState& State();

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_FUNCTION_INFO_H_
