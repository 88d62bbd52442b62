// Copyright Vigil authors.
//
// CSRF protection of cookie sessions: SameSite=Strict already keeps other
// sites' requests from carrying the cookie in current browsers; the token
// (random per session, returned in the login answer and by /me, sent back
// in X-CSRF-Token) also covers older browsers and same-site attackers.
#include "api/auth.h"
#include "crypto.h"

namespace vigil::server {

bool IsStateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

void CheckCsrf(const Call& call, const std::string& expected) {
  std::string got = call.req.get_header_value("X-CSRF-Token");
  if (got.empty() || !ConstantTimeEquals(got, expected)) {
    throw ApiError(403, "csrf", "missing or wrong X-CSRF-Token header for this session");
  }
}

}  // namespace vigil::server
