// Copyright Vigil authors.
//
// Rulesets: which protection runs at which hook points, with which
// parameters and in which mode. A ruleset is JSON (docs/ruleset.md is the
// schema); this file parses and validates it. Validation is complete before
// anything is attached, and its errors name the rule, the field and the
// reason:
//   rule "sqli-pq" field "params.sql_arg": expected an integer 0..15, got "one"
// A ruleset that fails validation is never applied (the rules engine keeps
// the one in force).
#ifndef VIGIL_AGENT_RULESET_H_
#define VIGIL_AGENT_RULESET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/ruleset_limits.h"

namespace vigil::agent {

// A rule's own mode. The global mode caps it (see EffectiveMode).
enum class RuleMode : uint8_t { kOff, kMonitor, kBlock };
std::string_view RuleModeName(RuleMode mode);

// The protections, one enumerator per row of include/vigil/protections.inc.
enum class Protection : uint8_t {
#define VIGIL_PROTECTION(enumerator, name, label, value, params) enumerator,
#include "vigil/protections.inc"
};
inline constexpr size_t kProtectionCount = 0
#define VIGIL_PROTECTION(enumerator, name, label, value, params) +1
#include "vigil/protections.inc"
    ;
// The protection's name in rulesets, settings and events ("sql_injection").
std::string_view ProtectionName(Protection p);
// What people read ("SQL injection").
std::string_view ProtectionLabel(Protection p);
// What its events' sink value is ("statement", "command", "path").
std::string_view ProtectionValueName(Protection p);
// Reads a name as ProtectionName() writes it. Returns false, leaving `*out`
// unchanged, for a name of no protection.
bool ParseProtectionName(std::string_view name, Protection* out);

enum class SqlDialect : uint8_t { kSQLite, kPostgreSQL, kMySQL };
std::string_view SqlDialectName(SqlDialect d);  // "sqlite", "postgresql", "mysql"

// When a blocked statement must fail: at execution (the default), or already
// when it is prepared (PQprepare, mysql_stmt_prepare, statements that carry
// parameters), which needs a statement the server rejects while parsing.
enum class FailAt : uint8_t { kExecute, kPrepare };

// Parameters of the sql_injection protection. Argument indexes count `this`
// as argument 0 for member functions.
struct SqlInjectionParams {
  int sql_arg = -1;        // the SQL text: const char*, const void* (UTF-16) or std::string
  SqlDialect dialect = SqlDialect::kSQLite;
  int count_arg = -1;      // its length in bytes, if passed alongside (nByte, length)
  int nparams_arg = -1;    // the number of bound parameters (set to 0 when blocking)
  bool utf16 = false;      // the SQL text is UTF-16 (sqlite3_prepare16*)
  FailAt fail_at = FailAt::kExecute;
};

// Parameters of the command_injection protection: either the shell text
// (system, popen, wordexp), or the argument vector with, optionally, the
// program (execv*, posix_spawn*: its path or file name).
struct CommandInjectionParams {
  int command_arg = -1;  // const char*: a command the shell runs
  int argv_arg = -1;     // char* const*: the new program's argv
  int program_arg = -1;  // const char*: the program run (path or file name)
};

// Parameters of the path_traversal protection: the path argument (and a
// second one for rename, link, symlink), and directories inside which a path
// is never an attack.
struct PathTraversalParams {
  int path_arg = -1;   // const char*
  int path2_arg = -1;  // const char*, or -1
  std::vector<std::string> allowed_roots;
};

inline constexpr int kMaxArgIndex = ruleset_limits::kMaxArgIndex;
inline constexpr size_t kMaxRules = ruleset_limits::kMaxRules;
inline constexpr size_t kMaxHookPointsPerRule = ruleset_limits::kMaxHookPointsPerRule;

struct Rule {
  std::string id;                       // [A-Za-z0-9._-], 1..64 characters, unique
  std::vector<std::string> hook_points; // hook point name patterns
  Protection protection = Protection::kSqlInjection;
  SqlInjectionParams sql;           // for sql_injection
  CommandInjectionParams command;   // for command_injection
  PathTraversalParams path;         // for path_traversal
  RuleMode mode = RuleMode::kBlock;     // capped by the global mode
  int priority = 0;                     // AttachOptions::priority
  std::string description;
};

struct Ruleset {
  std::string version;
  std::vector<Rule> rules;
};

// Parses and validates `json`. On failure returns false and sets `error` to
// one line (without a "where" prefix: the caller adds the file name).
bool ParseRuleset(std::string_view json, Ruleset* out, std::string* error);

// The built-in default ruleset (agent/rules/default.json, embedded at build
// time).
std::string_view DefaultRulesetJson();

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_RULESET_H_
