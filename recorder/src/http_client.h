// Copyright Vigil authors.
//
// HttpClient: the recorder's one connection to a server (libcurl, easy
// interface, one handle reused so that the TCP connection is kept alive
// between heartbeats and batches). Used by one thread at a time.
//
// libcurl because it is the HTTP client every Debian system has, speaks TLS
// and proxies the way operators expect, and is a C library with a stable ABI:
// linking it cannot clash with a C++ HTTP library the host program carries.
// Signals are never used (CURLOPT_NOSIGNAL): they belong to the host.
#ifndef VIGIL_RECORDER_HTTP_CLIENT_H_
#define VIGIL_RECORDER_HTTP_CLIENT_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::recorder {

struct HttpResponse {
  // 0 when no answer came (connection refused, timeout, cut mid-answer):
  // `error` says what happened.
  int status = 0;
  std::string body;
  // The server's Retry-After (seconds or an HTTP date), zero if absent.
  std::chrono::milliseconds retry_after{0};
  std::string error;
  // True when the body was cut at the client's response size bound.
  bool truncated = false;
};

struct HttpClientOptions {
  std::string base_url;                     // "http://127.0.0.1:8420"
  std::vector<std::string> headers;         // "Authorization: Bearer ..."
  std::chrono::milliseconds timeout{10000};  // the whole exchange
  std::chrono::milliseconds connect_timeout{3000};
  // Bodies larger than this are sent gzip-compressed.
  size_t gzip_threshold = 1024;
  // Answers larger than this are cut (and the exchange counts as failed).
  size_t max_response_bytes = 4u << 20;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` (JSON) to base_url + path. Never throws.
  HttpResponse PostJson(std::string_view path, std::string_view body);
  // GETs base_url + path_and_query. Never throws.
  HttpResponse Get(std::string_view path_and_query);

  const HttpClientOptions& options() const { return options_; }

 private:
  HttpResponse Perform(std::string_view path, const std::string* body);

  HttpClientOptions options_;
  void* curl_ = nullptr;  // CURL*, kept opaque so curl.h stays out of headers
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_HTTP_CLIENT_H_
