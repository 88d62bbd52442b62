// Copyright Vigil authors.
//
// Test harness: a VigilServer started in process on a free loopback port,
// over a SQLite file in a temp dir (or a given PostgreSQL), plus HTTP
// helpers for agents (API key) and dashboard users (cookie + CSRF token).
#ifndef VIGIL_SERVER_TESTS_TEST_SERVER_H_
#define VIGIL_SERVER_TESTS_TEST_SERVER_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <memory>
#include <string>

#include "crypto.h"
#include "server.h"
#include "storage/queries.h"

namespace vigil::server::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/vigil-srv-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf " + path_).c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class TestServer {
 public:
  // db_url empty: a fresh SQLite file.
  explicit TestServer(std::string db_url = "", ServerOptions options = {},
                      SigningKey key = SigningKey::Ephemeral()) {
    InitCrypto();
    if (db_url.empty()) db_url = "sqlite:" + dir_.path() + "/vigil.db";
    url_ = db_url;
    options.port = 0;
    options.host = "127.0.0.1";
    server_ = std::make_unique<VigilServer>(options, Storage::Open(db_url, 2), key);
    std::string error;
    if (!server_->Start(&error)) ADD_FAILURE() << error;
  }
  ~TestServer() { server_->Stop(); }

  VigilServer& server() { return *server_; }
  Storage& storage() { return server_->storage(); }
  int port() const { return server_->port(); }
  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_.path(); }

  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port());
    c->set_read_timeout(30, 0);
    c->set_write_timeout(30, 0);
    return c;
  }

  int64_t CreateApp(const std::string& name) {
    return storage().Write([&](Database& db) { return store::CreateApp(db, name, NowMs()).id; });
  }
  std::string CreateKey(int64_t app_id) {
    std::string secret = "vgk_" + RandomToken(32);
    storage().Write([&](Database& db) {
      store::CreateApiKey(db, app_id, "test", secret.substr(0, 8), Sha256Hex(secret), "test", NowMs());
    });
    server_->news().Refresh();
    return secret;
  }
  void CreateUser(const std::string& name, const std::string& password, const std::string& role) {
    std::string hash = HashPassword(password);
    storage().Write([&](Database& db) { store::CreateUser(db, name, hash, role, NowMs()); });
  }

 private:
  TempDir dir_;
  std::string url_;
  std::unique_ptr<VigilServer> server_;
};

// An agent speaking the protocol with one API key.
class AgentClient {
 public:
  AgentClient(TestServer& s, std::string key) : client_(s.Client()), key_(std::move(key)) {}
  httplib::Result Post(const std::string& endpoint, const std::string& body,
                       httplib::Headers extra = {}) {
    extra.emplace("Authorization", "Bearer " + key_);
    extra.emplace("Vigil-Protocol", "1");
    return client_->Post(("/api/agent/v1/" + endpoint).c_str(), extra, body, "application/json");
  }
  httplib::Result News(const std::string& query) {
    return client_->Get(("/api/agent/v1/news?" + query).c_str(),
                        httplib::Headers{{"Authorization", "Bearer " + key_}});
  }
  httplib::Client& raw() { return *client_; }

 private:
  std::unique_ptr<httplib::Client> client_;
  std::string key_;
};

// A dashboard user: logs in, then sends the cookie and CSRF token.
class UserClient {
 public:
  UserClient(TestServer& s) : client_(s.Client()) {}
  bool Login(const std::string& user, const std::string& password) {
    Json body = {{"username", user}, {"password", password}};
    auto r = client_->Post("/api/v1/session", body.dump(), "application/json");
    if (!r || r->status != 200) return false;
    std::string set_cookie = r->get_header_value("Set-Cookie");
    cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    csrf_ = Json::parse(r->body)["csrf_token"];
    return true;
  }
  void UseToken(const std::string& token) { token_ = token; }
  void DropCsrf() { csrf_.clear(); }
  void SetCsrf(const std::string& t) { csrf_ = t; }

