// Copyright Vigil authors.
//
// The SQL-injection protection end to end, against the real drivers. This
// file is compiled with vigil-c++ (agent/CMakeLists.txt, prot_sinks.spec):
// its calls to sqlite3_prepare_v2, PQexec, pqxx and SQLiteCpp are real
// call-site hook points, the agent attaches the built-in default ruleset to
// them by name, and the drivers really run. A request is simulated with a
// RequestContext made current by ScopedRequest, as the HTTP integrations do.
#include <sqlite3.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent.h"
#include "fake_request.h"
#include "request_context.h"
#include "sql_protection.h"
#include "sql_sinks.h"
#include "vigil/hook.h"

#if VIGIL_PROT_HAVE_LIBPQ
#include <libpq-fe.h>

#include "prot_pg_cluster.h"
#endif
#if VIGIL_PROT_HAVE_PQXX
#include <pqxx/pqxx>
#endif
#if VIGIL_PROT_HAVE_SQLITECPP
#include <SQLiteCpp/SQLiteCpp.h>
#endif
#if VIGIL_PROT_HAVE_MYSQL
#include <mysql.h>
#define VIGIL_PROT_HAVE_MYSQL_H 1
#endif

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;

// The sink types the agent spells with forward declarations are exactly the
// drivers' prototypes (else attaching would fail with a type mismatch).
namespace st = sink_types;
static_assert(std::is_same_v<decltype(sqlite3_prepare), st::SqlitePrepare>);
static_assert(std::is_same_v<decltype(sqlite3_prepare_v2), st::SqlitePrepare>);
static_assert(std::is_same_v<decltype(sqlite3_prepare_v3), st::SqlitePrepareV3>);
static_assert(std::is_same_v<decltype(sqlite3_prepare16), st::SqlitePrepare16>);
static_assert(std::is_same_v<decltype(sqlite3_prepare16_v2), st::SqlitePrepare16>);
static_assert(std::is_same_v<decltype(sqlite3_prepare16_v3), st::SqlitePrepare16V3>);
static_assert(std::is_same_v<decltype(sqlite3_exec), st::SqliteExec>);
#if VIGIL_PROT_HAVE_LIBPQ
static_assert(std::is_same_v<decltype(PQexec), st::PQexec>);
static_assert(std::is_same_v<decltype(PQexecParams), st::PQexecParams>);
static_assert(std::is_same_v<decltype(PQprepare), st::PQprepare>);
static_assert(std::is_same_v<decltype(PQsendQuery), st::PQsendQuery>);
static_assert(std::is_same_v<decltype(PQsendQueryParams), st::PQsendQueryParams>);
static_assert(std::is_same_v<decltype(PQsendPrepare), st::PQsendPrepare>);
#endif
#if VIGIL_PROT_HAVE_MYSQL_H
static_assert(std::is_same_v<decltype(mysql_query), st::MysqlQuery>);
static_assert(std::is_same_v<decltype(mysql_real_query), st::MysqlRealQuery>);
static_assert(std::is_same_v<decltype(mysql_send_query), st::MysqlRealQuery>);
static_assert(std::is_same_v<decltype(mysql_stmt_prepare), st::MysqlStmtPrepare>);
#endif

constexpr char kInjection[] = "x' OR 1=1 --";

using testing::FakeRequest;

std::string UserQuery(std::string_view name) {
  return "SELECT name FROM users WHERE name = '" + std::string(name) + "'";
}

class SqlProtectionTest : public ::testing::Test {
 protected:
  void TearDown() override { Agent::Stop(); }

  void StartAgent(Mode mode) {
    Config c;
    c.mode = mode;
    c.events_file = "";  // no events file in these tests
    c.rules_poll_ms = 0;
    c.log_level = LogLevel::kError;
    std::string error;
    ASSERT_TRUE(Agent::Start(c, &error)) << error;
  }

  // Skips when this binary was not built with vigil-c++ (sanitizer builds
  // have no plugin): without hook points nothing here can be tested.
  bool HaveHookPoints() { return !vigil::FindHooks("sqlite3_prepare_v2").empty(); }

  const RuleStats* Rule(const AgentStats& s, std::string_view id) {
    for (const RuleStats& r : s.rules) {
      if (r.rule_id == id) return &r;
    }
    return nullptr;
  }
};

