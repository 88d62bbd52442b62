// Copyright Vigil authors.
//
// The SQL-injection protection: what runs in the prolog of a SQL sink
// (sqlite3_prepare_v2, PQexec, mysql_query, pqxx and SQLiteCpp calls ...).
//
// The generic steps (request, budget, chunks, finding, block response) are
// ProtectionRule's (protections/protection_rule.h). What is SQL's own:
//   - Detect: the detector (sqli/sqli.h) compares the statement with the
//     request's inputs in the sink's dialect;
//   - Fail: the SQL argument is replaced by a statement that makes the real
//     driver fail with Vigil's message in its own error channel
//     (sqlite3_errmsg, PQresultErrorMessage, mysql_error, pqxx::sql_error,
//     SQLite::Exception).
// The typed glue between hook points and this code is in sql_sinks.h.
#ifndef VIGIL_AGENT_SQL_PROTECTION_H_
#define VIGIL_AGENT_SQL_PROTECTION_H_

#include <memory>
#include <string>
#include <string_view>

#include "protections/protection_rule.h"
#include "rule_counters.h"
#include "ruleset.h"

namespace vigil::agent {

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
class SqlCall : public ProtectionCall {
 public:
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
class SqlRule final : public ProtectionRule {
 public:
  SqlRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
          std::shared_ptr<RuleCounters> counters);

  const SqlInjectionParams& params() const { return params_; }
  size_t max_statement_bytes() const { return settings().max_statement_bytes; }

 private:
  DetectVerdict Detect(ProtectionCall& call, std::span<const RequestInput> inputs,
                       DetectResult* result) const override;
  bool Fail(ProtectionCall& call) const override;

  SqlInjectionParams params_;
  BlockStatement block_;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_SQL_PROTECTION_H_
