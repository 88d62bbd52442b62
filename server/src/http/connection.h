// Copyright Vigil authors.
//
// Serves the requests of one connection in turn (keep-alive), each in the
// same order: read the head (bounded: 431), route it (unknown: 404), check
// its declared body size (413), then run the handler, which reads the body
// only if it wants it. Whenever a request ends with bytes of it left
// unread, the answer says "Connection: close" and the connection ends after
// a bounded drain: those bytes are never parsed as a request.
#ifndef VIGIL_SERVER_HTTP_CONNECTION_H_
#define VIGIL_SERVER_HTTP_CONNECTION_H_

#include <functional>
#include <string>

#include "http/byte_stream.h"
#include "http/limits.h"
#include "http/message.h"
#include "http/router.h"

namespace vigil::server {

struct ConnectionHooks {
  // Fills the answer to a request refused by the connection itself (no
  // route, too large, malformed): status, a short code and a message.
  std::function<void(Response&, int status, const std::string& code, const std::string& message)>
      refuse;
  // Runs on every answer before it is written; `req` is null when the head
  // could not be read.
  std::function<void(const Request* req, Response&)> finish;
};

// Returns when the connection ends (closed by either side, timed out,
// stopped); the caller closes the stream.
void ServeConnection(ByteStream& stream, const std::string& remote_addr, const Router& router,
                     const HttpLimits& limits, const ConnectionHooks& hooks);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_CONNECTION_H_
