// Copyright Vigil authors.
//
// The request target ("/path?query", RFC 9112 §3.2.1 origin-form) split
// into the percent-decoded path and the decoded query parameters. Fed
// straight from the network: fuzzed (server/tests/fuzz_http_request.cc).
#ifndef VIGIL_SERVER_HTTP_TARGET_H_
#define VIGIL_SERVER_HTTP_TARGET_H_

#include <string>
#include <string_view>

#include "http/message.h"

namespace vigil::server {

// Decodes %XX escapes (a malformed escape stays as written) and, in a
// query, '+' as a space.
std::string DecodeUrl(std::string_view s, bool plus_is_space);

// False unless the target is origin-form (starts with '/'); the other forms
// (absolute, authority, '*') are for proxies and OPTIONS, which this server
// does not serve.
bool ParseTarget(std::string_view target, std::string* path, ParamMap* params);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_TARGET_H_
