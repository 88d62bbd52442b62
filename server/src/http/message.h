// Copyright Vigil authors.
//
// One HTTP request and its answer as handlers see them, independent of the
// library that reads them off the wire (server/src/http/connection.cc). The
// accessor names follow the ones the handlers were first written against.
#ifndef VIGIL_SERVER_HTTP_MESSAGE_H_
#define VIGIL_SERVER_HTTP_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vigil::server {

// Header names compare without case (RFC 9110 §5.1).
struct CaseLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using HeaderMap = std::multimap<std::string, std::string, CaseLess>;
using ParamMap = std::multimap<std::string, std::string>;

struct Request {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // as sent: "/path?query"
  std::string path;    // percent-decoded, without the query
  ParamMap params;     // the query, decoded ('+' is a space)
  HeaderMap headers;
  std::string remote_addr;
  std::vector<std::string> matches;  // the route's regex groups; [0] is the path

  bool has_header(const std::string& key) const { return headers.count(key) > 0; }
  // The first value, or "".
  std::string get_header_value(const std::string& key) const;
  // The first value as a number (uint64_t only); 0 when absent or not one.
  template <typename T>
  T get_header_value(const std::string& key) const;
  bool has_param(const std::string& key) const { return params.count(key) > 0; }
  std::string get_param_value(const std::string& key) const;
};

template <>
uint64_t Request::get_header_value<uint64_t>(const std::string& key) const;

struct Response {
  int status = 200;
  HeaderMap headers;
  std::string body;

  // Adds a header (several Set-Cookie may coexist). A value or name with CR
  // or LF is dropped: it would let a caller's input split the answer.
  void set_header(const std::string& key, const std::string& value);
  bool has_header(const std::string& key) const { return headers.count(key) > 0; }
  std::string get_header_value(const std::string& key) const;
  // Replaces the body and its Content-Type.
  void set_content(const std::string& body, const std::string& content_type);
  void set_content(const char* data, size_t size, const std::string& content_type);
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_MESSAGE_H_
