// Copyright Vigil authors.
//
// Test helpers for the protection side, without the compiler plugin:
//   * a fake `sqlite3_prepare_v2` hook point with the driver's exact type,
//     declared by hand with runtime/tests/fake_site.h, whose body records
//     the SQL text it received (so a test sees whether the protection
//     replaced it);
//   * a fake `mysql_query` hook point with the WRONG type, for type-mismatch
//     handling;
//   * FakeRequest: a RequestContext made current on this thread.
// Include from one .cc per test program (the hook points are definitions).
#ifndef VIGIL_AGENT_TESTS_PROT_FAKE_SINKS_H_
#define VIGIL_AGENT_TESTS_PROT_FAKE_SINKS_H_

#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "fake_request.h"
#include "fake_site.h"
#include "request_context.h"
#include "sql_sinks.h"

namespace vigil::agent::testing {

// What the fake driver received last on this thread.
inline thread_local std::string t_last_sql;
inline thread_local int t_last_length = 0;

int FakeSqlitePrepare(sqlite3* db, const char* sql, int n, sqlite3_stmt** stmt, const char** tail);
inline vigil::testing::FakeHook<&FakeSqlitePrepare> fake_prepare_hook(
    {.name = "sqlite3_prepare_v2",
     .symbol = "sqlite3_prepare_v2",
     .flags = VIGIL_META_C_LINKAGE,
     .params = "db,zSql,nByte,ppStmt,pzTail"});
// Returns 1 (SQLITE_ERROR) for Vigil's block statement, 0 otherwise.
inline int FakeSqlitePrepare(sqlite3* db, const char* sql, int n, sqlite3_stmt** stmt,
                             const char** tail) {
  VIGIL_FAKE_ENTRY(fake_prepare_hook, db, sql, n, stmt, tail);
  t_last_length = n;
  t_last_sql = n < 0 ? std::string(sql) : std::string(sql, strnlen(sql, static_cast<size_t>(n)));
  return t_last_sql.find("Vigil blocked") != std::string::npos ? 1 : 0;
}

// A program's own `mysql_query` of another type than the client library's.
int FakeOwnMysqlQuery(int x);
inline vigil::testing::FakeHook<&FakeOwnMysqlQuery> fake_own_mysql_hook(
    {.name = "mysql_query", .symbol = "mysql_query", .params = "x"});
inline int FakeOwnMysqlQuery(int x) {
  VIGIL_FAKE_ENTRY(fake_own_mysql_hook, x);
  return x;
}

// Registers the fake hook points (what an image's constructor does).
inline vigil::testing::FakeImage& FakeSinkImage() {
  static vigil::testing::FakeImage* image = [] {
    auto* i = new vigil::testing::FakeImage({&fake_prepare_hook, &fake_own_mysql_hook});
    i->Register();
    return i;
  }();
  return *image;
}

// Calls the fake sqlite3_prepare_v2 with `sql`; returns its result.
inline int Prepare(std::string_view sql) {
  return FakeSqlitePrepare(nullptr, sql.data(), static_cast<int>(sql.size()), nullptr, nullptr);
}

inline constexpr char kInjection[] = "x' OR 1=1 --";

inline std::string UserQuery(std::string_view name) {
  return "SELECT name FROM users WHERE name = '" + std::string(name) + "'";
}

// A one-rule ruleset on the fake sqlite3_prepare_v2.
inline std::string PrepareRuleset(std::string_view version, std::string_view id,
                                  std::string_view mode = "block", int priority = 0) {
  return R"({"version": ")" + std::string(version) + R"(", "rules": [{"id": ")" +
         std::string(id) +
         R"(", "hook_points": ["sqlite3_prepare_v2"], "protection": "sql_injection",
             "params": {"sql_arg": 1, "count_arg": 2, "dialect": "sqlite"},
             "mode": ")" +
         std::string(mode) + R"(", "priority": )" + std::to_string(priority) + "}]}";
}

}  // namespace vigil::agent::testing

#endif  // VIGIL_AGENT_TESTS_PROT_FAKE_SINKS_H_
