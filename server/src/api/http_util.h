// Copyright Vigil authors.
//
// What every handler shares: JSON answers, the error shape
// {"error": code, "message": ...}, bounded body reading (after gzip
// decompression, so a small compressed body cannot expand without limit),
// and query-parameter parsing.
#ifndef VIGIL_SERVER_API_HTTP_UTIL_H_
#define VIGIL_SERVER_API_HTTP_UTIL_H_

#include <optional>
#include <stdexcept>
#include <string>

#include "http/body_source.h"
#include "http/message.h"
#include "protocol/json_fields.h"

namespace vigil::server {

// An answer other than 200, thrown by handlers and rendered by the router.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, int retry_after = 0)
      : std::runtime_error(message), status_(status), code_(std::move(code)), retry_after_(retry_after) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  int retry_after() const { return retry_after_; }

 private:
  int status_;
  std::string code_;
  int retry_after_;
};

void SendJson(Response& res, int status, const Json& body);
void SendError(Response& res, int status, const std::string& code,
               const std::string& message, int retry_after = 0);

// One request as handlers see it. The body is read on first use, so a
// handler can refuse a request (overload, no credentials) before paying for
// its body; the connection then closes rather than parse the unread body.
class Call {
 public:
  Call(const Request& req, Response& res, BodySource* body, size_t body_limit)
      : req(req), res(res), source_(body), limit_(body_limit) {}

  const Request& req;
  Response& res;

  // The decompressed body; throws ApiError 413 past the limit, 415 for an
  // unknown Content-Encoding, 400 when it cannot be read.
  const std::string& Body();
  // The body parsed as a JSON object (400 otherwise).
  Json JsonBody();
  // Leaves the body unread (refused requests): the connection drains it
  // without parsing it, then closes.
  void DiscardBody() { read_ = true; }

  // Regex group `i` of the route as an id (404 when it is not one).
  int64_t PathId(int i) const;
  std::string PathString(int i) const { return req.matches.at(i); }
  // Query parameters.
  std::string Param(const char* name) const {
    return req.has_param(name) ? req.get_param_value(name) : "";
  }
  std::optional<int64_t> IntParam(const char* name, int64_t min, int64_t max) const;

 private:
  BodySource* source_;
  size_t limit_;
  bool read_ = false;
  std::string body_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_API_HTTP_UTIL_H_