// ---------------------------------------------------------------------------
// SQLite (in-memory database).
// ---------------------------------------------------------------------------

class SqliteDb {
 public:
  SqliteDb() {
    sqlite3_open(":memory:", &db_);
    sqlite3_exec(db_, "CREATE TABLE users(name TEXT); INSERT INTO users VALUES ('alice'), ('bob');",
                 nullptr, nullptr, nullptr);
  }
  ~SqliteDb() { sqlite3_close(db_); }
  sqlite3* get() { return db_; }

  // Rows returned by `sql` through sqlite3_prepare_v2, or -1 with the error.
  int Rows(const std::string& sql, int* rc_out = nullptr) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc_out != nullptr) *rc_out = rc;
    if (rc != SQLITE_OK) return -1;
    int rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
    sqlite3_finalize(stmt);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST_F(SqlProtectionTest, SqliteBlockModeFailsPrepareWithVigilsMessage) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  SqliteDb db;
  // An earlier, different error: the message after the blocked call must be
  // Vigil's, not this stale one.
  EXPECT_EQ(db.Rows("SELECT * FROM missing_table"), -1);
  EXPECT_THAT(sqlite3_errmsg(db.get()), HasSubstr("missing_table"));

  FakeRequest req(kInjection);
  int rc = 0;
  EXPECT_EQ(db.Rows(UserQuery(kInjection), &rc), -1);
  EXPECT_EQ(rc, SQLITE_ERROR);
  EXPECT_THAT(sqlite3_errmsg(db.get()),
              HasSubstr("Vigil blocked a SQL injection (rule sqli-sqlite-prepare)"));

  ASSERT_EQ(req.ctx.findings().size(), 1u);
  const Finding& f = req.ctx.findings()[0];
  EXPECT_EQ(f.rule_id, "sqli-sqlite-prepare");
  EXPECT_EQ(f.protection, "sql_injection");
  EXPECT_EQ(f.hook_point, "sqlite3_prepare_v2");
  EXPECT_EQ(f.input_key, "query.name");
  EXPECT_EQ(f.input_value, kInjection);
  EXPECT_THAT(f.sink_value, HasSubstr("\u27e6" + std::string(kInjection) + "\u27e7"));
  EXPECT_TRUE(f.blocked);
  EXPECT_TRUE(req.ctx.blocked());
  EXPECT_EQ(req.ctx.block_response().status, 403);

  // The connection is fine afterwards, and benign statements pass unchanged.
  EXPECT_EQ(db.Rows(UserQuery("alice")), 1);
  const AgentStats s = Agent::Current()->Stats();
  const RuleStats* r = Rule(s, "sqli-sqlite-prepare");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->blocks, 1u);
  EXPECT_EQ(r->findings, 1u);
  EXPECT_GE(r->checks, 2u);
}

TEST_F(SqlProtectionTest, SqliteMonitorModeRecordsAndPasses) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kMonitor);
  SqliteDb db;
  FakeRequest req(kInjection);
  // The injection runs (and returns every row): monitor mode only records.
  EXPECT_EQ(db.Rows(UserQuery(kInjection)), 2);
  ASSERT_EQ(req.ctx.findings().size(), 1u);
  EXPECT_FALSE(req.ctx.findings()[0].blocked);
  EXPECT_FALSE(req.ctx.blocked());
}

TEST_F(SqlProtectionTest, SqliteBenignStatementsPassUnchanged) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  SqliteDb db;
  FakeRequest req("alice");
  EXPECT_EQ(db.Rows(UserQuery("alice")), 1);
  EXPECT_EQ(db.Rows("SELECT name FROM users"), 2);
  EXPECT_TRUE(req.ctx.findings().empty());
  EXPECT_FALSE(req.ctx.blocked());
}

TEST_F(SqlProtectionTest, SqliteOutsideRequestsNothingIsCompared) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  SqliteDb db;
  EXPECT_EQ(db.Rows(UserQuery(kInjection)), 2);  // no request: no inputs
  const RuleStats* r = Rule(Agent::Current()->Stats(), "sqli-sqlite-prepare");
  ASSERT_NE(r, nullptr);
  EXPECT_GE(r->no_request, 1u);
  EXPECT_EQ(r->checks, 0u);
}

