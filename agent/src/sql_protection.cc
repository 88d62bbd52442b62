// Copyright Vigil authors.
#include "sql_protection.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

#include "request_context.h"
#include "sqli/sqli.h"

namespace vigil::agent {
namespace {

// Bytes of the marked statement kept in a finding.
constexpr size_t kMaxRenderedStatement = 4096;

// Interned block statements: a driver may keep pointers into the SQL text it
// was given (sqlite3_prepare's pzTail), so the replacement text must outlive
// the call, and since a callback may run after its rule was replaced, it
// must outlive the rule too. The set only grows by rule ids actually used
// (bounded by kMaxInterned; past it a generic text without the id is used).
constexpr size_t kMaxInterned = 4096;

const std::string* Intern(std::string text, const std::string* fallback) {
  static std::mutex* mu = new std::mutex;                     // leaked: used until exit
  static std::set<std::string>* pool = new std::set<std::string>;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = pool->find(text);
  if (it != pool->end()) return &*it;
  if (pool->size() >= kMaxInterned && fallback != nullptr) return fallback;
  return &*pool->insert(std::move(text)).first;
}

std::string BlockSql(SqlDialect dialect, FailAt fail_at, std::string_view rule_id) {
  std::string msg(kBlockedMessage);
  if (!rule_id.empty()) {
    msg += " (rule ";
    msg += rule_id;
    msg += ")";
  }
  switch (dialect) {
    case SqlDialect::kSQLite:
      // Fails in sqlite3_prepare*: "no such table: Vigil blocked ...".
      return "SELECT * FROM \"" + msg + "\"";
    case SqlDialect::kPostgreSQL:
      if (fail_at == FailAt::kExecute) {
        // "ERROR: Vigil blocked ...", SQLSTATE 42501 (insufficient_privilege:
        // the statement was not allowed). USING MESSAGE: no % formatting.
        return "DO $vigil$ BEGIN RAISE EXCEPTION USING MESSAGE = '" + msg +
               "', ERRCODE = '42501'; END $vigil$";
      }
      // A DO block would only fail when executed; this fails while the server
      // parses it (so in PQprepare too, and whatever parameters are bound):
      // 'invalid input syntax for type integer: "Vigil blocked ..."'.
      return "SELECT '" + msg + "'::pg_catalog.int4";
    case SqlDialect::kMySQL:
      if (fail_at == FailAt::kExecute) {
        return "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '" + msg + "'";
      }
      // Not a statement: the syntax error quotes it ("... near 'Vigil ...'").
      return msg;
  }
  return msg;
}

std::string WidenAscii(const std::string& utf8) {
  // Block statements are ASCII: widening each byte is exact UTF-16. Host byte
  // order, as sqlite3_prepare16 expects. Two extra NUL bytes terminate it
  // (std::string adds one more).
  std::string out;
  out.reserve(utf8.size() * 2 + 2);
  for (char c : utf8) {
    const char16_t u = static_cast<unsigned char>(c);
    out.append(reinterpret_cast<const char*>(&u), 2);
  }
  out.push_back('\0');
  out.push_back('\0');
  return out;
}

// The request's inputs as the detector takes them; one buffer per thread,
// reused, so a check allocates nothing once warm.
std::vector<sqli::Input>& InputBuffer() {
  thread_local std::vector<sqli::Input> buffer;
  return buffer;
}

sqli::Dialect ToDetector(SqlDialect d) {
  switch (d) {
    case SqlDialect::kSQLite: return sqli::Dialect::kSqlite;
    case SqlDialect::kPostgreSQL: return sqli::Dialect::kPostgres;
    case SqlDialect::kMySQL: return sqli::Dialect::kMysql;
  }
  return sqli::Dialect::kSqlite;
}

}  // namespace

BlockStatement MakeBlockStatement(SqlDialect dialect, FailAt fail_at, std::string_view rule_id,
                                  bool utf16) {
  const std::string* generic8 = Intern(BlockSql(dialect, fail_at, ""), nullptr);
  BlockStatement s;
  s.utf8 = Intern(BlockSql(dialect, fail_at, rule_id), generic8);
  if (utf16) s.utf16 = Intern(WidenAscii(*s.utf8), Intern(WidenAscii(*generic8), nullptr));
  return s;
}

SqlRule::SqlRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
                 std::shared_ptr<RuleCounters> counters)
    : ProtectionRule(rule, std::move(settings), std::move(counters)),
      params_(rule.sql),
      block_(MakeBlockStatement(rule.sql.dialect, rule.sql.fail_at, rule.id, rule.sql.utf16)) {}

DetectVerdict SqlRule::Detect(ProtectionCall& base, std::span<const RequestInput> request_inputs,
                              DetectResult* result) const {
  SqlCall& call = static_cast<SqlCall&>(base);
  thread_local std::string scratch;  // UTF-16 statements, converted
  std::string_view statement;
  if (!call.Statement(&scratch, &statement)) return DetectVerdict::kClean;

  std::vector<sqli::Input>& inputs = InputBuffer();
  inputs.clear();
  for (const RequestInput& in : request_inputs) inputs.push_back({in.value, in.key});
  sqli::Limits limits;
  limits.max_statement_bytes = settings().max_statement_bytes;
  limits.max_inputs = static_cast<uint32_t>(inputs.size());

  sqli::Finding found;
  const sqli::Verdict v = sqli::Detect(statement, ToDetector(params_.dialect), inputs, limits, &found);
  if (v == sqli::Verdict::kLimitExceeded) {
    // A statement too long or with too many tokens stays so for every chunk.
    return found.status == sqli::Status::kTooManyInputs ? DetectVerdict::kIncomplete
                                                        : DetectVerdict::kIncompleteAll;
  }
  if (v != sqli::Verdict::kInjection) return DetectVerdict::kClean;
  result->input_index = found.input_index;
  char rendered[kMaxRenderedStatement];
  const size_t len = sqli::RenderMarked(statement, found, std::span<char>(rendered));
  result->marked.assign(rendered, len);
  result->reason = std::string(found.Reason());
  return DetectVerdict::kAttack;
}

bool SqlRule::Fail(ProtectionCall& call) const { return static_cast<SqlCall&>(call).Replace(block_); }

}  // namespace vigil::agent
