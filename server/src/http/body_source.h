// Copyright Vigil authors.
//
// The body of the request being served, read only when a handler asks for
// it: a handler can refuse a request (no credentials, overload) before a
// byte of its body is read, and the connection then closes, so that the
// unread body is never taken for a next request.
#ifndef VIGIL_SERVER_HTTP_BODY_SOURCE_H_
#define VIGIL_SERVER_HTTP_BODY_SOURCE_H_

#include <cstddef>
#include <string>

namespace vigil::server {

class BodySource {
 public:
  enum class Result {
    kOk,
    kTooLarge,            // past the limit on the wire or after decoding
    kCorrupt,             // not valid gzip/deflate, or truncated
    kUnsupportedEncoding, // a Content-Encoding other than gzip, deflate, identity
    kReadError,           // the connection failed or timed out mid-body
  };

  virtual ~BodySource() = default;
  // Reads the whole body, decoded, into *out: at most `limit` bytes after
  // decoding. Call once.
  virtual Result Read(size_t limit, std::string* out) = 0;
  // True while the request has body bytes that nobody read.
  virtual bool unread() const = 0;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_BODY_SOURCE_H_