TEST_F(SqlProtectionTest, SqliteExecPrepareV3AndUtf16AreBlocked) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  SqliteDb db;
  FakeRequest req(kInjection);
  const std::string sql = UserQuery(kInjection);

  char* errmsg = nullptr;
  EXPECT_EQ(sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &errmsg), SQLITE_ERROR);
  ASSERT_NE(errmsg, nullptr);
  EXPECT_THAT(errmsg, HasSubstr("Vigil blocked a SQL injection (rule sqli-sqlite-exec)"));
  sqlite3_free(errmsg);

  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  EXPECT_EQ(sqlite3_prepare_v3(db.get(), sql.c_str(), -1, 0, &stmt, &tail), SQLITE_ERROR);
  EXPECT_EQ(stmt, nullptr);
  EXPECT_THAT(sqlite3_errmsg(db.get()), HasSubstr("rule sqli-sqlite-prepare-v3"));

  std::u16string sql16(sql.begin(), sql.end());  // ASCII
  const void* tail16 = nullptr;
  EXPECT_EQ(sqlite3_prepare16_v2(db.get(), sql16.c_str(), static_cast<int>(sql16.size() * 2),
                                 &stmt, &tail16),
            SQLITE_ERROR);
  EXPECT_THAT(sqlite3_errmsg(db.get()), HasSubstr("rule sqli-sqlite-prepare16"));
  EXPECT_EQ(req.ctx.findings().size(), 3u);
}

#if VIGIL_PROT_HAVE_SQLITECPP
TEST_F(SqlProtectionTest, SqliteCppThrowsSqliteExceptionWithVigilsMessage) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE users(name TEXT); INSERT INTO users VALUES ('alice'), ('bob')");
  {
    FakeRequest req("alice");
    SQLite::Statement ok(db, UserQuery("alice"));  // std::string overload
    int rows = 0;
    while (ok.executeStep()) ++rows;
    EXPECT_EQ(rows, 1);
    EXPECT_TRUE(req.ctx.findings().empty());
  }
  FakeRequest req(kInjection);
  try {
    SQLite::Statement q(db, UserQuery(kInjection));
    ADD_FAILURE() << "SQLite::Statement did not throw";
  } catch (const SQLite::Exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("Vigil blocked a SQL injection (rule sqli-sqlitecpp-statement)"));
    EXPECT_EQ(e.getErrorCode(), SQLITE_ERROR);
  }
  try {
    db.exec(UserQuery(kInjection));
    ADD_FAILURE() << "SQLite::Database::exec did not throw";
  } catch (const SQLite::Exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("Vigil blocked a SQL injection (rule sqli-sqlitecpp-exec)"));
  }
  EXPECT_TRUE(req.ctx.blocked());
  EXPECT_EQ(req.ctx.findings().size(), 2u);
}
#endif

// ---------------------------------------------------------------------------
// PostgreSQL: a throwaway cluster, libpq and libpqxx.
// ---------------------------------------------------------------------------
#if VIGIL_PROT_HAVE_LIBPQ

class PgConn {
 public:
  explicit PgConn(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {}
  ~PgConn() { PQfinish(c_); }
  PGconn* get() { return c_; }
  bool ok() const { return PQstatus(c_) == CONNECTION_OK; }

 private:
  PGconn* c_;
};

// Status and error message of a result, which it frees.
std::pair<ExecStatusType, std::string> Outcome(PGresult* r) {
  std::pair<ExecStatusType, std::string> out{PQresultStatus(r), PQresultErrorMessage(r)};
  PQclear(r);
  return out;
}

TEST_F(SqlProtectionTest, PostgresLibpqEndToEnd) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  testing::PgCluster pg;
  ASSERT_TRUE(pg.ok()) << pg.why();
  PgConn conn(pg.conninfo());
  ASSERT_TRUE(conn.ok()) << PQerrorMessage(conn.get());
  PGconn* c = conn.get();
  ASSERT_EQ(Outcome(PQexec(c, "CREATE TABLE users(name text); "
                              "INSERT INTO users VALUES ('alice'), ('bob')")).first,
            PGRES_COMMAND_OK);

