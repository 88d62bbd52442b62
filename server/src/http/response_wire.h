// Copyright Vigil authors.
//
// An answer as bytes: status line, the handler's headers, and the framing
// headers (Content-Length, Connection, Keep-Alive), which only the
// connection decides.
#ifndef VIGIL_SERVER_HTTP_RESPONSE_WIRE_H_
#define VIGIL_SERVER_HTTP_RESPONSE_WIRE_H_

#include <string>

#include "http/limits.h"
#include "http/message.h"

namespace vigil::server {

// The head of `res`; `close` says whether the connection ends after it.
std::string SerializeHead(const Response& res, bool close, const HttpLimits& limits);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_RESPONSE_WIRE_H_
