// Copyright Vigil authors.
#include "protocol/ruleset_check.h"

#include <set>

#include "protocol/protections.h"
#include "vigil/ruleset_limits.h"

namespace vigil::server {
namespace {

namespace limits = vigil::ruleset_limits;

std::string Show(const Json& v) {
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  return s.size() > 80 ? s.substr(0, 80) + "..." : s;
}

[[noreturn]] void Fail(const std::string& rule, const std::string& field, const std::string& why) {
  throw InvalidInput(rule + "field \"" + field + "\": " + why);
}

void CheckArgIndex(const Json& params, const char* key, const std::string& rule, bool required) {
  auto it = params.find(key);
  if (it == params.end()) {
    if (required) Fail(rule, std::string("params.") + key, "missing");
    return;
  }
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > limits::kMaxArgIndex) {
    Fail(rule, std::string("params.") + key,
         "expected an integer 0.." + std::to_string(limits::kMaxArgIndex) + ", got " + Show(*it));
  }
}

void CheckEnum(const Json& obj, const char* key, std::initializer_list<const char*> values,
               const std::string& rule, const std::string& field, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) Fail(rule, field, "missing");
    return;
  }
  if (it->is_string()) {
    for (const char* v : values) {
      if (*it == v) return;
    }
  }
  std::string list;
  for (const char* v : values) list += (list.empty() ? "\"" : ", \"") + std::string(v) + "\"";
  Fail(rule, field, "expected one of " + list + ", got " + Show(*it));
}

void CheckSqlParams(const Json& params, const std::string& rule) {
  CheckArgIndex(params, "sql_arg", rule, true);
  CheckEnum(params, "dialect", {"sqlite", "postgresql", "mysql"}, rule, "params.dialect", true);
  CheckEnum(params, "encoding", {"utf8", "utf16"}, rule, "params.encoding", false);
  CheckEnum(params, "fail_at", {"execute", "prepare"}, rule, "params.fail_at", false);
  int64_t sql = params["sql_arg"].get<int64_t>();
  for (const char* other : {"count_arg", "nparams_arg"}) {
    if (params.contains(other) && params[other].get<int64_t>() == sql) {
      Fail(rule, std::string("params.") + other, "must differ from params.sql_arg");
    }
  }
  if (params.contains("count_arg") && params.contains("nparams_arg") &&
      params["count_arg"] == params["nparams_arg"]) {
    Fail(rule, "params.nparams_arg", "must differ from params.count_arg");
  }
}

void CheckCommandParams(const Json& params, const std::string& rule) {
  if (params.contains("command_arg") == params.contains("argv_arg")) {
    Fail(rule, "params", "needs exactly one of command_arg (shell text) and argv_arg (an argument vector)");
  }
  if (params.contains("program_arg") && !params.contains("argv_arg")) {
    Fail(rule, "params.program_arg", "goes with argv_arg");
  }
}

void CheckPathParams(const Json& params, const std::string& rule) {
  CheckArgIndex(params, "path_arg", rule, true);
  if (params.contains("path2_arg") && params["path2_arg"] == params["path_arg"]) {
    Fail(rule, "params.path2_arg", "must differ from params.path_arg");
  }
  if (auto roots = params.find("allowed_roots"); roots != params.end()) {
    const std::string what = "expected an array of at most " +
                             std::to_string(limits::kMaxAllowedRoots) + " absolute directory paths";
    if (!roots->is_array() || roots->size() > limits::kMaxAllowedRoots) {
      Fail(rule, "params.allowed_roots", what);
    }
    for (const Json& root : *roots) {
      if (!root.is_string() || root.get_ref<const std::string&>().empty() ||
          root.get_ref<const std::string&>()[0] != '/' ||
          root.get_ref<const std::string&>().size() > limits::kMaxAllowedRootBytes) {
        Fail(rule, "params.allowed_roots", what + ", got " + Show(root));
      }
    }
  }
}

