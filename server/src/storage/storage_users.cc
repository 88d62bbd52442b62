// Copyright Vigil authors.
//
// Dashboard users, their sessions and API tokens, login throttling and the
// audit log.
#include "storage/queries.h"

namespace vigil::server::store {
namespace {

constexpr const char* kUserCols = "id, username, role, password_hash, created_at";

User RowToUser(const SqlRow& r, size_t at = 0) {
  return {r.Int(at), r.Str(at + 1), r.Str(at + 2), r.Str(at + 3), r.Int(at + 4)};
}

Json OptInt(const SqlRow& r, size_t i) {
  auto v = r.OptInt(i);
  return v ? Json(*v) : Json(nullptr);
}

constexpr const char* kTokenCols =
    "t.id, t.name, t.role, t.prefix, u.username, t.created_at, t.expires_at, t.last_used_at";

Json TokenJson(const SqlRow& r) {
  return {{"id", r.Int(0)},         {"name", r.Str(1)},           {"role", r.Str(2)},
          {"prefix", r.Str(3)},     {"user", r.Str(4)},           {"created_at", r.Int(5)},
          {"expires_at", OptInt(r, 6)}, {"last_used_at", OptInt(r, 7)}};
}

}  // namespace

Json UserJson(const User& u) {
  return {{"id", u.id}, {"username", u.username}, {"role", u.role}, {"created_at", u.created_at}};
}

int64_t CountUsers(Database& db) { return db.Query("SELECT COUNT(*) FROM users").at(0).Int(0); }
int64_t CountAdmins(Database& db) {
  return db.Query("SELECT COUNT(*) FROM users WHERE role = 'admin'").at(0).Int(0);
}

std::optional<User> GetUser(Database& db, int64_t id) {
  auto rows = db.Query(std::string("SELECT ") + kUserCols + " FROM users WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return RowToUser(rows[0]);
}

std::optional<User> GetUserByName(Database& db, const std::string& username) {
  auto rows = db.Query(std::string("SELECT ") + kUserCols + " FROM users WHERE username = ?", {username});
  if (rows.empty()) return std::nullopt;
  return RowToUser(rows[0]);
}

User CreateUser(Database& db, const std::string& username, const std::string& password_hash,
                const std::string& role, int64_t now) {
  auto rows = db.Query(std::string("INSERT INTO users (username, password_hash, role, created_at) "
                                   "VALUES (?,?,?,?) RETURNING ") +
                           kUserCols,
                       {username, password_hash, role, now});
  return RowToUser(rows.at(0));
}

Json ListUsers(Database& db) {
  Json out = Json::array();
  for (const SqlRow& r : db.Query(std::string("SELECT ") + kUserCols + " FROM users ORDER BY id")) {
    out.push_back(UserJson(RowToUser(r)));
  }
  return out;
}

void SetUserRole(Database& db, int64_t id, const std::string& role) {
  db.Exec("UPDATE users SET role = ? WHERE id = ?", {role, id});
  // Tokens never exceed their creator's role.
  if (role == "viewer") db.Exec("UPDATE api_tokens SET role = 'viewer' WHERE user_id = ?", {id});
}

void SetUserPassword(Database& db, int64_t id, const std::string& hash) {
  db.Exec("UPDATE users SET password_hash = ? WHERE id = ?", {hash, id});
}

void DeleteUser(Database& db, int64_t id) {
  db.Exec("DELETE FROM sessions WHERE user_id = ?", {id});
  db.Exec("DELETE FROM api_tokens WHERE user_id = ?", {id});
  db.Exec("DELETE FROM users WHERE id = ?", {id});
}

void CreateSession(Database& db, const std::string& id_hash, int64_t user_id,
                   const std::string& csrf, int64_t now, int64_t expires_at) {
  db.Exec("DELETE FROM sessions WHERE expires_at < ?", {now});
  db.Exec("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?,?,?,?,?)",
          {id_hash, user_id, csrf, now, expires_at});
}

std::optional<Session> GetSession(Database& db, const std::string& id_hash, int64_t now) {
  auto rows = db.Query(std::string("SELECT s.csrf_token, s.expires_at, ") +
                           "u.id, u.username, u.role, u.password_hash, u.created_at "
                           "FROM sessions s JOIN users u ON u.id = s.user_id "
                           "WHERE s.id_hash = ? AND s.expires_at > ?",
                       {id_hash, now});
  if (rows.empty()) return std::nullopt;
  return Session{RowToUser(rows[0], 2), rows[0].Str(0), rows[0].Int(1)};
}

void DeleteSession(Database& db, const std::string& id_hash) {
  db.Exec("DELETE FROM sessions WHERE id_hash = ?", {id_hash});
}

void DeleteUserSessions(Database& db, int64_t user_id) {
  db.Exec("DELETE FROM sessions WHERE user_id = ?", {user_id});
}

Json CreateToken(Database& db, int64_t user_id, const std::string& name, const std::string& role,
                 const std::string& prefix, const std::string& hash, int64_t now,
                 std::optional<int64_t> expires_at) {
  auto rows = db.Query(
      "INSERT INTO api_tokens (user_id, name, role, prefix, hash, created_at, expires_at) "
      "VALUES (?,?,?,?,?,?,?) RETURNING id",
      {user_id, name, role, prefix, hash, now,
       expires_at ? SqlParam(*expires_at) : SqlParam(nullptr)});
  int64_t id = rows.at(0).Int(0);
  return TokenJson(db.Query(std::string("SELECT ") + kTokenCols +
                                " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
                            {id})
                       .at(0));
}

std::optional<Token> FindToken(Database& db, const std::string& hash, int64_t now) {
  auto rows = db.Query(
      "SELECT t.id, t.role, t.expires_at, u.id, u.username, u.role, u.password_hash, u.created_at "
      "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND "
      "(t.expires_at IS NULL OR t.expires_at > ?)",
      {hash, now});
  if (rows.empty()) return std::nullopt;
  Token t{rows[0].Int(0), RowToUser(rows[0], 3), rows[0].OptInt(2)};
  // The token's role, capped by its creator's current one.
  if (t.user.role == "admin") t.user.role = rows[0].Str(1);
  db.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, t.id});
  return t;
}

