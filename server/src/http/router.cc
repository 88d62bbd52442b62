// Copyright Vigil authors.
#include "http/router.h"

namespace vigil::server {

void Router::Add(const std::string& method, const std::string& pattern, size_t body_limit,
                 RouteHandler handler) {
  routes_.push_back({method, std::regex(pattern), body_limit, std::move(handler)});
}

const Route* Router::Find(Request* req) const {
  const std::string& method = req->method == "HEAD" ? std::string("GET") : req->method;
  std::smatch m;
  for (const Route& r : routes_) {
    if (r.method != method || !std::regex_match(req->path, m, r.pattern)) continue;
    req->matches.clear();
    for (const auto& group : m) req->matches.push_back(group.str());
    return &r;
  }
  return nullptr;
}

}  // namespace vigil::server
