// Copyright Vigil authors.
#include "sql_protection.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

#include "request_context.h"
#include "sqli/sqli.h"
#include "histogram.h"
#include "stack_trace.h"

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

bool SameFinding(const Finding& a, const Finding& b) {
  return a.rule_id == b.rule_id && a.hook_point == b.hook_point && a.input_key == b.input_key &&
         a.sink_value == b.sink_value;
}

}  // namespace

RuleMode EffectiveMode(RuleMode rule, Mode global) {
  if (global == Mode::kMonitor && rule == RuleMode::kBlock) return RuleMode::kMonitor;
  return rule;
}

RuleMode EffectiveMode(RuleMode rule, const ProtectionSettings& settings) {
  if (settings.all_off) return RuleMode::kOff;
  // RuleMode is ordered off < monitor < block: a cap is a minimum.
  if (settings.sql_injection_set) return std::min(rule, settings.sql_injection_mode);
  return EffectiveMode(rule, settings.global_mode);
}

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
    : id_(rule.id),
      params_(rule.sql),
      mode_(EffectiveMode(rule.mode, *settings)),
      block_(MakeBlockStatement(rule.sql.dialect, rule.sql.fail_at, rule.id, rule.sql.utf16)),
      settings_(std::move(settings)),
      counters_(std::move(counters)) {}

void SqlRule::Check(SqlCall& call) const noexcept {
  RuleCounters::Add(counters_->calls);
  try {
    if (mode_ == RuleMode::kOff) return;
    RequestContext* ctx = CurrentRequest();
    if (ctx == nullptr) {
      RuleCounters::Add(counters_->no_request);
      return;
    }
    CheckInRequest(call, *ctx);
  } catch (...) {
    // Fail open: the call goes on as the application made it.
    RuleCounters::Add(counters_->errors);
  }
}

void SqlRule::CheckInRequest(SqlCall& call, RequestContext& ctx) const {
  const auto& request_inputs = ctx.inputs();
  if (request_inputs.empty()) return;  // nothing the client controls
  const uint64_t start = NowNs();
  const uint64_t deadline = CheckDeadline(settings_->budgets, ctx, start);
  if (deadline == 0) {
    RuleCounters::Add(counters_->skipped_budget);
    ++ctx.checks_skipped;
    return;
  }
  RuleCounters::Add(counters_->checks);

  thread_local std::string scratch;  // UTF-16 statements, converted
  std::string_view statement;
  if (!call.Statement(&scratch, &statement)) return;

  std::vector<sqli::Input>& inputs = InputBuffer();
  inputs.clear();
  for (const RequestInput& in : request_inputs) inputs.push_back({in.value, in.key});

  sqli::Limits limits;
  limits.max_statement_bytes = settings_->max_statement_bytes;
  const size_t step = std::max<uint32_t>(1, settings_->inputs_per_step);
  limits.max_inputs = static_cast<uint32_t>(step);

  sqli::Finding found;
  bool injection = false;
  bool skipped = false;
  for (size_t off = 0; off < inputs.size(); off += step) {
    if (off > 0 && NowNs() >= deadline) {
      skipped = true;  // the rest of the inputs stay unchecked: never wait
      break;
    }
    const size_t n = std::min(step, inputs.size() - off);
    const sqli::Verdict v = sqli::Detect(statement, ToDetector(params_.dialect),
                                         std::span<const sqli::Input>(inputs.data() + off, n),
                                         limits, &found);
    if (v == sqli::Verdict::kInjection) {
      found.input_index += off;
      injection = true;
      break;
    }
    if (v == sqli::Verdict::kLimitExceeded) {
      RuleCounters::Add(counters_->incomplete);
      // A statement too long or with too many tokens stays so for every chunk.
      if (found.status != sqli::Status::kTooManyInputs) break;
    }
  }
  const uint64_t elapsed = NowNs() - start;
  ChargeRequest(ctx, elapsed);
  RuleCounters::Add(counters_->time_ns, elapsed);
  if (counters_->latency != nullptr) counters_->latency->Record(elapsed);
  if (skipped) {
    RuleCounters::Add(counters_->skipped_budget);
    ++ctx.checks_skipped;
  }
  if (!injection) return;

  RuleCounters::Add(counters_->findings);
  Finding finding;
  finding.rule_id = id_;
  finding.protection = std::string(ProtectionName(Protection::kSqlInjection));
  finding.hook_point = std::string(call.hook_name());
  if (found.input_index < inputs.size()) {
    finding.input_key = std::string(inputs[found.input_index].source);
    finding.input_value = std::string(inputs[found.input_index].value);
  }
  char rendered[kMaxRenderedStatement];
  const size_t len = sqli::RenderMarked(statement, found, std::span<char>(rendered));
  finding.sink_value.assign(rendered, len);
  finding.reason = std::string(found.Reason());
  finding.stack = CaptureStack(/*skip=*/1);

  if (mode_ == RuleMode::kBlock) {
    if (call.Replace(block_)) {
      finding.blocked = true;
      RuleCounters::Add(counters_->blocks);
      if (!ctx.blocked()) ctx.Block(MakeBlockResponse(settings_->block, ctx.accept, ctx.request_id));
    } else {
      RuleCounters::Add(counters_->errors);
    }
  }
  // While a ruleset is being swapped, a call may run the old and the new
  // callbacks of one rule: record the finding once.
  for (const Finding& f : ctx.findings()) {
    if (SameFinding(f, finding) && f.blocked == finding.blocked) return;
  }
  ctx.AddFinding(std::move(finding));
}

}  // namespace vigil::agent