void CheckRule(const Json& r, size_t index, std::set<std::string>& ids) {
  std::string rule = "rules[" + std::to_string(index) + "] ";
  if (!r.is_object()) Fail(rule, "", "expected an object");
  auto id = r.find("id");
  if (id == r.end()) Fail(rule, "id", "missing");
  if (!id->is_string() || !IsName(id->get_ref<const std::string&>(), limits::kMaxRuleIdBytes)) {
    Fail(rule, "id", "expected a string of 1.." + std::to_string(limits::kMaxRuleIdBytes) +
                         " letters, digits, '.', '_' or '-', got " + Show(*id));
  }
  rule = "rule \"" + id->get<std::string>() + "\" ";
  if (!ids.insert(id->get<std::string>()).second) Fail(rule, "id", "used by two rules");
  for (auto it = r.begin(); it != r.end(); ++it) {
    static const std::set<std::string> kKnown = {"id",   "description", "hook_points", "protection",
                                                 "params", "mode",      "priority"};
    if (!kKnown.count(it.key())) Fail(rule, it.key(), "unknown field");
  }
  auto hps = r.find("hook_points");
  if (hps == r.end()) Fail(rule, "hook_points", "missing");
  if (!hps->is_array() || hps->empty() || hps->size() > limits::kMaxHookPointsPerRule) {
    Fail(rule, "hook_points", "expected an array of 1.." +
                                  std::to_string(limits::kMaxHookPointsPerRule) + " non-empty strings");
  }
  for (size_t i = 0; i < hps->size(); ++i) {
    const Json& h = (*hps)[i];
    if (!h.is_string() || h.get_ref<const std::string&>().empty() ||
        h.get_ref<const std::string&>().size() > limits::kMaxHookPointBytes) {
      Fail(rule, "hook_points[" + std::to_string(i) + "]",
           "expected a string of 1.." + std::to_string(limits::kMaxHookPointBytes) +
               " bytes, got " + Show(h));
    }
  }
  auto protection = r.find("protection");
  if (protection == r.end()) Fail(rule, "protection", "missing");
  const ProtectionInfo* info =
      protection->is_string() ? FindProtection(protection->get_ref<const std::string&>()) : nullptr;
  if (info == nullptr) {
    std::string list;
    for (const ProtectionInfo& p : Protections()) {
      list += (list.empty() ? "\"" : ", \"") + std::string(p.name) + "\"";
    }
    Fail(rule, "protection", "expected one of " + list + ", got " + Show(*protection));
  }
  CheckEnum(r, "mode", {"off", "monitor", "block"}, rule, "mode", false);
  if (auto p = r.find("priority"); p != r.end()) {
    if (!p->is_number_integer() || p->get<int64_t>() < limits::kMinPriority ||
        p->get<int64_t>() > limits::kMaxPriority) {
      Fail(rule, "priority", "expected an integer " + std::to_string(limits::kMinPriority) + ".." +
                                 std::to_string(limits::kMaxPriority) + ", got " + Show(*p));
    }
  }
  if (auto d = r.find("description");
      d != r.end() && (!d->is_string() || d->get_ref<const std::string&>().size() > limits::kMaxDescriptionBytes)) {
    Fail(rule, "description",
         "expected a string of at most " + std::to_string(limits::kMaxDescriptionBytes) + " bytes");
  }
  auto params = r.find("params");
  if (params == r.end()) Fail(rule, "params", "missing");
  if (!params->is_object()) Fail(rule, "params", "expected an object");
  for (auto it = params->begin(); it != params->end(); ++it) {
    bool known = false;
    for (std::string_view k : info->params) known = known || k == it.key();
    if (!known) Fail(rule, "params." + it.key(), "unknown field");
    const std::string& k = it.key();
    if (k.size() > 4 && k.compare(k.size() - 4, 4, "_arg") == 0) {
      CheckArgIndex(*params, k.c_str(), rule, false);
    }
  }
  if (info->name == "sql_injection") CheckSqlParams(*params, rule);
  if (info->name == "command_injection") CheckCommandParams(*params, rule);
  if (info->name == "path_traversal") CheckPathParams(*params, rule);
}

}  // namespace

void CheckRuleset(const Json& ruleset) {
  if (!ruleset.is_object()) throw InvalidInput("a ruleset is a JSON object");
  for (auto it = ruleset.begin(); it != ruleset.end(); ++it) {
    if (it.key() != "version" && it.key() != "rules") Fail("", it.key(), "unknown field");
  }
  auto version = ruleset.find("version");
  if (version == ruleset.end()) Fail("", "version", "missing");
  if (!version->is_string() || version->get_ref<const std::string&>().empty() ||
      version->get_ref<const std::string&>().size() > limits::kMaxVersionBytes) {
    Fail("", "version", "expected a string of 1.." + std::to_string(limits::kMaxVersionBytes) +
                            " characters, got " + Show(*version));
  }
  auto rules = ruleset.find("rules");
  if (rules == ruleset.end()) Fail("", "rules", "missing");
  if (!rules->is_array() || rules->size() > limits::kMaxRules) {
    Fail("", "rules", "expected an array of at most " + std::to_string(limits::kMaxRules) + " rules");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < rules->size(); ++i) CheckRule((*rules)[i], i, ids);
}

}  // namespace vigil::server
