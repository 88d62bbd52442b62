// Copyright Vigil authors.
//
// Method + path pattern -> handler, looked up from the request's head
// alone: an unknown pair is refused before a byte of its body is read.
#ifndef VIGIL_SERVER_HTTP_ROUTER_H_
#define VIGIL_SERVER_HTTP_ROUTER_H_

#include <cstddef>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "http/body_source.h"
#include "http/message.h"

namespace vigil::server {

using RouteHandler = std::function<void(Request&, Response&, BodySource&)>;

struct Route {
  std::string method;
  std::regex pattern;  // matched against the whole decoded path
  // The body after decoding; 0: the route takes no body.
  size_t body_limit = 0;
  RouteHandler handler;
};

class Router {
 public:
  // Routes are matched in the order added. Not thread-safe: add them all
  // before serving.
  void Add(const std::string& method, const std::string& pattern, size_t body_limit,
           RouteHandler handler);
  // The route for the request, with req->matches filled; nullptr when none.
  // HEAD is served by the GET routes.
  const Route* Find(Request* req) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_ROUTER_H_
