// Copyright Vigil authors.
//
// Who is calling the JSON API: a dashboard session (cookie `vigil_session`,
// CSRF token required on state-changing requests) or an API token
// (Authorization: Bearer vgt_...). Roles: viewer reads, admin changes.
#ifndef VIGIL_SERVER_API_AUTH_H_
#define VIGIL_SERVER_API_AUTH_H_

#include <string>

#include "server.h"
#include "storage/queries.h"

namespace vigil::server {

struct Principal {
  store::User user;         // role: the session's user's, or the token's
  std::string auth;         // "session" or "token"
  std::string session_hash; // sessions only
  std::string csrf_token;   // sessions only
  int64_t expires_at = 0;   // sessions only
};

inline constexpr char kSessionCookie[] = "vigil_session";

// Authenticates the call; throws ApiError 401 (no or bad credentials) or
// 403 csrf (a state-changing cookie request without the session's token).
Principal Authenticate(VigilServer& server, Call& call);
// Throws 403 unless the principal is an admin.
void RequireAdmin(const Principal& p);

// The session id in the request's Cookie header, or "".
std::string SessionCookie(const Request& req);

// Throws ApiError 403 "csrf" unless the X-CSRF-Token header equals
// `expected` (compared in constant time).
void CheckCsrf(const Call& call, const std::string& expected);
bool IsStateChanging(const std::string& method);

// The audit record of a change made by `p` through `call`.
void Audit(Database& db, const Principal& p, const Call& call, const std::string& action,
           std::optional<int64_t> app_id, const std::string& target, Json details = Json::object());

}  // namespace vigil::server

#endif  // VIGIL_SERVER_API_AUTH_H_
