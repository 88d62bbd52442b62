// Copyright Vigil authors.
//
// SQLite: one file, WAL (readers never wait for the writer),
// synchronous=NORMAL (a crash loses at most the last transactions, never
// corrupts), a busy timeout for the rare second process (the CLI while the
// server runs). Prepared statements are cached per connection.
#include <sqlite3.h>

#include <unordered_map>

#include "storage/database.h"

namespace vigil::server {
namespace {

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string m = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw StorageError("cannot open SQLite database " + path + ": " + m);
    }
    sqlite3_busy_timeout(db_, 10000);
    sqlite3_extended_result_codes(db_, 1);
    ExecScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000");
  }
  ~SqliteDatabase() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  std::vector<SqlRow> Query(std::string_view sql, const SqlParams& params) override {
    sqlite3_stmt* st = Prepare(sql, params);
    std::vector<SqlRow> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      SqlRow row;
      int n = sqlite3_column_count(st);
      row.cols.reserve(n);
      for (int i = 0; i < n; ++i) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL) {
          row.cols.emplace_back(std::nullopt);
        } else {
          const char* t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
          row.cols.emplace_back(std::string(t, sqlite3_column_bytes(st, i)));
        }
      }
      rows.push_back(std::move(row));
    }
    Finish(st, rc);
    return rows;
  }

  int64_t Exec(std::string_view sql, const SqlParams& params) override {
    sqlite3_stmt* st = Prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    Finish(st, rc);
    return sqlite3_changes(db_);
  }

  void ExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      throw StorageError("SQLite: " + m);
    }
  }

  void BeginWrite() override { Exec("BEGIN IMMEDIATE", {}); }

  int64_t InsertEvents(int64_t app_id, int64_t received_at,
                       const std::vector<EventRecord>& events) override {
    static constexpr std::string_view kInsert =
        "INSERT INTO events (app_id, event_id, agent_id, time, received_at, type, protection, "
        "rule, hook_point, outcome, body) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (app_id, event_id) DO NOTHING";
    int64_t stored = 0;
    for (const EventRecord& e : events) {
      sqlite3_stmt* st = Cached(kInsert);
      sqlite3_bind_int64(st, 1, app_id);
      BindText(st, 2, e.event_id);
      BindText(st, 3, e.agent_id);
      sqlite3_bind_int64(st, 4, e.time);
      sqlite3_bind_int64(st, 5, received_at);
      BindText(st, 6, e.type);
      BindText(st, 7, e.protection);
      BindText(st, 8, e.rule);
      BindText(st, 9, e.hook_point);
      BindText(st, 10, e.outcome);
      BindText(st, 11, e.body);
      int rc = sqlite3_step(st);
      Finish(st, rc);
      stored += sqlite3_changes(db_);
    }
    return stored;
  }

  void InsertHookPoints(const std::string& agent_id, const std::vector<HookPoint>& hps) override {
    int64_t idx = 0;
    for (const HookPoint& h : hps) {
      Exec("INSERT INTO hook_points (agent_id, idx, name, symbol, signature, kind, file, line, image) "
           "VALUES (?,?,?,?,?,?,?,?,?)",
           {agent_id, idx++, h.name, h.symbol, h.signature, h.kind, h.file, h.line, h.image});
    }
  }

  // SQLite has one writer at a time: BEGIN IMMEDIATE is the migration lock.
  void LockMigrations() override {}
  void UnlockMigrations() override {}

 private:
  static void BindText(sqlite3_stmt* st, int i, const std::string& s) {
    sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }

  sqlite3_stmt* Cached(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &st, nullptr) != SQLITE_OK) {
      throw StorageError(std::string("SQLite prepare: ") + sqlite3_errmsg(db_) + " in " +
                         std::string(sql));
    }
    cache_.emplace(std::string(sql), st);
    return st;
  }

  sqlite3_stmt* Prepare(std::string_view sql, const SqlParams& params) {
    sqlite3_stmt* st = Cached(sql);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      if (std::holds_alternative<std::nullptr_t>(params[i])) {
        sqlite3_bind_null(st, idx);
      } else if (auto* v = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(st, idx, *v);
      } else {
        BindText(st, idx, std::get<std::string>(params[i]));
      }
    }
    return st;
  }

  void Finish(sqlite3_stmt* st, int rc) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW && rc != SQLITE_OK) {
      bool unique = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
      throw StorageError(std::string("SQLite: ") + sqlite3_errstr(rc) + ": " + sqlite3_errmsg(db_),
                         unique);
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::unique_ptr<Database> OpenSqlite(const std::string& path) {
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace vigil::server
