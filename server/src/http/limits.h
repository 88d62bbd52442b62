// Copyright Vigil authors.
//
// The bounds every connection works within. Their values and option names
// live in ServerOptions (server.h), the one place they are set.
#ifndef VIGIL_SERVER_HTTP_LIMITS_H_
#define VIGIL_SERVER_HTTP_LIMITS_H_

#include <cstddef>

namespace vigil::server {

struct HttpLimits {
  size_t max_header_bytes;  // request line + header fields, before routing (431)
  size_t max_header_count;  // header fields (431)
  size_t max_target_bytes;  // the request target, path + query (414)
  size_t max_wire_body;     // a compressed body on the wire, any route (413)
  int read_timeout_ms;
  int write_timeout_ms;
  int keep_alive_timeout_ms;    // idle wait for a connection's next request
  int keep_alive_max_requests;  // requests per connection
  // After a refusal with bytes left unread, the server reads and drops up
  // to this much, for up to this long, before closing: a client still
  // sending then sees the answer instead of a reset, and none of these
  // bytes is ever parsed.
  size_t drain_max_bytes;
  int drain_timeout_ms;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_LIMITS_H_
