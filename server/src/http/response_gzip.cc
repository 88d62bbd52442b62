// Copyright Vigil authors.
#include "http/response_gzip.h"

#include <zlib.h>

#include <string_view>

namespace vigil::server {
namespace {

// Below this the gzip header and trailer eat most of the gain.
constexpr size_t kMinCompressedBody = 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool Compressible(const std::string& type) {
  std::string_view t(type);
  if (t.rfind("text/event-stream", 0) == 0) return false;
  for (std::string_view prefix : {"text/", "application/json", "application/javascript",
                                  "application/xml", "image/svg+xml"}) {
    if (t.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string Gzip(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return "";
  }
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? z.total_out : 0);
  deflateEnd(&z);
  return out;
}

}  // namespace

bool AcceptsGzip(const std::string& accept_encoding) {
  std::string_view rest(accept_encoding);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view param = Trim(item.substr(semi + 1));
    // "q=0", "q=0.0", "q=0.000": refused; any other weight accepts.
    if (param.rfind("q=", 0) != 0) return true;
    return param.substr(2).find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

void MaybeGzipResponse(const Request& req, Response& res) {
  if (!Compressible(res.get_header_value("Content-Type"))) return;
  res.set_header("Vary", "Accept-Encoding");
  if (res.body.size() < kMinCompressedBody || res.has_header("Content-Encoding") ||
      !AcceptsGzip(req.get_header_value("Accept-Encoding"))) {
    return;
  }
  std::string packed = Gzip(res.body);
  if (packed.empty() || packed.size() >= res.body.size()) return;
  res.body = std::move(packed);
  res.set_header("Content-Encoding", "gzip");
}

}  // namespace vigil::server
