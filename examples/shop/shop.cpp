// A small web shop, written the ordinary way with cpp-httplib and SQLite or
// PostgreSQL (libpq): login, search, item by id, a sortable list, an export
// and a download. It builds its SQL by pasting request values into strings,
// so it has real SQL-injection flaws; its export shells out with a name from
// the request (command injection) and its download opens a file name from
// the request under its own folder (path traversal). It has no Vigil include and no Vigil call: `make demo`
// builds it with vigil-c++ and the agent protects it.
//
//   shop [--port N] [--db FILE]      SQLite (default: in memory)
//   shop [--port N] --pg CONNINFO    PostgreSQL
//   shop [--port N] --mysql SOCKET   MariaDB / MySQL (user root, database test)
//   --files DIR                      the folder /download serves (default: a new one)
#include <httplib.h>
#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace shop {

const char* kSchema =
    "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, password TEXT, email TEXT);"
    "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL, stock INTEGER);"
    "INSERT INTO users VALUES (1, 'alice', 'wonderland', 'alice@example.com'),"
    " (2, 'bob', 'builder', 'bob@example.com'), (3, 'o''brien', 'potato', 'obrien@example.com');"
    "INSERT INTO items VALUES (1, 'red mug', 8.5, 12), (2, 'blue mug', 9.0, 3),"
    " (3, 'teapot', 24.0, 5), (4, 'tea towel', 4.25, 40), (5, 'kettle', 31.0, 2);";

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class Database {
 public:
  virtual ~Database() = default;
  virtual void Seed() = 0;
  // Runs a query and returns its rows as JSON arrays; on error returns false
  // and the driver's message.
  virtual bool Query(const std::string& sql, std::string* json, std::string* error) = 0;
};

class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::fprintf(stderr, "shop: cannot connect: %s", PQerrorMessage(conn_));
      std::exit(1);
    }
  }
  ~PostgresDatabase() override { PQfinish(conn_); }
  void Seed() override {
    PGresult* r = PQexec(conn_, (std::string("DROP TABLE IF EXISTS users, items;") + kSchema).c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      std::fprintf(stderr, "shop: %s", PQresultErrorMessage(r));
      std::exit(1);
    }
    PQclear(r);
  }
  bool Query(const std::string& sql, std::string* json, std::string* error) override {
    std::lock_guard<std::mutex> lock(mu_);
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      *error = PQresultErrorMessage(r);
      while (!error->empty() && error->back() == '\n') error->pop_back();
      PQclear(r);
      return false;
    }
    *json = "[";
    for (int row = 0; row < PQntuples(r); ++row) {
      *json += row ? ",[" : "[";
      for (int c = 0; c < PQnfields(r); ++c) {
        *json += (c ? ",\"" : "\"") + Escape(PQgetvalue(r, row, c)) + "\"";
      }
      *json += "]";
    }
    *json += "]";
    PQclear(r);
    return true;
  }

 private:
  PGconn* conn_;
  std::mutex mu_;
};

class MysqlDatabase : public Database {
 public:
  explicit MysqlDatabase(const std::string& socket) : db_(mysql_init(nullptr)) {
    if (mysql_real_connect(db_, nullptr, "root", nullptr, nullptr, 0, socket.c_str(),
                           CLIENT_MULTI_STATEMENTS) == nullptr) {
      std::fprintf(stderr, "shop: cannot connect: %s\n", mysql_error(db_));
      std::exit(1);
    }
  }
  ~MysqlDatabase() override { mysql_close(db_); }
  void Seed() override {
    std::string sql = std::string(
        "CREATE DATABASE IF NOT EXISTS shop; USE shop; DROP TABLE IF EXISTS users, items;") + kSchema;
    if (mysql_query(db_, sql.c_str()) != 0) {
      std::fprintf(stderr, "shop: %s\n", mysql_error(db_));
      std::exit(1);
    }
    do {  // consume every result of the multi-statement
      if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
    } while (mysql_next_result(db_) == 0);
  }
  bool Query(const std::string& sql, std::string* json, std::string* error) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (mysql_real_query(db_, sql.data(), sql.size()) != 0) {
      *error = mysql_error(db_);
      return false;
    }
    MYSQL_RES* res = mysql_store_result(db_);
    *json = "[";
    if (res != nullptr) {
      unsigned fields = mysql_num_fields(res);
      bool first_row = true;
      while (MYSQL_ROW row = mysql_fetch_row(res)) {
        *json += first_row ? "[" : ",[";
        first_row = false;
        for (unsigned c = 0; c < fields; ++c) {
          *json += (c ? ",\"" : "\"") + Escape(row[c] ? row[c] : "") + "\"";
        }
        *json += "]";
      }
      mysql_free_result(res);
    }
    *json += "]";
    while (mysql_next_result(db_) == 0) {  // a stacked query's further results
      if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
    }
    return true;
  }

 private:
  MYSQL* db_;
  std::mutex mu_;
};

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      std::fprintf(stderr, "shop: cannot open %s\n", path.c_str());
      std::exit(1);
    }
  }
  ~SqliteDatabase() override { sqlite3_close(db_); }

  void Seed() override { Exec(kSchema); }

  bool Query(const std::string& sql, std::string* json, std::string* error) override {
    std::lock_guard<std::mutex> lock(mu_);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      *error = sqlite3_errmsg(db_);
      return false;
    }
    *json = "[";
    bool first_row = true;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      *json += first_row ? "[" : ",[";
      first_row = false;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        *json += (c ? ",\"" : "\"") + Escape(text ? reinterpret_cast<const char*>(text) : "") + "\"";
      }
      *json += "]";
    }
    *json += "]";
    sqlite3_finalize(stmt);
    return true;
  }

 private:
  void Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::fprintf(stderr, "shop: %s\n", err);
      sqlite3_free(err);
      std::exit(1);
    }
  }
  sqlite3* db_ = nullptr;
  std::mutex mu_;
};

