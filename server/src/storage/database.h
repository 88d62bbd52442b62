// Copyright Vigil authors.
//
// One connection to the SQL database that holds everything vigil-server
// knows: the storage interface with two implementations, SQLite (one file,
// the default) and PostgreSQL (several servers sharing one database).
// Statements are written once with `?` placeholders and always take their
// values as parameters, never spliced into the text.
#ifndef VIGIL_SERVER_STORAGE_DATABASE_H_
#define VIGIL_SERVER_STORAGE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/agent_messages.h"

namespace vigil::server {

// A database failure (connection lost, constraint violated, ...).
class StorageError : public std::runtime_error {
 public:
  explicit StorageError(const std::string& m, bool unique_violation = false)
      : std::runtime_error(m), unique_violation_(unique_violation) {}
  // True when a UNIQUE constraint refused the write (a name already taken).
  bool unique_violation() const { return unique_violation_; }

 private:
  bool unique_violation_;
};

using SqlParam = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlParams = std::vector<SqlParam>;

// A result row: every column as text, or nullopt for NULL.
struct SqlRow {
  std::vector<std::optional<std::string>> cols;
  bool IsNull(size_t i) const { return !cols.at(i).has_value(); }
  std::string Str(size_t i) const { return cols.at(i).value_or(""); }
  int64_t Int(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
};

enum class Dialect { kSqlite, kPostgres };

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs one statement; returns its rows (SELECT, RETURNING).
  virtual std::vector<SqlRow> Query(std::string_view sql, const SqlParams& params = {}) = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual int64_t Exec(std::string_view sql, const SqlParams& params = {}) = 0;
  // Runs statements without parameters, separated by ';' (migrations).
  virtual void ExecScript(std::string_view sql) = 0;

  // Transactions. BeginWrite takes the write lock at once where the engine
  // has one (SQLite's BEGIN IMMEDIATE), so two writers never deadlock on an
  // upgrade.
  virtual void BeginWrite() = 0;
  virtual void Commit() { Exec("COMMIT"); }
  virtual void Rollback() { Exec("ROLLBACK"); }

  // Stores `events` for `app_id`, skipping those whose event id the
  // application already has; returns how many were stored. Called inside a
  // transaction. Engines implement it their fastest way.
  virtual int64_t InsertEvents(int64_t app_id, int64_t received_at,
                               const std::vector<EventRecord>& events) = 0;

  // Stores an agent's hook-point inventory (up to 20,000 rows) after its
  // old one was deleted. Called inside a transaction.
  virtual void InsertHookPoints(const std::string& agent_id, const std::vector<HookPoint>& hps) = 0;

  // Takes a lock that serialises schema migrations across processes sharing
  // the database (PostgreSQL advisory lock; SQLite's write lock) and
  // releases it.
  virtual void LockMigrations() = 0;
  virtual void UnlockMigrations() = 0;
};

// Opens a connection for `url`: `sqlite:PATH` (or a bare path) or
// `postgresql://...` / `postgres://...` / a libpq key=value string starting
// with `host=`. Throws StorageError.
std::unique_ptr<Database> OpenDatabase(const std::string& url);

std::unique_ptr<Database> OpenSqlite(const std::string& path);
std::unique_ptr<Database> OpenPostgres(const std::string& conninfo);

// True when `url` names PostgreSQL.
bool IsPostgresUrl(const std::string& url);

// Runs fn inside a write transaction on `db`, rolling back when it throws.
template <typename F>
auto InWriteTransaction(Database& db, F&& fn) -> decltype(fn()) {
  db.BeginWrite();
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      db.Commit();
    } else {
      auto r = fn();
      db.Commit();
      return r;
    }
  } catch (...) {
    try {
      db.Rollback();
    } catch (...) {
    }
    throw;
  }
}

}  // namespace vigil::server

#endif  // VIGIL_SERVER_STORAGE_DATABASE_H_