  const std::string bad = UserQuery(kInjection);
  {  // Monitor: recorded, the statement runs (and returns every row).
    StartAgent(Mode::kMonitor);
    FakeRequest req(kInjection);
    PGresult* r = PQexec(c, bad.c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
    EXPECT_EQ(PQntuples(r), 2);
    PQclear(r);
    ASSERT_EQ(req.ctx.findings().size(), 1u);
    EXPECT_EQ(req.ctx.findings()[0].rule_id, "sqli-pq-exec");
    EXPECT_FALSE(req.ctx.findings()[0].blocked);
    Agent::Stop();
  }
  StartAgent(Mode::kBlock);
  {  // Benign statements pass unchanged.
    FakeRequest req("alice");
    PGresult* r = PQexec(c, UserQuery("alice").c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
    EXPECT_EQ(PQntuples(r), 1);
    PQclear(r);
    EXPECT_TRUE(req.ctx.findings().empty());
  }
  FakeRequest req(kInjection);
  // PQexec: a PGRES_FATAL_ERROR result carrying Vigil's message.
  auto [status, message] = Outcome(PQexec(c, bad.c_str()));
  EXPECT_EQ(status, PGRES_FATAL_ERROR);
  EXPECT_THAT(message, HasSubstr("Vigil blocked a SQL injection (rule sqli-pq-exec)"));
  // The connection is usable afterwards.
  EXPECT_EQ(Outcome(PQexec(c, "SELECT 1")).first, PGRES_TUPLES_OK);

  // PQexecParams with bound parameters: the count is set to 0 with the text.
  const char* values[1] = {"bob"};
  const std::string bad_params = bad + " OR name = $1";
  std::tie(status, message) =
      Outcome(PQexecParams(c, bad_params.c_str(), 1, nullptr, values, nullptr, nullptr, 0));
  EXPECT_EQ(status, PGRES_FATAL_ERROR);
  EXPECT_THAT(message, HasSubstr("Vigil blocked a SQL injection (rule sqli-pq-params)"));

  // PQprepare fails already when preparing.
  std::tie(status, message) = Outcome(PQprepare(c, "s1", bad_params.c_str(), 1, nullptr));
  EXPECT_EQ(status, PGRES_FATAL_ERROR);
  EXPECT_THAT(message, HasSubstr("Vigil blocked a SQL injection (rule sqli-pq-prepare)"));

  // PQsendQuery: the error comes with the result, as for any server error.
  ASSERT_EQ(PQsendQuery(c, bad.c_str()), 1);
  PGresult* r = PQgetResult(c);
  EXPECT_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
  EXPECT_THAT(PQresultErrorMessage(r), HasSubstr("Vigil blocked a SQL injection"));
  PQclear(r);
  while ((r = PQgetResult(c)) != nullptr) PQclear(r);

  EXPECT_TRUE(req.ctx.blocked());
  EXPECT_EQ(req.ctx.findings().size(), 4u);
  for (const Finding& f : req.ctx.findings()) EXPECT_TRUE(f.blocked) << f.hook_point;
}

#if VIGIL_PROT_HAVE_PQXX
TEST_F(SqlProtectionTest, PostgresLibpqxxThrowsSqlErrorWithVigilsMessage) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  testing::PgCluster pg;
  ASSERT_TRUE(pg.ok()) << pg.why();
  pqxx::connection conn(pg.conninfo());
  {
    pqxx::work w(conn);
    w.exec("CREATE TABLE users(name text); INSERT INTO users VALUES ('alice'), ('bob')");
    w.commit();
  }
  StartAgent(Mode::kBlock);
  {  // Benign: passes unchanged.
    FakeRequest req("alice");
    pqxx::work w(conn);
    EXPECT_EQ(w.exec(UserQuery("alice")).size(), 1u);
    EXPECT_EQ(w.exec1(UserQuery("alice"))[0].as<std::string>(), "alice");
    EXPECT_EQ(w.exec_params("SELECT name FROM users WHERE name = $1", "bob").size(), 1u);
    EXPECT_TRUE(req.ctx.findings().empty());
  }
  FakeRequest req(kInjection);
  const std::string bad = UserQuery(kInjection);
  auto expect_blocked = [&](auto&& run, std::string_view rule) {
    pqxx::work w(conn);
    try {
      run(w);
      ADD_FAILURE() << "no exception for rule " << rule;
    } catch (const pqxx::sql_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("Vigil blocked a SQL injection (rule " + std::string(rule)));
    }
  };
  expect_blocked([&](pqxx::work& w) { w.exec(bad); }, "sqli-pqxx-exec");
  {  // SQLSTATE 42501: libpqxx's own subclass for it.
    pqxx::work w(conn);
    EXPECT_THROW(w.exec(bad), pqxx::insufficient_privilege);
  }
  expect_blocked([&](pqxx::work& w) { w.exec0(bad); }, "sqli-pqxx-exec-n");
  expect_blocked([&](pqxx::work& w) { w.exec_params(bad + " OR name = $1", "bob"); },
                 "sqli-pqxx-exec-params");
  EXPECT_TRUE(req.ctx.blocked());
  EXPECT_EQ(req.ctx.findings().size(), 3u);
}
#endif  // VIGIL_PROT_HAVE_PQXX
#endif  // VIGIL_PROT_HAVE_LIBPQ

