// Copyright Vigil authors.
//
// libFuzzer entry: one connection's bytes, as a client would send them,
// served by the real connection code (server/src/http/): head limits,
// target and query decoding, routing, Content-Length and chunked bodies,
// gzip inflation with its bound, keep-alive and the drain after a refusal.
// No input may crash, hang, read out of bounds or hold more than the
// bounds; the bytes arrive in small reads so that every parse resumes
// mid-token.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/byte_stream.h"
#include "http/connection.h"
#include "http/router.h"

namespace {

using namespace vigil::server;

// The client's bytes in; the answers dropped.
class MemoryStream : public ByteStream {
 public:
  MemoryStream(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t ReadSome(void* out, size_t n, ErrorCode& ec) override {
    if (at_ == size_) {
      ec = boost::asio::error::eof;
      return 0;
    }
    // Uneven small reads: 1..61 bytes, picked by the position.
    n = std::min({n, size_ - at_, static_cast<size_t>(1 + (at_ * 7) % 61)});
    std::copy(data_ + at_, data_ + at_ + n, static_cast<uint8_t*>(out));
    at_ += n;
    ec = {};
    return n;
  }
  size_t WriteSome(const void*, size_t n, ErrorCode& ec) override {
    ec = {};
    return n;
  }
  bool WaitReadable(int) override { return at_ < size_; }
  void ShutdownWrite() override {}
  void SetReadTimeout(int) override {}

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

const Router& FuzzRouter() {
  static const Router* router = [] {
    auto* r = new Router;
    r->Add("POST", "/echo", 4096, [](Request&, Response& res, BodySource& body) {
      std::string out;
      res.status = body.Read(4096, &out) == BodySource::Result::kOk ? 200 : 400;
      res.set_content(out, "application/octet-stream");
    });
    r->Add("POST", "/refuse", 4096, [](Request&, Response& res, BodySource&) { res.status = 401; });
    r->Add("GET", R"(/item/([^/]+))", 0, [](Request& req, Response& res, BodySource&) {
      res.set_content(req.matches.at(1) + req.get_param_value("q"), "text/plain");
    });
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const HttpLimits limits = {
      /*max_header_bytes=*/2048, /*max_header_count=*/20, /*max_target_bytes=*/512,
      /*max_wire_body=*/8192,    /*read_timeout_ms=*/1,   /*write_timeout_ms=*/1,
      /*keep_alive_timeout_ms=*/1, /*keep_alive_max_requests=*/8,
      /*drain_max_bytes=*/4096,  /*drain_timeout_ms=*/1000};
  static const ConnectionHooks hooks = {
      [](Response& res, int status, const std::string&, const std::string& message) {
        res.status = status;
        res.set_content(message, "text/plain");
      },
      [](const Request*, Response& res) { res.set_header("X-Content-Type-Options", "nosniff"); }};
  MemoryStream stream(data, size);
  ServeConnection(stream, "127.0.0.1", FuzzRouter(), limits, hooks);
  return 0;
}
