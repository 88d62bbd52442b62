// Copyright Vigil authors.
//
// Ruleset parsing and validation: the built-in ruleset, the schema, and
// errors that name the rule, the field and the reason.
#include "protections/registry.h"
#include "ruleset.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sql_sinks.h"

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;

// A valid one-rule ruleset, with `rule_patch` merged into the rule (null
// values remove a field).
std::string OneRule(const nlohmann::json& rule_patch) {
  nlohmann::json rule = {
      {"id", "sqli-pq"},
      {"hook_points", {"PQexec"}},
      {"protection", "sql_injection"},
      {"params", {{"sql_arg", 1}, {"dialect", "postgresql"}}},
      {"mode", "block"},
      {"priority", 0},
  };
  rule.merge_patch(rule_patch);
  return nlohmann::json{{"version", "t1"}, {"rules", {rule}}}.dump();
}

std::string Error(const std::string& json) {
  Ruleset rs;
  std::string error;
  EXPECT_FALSE(ParseRuleset(json, &rs, &error)) << json;
  EXPECT_EQ(error.find('\n'), std::string::npos);
  return error;
}

TEST(RulesetTest, DefaultRulesetIsValidAndCoversEverySink) {
  Ruleset rs;
  std::string error;
  ASSERT_TRUE(ParseRuleset(DefaultRulesetJson(), &rs, &error)) << error;
  EXPECT_EQ(rs.version, "vigil-default-1");
  // Every known sink of every protection is covered by exactly one default
  // rule of that protection.
  for (size_t p = 0; p < kProtectionCount; ++p) {
    const Protection protection = static_cast<Protection>(p);
    for (const Sink& sink : SinksOf(protection)) {
      int covering = 0;
      for (const Rule& r : rs.rules) {
        if (r.protection != protection) continue;
        for (const std::string& pattern : r.hook_points) {
          if (GlobMatch(pattern, sink.name) || GlobMatch(pattern, sink.symbol)) ++covering;
        }
      }
      EXPECT_EQ(covering, 1) << ProtectionName(protection) << ": " << sink.symbol;
    }
  }
  for (const Rule& r : rs.rules) EXPECT_EQ(r.mode, RuleMode::kBlock) << r.id;
}

TEST(RulesetTest, ParsesEveryField) {
  Ruleset rs;
  std::string error;
  ASSERT_TRUE(ParseRuleset(OneRule({{"hook_points", {"sqlite3_prepare_v*"}},
                                    {"params",
                                     {{"sql_arg", 1},
                                      {"dialect", "sqlite"},
                                      {"count_arg", 2},
                                      {"fail_at", "prepare"}}},
                                    {"mode", "monitor"},
                                    {"priority", -5},
                                    {"description", "d"}}),
                           &rs, &error))
      << error;
  ASSERT_EQ(rs.rules.size(), 1u);
  const Rule& r = rs.rules[0];
  EXPECT_EQ(r.id, "sqli-pq");
  EXPECT_EQ(r.hook_points, std::vector<std::string>{"sqlite3_prepare_v*"});
  EXPECT_EQ(r.sql.sql_arg, 1);
  EXPECT_EQ(r.sql.count_arg, 2);
  EXPECT_EQ(r.sql.nparams_arg, -1);
  EXPECT_EQ(r.sql.dialect, SqlDialect::kSQLite);
  EXPECT_EQ(r.sql.fail_at, FailAt::kPrepare);
  EXPECT_EQ(r.mode, RuleMode::kMonitor);
  EXPECT_EQ(r.priority, -5);
  EXPECT_EQ(r.description, "d");
}

TEST(RulesetTest, ModeDefaultsToBlockCappedByTheGlobalMode) {
  Ruleset rs;
  std::string error;
  ASSERT_TRUE(ParseRuleset(OneRule({{"mode", nullptr}}), &rs, &error)) << error;
  EXPECT_EQ(rs.rules[0].mode, RuleMode::kBlock);
}

