// Copyright Vigil authors.
#include "ruleset.h"

#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "protections/registry.h"

namespace vigil::agent {
namespace {

using nlohmann::json;

// The value that failed validation, short enough for one log line.
std::string Got(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// Builds the "where" part of an error: `rule "id" field "x"`, or
// `rules[3] field "x"` while the rule has no valid id yet.
class ErrorSink {
 public:
  explicit ErrorSink(std::string* error) : error_(error) {}

  void set_rule(std::string label) { rule_ = std::move(label); }

  bool Fail(std::string_view field, std::string_view reason) {
    std::string out = rule_;
    if (!field.empty()) {
      if (!out.empty()) out += ' ';
      out += "field \"";
      out += field;
      out += "\"";
    }
    if (!out.empty()) out += ": ";
    out += reason;
    *error_ = std::move(out);
    return false;
  }
  bool Expected(std::string_view field, std::string_view what, const json& got) {
    return Fail(field, "expected " + std::string(what) + ", got " + Got(got));
  }

 private:
  std::string* error_;
  std::string rule_;
};

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > ruleset_limits::kMaxRuleIdBytes) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ParseArgIndex(const json& v, std::string_view field, int* out, ErrorSink& err) {
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > kMaxArgIndex) {
    return err.Expected(field, "an integer 0.." + std::to_string(kMaxArgIndex), v);
  }
  *out = static_cast<int>(v.get<int64_t>());
  return true;
}

bool ParseSqlParams(const json& params, SqlInjectionParams* out, ErrorSink& err) {
  if (!params.is_object()) return err.Expected("params", "an object", params);
  SqlInjectionParams p;
  bool have_sql = false, have_dialect = false;
  for (const auto& [key, v] : params.items()) {
    const std::string field = "params." + key;
    if (key == "sql_arg") {
      if (!ParseArgIndex(v, field, &p.sql_arg, err)) return false;
      have_sql = true;
    } else if (key == "count_arg") {
      if (!ParseArgIndex(v, field, &p.count_arg, err)) return false;
    } else if (key == "nparams_arg") {
      if (!ParseArgIndex(v, field, &p.nparams_arg, err)) return false;
    } else if (key == "dialect") {
      const std::string s = v.is_string() ? v.get<std::string>() : "";
      if (s == "sqlite") {
        p.dialect = SqlDialect::kSQLite;
      } else if (s == "postgresql") {
        p.dialect = SqlDialect::kPostgreSQL;
      } else if (s == "mysql") {
        p.dialect = SqlDialect::kMySQL;
      } else {
        return err.Expected(field, "\"sqlite\", \"postgresql\" or \"mysql\"", v);
      }
      have_dialect = true;
    } else if (key == "encoding") {
      const std::string s = v.is_string() ? v.get<std::string>() : "";
      if (s == "utf8") {
        p.utf16 = false;
      } else if (s == "utf16") {
        p.utf16 = true;
      } else {
        return err.Expected(field, "\"utf8\" or \"utf16\"", v);
      }
    } else if (key == "fail_at") {
      const std::string s = v.is_string() ? v.get<std::string>() : "";
      if (s == "execute") {
        p.fail_at = FailAt::kExecute;
      } else if (s == "prepare") {
        p.fail_at = FailAt::kPrepare;
      } else {
        return err.Expected(field, "\"execute\" or \"prepare\"", v);
      }
    } else {
      return err.Fail(field, "unknown parameter (known: sql_arg, dialect, count_arg, "
                             "nparams_arg, encoding, fail_at)");
    }
  }
  if (!have_sql) return err.Fail("params.sql_arg", "missing (the index of the SQL argument)");
  if (!have_dialect) return err.Fail("params.dialect", "missing (sqlite, postgresql or mysql)");
  auto clash = [&](int a, std::string_view name) {
    return a >= 0 && a == p.sql_arg
               ? err.Fail("params." + std::string(name),
                          "must differ from params.sql_arg (" + std::to_string(a) + ")")
               : true;
  };
  if (!clash(p.count_arg, "count_arg") || !clash(p.nparams_arg, "nparams_arg")) return false;
  if (p.count_arg >= 0 && p.count_arg == p.nparams_arg) {
    return err.Fail("params.nparams_arg", "must differ from params.count_arg");
  }
  *out = p;
  return true;
}

bool ParseCommandParams(const json& params, CommandInjectionParams* out, ErrorSink& err) {
  if (!params.is_object()) return err.Expected("params", "an object", params);
  CommandInjectionParams p;
  for (const auto& [key, v] : params.items()) {
    const std::string field = "params." + key;
    int* slot = key == "command_arg" ? &p.command_arg
                : key == "argv_arg"  ? &p.argv_arg
                : key == "program_arg" ? &p.program_arg
                                       : nullptr;
    if (slot == nullptr) {
      return err.Fail(field, "unknown parameter (known: command_arg, argv_arg, program_arg)");
    }
    if (!ParseArgIndex(v, field, slot, err)) return false;
  }
  if ((p.command_arg >= 0) == (p.argv_arg >= 0)) {
    return err.Fail("params", "needs exactly one of command_arg (shell text) and argv_arg "
                              "(an argument vector)");
  }
  if (p.program_arg >= 0 && p.argv_arg < 0) {
    return err.Fail("params.program_arg", "goes with argv_arg");
  }
  if (p.program_arg >= 0 && p.program_arg == p.argv_arg) {
    return err.Fail("params.program_arg", "must differ from params.argv_arg");
  }
  *out = p;
  return true;
}

bool ParsePathParams(const json& params, PathTraversalParams* out, ErrorSink& err) {
  if (!params.is_object()) return err.Expected("params", "an object", params);
  PathTraversalParams p;
  for (const auto& [key, v] : params.items()) {
    const std::string field = "params." + key;
    if (key == "path_arg") {
      if (!ParseArgIndex(v, field, &p.path_arg, err)) return false;
    } else if (key == "path2_arg") {
      if (!ParseArgIndex(v, field, &p.path2_arg, err)) return false;
    } else if (key == "allowed_roots") {
      const std::string what = "an array of at most " +
                               std::to_string(ruleset_limits::kMaxAllowedRoots) +
                               " absolute directory paths";
      if (!v.is_array() || v.size() > ruleset_limits::kMaxAllowedRoots) {
        return err.Expected(field, what, v);
      }
      for (const json& root : v) {
        if (!root.is_string() || root.get<std::string>().empty() ||
            root.get<std::string>()[0] != '/' ||
            root.get<std::string>().size() > ruleset_limits::kMaxAllowedRootBytes) {
          return err.Expected(field, what, root);
        }
        p.allowed_roots.push_back(root.get<std::string>());
      }
    } else {
      return err.Fail(field, "unknown parameter (known: path_arg, path2_arg, allowed_roots)");
    }
  }
  if (p.path_arg < 0) return err.Fail("params.path_arg", "missing (the index of the path argument)");
  if (p.path2_arg == p.path_arg) return err.Fail("params.path2_arg", "must differ from params.path_arg");
  *out = std::move(p);
  return true;
}

bool ParseParams(const json& params, Rule* rule, ErrorSink& err) {
  switch (rule->protection) {
    case Protection::kSqlInjection: return ParseSqlParams(params, &rule->sql, err);
    case Protection::kCommandInjection: return ParseCommandParams(params, &rule->command, err);
    case Protection::kPathTraversal: return ParsePathParams(params, &rule->path, err);
  }
  return err.Fail("protection", "unknown");
}

bool ParseRule(const json& r, Rule* out, ErrorSink& err) {
  if (!r.is_object()) return err.Expected("", "a rule object", r);
  Rule rule;
  // The id first, so that every later error can name the rule.
  auto id = r.find("id");
  if (id == r.end()) return err.Fail("id", "missing");
  if (!id->is_string() || !ValidId(id->get<std::string>())) {
    return err.Expected("id", "a string of 1..64 letters, digits, '.', '_' or '-'", *id);
  }
  rule.id = id->get<std::string>();
  err.set_rule("rule \"" + rule.id + "\"");

  bool have_hooks = false, have_protection = false;
  const json* params = nullptr;
  for (const auto& [key, v] : r.items()) {
    if (key == "id") continue;
    if (key == "hook_points") {
      if (!v.is_array() || v.empty() || v.size() > kMaxHookPointsPerRule) {
        return err.Expected(key, "an array of 1.." + std::to_string(kMaxHookPointsPerRule) +
                                     " hook point patterns",
                            v);
      }
      for (size_t i = 0; i < v.size(); ++i) {
        const json& hp = v[i];
        if (!hp.is_string() || hp.get<std::string>().empty() ||
            hp.get<std::string>().size() > ruleset_limits::kMaxHookPointBytes) {
          return err.Expected("hook_points[" + std::to_string(i) + "]",
                              "a hook point name or pattern of 1.." +
                                  std::to_string(ruleset_limits::kMaxHookPointBytes) + " bytes",
                              hp);
        }
        rule.hook_points.push_back(hp.get<std::string>());
      }
      have_hooks = true;
    } else if (key == "protection") {
      if (!v.is_string() || !ParseProtectionName(v.get<std::string>(), &rule.protection)) {
        std::string names;
        for (size_t p = 0; p < kProtectionCount; ++p) {
          names += (p == 0 ? "" : ", ");
          names += "\"" + std::string(ProtectionName(static_cast<Protection>(p))) + "\"";
        }
        return err.Expected(key, "one of " + names, v);
      }
      have_protection = true;
    } else if (key == "params") {
      params = &v;
    } else if (key == "mode") {
      const std::string s = v.is_string() ? v.get<std::string>() : "";
      if (s == "off") {
        rule.mode = RuleMode::kOff;
      } else if (s == "monitor") {
        rule.mode = RuleMode::kMonitor;
      } else if (s == "block") {
        rule.mode = RuleMode::kBlock;
      } else {
        return err.Expected(key, "\"off\", \"monitor\" or \"block\"", v);
      }
    } else if (key == "priority") {
      if (!v.is_number_integer() || v.get<int64_t>() < ruleset_limits::kMinPriority ||
          v.get<int64_t>() > ruleset_limits::kMaxPriority) {
        return err.Expected(key, "an integer " + std::to_string(ruleset_limits::kMinPriority) +
                                     ".." + std::to_string(ruleset_limits::kMaxPriority),
                            v);
      }
      rule.priority = static_cast<int>(v.get<int64_t>());
    } else if (key == "description") {
      if (!v.is_string() || v.get<std::string>().size() > ruleset_limits::kMaxDescriptionBytes) {
        return err.Expected(key, "a string of at most " +
                                     std::to_string(ruleset_limits::kMaxDescriptionBytes) + " bytes",
                            v);
      }
      rule.description = v.get<std::string>();
    } else {
      return err.Fail(key, "unknown field (known: id, hook_points, protection, params, mode, "
                           "priority, description)");
    }
  }
  if (!have_hooks) return err.Fail("hook_points", "missing");
  if (!have_protection) return err.Fail("protection", "missing");
  if (params == nullptr) return err.Fail("params", "missing");
  if (!ParseParams(*params, &rule, err)) return false;

  // The parameters must fit every sink the patterns name (argument kinds).
  std::string field, reason;
  if (!ValidateRuleSinks(rule, &field, &reason)) return err.Fail(field, reason);
  *out = std::move(rule);
  return true;
}

}  // namespace