void Reply(httplib::Response& res, Database& db, const std::string& sql) {
  std::string json, error;
  if (db.Query(sql, &json, &error)) {
    res.set_content(json, "application/json");
  } else {
    res.status = 500;
    res.set_content("{\"error\":\"database error: " + error + "\"}", "application/json");
  }
}

// The shop's own files (what /download serves): `dir` (made if missing), or
// a folder made at start-up.
std::string MakeFilesDir(std::string dir) {
  char tmpl[] = "/tmp/vigil-shop-files-XXXXXX";
  if (dir.empty()) {
    if (::mkdtemp(tmpl) == nullptr) return "/tmp";
    dir = tmpl;
  } else {
    ::mkdir(dir.c_str(), 0755);
  }
  if (FILE* f = std::fopen((dir + "/catalog.txt").c_str(), "w")) {
    std::fputs("red mug 8.50\nblue mug 9.00\n", f);
    std::fclose(f);
  }
  return dir;
}

// What `command`, run by the shell, prints (at most 64 KiB); false if it
// could not be run.
bool RunShell(const std::string& command, std::string* out) {
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return false;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0 && out->size() < (64u << 10)) out->append(buf, n);
  return ::pclose(p) != -1;
}

// The content of `path` (at most 64 KiB); false if it cannot be opened.
bool ReadFile(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return false;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out->size() < (64u << 10)) out->append(buf, n);
  std::fclose(f);
  return true;
}

}  // namespace shop

int main(int argc, char** argv) {
  int port = 8080;
  std::string db_path = ":memory:", pg, mysql, files_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--port") == 0) port = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--db") == 0) db_path = argv[i + 1];
    if (std::strcmp(argv[i], "--pg") == 0) pg = argv[i + 1];
    if (std::strcmp(argv[i], "--mysql") == 0) mysql = argv[i + 1];
    if (std::strcmp(argv[i], "--files") == 0) files_dir = argv[i + 1];
  }
  std::unique_ptr<shop::Database> database;
  if (!pg.empty()) {
    database = std::make_unique<shop::PostgresDatabase>(pg);
  } else if (!mysql.empty()) {
    database = std::make_unique<shop::MysqlDatabase>(mysql);
  } else {
    database = std::make_unique<shop::SqliteDatabase>(db_path);
  }
  shop::Database& db = *database;
  db.Seed();
  httplib::Server svr;

  // Login: user name and password pasted into the statement.
  svr.Post("/login", [&](const httplib::Request& req, httplib::Response& res) {
    shop::Reply(res, db,
                "SELECT id, name FROM users WHERE name = '" + req.get_param_value("user") +
                    "' AND password = '" + req.get_param_value("password") + "'");
  });
  // Search by name.
  svr.Get("/search", [&](const httplib::Request& req, httplib::Response& res) {
    shop::Reply(res, db,
                "SELECT id, name, price FROM items WHERE name LIKE '%" +
                    req.get_param_value("q") + "%'");
  });
  // Item by id (numeric context, no quotes).
  svr.Get(R"(/items/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    shop::Reply(res, db, "SELECT id, name, price, stock FROM items WHERE id = " + req.matches[1].str());
  });
  // Sortable list (identifier context).
  svr.Get("/items", [&](const httplib::Request& req, httplib::Response& res) {
    std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "id";
    std::string dir = req.has_param("dir") ? req.get_param_value("dir") : "ASC";
    shop::Reply(res, db, "SELECT id, name, price FROM items ORDER BY " + sort + " " + dir);
  });
  // Export: a report named by the client, made by a shell pipeline.
  svr.Get("/export", [&](const httplib::Request& req, httplib::Response& res) {
    std::string out;
    if (shop::RunShell("printf '%s\\n' 'export: " + req.get_param_value("name") + "' | tr a-z A-Z", &out)) {
      res.set_content(out, "text/plain");
    } else {
      res.status = 500;
      res.set_content("export failed", "text/plain");
    }
  });
  // Download: a file of the shop's own folder, named by the client.
  const std::string files = shop::MakeFilesDir(files_dir);
  svr.Get("/download", [&](const httplib::Request& req, httplib::Response& res) {
    std::string out;
    if (shop::ReadFile(files + "/" + req.get_param_value("file"), &out)) {
      res.set_content(out, "text/plain");
    } else {
      res.status = 404;
      res.set_content("no such file", "text/plain");
    }
  });
  svr.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });

  std::printf("shop: listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);
  if (!svr.listen("127.0.0.1", port)) {
    std::fprintf(stderr, "shop: cannot listen on 127.0.0.1:%d\n", port);
    return 1;
  }
  return 0;
}
