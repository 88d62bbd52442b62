// Copyright Vigil authors.
//
// The SQL sinks Vigil knows: the driver and wrapper-library functions that
// take SQL text, with their exact C++ types, and the typed glue that attaches
// a SqlRule's check to them.
//
// Why a fixed table: the hook engine type-checks every callback against the
// type the compiler recorded for the hook point, so each sink's type must be
// known here at compile time. The types are spelled with forward
// declarations of the drivers' own structs and classes (sqlite3, pg_conn,
// st_mysql, pqxx::transaction_base, SQLite::Statement ...), which name the
// very same types as the drivers' headers without depending on them; the
// tests compare them with the real prototypes.
//
// Hook points exist only where code compiled with vigil-c++ calls these
// functions (call-site hook points): calls made inside prebuilt libraries are
// not seen. That is also why sqlite3_exec, which calls sqlite3_prepare_v2
// inside libsqlite3, is checked once, and why SQLiteCpp's Statement
// constructor (defined in libSQLiteCpp) is hooked rather than the
// sqlite3_prepare_v2 call it makes.
#ifndef VIGIL_AGENT_SQL_SINKS_H_
#define VIGIL_AGENT_SQL_SINKS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protections/sink.h"
#include "ruleset.h"
#include "vigil/hook.h"

// The drivers' types, as their headers declare them.
struct sqlite3;
struct sqlite3_stmt;
struct pg_conn;    // PGconn
struct pg_result;  // PGresult
struct st_mysql;   // MYSQL
struct st_mysql_stmt;  // MYSQL_STMT
namespace pqxx {
class transaction_base;
class connection_base;
class result;
namespace internal {
struct params;
}  // namespace internal
}  // namespace pqxx
namespace SQLite {
class Database;
class Statement;
class Column;
}  // namespace SQLite

namespace vigil::agent {

// The type of each sink (`this` explicit), as vigil::Attach<Sig> wants it.
namespace sink_types {
using SqlitePrepare = int(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
using SqlitePrepareV3 = int(sqlite3*, const char*, int, unsigned int, sqlite3_stmt**, const char**);
using SqlitePrepare16 = int(sqlite3*, const void*, int, sqlite3_stmt**, const void**);
using SqlitePrepare16V3 = int(sqlite3*, const void*, int, unsigned int, sqlite3_stmt**,
                              const void**);
using SqliteExec = int(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
using PQexec = pg_result*(pg_conn*, const char*);
using PQexecParams = pg_result*(pg_conn*, const char*, int, const unsigned int*,
                                const char* const*, const int*, const int*, int);
using PQprepare = pg_result*(pg_conn*, const char*, const char*, int, const unsigned int*);
using PQsendQuery = int(pg_conn*, const char*);
using PQsendQueryParams = int(pg_conn*, const char*, int, const unsigned int*, const char* const*,
                              const int*, const int*, int);
using PQsendPrepare = int(pg_conn*, const char*, const char*, int, const unsigned int*);
using MysqlQuery = int(st_mysql*, const char*);
using MysqlRealQuery = int(st_mysql*, const char*, unsigned long);
using MysqlStmtPrepare = int(st_mysql_stmt*, const char*, unsigned long);
using PqxxExec = pqxx::result(pqxx::transaction_base*, const std::string&, const std::string&);
using PqxxExecN = pqxx::result(pqxx::transaction_base*, unsigned long, const std::string&,
                               const std::string&);
using PqxxExecParams = pqxx::result(pqxx::transaction_base*, const std::string&,
                                    const pqxx::internal::params&);
using PqxxPrepare = void(pqxx::connection_base*, const std::string&, const std::string&);
using PqxxPrepareUnnamed = void(pqxx::connection_base*, const std::string&);
using SqliteCppStatement = void(SQLite::Statement*, const SQLite::Database&, const char*);
using SqliteCppExec = int(SQLite::Database*, const char*);
using SqliteCppExecAndGet = SQLite::Column(SQLite::Database*, const char*);
}  // namespace sink_types

// The SQL sinks are Sinks of the generic table type.
using SqlSink = Sink;

// Every known sink.
std::span<const SqlSink> KnownSqlSinks();

// Sinks whose qualified name or symbol matches `pattern` ('*' any run of
// characters, '?' one; the hook engine's syntax).
std::vector<const SqlSink*> MatchSqlSinks(std::string_view pattern);

// Checks a rule's hook_points and params against the sinks they name: every
// pattern names at least one sink, sql_arg is its SQL text, count_arg and
// nparams_arg are integers, encoding matches the text's type. On failure sets
// `field` ("hook_points[1]", "params.sql_arg") and `reason`.
bool ValidateSqlRuleSinks(const Rule& rule, std::string* field, std::string* reason);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_SQL_SINKS_H_