std::string_view RuleModeName(RuleMode mode) {
  switch (mode) {
    case RuleMode::kOff: return "off";
    case RuleMode::kMonitor: return "monitor";
    case RuleMode::kBlock: return "block";
  }
  return "?";
}

namespace {
struct ProtectionRow {
  std::string_view name;
  std::string_view label;
  std::string_view value;
};
constexpr ProtectionRow kProtectionRows[] = {
#define VIGIL_PROTECTION(enumerator, name, label, value, params) {name, label, value},
#include "vigil/protections.inc"
};
static_assert(std::size(kProtectionRows) == kProtectionCount);
}  // namespace

std::string_view ProtectionName(Protection p) {
  const auto i = static_cast<size_t>(p);
  return i < kProtectionCount ? kProtectionRows[i].name : "?";
}

std::string_view ProtectionLabel(Protection p) {
  const auto i = static_cast<size_t>(p);
  return i < kProtectionCount ? kProtectionRows[i].label : "?";
}

std::string_view ProtectionValueName(Protection p) {
  const auto i = static_cast<size_t>(p);
  return i < kProtectionCount ? kProtectionRows[i].value : "?";
}

bool ParseProtectionName(std::string_view name, Protection* out) {
  for (size_t i = 0; i < kProtectionCount; ++i) {
    if (kProtectionRows[i].name == name) {
      *out = static_cast<Protection>(i);
      return true;
    }
  }
  return false;
}

