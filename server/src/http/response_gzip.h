// Copyright Vigil authors.
//
// gzip for answers: the dashboard's files and JSON travel compressed to a
// client that accepts gzip (what browsers send), as they did before the
// server's HTTP layer moved to Boost.Beast.
#ifndef VIGIL_SERVER_HTTP_RESPONSE_GZIP_H_
#define VIGIL_SERVER_HTTP_RESPONSE_GZIP_H_

#include <string>

#include "http/message.h"

namespace vigil::server {

// True when the Accept-Encoding value lists gzip with a non-zero weight.
bool AcceptsGzip(const std::string& accept_encoding);

// Compresses res's body in place (Content-Encoding: gzip) when it is text,
// JSON, JavaScript or SVG, large enough to gain, not already encoded, and
// the request accepts gzip.
void MaybeGzipResponse(const Request& req, Response& res);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_RESPONSE_GZIP_H_
