// Copyright Vigil authors.
//
// Storage: a pool of Database connections plus the queries vigil-server runs,
// grouped by subject (storage_agents.cc, storage_events.cc, ...). Callers
// borrow a connection with Read() or Write(); Write() wraps the call in one
// transaction, so a request's changes are stored entirely or not at all.
//
//   auto storage = Storage::Open("sqlite:/var/lib/vigil/vigil.db", 4);
//   int64_t stored = storage->Write([&](Database& db) {
//     return store::InsertEvents(db, app_id, now, events);
//   });
#ifndef VIGIL_SERVER_STORAGE_STORAGE_H_
#define VIGIL_SERVER_STORAGE_STORAGE_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/agent_messages.h"
#include "storage/database.h"

namespace vigil::server {

class ConnectionPool {
 public:
  ConnectionPool(std::vector<std::unique_ptr<Database>> conns);
  // Borrows a connection, waiting while all are in use.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Database& operator*() { return *db_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };
  Lease Acquire();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Database>> free_;
};

class Storage {
 public:
  // Opens `url` (see OpenDatabase) and applies migrations. `readers`
  // connections serve reads; writes go to one connection with SQLite (it has
  // one writer anyway) and to the shared pool with PostgreSQL. Throws
  // StorageError.
  static std::unique_ptr<Storage> Open(const std::string& url, int readers = 4);

  Dialect dialect() const { return dialect_; }
  const std::string& url() const { return url_; }

  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Database&>())) {
    auto lease = readers_->Acquire();
    return fn(*lease);
  }

  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Database&>())) {
    auto lease = writers_->Acquire();
    Database& db = *lease;
    return InWriteTransaction(db, [&] { return fn(db); });
  }

 private:
  Storage() = default;
  Dialect dialect_ = Dialect::kSqlite;
  std::string url_;
  ConnectionPool* readers_ = nullptr;
  ConnectionPool* writers_ = nullptr;  // the same pool with PostgreSQL
  std::vector<std::unique_ptr<ConnectionPool>> pools_;
};

// Milliseconds since the Unix epoch.
int64_t NowMs();

}  // namespace vigil::server

#endif  // VIGIL_SERVER_STORAGE_STORAGE_H_
