// Copyright Vigil authors.
//
// Sinks: the library functions a protection checks, with their exact C++
// types, and the typed glue that attaches a compiled rule's check to them.
//
// Why fixed tables: the hook engine type-checks every callback against the
// type the compiler recorded for the hook point, so each sink's type must be
// known here at compile time. Each protection keeps its own table
// (sql_sinks.cc, protections/command/, protections/path/); the rules engine
// sees them all as Sinks.
#ifndef VIGIL_AGENT_PROTECTIONS_SINK_H_
#define VIGIL_AGENT_PROTECTIONS_SINK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "vigil/hook.h"

namespace vigil::agent {

class ProtectionRule;

// What an argument of a sink is, as far as the protections care.
enum class ArgKind : uint8_t {
  kOther,
  kCString,    // const char*: text, NUL-terminated unless a length is passed
  kVoidText,   // const void*: UTF-16 text (sqlite3_prepare16*)
  kStdString,  // const std::string& (or by value)
  kInteger,    // a length or a count
  kArgv,       // char* const*: a NULL-terminated argument vector
};

// "text (const char*)", "an integer", ...: for validation messages.
std::string_view ArgKindName(ArgKind kind);

struct Sink;

// Attaches `rule`'s check to the sink (a prolog), or replaces the callback of
// an attachment of the same sink with `rule`'s. `rule` is the concrete rule
// type of the sink's protection.
using AttachSinkFn = vigil::StatusOr<vigil::Attachment> (*)(const Sink& sink,
                                                            std::shared_ptr<const ProtectionRule> rule,
                                                            const vigil::AttachOptions& options);
using ReplaceSinkFn = vigil::Status (*)(vigil::Attachment attachment, const Sink& sink,
                                        std::shared_ptr<const ProtectionRule> rule);

struct Sink {
  std::string_view name;       // qualified name, matched by rule patterns
  std::string_view symbol;     // linkage name: what is attached (unique per overload)
  std::string_view library;    // "sqlite3", "libc", "libpq" ...
  std::string_view prototype;  // for messages and docs
  size_t arity = 0;
  std::array<ArgKind, 16> args{};
  AttachSinkFn attach = nullptr;
  ReplaceSinkFn replace = nullptr;
};

// The sinks of `sinks` whose qualified name or symbol matches `pattern`.
std::vector<const Sink*> MatchSinks(std::span<const Sink> sinks, std::string_view pattern);

// Glob matching as the hook engine does it ('*' any run, '?' one character).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_PROTECTIONS_SINK_H_
