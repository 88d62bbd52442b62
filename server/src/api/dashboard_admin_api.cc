// Copyright Vigil authors.
//
// The JSON API's user management, API tokens and audit log
// (docs/server-api.md §11-13).
#include "api/auth.h"
#include "crypto.h"

namespace vigil::server {
namespace {

std::string Role(const Json& body, const char* key, std::optional<std::string> fallback) {
  std::string role = GetString(body, key, 16, fallback);
  if (role != "admin" && role != "viewer") {
    throw ApiError(400, "bad_request", std::string("field \"") + key + "\": expected admin or viewer");
  }
  return role;
}

std::string Password(const Json& body) {
  std::string pw = GetString(body, "password", 1024);
  if (pw.size() < 12) throw ApiError(400, "bad_request", "field \"password\": at least 12 characters");
  return pw;
}

}  // namespace

void RegisterAdminApi(VigilServer& server) {
  VigilServer* s = &server;
  const size_t limit = server.options().max_api_body;

  server.Route("GET", "/api/v1/users", "/api/v1/users", 0, [s](Call& c) {
    RequireAdmin(Authenticate(*s, c));
    SendJson(c.res, 200, {{"users", s->storage().Read([](Database& db) { return store::ListUsers(db); })}});
  });

  server.Route("POST", "/api/v1/users", "/api/v1/users", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    Json body = c.JsonBody();
    RejectUnknownFields(body, {"username", "password", "role"});
    std::string username = GetString(body, "username", 64);
    if (!IsName(username, 64, "._@-")) {
      throw ApiError(400, "bad_request",
                     "field \"username\": expected 1..64 letters, digits, '.', '_', '@' or '-'");
    }
    std::string hash = HashPassword(Password(body));
    std::string role = Role(body, "role", "viewer");
    if (hash.empty()) throw ApiError(500, "internal", "cannot hash the password");
    try {
      Json user = s->storage().Write([&](Database& db) {
        store::User u = store::CreateUser(db, username, hash, role, NowMs());
        Audit(db, p, c, "user.create", std::nullopt, username, {{"role", role}});
        return store::UserJson(u);
      });
      SendJson(c.res, 201, {{"user", user}});
    } catch (const StorageError& e) {
      if (!e.unique_violation()) throw;
      throw ApiError(409, "conflict", "the username is taken");
    }
  });

  server.Route("PATCH", R"(/api/v1/users/([^/]+))", "/api/v1/users/{id}", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1);
    Json body = c.JsonBody();
    RejectUnknownFields(body, {"role", "password"});
    std::optional<std::string> role, hash;
    if (body.contains("role")) role = Role(body, "role", std::nullopt);
    if (body.contains("password")) hash = HashPassword(Password(body));
    Json user = s->storage().Write([&](Database& db) {
      auto u = store::GetUser(db, id);
      if (!u) throw ApiError(404, "not_found", "no such user");
      if (role && *role != "admin" && u->role == "admin" && store::CountAdmins(db) <= 1) {
        throw ApiError(409, "conflict", "this is the last admin");
      }
      if (role) store::SetUserRole(db, id, *role);
      if (hash) {
        store::SetUserPassword(db, id, *hash);
        store::DeleteUserSessions(db, id);
      }
      Json details = Json::object();
      if (role) details["role"] = *role;
      if (hash) details["password_changed"] = true;
      Audit(db, p, c, "user.update", std::nullopt, u->username, details);
      return store::UserJson(*store::GetUser(db, id));
    });
    SendJson(c.res, 200, {{"user", user}});
  });

  server.Route("DELETE", R"(/api/v1/users/([^/]+))", "/api/v1/users/{id}", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1);
    s->storage().Write([&](Database& db) {
      auto u = store::GetUser(db, id);
      if (!u) throw ApiError(404, "not_found", "no such user");
      if (u->role == "admin" && store::CountAdmins(db) <= 1) {
        throw ApiError(409, "conflict", "this is the last admin");
      }
      store::DeleteUser(db, id);
      Audit(db, p, c, "user.delete", std::nullopt, u->username);
    });
    SendJson(c.res, 200, Json::object());
  });

  server.Route("GET", "/api/v1/tokens", "/api/v1/tokens", 0, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    std::optional<int64_t> owner;
    if (p.user.role != "admin") owner = p.user.id;
    SendJson(c.res, 200, {{"tokens", s->storage().Read([&](Database& db) { return store::ListTokens(db, owner); })}});
  });

  server.Route("POST", "/api/v1/tokens", "/api/v1/tokens", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    Json body = c.JsonBody();
    RejectUnknownFields(body, {"name", "role", "expires_in_days"});
    std::string name = GetString(body, "name", 128, "");
    std::string role = Role(body, "role", p.user.role);
    if (role == "admin" && p.user.role != "admin") {
      throw ApiError(403, "forbidden", "a token cannot have more rights than its creator");
    }
    std::optional<int64_t> days;
    if (body.contains("expires_in_days")) days = GetInt(body, "expires_in_days", 1, 3650);
    std::string secret = "vgt_" + RandomToken(32);
    int64_t now = NowMs();
    Json token = s->storage().Write([&](Database& db) {
      Json t = store::CreateToken(db, p.user.id, name, role, secret.substr(0, 8), Sha256Hex(secret), now,
                                  days ? std::optional<int64_t>(now + *days * 86'400'000) : std::nullopt);
      Audit(db, p, c, "token.create", std::nullopt, name, {{"token_id", t["id"]}, {"role", role}});
      return t;
    });
    SendJson(c.res, 201, {{"token", token}, {"secret", secret}});
  });

  server.Route("DELETE", R"(/api/v1/tokens/([^/]+))", "/api/v1/tokens/{id}", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    int64_t id = c.PathId(1);
    s->storage().Write([&](Database& db) {
      auto owner = store::TokenOwner(db, id);
      if (!owner || (*owner != p.user.id && p.user.role != "admin")) {
        throw ApiError(404, "not_found", "no such token");
      }
      store::DeleteToken(db, id);
      Audit(db, p, c, "token.delete", std::nullopt, std::to_string(id));
    });
    SendJson(c.res, 200, Json::object());
  });

  server.Route("GET", "/api/v1/audit", "/api/v1/audit", 0, [s](Call& c) {
    Authenticate(*s, c);
    auto app = c.IntParam("app", 1, INT64_MAX);
    int64_t lim = c.IntParam("limit", 1, 200).value_or(50);
    std::optional<int64_t> before;
    if (std::string cur = c.Param("cursor"); !cur.empty()) {
      std::string text;
      if (cur.size() > 64 || !Base64UrlDecode(cur, &text) || text.empty() ||
          text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18) {
        throw ApiError(400, "bad_request", "query parameter \"cursor\": not a cursor from this API");
      }
      before = std::stoll(text);
    }
    std::optional<int64_t> last;
    Json entries = s->storage().Read([&](Database& db) { return store::ListAudit(db, app, before, lim, &last); });
    SendJson(c.res, 200, {{"entries", entries},
                          {"next_cursor", last ? Json(Base64UrlEncode(std::to_string(*last))) : Json(nullptr)}});
  });
}

}  // namespace vigil::server
