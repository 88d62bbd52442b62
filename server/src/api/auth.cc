// Copyright Vigil authors.
#include "api/auth.h"

#include "crypto.h"

namespace vigil::server {

std::string SessionCookie(const Request& req) {
  std::string cookies = req.get_header_value("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  size_t pos = 0;
  while (pos < cookies.size()) {
    while (pos < cookies.size() && (cookies[pos] == ' ' || cookies[pos] == ';')) ++pos;
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    if (cookies.compare(pos, name.size(), name) == 0) {
      return cookies.substr(pos + name.size(), end - pos - name.size());
    }
    pos = end;
  }
  return "";
}

Principal Authenticate(VigilServer& server, Call& call) {
  int64_t now = NowMs();
  const std::string authz = call.req.get_header_value("Authorization");
  if (authz.rfind("Bearer ", 0) == 0) {
    std::string hash = Sha256Hex(authz.substr(7));
    auto token = server.storage().Write([&](Database& db) { return store::FindToken(db, hash, now); });
    if (!token) throw ApiError(401, "unauthorized", "unknown or expired API token");
    return {token->user, "token", "", "", 0};
  }
  std::string cookie = SessionCookie(call.req);
  if (cookie.empty()) throw ApiError(401, "unauthorized", "log in first (POST /api/v1/session)");
  std::string hash = Sha256Hex(cookie);
  auto session = server.storage().Read([&](Database& db) { return store::GetSession(db, hash, now); });
  if (!session) throw ApiError(401, "unauthorized", "session expired or unknown: log in again");
  if (IsStateChanging(call.req.method)) CheckCsrf(call, session->csrf_token);
  return {session->user, "session", hash, session->csrf_token, session->expires_at};
}

void RequireAdmin(const Principal& p) {
  if (p.user.role != "admin") {
    throw ApiError(403, "forbidden", "this needs the admin role (you are " + p.user.role + ")");
  }
}

void Audit(Database& db, const Principal& p, const Call& call, const std::string& action,
           std::optional<int64_t> app_id, const std::string& target, Json details) {
  store::AuditEntry e;
  e.actor = p.user.username;
  e.auth = p.auth;
  e.remote_addr = call.req.remote_addr;
  e.action = action;
  e.app_id = app_id;
  e.target = target;
  e.details = std::move(details);
  store::AddAudit(db, e, NowMs());
}

}  // namespace vigil::server
