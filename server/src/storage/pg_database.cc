// Copyright Vigil authors.
//
// PostgreSQL through libpq. Statements use the same `?` placeholders as
// SQLite, numbered `$1..$n` here; values always travel as parameters.
// Events of a batch go in one statement (unnest of arrays), one round trip.
#include <libpq-fe.h>

#include <unordered_map>

#include "storage/database.h"

namespace vigil::server {
namespace {

// A key only vigil-server uses for pg_advisory_lock (migrations).
constexpr int64_t kMigrationLockKey = 0x76696769'6c000001;  // "vigil" 1

std::string Numbered(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// Appends `s` as an element of a PostgreSQL text-format array literal.
void AppendArrayElement(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PGresult* get() const { return r_; }

 private:
  PGresult* r_;
};

class PgDatabase : public Database {
 public:
  explicit PgDatabase(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string m = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      while (!m.empty() && m.back() == '\n') m.pop_back();
      throw StorageError("cannot connect to PostgreSQL: " + m);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgDatabase() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  std::vector<SqlRow> Query(std::string_view sql, const SqlParams& params) override {
    PgResult r(Run(sql, params));
    std::vector<SqlRow> rows;
    int n = PQntuples(r.get()), m = PQnfields(r.get());
    rows.reserve(n);
    for (int i = 0; i < n; ++i) {
      SqlRow row;
      row.cols.reserve(m);
      for (int j = 0; j < m; ++j) {
        if (PQgetisnull(r.get(), i, j)) {
          row.cols.emplace_back(std::nullopt);
        } else {
          row.cols.emplace_back(std::string(PQgetvalue(r.get(), i, j), PQgetlength(r.get(), i, j)));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  int64_t Exec(std::string_view sql, const SqlParams& params) override {
    PgResult r(Run(sql, params));
    const char* t = PQcmdTuples(r.get());
    return *t ? std::stoll(t) : 0;
  }

  void ExecScript(std::string_view sql) override {
    PgResult r(PQexec(conn_, std::string(sql).c_str()));
    Check(r.get());
  }

  void BeginWrite() override { Exec("BEGIN", {}); }

  int64_t InsertEvents(int64_t app_id, int64_t received_at,
                       const std::vector<EventRecord>& events) override {
    if (events.empty()) return 0;
    std::string cols[9];
    for (auto& c : cols) c = "{";
    std::string times = "{";
    for (size_t i = 0; i < events.size(); ++i) {
      const EventRecord& e = events[i];
      const char* sep = i ? "," : "";
      const std::string* fields[9] = {&e.event_id,   &e.agent_id, &e.type,
                                      &e.protection, &e.rule,     &e.hook_point,
                                      &e.outcome,    &e.body,     nullptr};
      for (int f = 0; f < 8; ++f) {
        cols[f] += sep;
        AppendArrayElement(cols[f], *fields[f]);
      }
      times += sep + std::to_string(e.time);
    }
    for (int f = 0; f < 8; ++f) cols[f] += '}';
    times += '}';
    return Exec(
        "INSERT INTO events (app_id, event_id, agent_id, type, protection, rule, hook_point, "
        "outcome, body, time, received_at) "
        "SELECT ?::bigint, e.*, ?::bigint FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], "
        "?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS e "
        "ON CONFLICT (app_id, event_id) DO NOTHING",
        {app_id, received_at, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6],
         cols[7], times});
  }

  void InsertHookPoints(const std::string& agent_id, const std::vector<HookPoint>& hps) override {
    if (hps.empty()) return;
    std::string cols[6], idx = "{", lines = "{";
    for (auto& c : cols) c = "{";
    for (size_t i = 0; i < hps.size(); ++i) {
      const HookPoint& h = hps[i];
      const char* sep = i ? "," : "";
      const std::string* fields[6] = {&h.name, &h.symbol, &h.signature, &h.kind, &h.file, &h.image};
      for (int f = 0; f < 6; ++f) {
        cols[f] += sep;
        AppendArrayElement(cols[f], *fields[f]);
      }
      idx += sep + std::to_string(i);
      lines += sep + std::to_string(h.line);
    }
    for (auto& c : cols) c += '}';
    idx += '}';
    lines += '}';
    Exec("INSERT INTO hook_points (agent_id, idx, name, symbol, signature, kind, file, image, line) "
         "SELECT ?, h.* FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], "
         "?::text[], ?::text[], ?::bigint[]) AS h",
         {agent_id, idx, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], lines});
  }

  void LockMigrations() override { Query("SELECT pg_advisory_lock(?::bigint)", {kMigrationLockKey}); }
  void UnlockMigrations() override {
    Query("SELECT pg_advisory_unlock(?::bigint)", {kMigrationLockKey});
  }

 private:
  PGresult* Run(std::string_view sql, const SqlParams& params) {
    std::string text = Numbered(sql);
    std::vector<std::string> values(params.size());
    std::vector<const char*> ptrs(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::nullptr_t>(params[i])) {
        ptrs[i] = nullptr;
        continue;
      }
      if (auto* v = std::get_if<int64_t>(&params[i])) {
        values[i] = std::to_string(*v);
      } else {
        values[i] = std::get<std::string>(params[i]);
      }
      ptrs[i] = values[i].c_str();
    }
    PGresult* r = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                               ptrs.data(), nullptr, nullptr, 0);
    try {
      Check(r);
    } catch (...) {
      PQclear(r);
      throw;
    }
    return r;
  }

  void Check(PGresult* r) {
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return;
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    std::string m = PQresultErrorMessage(r);
    if (m.empty()) m = PQerrorMessage(conn_);
    while (!m.empty() && m.back() == '\n') m.pop_back();
    if (PQstatus(conn_) == CONNECTION_BAD) PQreset(conn_);  // for the next statement
    throw StorageError("PostgreSQL: " + m, state && std::string(state) == "23505");
  }

  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Database> OpenPostgres(const std::string& conninfo) {
  return std::make_unique<PgDatabase>(conninfo);
}

}  // namespace vigil::server