  httplib::Headers Headers() const {
    httplib::Headers h;
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    if (!csrf_.empty()) h.emplace("X-CSRF-Token", csrf_);
    if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
    return h;
  }
  httplib::Result Get(const std::string& path) { return client_->Get(path.c_str(), Headers()); }
  httplib::Result Post(const std::string& path, const std::string& body) {
    return client_->Post(path.c_str(), Headers(), body, "application/json");
  }
  httplib::Result Put(const std::string& path, const std::string& body) {
    return client_->Put(path.c_str(), Headers(), body, "application/json");
  }
  httplib::Result Patch(const std::string& path, const std::string& body) {
    return client_->Patch(path.c_str(), Headers(), body, "application/json");
  }
  httplib::Result Delete(const std::string& path) { return client_->Delete(path.c_str(), Headers()); }
  const std::string& csrf() const { return csrf_; }

 private:
  std::unique_ptr<httplib::Client> client_;
  std::string cookie_, csrf_, token_;
};

inline Json Body(const httplib::Result& r) {
  if (!r) return Json();
  Json j = Json::parse(r->body, nullptr, false);
  return j;
}

inline std::string LoginBody(const std::string& agent_id, const std::string& ruleset = "builtin-1",
                             int64_t settings_version = 0) {
  return Json{{"protocol", 1},          {"agent_id", agent_id},     {"app_name", "shop"},
              {"host", "web-3"},        {"pid", 4242},              {"exe", "/srv/shop"},
              {"started_at", 1795000000000}, {"agent_version", "0.1.0"},
              {"runtime_version", "0.1.0"}, {"mode", "block"},     {"ruleset_version", ruleset},
              {"settings_version", settings_version},
              {"hook_points",
               {{{"name", "sqlite3_prepare_v2"}, {"symbol", "sqlite3_prepare_v2"},
                 {"signature", "FiP7sqlite3E"}, {"kind", "call"}, {"file", "src/db.cc"},
                 {"line", 42}, {"image", "/srv/shop"}},
                {{"name", "PQexec"}, {"symbol", "PQexec"}, {"signature", "P8pg_resultP6pg_connPKcE"},
                 {"kind", "call"}, {"file", "src/pg.cc"}, {"line", 7}, {"image", "/srv/shop"}}}},
              {"hook_points_total", 2}}
      .dump();
}

inline Json Event(const std::string& agent_id, int seq, int64_t time,
                  const std::string& outcome = "blocked") {
  char id[32];
  std::snprintf(id, sizeof id, "%016x", seq);
  return {{"id", agent_id + "-" + id},
          {"agent_id", agent_id},
          {"type", "attack"},
          {"time", time},
          {"protection", "sql_injection"},
          {"rule", "sqli-001"},
          {"hook_point", "sqlite3_prepare_v2"},
          {"outcome", outcome},
          {"input", {{"source", "query"}, {"key", "query.q"}, {"value", "' OR 1=1 --"}}},
          {"sink", {{"kind", "sql"}, {"value", "SELECT * FROM items WHERE name = '\u27e6' OR 1=1 --\u27e7'"}, {"dialect", "sqlite"}}},
          {"reason", "input changes the statement: adds OR, comparison, comment"},
          {"stack", {"#0 0x55d0c0 Shop::Search(std::string const&) src/shop.cc:88"}},
          {"request", {{"id", "0b7c"}, {"method", "GET"}, {"path", "/search"}, {"route", "/search"},
                       {"client_ip", "203.0.113.9"}, {"status", 403}}},
          {"future_field", {{"kept", true}}}};
}

inline std::string BatchBody(const std::string& agent_id, int first, int count, int64_t time) {
  Json events = Json::array();
  for (int i = 0; i < count; ++i) events.push_back(Event(agent_id, first + i, time + i));
  return Json{{"agent_id", agent_id}, {"batch_id", agent_id + "-b"}, {"events", events}}.dump();
}

}  // namespace vigil::server::testing

#endif  // VIGIL_SERVER_TESTS_TEST_SERVER_H_
