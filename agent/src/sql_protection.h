// Copyright Vigil authors.
//
// The SQL-injection protection: what runs in the prolog of a SQL sink
// (sqlite3_prepare_v2, PQexec, mysql_query, pqxx and SQLiteCpp calls ...).
//
//   1. No current HTTP request: nothing to compare the statement with; done.
//   2. Budget left? Otherwise the check is skipped and counted.
//   3. The detector (sqli/sqli.h) compares the statement with the request's
//      inputs, in chunks, reading the clock between chunks: a check that runs
//      past its budget stops there (counted), it is never waited for.
//   4. An injection is recorded as a Finding on the request. In block mode the
//      SQL argument is replaced by a statement that makes the real driver
//      fail with Vigil's message in its own error channel (sqlite3_errmsg,
//      PQresultErrorMessage, mysql_error, pqxx::sql_error, SQLite::Exception),
//      and the request is marked blocked.
//
// Everything here is noexcept: an internal error is counted and the call
// goes on unchanged (fail open). The typed glue between hook points and this
// code is in sql_sinks.h.
#ifndef VIGIL_AGENT_SQL_PROTECTION_H_
#define VIGIL_AGENT_SQL_PROTECTION_H_

#include <memory>
#include <string>
#include <string_view>

#include "block_response.h"
#include "budget.h"
#include "config.h"
#include "rule_counters.h"
#include "ruleset.h"

namespace vigil::agent {

// Settings every protection of one agent shares. Immutable once built.
struct ProtectionSettings {
  Mode global_mode = Mode::kMonitor;
  // Set from the server (docs/protocol.md, settings actions): every
  // protection off, and a per-protection cap on the rules' modes.
  bool all_off = false;
  // The server's mode for SQL injection; when set it takes the place of the
  // global mode for these rules (block here blocks in a monitor-mode agent).
  bool sql_injection_set = false;
  RuleMode sql_injection_mode = RuleMode::kBlock;
  Budgets budgets;
  BlockSettings block;
  // Longest statement read from a sink (longer ones are checked up to here
  // only if the detector accepts them; see sqli::Limits).
  uint32_t max_statement_bytes = 64 * 1024;
  // Inputs compared per detector call between two clock reads. Each call
  // tokenizes the statement again when an input occurs in it, so the step is
  // large: most requests are checked in one call.
  uint32_t inputs_per_step = 128;
};

// The mode a rule runs in: its own, capped by the global mode.
RuleMode EffectiveMode(RuleMode rule, Mode global);
// The same, also capped by the server's settings (all off, per protection).
RuleMode EffectiveMode(RuleMode rule, const ProtectionSettings& settings);

// The statement that replaces a blocked one. Both spellings live for the
// rest of the process (interned): drivers may keep pointers into the text
// they were given (sqlite3_prepare's pzTail).
struct BlockStatement {
  const std::string* utf8 = nullptr;   // NUL-terminated
  const std::string* utf16 = nullptr;  // UTF-16 (host order), two NUL bytes after; or null
};

// The statement that makes a driver of `dialect` fail with "Vigil blocked a
// SQL injection (rule <id>)" in its own error message:
//   sqlite      SELECT * FROM "Vigil blocked ... (rule id)"  -> no such table: ...
//   postgresql  execute: DO $vigil$ BEGIN RAISE EXCEPTION '...' ...; END $vigil$
//               prepare: SELECT '...'::pg_catalog.int4   (rejected while parsing)
//   mysql       execute: SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '...'
//               prepare: the message itself (a syntax error that quotes it)
// `rule_id` must be a valid rule id (no quotes); it is interned.
BlockStatement MakeBlockStatement(SqlDialect dialect, FailAt fail_at, std::string_view rule_id,
                                  bool utf16);

// The text a blocked call's driver reports contains this.
inline constexpr std::string_view kBlockedMessage = "Vigil blocked a SQL injection";

// One call of a SQL sink, as the check needs it. Implemented for each hook
// point type in sql_sinks.h, and by fakes in tests.
class SqlCall {
 public:
  virtual ~SqlCall() = default;
  virtual std::string_view hook_name() const = 0;
  // The SQL text as UTF-8. UTF-16 text is converted into `scratch`. Returns
  // false when there is no text (a null pointer).
  virtual bool Statement(std::string* scratch, std::string_view* out) = 0;
  // Makes the call fail: replaces the SQL argument by `s`, and sets the
  // length argument (if any) to its length and the parameter count (if any)
  // to 0. Returns false if it could not.
  virtual bool Replace(const BlockStatement& s) = 0;
};

// One rule of the sql_injection protection, compiled: what its callbacks
// share. Immutable; shared by every callback of the rule.
class SqlRule {
 public:
  SqlRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
          std::shared_ptr<RuleCounters> counters);

  // Runs the protection for one call (steps 1-4 above). Never throws.
  void Check(SqlCall& call) const noexcept;

  const std::string& id() const { return id_; }
  const SqlInjectionParams& params() const { return params_; }
  RuleMode mode() const { return mode_; }
  size_t max_statement_bytes() const { return settings_->max_statement_bytes; }
  const RuleCounters& counters() const { return *counters_; }

 private:
  void CheckInRequest(SqlCall& call, RequestContext& ctx) const;

  std::string id_;
  SqlInjectionParams params_;
  RuleMode mode_;  // effective
  BlockStatement block_;
  std::shared_ptr<const ProtectionSettings> settings_;
  std::shared_ptr<RuleCounters> counters_;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_SQL_PROTECTION_H_
