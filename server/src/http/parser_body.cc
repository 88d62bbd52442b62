// Copyright Vigil authors.
#include "http/parser_body.h"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <optional>

#include "http/inflater.h"

namespace vigil::server {
namespace beast_http = boost::beast::http;

namespace {

constexpr size_t kPiece = 16 << 10;
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  if (b == std::string::npos) return "";
  std::string t = s.substr(b, e - b + 1);
  for (char& c : t) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return t;
}

}  // namespace

BodyEncoding ParseContentEncoding(const std::string& header) {
  std::string e = Trimmed(header);
  if (e.empty() || e == "identity") return BodyEncoding::kIdentity;
  if (e == "gzip" || e == "x-gzip" || e == "deflate") return BodyEncoding::kDeflate;
  return BodyEncoding::kUnsupported;
}

ParserBody::ParserBody(ByteStream& stream, boost::beast::flat_buffer& buffer, RequestParser& parser,
                       size_t wire_limit, BodyEncoding encoding, bool expect_continue)
    : stream_(stream), buffer_(buffer), parser_(parser), wire_limit_(wire_limit),
      encoding_(encoding), expect_continue_(expect_continue) {}

BodySource::Result ParserBody::Read(size_t limit, std::string* out) {
  if (used_) return Result::kReadError;
  used_ = true;
  out->clear();
  if (parser_.is_done()) return Result::kOk;  // no body
  if (encoding_ == BodyEncoding::kUnsupported) return Result::kUnsupportedEncoding;
  // The client waits for this before sending the body (curl does for
  // large ones): sent only now, so that a request refused unread never
  // makes the client send its body.
  if (expect_continue_ && !WriteAll(stream_, kContinue, sizeof kContinue - 1)) {
    return Result::kReadError;
  }
  Result r = ReadAll(limit, out);
  if (r != Result::kOk) {
    out->clear();
    out->shrink_to_fit();
  }
  return r;
}

BodySource::Result ParserBody::ReadAll(size_t limit, std::string* out) {
  // A Content-Length was checked against the wire limit from the head; a
  // chunked body is counted against it chunk by chunk as it arrives.
  parser_.body_limit(wire_limit_);
  std::optional<Inflater> inflater;
  if (encoding_ == BodyEncoding::kDeflate) inflater.emplace(limit);
  char piece[kPiece];
  bool any = false;
  while (!parser_.is_done()) {
    parser_.get().body().data = piece;
    parser_.get().body().size = sizeof piece;
    ErrorCode ec;
    beast_http::read(stream_, buffer_, parser_, ec);
    if (ec == beast_http::error::need_buffer) ec = {};
    if (ec == beast_http::error::body_limit) return Result::kTooLarge;
    if (ec) return Result::kReadError;
    size_t n = sizeof piece - parser_.get().body().size;
    any = any || n > 0;
    if (inflater) {
      Inflater::Status s = inflater->Feed(std::string_view(piece, n), out);
      if (s == Inflater::Status::kTooLarge) return Result::kTooLarge;
      if (s == Inflater::Status::kCorrupt) return Result::kCorrupt;
    } else {
      if (out->size() + n > limit) return Result::kTooLarge;
      out->append(piece, n);
    }
  }
  if (inflater && any && !inflater->finished()) return Result::kCorrupt;  // truncated
  return Result::kOk;
}

}  // namespace vigil::server