std::string_view SqlDialectName(SqlDialect d) {
  switch (d) {
    case SqlDialect::kSQLite: return "sqlite";
    case SqlDialect::kPostgreSQL: return "postgresql";
    case SqlDialect::kMySQL: return "mysql";
  }
  return "?";
}

bool ParseRuleset(std::string_view text, Ruleset* out, std::string* error) {
  ErrorSink err(error);
  try {
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      try {
        (void)json::parse(text.begin(), text.end());
      } catch (const json::parse_error& e) {
        std::string m = e.what();
        size_t at = m.find("parse error");
        return err.Fail("", "invalid JSON: " + (at == std::string::npos ? m : m.substr(at)));
      }
      return err.Fail("", "invalid JSON");
    }
    if (!doc.is_object()) return err.Expected("", "a JSON object", doc);
    Ruleset rs;
    bool have_version = false;
    const json* rules = nullptr;
    for (const auto& [key, v] : doc.items()) {
      if (key == "version") {
        if (!v.is_string() || v.get<std::string>().empty() ||
            v.get<std::string>().size() > ruleset_limits::kMaxVersionBytes) {
          return err.Expected(key, "a non-empty string", v);
        }
        rs.version = v.get<std::string>();
        have_version = true;
      } else if (key == "rules") {
        rules = &v;
      } else {
        return err.Fail(key, "unknown field (known: version, rules)");
      }
    }
    if (!have_version) return err.Fail("version", "missing");
    if (rules == nullptr) return err.Fail("rules", "missing");
    if (!rules->is_array() || rules->size() > kMaxRules) {
      return err.Expected("rules", "an array of at most " + std::to_string(kMaxRules) + " rules",
                          *rules);
    }
    std::set<std::string> ids;
    for (size_t i = 0; i < rules->size(); ++i) {
      ErrorSink rule_err(error);
      rule_err.set_rule("rules[" + std::to_string(i) + "]");
      Rule rule;
      if (!ParseRule((*rules)[i], &rule, rule_err)) return false;
      if (!ids.insert(rule.id).second) {
        rule_err.set_rule("rule \"" + rule.id + "\"");
        return rule_err.Fail("id", "duplicate rule id");
      }
      rs.rules.push_back(std::move(rule));
    }
    *out = std::move(rs);
    return true;
  } catch (const std::exception& e) {
    return err.Fail("", std::string("internal error: ") + e.what());
  } catch (...) {
    return err.Fail("", "internal error");
  }
}

std::string_view DefaultRulesetJson() {
  static constexpr char kJson[] =
#include "default_rules.inc"
      ;
  return std::string_view(kJson, sizeof kJson - 1);
}

}  // namespace vigil::agent
