// Copyright Vigil authors.
#include "http/connection.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <algorithm>
#include <chrono>
#include <iterator>
#include <limits>

#include "http/parser_body.h"
#include "http/response_gzip.h"
#include "http/response_wire.h"
#include "http/target.h"

namespace vigil::server {
namespace beast_http = boost::beast::http;

namespace {

// The read buffer holds one head at most (plus the start of what follows
// it), so it is bounded by the header limit: a head that does not fit is
// refused, never buffered further.
constexpr size_t kBufferSlack = 16 << 10;
// Answers up to this size go out with their head in one write (one TCP
// segment for the small JSON answers); larger ones in a second write,
// rather than copying them.
constexpr size_t kOneWriteBody = 64 << 10;

class Connection {
 public:
  Connection(ByteStream& stream, const std::string& remote, const Router& router,
             const HttpLimits& limits, const ConnectionHooks& hooks)
      : stream_(stream), remote_(remote), router_(router), limits_(limits), hooks_(hooks),
        buffer_(limits.max_header_bytes + kBufferSlack) {}

  void Serve() {
    for (;;) {
      Next next = ServeOne();
      if (next == Next::kKeepAlive) continue;
      if (next == Next::kDrainAndClose) Drain();
      return;
    }
  }

 private:
  enum class Next { kKeepAlive, kClose, kDrainAndClose };

  Next ServeOne();
  Next ReadHead(RequestParser& parser, bool* ok);
  Next Handle(RequestParser& parser, Request& req);
  // After a request: keep the connection for the next one, or close it
  // (draining first when bytes of this one are still unread).
  Next After(const RequestParser& parser, bool unread, bool close_anyway);
  Next Refuse(const Request* req, int status, const std::string& code, const std::string& message,
              Next after);
  bool Write(const Request* req, Response& res, bool close);
  void Drain();

