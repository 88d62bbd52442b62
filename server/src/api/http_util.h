// Copyright Vigil authors.
//
// What every handler shares: JSON answers, the error shape
// {"error": code, "message": ...}, bounded body reading (after gzip
// decompression, so a small compressed body cannot expand without limit),
// and query-parameter parsing.
#ifndef VIGIL_SERVER_API_HTTP_UTIL_H_
#define VIGIL_SERVER_API_HTTP_UTIL_H_

#include <httplib.h>

#include <optional>
#include <stdexcept>
#include <string>

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

void SendJson(httplib::Response& res, int status, const Json& body);
void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message, int retry_after = 0);

// One request as handlers see it. The body is read on first use, so a
// handler can refuse a request (overload) before paying for its body.
class Call {
 public:
  Call(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
       size_t body_limit)
      : req(req), res(res), reader_(reader), limit_(body_limit) {}

  const httplib::Request& req;
  httplib::Response& res;

  // The decompressed body; throws ApiError 413 past the limit, 400 when it
  // cannot be read.
  const std::string& Body();
  // The body parsed as a JSON object (400 otherwise).
  Json JsonBody();
  // Reads and drops the body without keeping it (for refused requests).
  void DiscardBody();
  // True when the request came with a body that nobody read: the answer
  // then closes the connection, whose next bytes are that body.
  bool BodyLeftUnread() const {
    return reader_ && !read_ &&
           (req.get_header_value<uint64_t>("Content-Length") > 0 ||
            req.has_header("Transfer-Encoding"));
  }

  // Regex group `i` of the route as an id (404 when it is not one).
  int64_t PathId(int i) const;
  std::string PathString(int i) const { return req.matches[i].str(); }
  // Query parameters.
  std::string Param(const char* name) const {
    return req.has_param(name) ? req.get_param_value(name) : "";
  }
  std::optional<int64_t> IntParam(const char* name, int64_t min, int64_t max) const;

 private:
  const httplib::ContentReader* reader_;
  size_t limit_;
  bool read_ = false;
  std::string body_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_API_HTTP_UTIL_H_