Json ListTokens(Database& db, std::optional<int64_t> user_id) {
  std::string sql = std::string("SELECT ") + kTokenCols +
                    " FROM api_tokens t JOIN users u ON u.id = t.user_id";
  SqlParams p;
  if (user_id) {
    sql += " WHERE t.user_id = ?";
    p.push_back(*user_id);
  }
  Json out = Json::array();
  for (const SqlRow& r : db.Query(sql + " ORDER BY t.id", p)) out.push_back(TokenJson(r));
  return out;
}

std::optional<int64_t> TokenOwner(Database& db, int64_t id) {
  auto rows = db.Query("SELECT user_id FROM api_tokens WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return rows[0].Int(0);
}

void DeleteToken(Database& db, int64_t id) { db.Exec("DELETE FROM api_tokens WHERE id = ?", {id}); }

int64_t RecentLoginFailures(Database& db, const std::string& username, int64_t now,
                            int64_t window_ms, int64_t* window_start) {
  auto rows = db.Query("SELECT failures, window_start FROM login_failures WHERE username = ?",
                       {username});
  if (rows.empty() || rows[0].Int(1) + window_ms <= now) return 0;
  *window_start = rows[0].Int(1);
  return rows[0].Int(0);
}

void RecordLoginFailure(Database& db, const std::string& username, int64_t now, int64_t window_ms) {
  db.Exec(
      "INSERT INTO login_failures (username, failures, window_start) VALUES (?, 1, ?) "
      "ON CONFLICT (username) DO UPDATE SET "
      "failures = CASE WHEN login_failures.window_start + ? <= excluded.window_start THEN 1 "
      "ELSE login_failures.failures + 1 END, "
      "window_start = CASE WHEN login_failures.window_start + ? <= excluded.window_start "
      "THEN excluded.window_start ELSE login_failures.window_start END",
      {username, now, window_ms, window_ms});
}

void ClearLoginFailures(Database& db, const std::string& username) {
  db.Exec("DELETE FROM login_failures WHERE username = ?", {username});
}

void AddAudit(Database& db, const AuditEntry& e, int64_t now) {
  db.Exec(
      "INSERT INTO audit_log (time, actor, auth, remote_addr, action, app_id, target, details) "
      "VALUES (?,?,?,?,?,?,?,?)",
      {now, e.actor, e.auth, e.remote_addr, e.action,
       e.app_id ? SqlParam(*e.app_id) : SqlParam(nullptr), e.target, e.details.dump()});
}

Json ListAudit(Database& db, std::optional<int64_t> app_id, std::optional<int64_t> before_id,
               int64_t limit, std::optional<int64_t>* last_id) {
  std::string sql =
      "SELECT id, time, actor, auth, remote_addr, action, app_id, target, details FROM audit_log "
      "WHERE 1 = 1";
  SqlParams p;
  if (app_id) {
    sql += " AND app_id = ?";
    p.push_back(*app_id);
  }
  if (before_id) {
    sql += " AND id < ?";
    p.push_back(*before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.push_back(limit);
  Json out = Json::array();
  auto rows = db.Query(sql, p);
  for (const SqlRow& r : rows) {
    Json details = Json::parse(r.Str(8), nullptr, false);
    if (details.is_discarded()) details = Json::object();
    out.push_back({{"id", r.Int(0)},
                   {"time", r.Int(1)},
                   {"actor", r.Str(2)},
                   {"auth", r.Str(3)},
                   {"remote_addr", r.Str(4)},
                   {"action", r.Str(5)},
                   {"app_id", OptInt(r, 6)},
                   {"target", r.Str(7)},
                   {"details", details}});
  }
  last_id->reset();
  if (static_cast<int64_t>(rows.size()) == limit && !rows.empty()) *last_id = rows.back().Int(0);
  return out;
}

Json StatusCounts(Database& db, int64_t now) {
  auto agents = db.Query(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN logged_out_at IS NULL AND "
      "last_seen_at + heartbeat_seconds * 3000 > ? THEN 1 ELSE 0 END), 0) FROM agents",
      {now});
  return {{"apps", db.Query("SELECT COUNT(*) FROM apps").at(0).Int(0)},
          {"agents_online", agents.at(0).Int(1)},
          {"agents_total", agents.at(0).Int(0)},
          {"events", CountEvents(db)},
          {"users", CountUsers(db)},
          {"api_keys", db.Query("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL").at(0).Int(0)}};
}

}  // namespace vigil::server::store