  ByteStream& stream_;
  const std::string& remote_;
  const Router& router_;
  const HttpLimits& limits_;
  const ConnectionHooks& hooks_;
  boost::beast::flat_buffer buffer_;
  int served_ = 0;
};

bool ExpectsContinue(const RequestParser& parser) {
  auto it = parser.get().find(beast_http::field::expect);
  return it != parser.get().end() && boost::beast::iequals(it->value(), "100-continue");
}

bool IsParseError(const ErrorCode& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category() &&
         ec != beast_http::error::partial_message && ec != beast_http::error::end_of_stream;
}

// Reads the head. *ok false: the connection ends (or is refused) with the
// returned Next.
Connection::Next Connection::ReadHead(RequestParser& parser, bool* ok) {
  *ok = false;
  int idle = served_ == 0 ? limits_.read_timeout_ms : limits_.keep_alive_timeout_ms;
  if (buffer_.size() == 0 && !stream_.WaitReadable(idle)) return Next::kClose;
  parser.header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  // The body's bound depends on the route, known only once the head is
  // read; Content-Length is checked against it then, chunks as they come.
  // (Not boost::none: Boost 1.74 compares a Content-Length with an empty
  // limit as larger.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  ErrorCode ec;
  beast_http::read_header(stream_, buffer_, parser, ec);
  if (ec == beast_http::error::header_limit || ec == beast_http::error::buffer_overflow) {
    return Refuse(nullptr, 431, "headers_too_large",
                  "request head larger than " + std::to_string(limits_.max_header_bytes) + " bytes",
                  Next::kDrainAndClose);
  }
  if (IsParseError(ec)) {
    return Refuse(nullptr, 400, "bad_request", "malformed request: " + ec.message(), Next::kDrainAndClose);
  }
  if (ec) return Next::kClose;  // closed, timed out, stopping
  size_t fields = static_cast<size_t>(std::distance(parser.get().begin(), parser.get().end()));
  if (fields > limits_.max_header_count) {
    return Refuse(nullptr, 431, "headers_too_large",
                  "more than " + std::to_string(limits_.max_header_count) + " header fields",
                  Next::kDrainAndClose);
  }
  *ok = true;
  return Next::kKeepAlive;
}

Connection::Next Connection::ServeOne() {
  RequestParser parser;
  bool ok = false;
  Next next = ReadHead(parser, &ok);
  if (!ok) return next;
  const auto& head = parser.get();
  Request req;
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  req.remote_addr = remote_;
  // A target refused leaves no path to answer for: close after it.
  if (req.target.size() > limits_.max_target_bytes) {
    return Refuse(nullptr, 414, "uri_too_long",
                  "request target longer than " + std::to_string(limits_.max_target_bytes) + " bytes",
                  After(parser, !parser.is_done(), true));
  }
  if (!ParseTarget(req.target, &req.path, &req.params)) {
    return Refuse(nullptr, 400, "bad_request", "request target is not a path",
                  After(parser, !parser.is_done(), true));
  }
  for (const auto& f : head) req.headers.emplace(std::string(f.name_string()), std::string(f.value()));
  return Handle(parser, req);
}

Connection::Next Connection::Handle(RequestParser& parser, Request& req) {
  const Route* route = router_.Find(&req);
  if (!route) {
    return Refuse(&req, 404, "not_found", "no such route: " + req.path.substr(0, 200),
                  After(parser, !parser.is_done(), false));
  }
  BodyEncoding encoding = ParseContentEncoding(req.get_header_value("Content-Encoding"));
  // What may arrive on the wire: the route's bound itself for a plain
  // body; for a compressed one, whose decoded size is bounded as it is
  // inflated, the server-wide wire bound.
  size_t wire_limit = route->body_limit == 0 ? 0
                      : encoding == BodyEncoding::kIdentity
                          ? std::min(route->body_limit, limits_.max_wire_body)
                          : limits_.max_wire_body;
  auto declared = parser.content_length();
  if (declared && *declared > wire_limit) {
    return Refuse(&req, 413, "too_large", "body larger than " + std::to_string(wire_limit) + " bytes",
                  Next::kDrainAndClose);
  }
  bool expect_continue = ExpectsContinue(parser);
  ParserBody body(stream_, buffer_, parser, wire_limit, encoding, expect_continue);
  Response res;
  try {
    route->handler(req, res, body);
  } catch (const std::exception&) {
    res = Response();
    hooks_.refuse(res, 500, "internal", "internal error");
  }
  Next after = After(parser, body.unread(), res.get_header_value("Connection") == "close");
  if (!Write(&req, res, after != Next::kKeepAlive)) return Next::kClose;
  return after;
}

Connection::Next Connection::After(const RequestParser& parser, bool unread, bool close_anyway) {
  ++served_;
  if (unread) return Next::kDrainAndClose;
  bool close = close_anyway || !parser.keep_alive() || served_ >= limits_.keep_alive_max_requests;
  return close ? Next::kClose : Next::kKeepAlive;
}

Connection::Next Connection::Refuse(const Request* req, int status, const std::string& code,
                                    const std::string& message, Next after) {
  Response res;
  hooks_.refuse(res, status, code, message);
  if (!Write(req, res, after != Next::kKeepAlive)) return Next::kClose;
  return after;
}

bool Connection::Write(const Request* req, Response& res, bool close) {
  if (hooks_.finish) hooks_.finish(req, res);
  if (req) MaybeGzipResponse(*req, res);
  std::string head = SerializeHead(res, close, limits_);
  bool with_body = !(req && req->method == "HEAD");
  // A small answer goes out in one send: one segment rather than two.
  if (with_body && res.body.size() <= kOneWriteBody) {
    head += res.body;
    with_body = false;
  }
  if (!WriteAll(stream_, head.data(), head.size())) return false;
  return !with_body || WriteAll(stream_, res.body.data(), res.body.size());
}

// Reads and drops what the client still sends after a refusal, within the
// drain bounds, so that it reads the answer rather than a connection reset
// (a peer closing with unread bytes makes the kernel send RST).
void Connection::Drain() {
  stream_.ShutdownWrite();
  size_t total = buffer_.size();
  buffer_.consume(buffer_.size());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits_.drain_timeout_ms);
  char scratch[16 << 10];
  while (total < limits_.drain_max_bytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                      std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    stream_.SetReadTimeout(static_cast<int>(left.count()));
    ErrorCode ec;
    size_t n = stream_.ReadSome(scratch, sizeof scratch, ec);
    if (ec || n == 0) return;
    total += n;
  }
}

}  // namespace

void ServeConnection(ByteStream& stream, const std::string& remote_addr, const Router& router,
                     const HttpLimits& limits, const ConnectionHooks& hooks) {
  Connection(stream, remote_addr, router, limits, hooks).Serve();
}

}  // namespace vigil::server