// ---------------------------------------------------------------------------
// MariaDB/MySQL client: no server here, so an observer prolog attached after
// the protection (higher priority number) records what the real client
// library is given; the client then fails for want of a connection.
// ---------------------------------------------------------------------------
#if VIGIL_PROT_HAVE_MYSQL

struct Seen {
  std::string sql;
  unsigned long length = 0;
};
thread_local Seen t_seen;

TEST_F(SqlProtectionTest, MysqlClientCallsGetVigilsFailingStatement) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  vigil::AttachOptions after;
  after.priority = 1000;
  auto q = vigil::AttachProlog<st::MysqlQuery>(
      "mysql_query", [](vigil::Call<st::MysqlQuery>& c) { t_seen = {c.arg<1>(), 0}; }, after);
  auto rq = vigil::AttachProlog<st::MysqlRealQuery>(
      "mysql_real_query",
      [](vigil::Call<st::MysqlRealQuery>& c) { t_seen = {std::string(c.arg<1>(), c.arg<2>()), c.arg<2>()}; },
      after);
  auto sp = vigil::AttachProlog<st::MysqlStmtPrepare>(
      "mysql_stmt_prepare",
      [](vigil::Call<st::MysqlStmtPrepare>& c) { t_seen = {std::string(c.arg<1>(), c.arg<2>()), c.arg<2>()}; },
      after);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_TRUE(rq.ok()) << rq.status().message();
  ASSERT_TRUE(sp.ok()) << sp.status().message();

  MYSQL* m = mysql_init(nullptr);
  ASSERT_NE(m, nullptr);
  const std::string bad = UserQuery(kInjection);
  FakeRequest req(kInjection);
  EXPECT_NE(mysql_query(m, bad.c_str()), 0);  // not connected
  EXPECT_EQ(t_seen.sql,
            "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Vigil blocked a SQL injection (rule "
            "sqli-mysql-query)'");
  EXPECT_NE(mysql_real_query(m, bad.data(), bad.size()), 0);
  EXPECT_EQ(t_seen.sql,
            "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Vigil blocked a SQL injection (rule "
            "sqli-mysql-real-query)'");
  EXPECT_EQ(t_seen.length, t_seen.sql.size());  // the length follows the text
  MYSQL_STMT* stmt = mysql_stmt_init(m);
  ASSERT_NE(stmt, nullptr);
  EXPECT_NE(mysql_stmt_prepare(stmt, bad.data(), bad.size()), 0);
  EXPECT_EQ(t_seen.sql, "Vigil blocked a SQL injection (rule sqli-mysql-stmt-prepare)");
  EXPECT_EQ(t_seen.length, t_seen.sql.size());
  mysql_stmt_close(stmt);

  // Benign statements reach the client unchanged.
  FakeRequest benign("alice");
  mysql_real_query(m, UserQuery("alice").data(), UserQuery("alice").size());
  EXPECT_EQ(t_seen.sql, UserQuery("alice"));
  mysql_close(m);
  EXPECT_EQ(req.ctx.findings().size(), 3u);
  for (auto a : {*q, *rq, *sp}) vigil::Detach(a);
}
#endif  // VIGIL_PROT_HAVE_MYSQL

}  // namespace
}  // namespace vigil::agent
