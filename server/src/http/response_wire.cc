// Copyright Vigil authors.
#include "http/response_wire.h"

#include <boost/beast/http/status.hpp>

namespace vigil::server {
namespace {

// Headers that frame the message: set here from what the connection
// decided, never taken from a handler.
bool IsFraming(const std::string& name) {
  CaseLess less;
  for (const char* f : {"Connection", "Content-Length", "Keep-Alive", "Transfer-Encoding"}) {
    if (!less(name, f) && !less(f, name)) return true;
  }
  return false;
}

}  // namespace

std::string SerializeHead(const Response& res, bool close, const HttpLimits& limits) {
  auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(res.status));
  std::string head = "HTTP/1.1 " + std::to_string(res.status) + " ";
  head.append(reason.data(), reason.size());
  head += "\r\n";
  for (const auto& [name, value] : res.headers) {
    if (!IsFraming(name)) head += name + ": " + value + "\r\n";
  }
  if (!res.body.empty() && !res.has_header("Content-Type")) head += "Content-Type: text/plain\r\n";
  head += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
  if (close) {
    head += "Connection: close\r\n";
  } else {
    head += "Keep-Alive: timeout=" + std::to_string(limits.keep_alive_timeout_ms / 1000) +
            ", max=" + std::to_string(limits.keep_alive_max_requests) + "\r\n";
  }
  head += "\r\n";
  return head;
}

}  // namespace vigil::server