TEST(RulesetTest, PreciseErrors) {
  EXPECT_EQ(Error(OneRule({{"params", {{"sql_arg", "one"}}}})),
            "rule \"sqli-pq\" field \"params.sql_arg\": expected an integer 0..15, got \"one\"");
  EXPECT_EQ(Error(OneRule({{"params", {{"sql_arg", 16}}}})),
            "rule \"sqli-pq\" field \"params.sql_arg\": expected an integer 0..15, got 16");
  EXPECT_EQ(Error(OneRule({{"params", {{"dialect", "oracle"}}}})),
            "rule \"sqli-pq\" field \"params.dialect\": expected \"sqlite\", \"postgresql\" or "
            "\"mysql\", got \"oracle\"");
  EXPECT_EQ(Error(OneRule({{"params", {{"sql_arg", nullptr}}}})),
            "rule \"sqli-pq\" field \"params.sql_arg\": missing (the index of the SQL argument)");
  EXPECT_EQ(Error(OneRule({{"params", {{"colour", 1}}}})),
            "rule \"sqli-pq\" field \"params.colour\": unknown parameter (known: sql_arg, "
            "dialect, count_arg, nparams_arg, encoding, fail_at)");
  EXPECT_EQ(Error(OneRule({{"mode", "on"}})),
            "rule \"sqli-pq\" field \"mode\": expected \"off\", \"monitor\" or \"block\", got \"on\"");
  EXPECT_EQ(Error(OneRule({{"priority", 1.5}})),
            "rule \"sqli-pq\" field \"priority\": expected an integer -1000..1000, got 1.5");
  EXPECT_EQ(Error(OneRule({{"protection", "xss"}})),
            "rule \"sqli-pq\" field \"protection\": expected one of \"sql_injection\", "
            "\"command_injection\", \"path_traversal\", got \"xss\"");
  EXPECT_EQ(Error(OneRule({{"hook_points", nlohmann::json::array()}})),
            "rule \"sqli-pq\" field \"hook_points\": expected an array of 1..64 hook point "
            "patterns, got []");
  EXPECT_EQ(Error(OneRule({{"hook_points", {"PQexec", 3}}})),
            "rule \"sqli-pq\" field \"hook_points[1]\": expected a hook point name or pattern "
            "of 1..512 bytes, got 3");
  EXPECT_EQ(Error(OneRule({{"hook_poitns", {"PQexec"}}})),
            "rule \"sqli-pq\" field \"hook_poitns\": unknown field (known: id, hook_points, "
            "protection, params, mode, priority, description)");
  EXPECT_EQ(Error(OneRule({{"id", "bad id"}})),
            "rules[0] field \"id\": expected a string of 1..64 letters, digits, '.', '_' or '-', "
            "got \"bad id\"");
  EXPECT_EQ(Error(OneRule({{"id", nullptr}})), "rules[0] field \"id\": missing");
  EXPECT_EQ(Error(OneRule({{"params", nullptr}})), "rule \"sqli-pq\" field \"params\": missing");
}

TEST(RulesetTest, TopLevelErrors) {
  EXPECT_EQ(Error("[]"), "expected a JSON object, got []");
  EXPECT_EQ(Error(R"({"rules": []})"), "field \"version\": missing");
  EXPECT_EQ(Error(R"({"version": 2, "rules": []})"),
            "field \"version\": expected a non-empty string, got 2");
  EXPECT_EQ(Error(R"({"version": "1"})"), "field \"rules\": missing");
  EXPECT_EQ(Error(R"({"version": "1", "rules": [], "extra": 1})"),
            "field \"extra\": unknown field (known: version, rules)");
  EXPECT_THAT(Error("{\"version\": \"1\",\n \"rules\": [,]}"),
              HasSubstr("invalid JSON: parse error at line 2"));
  EXPECT_EQ(Error(R"({"version": "1", "rules": [7]})"), "rules[0]: expected a rule object, got 7");
}

TEST(RulesetTest, DuplicateIds) {
  nlohmann::json doc = nlohmann::json::parse(OneRule(nlohmann::json::object()));
  doc["rules"].push_back(doc["rules"][0]);
  EXPECT_EQ(Error(doc.dump()), "rule \"sqli-pq\" field \"id\": duplicate rule id");
}

TEST(RulesetTest, ParamsMustFitTheSinks) {
  EXPECT_EQ(Error(OneRule({{"hook_points", {"PQexec*"}}, {"params", {{"sql_arg", 2}}}})),
            "rule \"sqli-pq\" field \"params.sql_arg\": argument 2 of PQexec does not exist "
            "(PGresult* PQexec(PGconn* conn, const char* query): 2 arguments, `this` counted as "
            "argument 0)");
  EXPECT_THAT(Error(OneRule({{"params", {{"sql_arg", 0}}}})),
              HasSubstr("field \"params.sql_arg\": argument 0 of PQexec is neither text nor an "
                        "integer, not the SQL text"));
  EXPECT_EQ(Error(OneRule({{"hook_points", {"nosuch_*"}}})),
            "rule \"sqli-pq\" field \"hook_points[0]\": \"nosuch_*\" matches no known SQL injection "
            "sink (docs/ruleset.md lists them)");
  EXPECT_THAT(Error(OneRule({{"hook_points", {"sqlite3_prepare16_v2"}},
                             {"params", {{"dialect", "sqlite"}}}})),
              HasSubstr("field \"params.encoding\": argument 1 of sqlite3_prepare16_v2 is UTF-16 "
                        "text (const void*): set \"encoding\": \"utf16\""));
  EXPECT_THAT(Error(OneRule({{"params", {{"count_arg", 0}}}})),
              HasSubstr("field \"params.count_arg\": argument 0 of PQexec is neither text nor an "
                        "integer, not an integer length"));
  EXPECT_THAT(Error(OneRule({{"params", {{"nparams_arg", 1}}}})),
              HasSubstr("field \"params.nparams_arg\": must differ from params.sql_arg (1)"));
  EXPECT_THAT(Error(OneRule({{"hook_points", {"pqxx::transaction_base::exec"}},
                             {"params", {{"count_arg", 0}}}})),
              HasSubstr("field \"params.count_arg\""));
}

TEST(RulesetTest, GlobMatch) {
  EXPECT_TRUE(GlobMatch("sqlite3_*", "sqlite3_prepare_v2"));
  EXPECT_TRUE(GlobMatch("*prepare*", "sqlite3_prepare_v2"));
  EXPECT_TRUE(GlobMatch("PQexe?", "PQexec"));
  EXPECT_FALSE(GlobMatch("PQexec", "PQexecParams"));
  EXPECT_TRUE(GlobMatch("pqxx::*::exec", "pqxx::transaction_base::exec"));
  EXPECT_FALSE(GlobMatch("a*b*c", "abx"));
  EXPECT_TRUE(GlobMatch("*", ""));
}

TEST(RulesetTest, SinksByNameOrSymbol) {
  EXPECT_EQ(MatchSqlSinks("PQ*").size(), 6u);
  EXPECT_EQ(MatchSqlSinks("SQLite::Statement::Statement").size(), 2u);  // C1 and C2
  EXPECT_EQ(MatchSqlSinks("pqxx::connection_base::prepare").size(), 2u);  // two overloads
  EXPECT_EQ(MatchSqlSinks("_ZN4pqxx16transaction_base4exec*").size(), 1u);
  EXPECT_TRUE(MatchSqlSinks("printf").empty());
}

// A one-rule ruleset of another protection than SQL injection.
std::string RuleOf(const char* protection, const nlohmann::json& hook_points,
                   const nlohmann::json& params) {
  nlohmann::json rule = {{"id", "r1"},
                         {"hook_points", hook_points},
                         {"protection", protection},
                         {"params", params}};
  return nlohmann::json{{"version", "t1"}, {"rules", {rule}}}.dump();
}

TEST(RulesetTest, CommandInjectionRules) {
  Ruleset rs;
  std::string error;
  ASSERT_TRUE(ParseRuleset(RuleOf("command_injection", {"system", "popen"}, {{"command_arg", 0}}),
                           &rs, &error))
      << error;
  EXPECT_EQ(rs.rules[0].protection, Protection::kCommandInjection);
  EXPECT_EQ(rs.rules[0].command.command_arg, 0);
  ASSERT_TRUE(ParseRuleset(RuleOf("command_injection", {"execv*"},
                                  {{"argv_arg", 1}, {"program_arg", 0}}),
                           &rs, &error))
      << error;
  EXPECT_EQ(rs.rules[0].command.argv_arg, 1);
  // The argument kinds must fit every sink the patterns name.
  EXPECT_EQ(Error(RuleOf("command_injection", {"execv"}, {{"command_arg", 1}})),
            "rule \"r1\" field \"params.command_arg\": argument 1 of execv is an argument vector "
            "(char* const*), not text (const char*) (int execv(const char* path, char* const "
            "argv[]))");
  EXPECT_EQ(Error(RuleOf("command_injection", {"system"}, {{"command_arg", 0}, {"argv_arg", 1}})),
            "rule \"r1\" field \"params\": needs exactly one of command_arg (shell text) and "
            "argv_arg (an argument vector)");
  // Sinks of another protection are not command sinks.
  EXPECT_EQ(Error(RuleOf("command_injection", {"fopen"}, {{"command_arg", 0}})),
            "rule \"r1\" field \"hook_points[0]\": \"fopen\" matches no known Command injection "
            "sink (docs/ruleset.md lists them)");
}

TEST(RulesetTest, PathTraversalRules) {
  Ruleset rs;
  std::string error;
  ASSERT_TRUE(ParseRuleset(RuleOf("path_traversal", {"rename"},
                                  {{"path_arg", 0}, {"path2_arg", 1}, {"allowed_roots", {"/tmp"}}}),
                           &rs, &error))
      << error;
  EXPECT_EQ(rs.rules[0].path.path2_arg, 1);
  ASSERT_EQ(rs.rules[0].path.allowed_roots.size(), 1u);
  EXPECT_EQ(Error(RuleOf("path_traversal", {"fopen"}, {{"path2_arg", 1}})),
            "rule \"r1\" field \"params.path_arg\": missing (the index of the path argument)");
  EXPECT_EQ(Error(RuleOf("path_traversal", {"unlink"}, {{"path_arg", 0}, {"path2_arg", 1}})),
            "rule \"r1\" field \"params.path2_arg\": argument 1 of unlink does not exist (int "
            "unlink(const char* path): 1 arguments)");
  EXPECT_EQ(Error(RuleOf("path_traversal", {"fopen"}, {{"path_arg", 0}, {"allowed_roots", {"rel"}}})),
            "rule \"r1\" field \"params.allowed_roots\": expected an array of at most 32 absolute "
            "directory paths, got \"rel\"");
}

TEST(RulesetTest, LimitsAreTheSharedOnes) {
  EXPECT_EQ(kMaxRules, ruleset_limits::kMaxRules);
  const std::string long_description(ruleset_limits::kMaxDescriptionBytes + 1, 'x');
  EXPECT_NE(Error(OneRule({{"description", long_description}})).find("at most 4096 bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::agent
