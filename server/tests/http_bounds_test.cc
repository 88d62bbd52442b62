// Copyright Vigil authors.
//
// What an anonymous client can make vigil-server spend (docs/server.md,
// "Bounds"): each attack of the security review sent to a vigil-server
// child process over loopback, twice, with its peak RSS read from /proc;
// refused bodies never parsed as requests; heads and bodies refused before
// they are read. Raw sockets, so that the bytes are exactly the attack's.
#include <zlib.h>

#include <cstdio>

#include "raw_http.h"

namespace vigil::server::testing {
namespace {

constexpr int64_t kRssSlackKb = 64 * 1024;  // what an attack may add to idle

bool RssIsMeaningful() {
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return false;  // shadow memory and quarantine, not the server's own
#endif
#endif
  return true;
}

std::string Head(const std::string& method, const std::string& path, const std::string& headers) {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
}

// `size` zero bytes, gzip-compressed at the best ratio (about 1:1000).
std::string GzipZeros(size_t size) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string zeros(1 << 20, '\0'), out, chunk(1 << 16, '\0');
  for (size_t fed = 0; fed < size; fed += zeros.size()) {
    z.next_in = reinterpret_cast<Bytef*>(zeros.data());
    z.avail_in = static_cast<uInt>(zeros.size());
    int flush = fed + zeros.size() >= size ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(chunk.data());
      z.avail_out = static_cast<uInt>(chunk.size());
      deflate(&z, flush);
      out.append(chunk.data(), chunk.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

class HttpBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GT(server_.port(), 0);
    ASSERT_EQ(Healthz(), 200);  // warmed up: idle is after a first request
    idle_kb_ = server_.PeakRssKb();
  }

  int Healthz() {
    RawConnection c(server_.port());
    c.Send(Head("GET", "/healthz", "Connection: close\r\n"));
    return FirstStatus(c.Finish());
  }

  // The peak RSS stays within the slack of idle, and the server still works.
  void ExpectBounded(const char* attack) {
    int64_t growth = server_.PeakRssKb() - idle_kb_;
    std::printf("%s: idle peak RSS %lld MiB, now %lld MiB (+%lld MiB)\n", attack,
                static_cast<long long>(idle_kb_ / 1024),
                static_cast<long long>(server_.PeakRssKb() / 1024),
                static_cast<long long>(growth / 1024));
    if (RssIsMeaningful()) EXPECT_LT(growth, kRssSlackKb) << attack << ": +" << growth / 1024 << " MiB";
    EXPECT_TRUE(server_.Alive());
    EXPECT_EQ(Healthz(), 200) << attack;
  }

  ChildServer server_;
  int64_t idle_kb_ = 0;
};

// A 510 KB gzip body inflating to 512 MiB, to a path with no route and to
// a route (which bounds it after inflation).
TEST_F(HttpBoundsTest, GzipBodyKeepsMemoryBounded) {
  static const std::string bomb = GzipZeros(512u << 20);
  for (const char* path : {"/no/such/route", "/no/such/route", "/api/v1/session"}) {
    RawConnection c(server_.port());
    c.Send(Head("POST", path,
                "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
                    std::to_string(bomb.size()) + "\r\n"));
    c.Send(bomb);
    const std::string& got = c.Finish();
    EXPECT_EQ(FirstStatus(got), std::string(path) == "/api/v1/session" ? 413 : 404) << got.substr(0, 300);
  }
  ExpectBounded("gzip body");
}

// A 700 MiB chunked upload to a path with no route, then to a route with a
// 1 MiB bound: the refusal comes early and the upload is cut off.
TEST_F(HttpBoundsTest, ChunkedUploadKeepsMemoryBounded) {
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
  for (const char* path : {"/no/such/route", "/no/such/route", "/api/v1/session"}) {
    RawConnection c(server_.port());
    c.Send(Head("POST", path, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"));
    for (size_t sent = 0; sent < (700u << 20) && c.Send(chunk); sent += 0x10000) {
    }
    c.Send("0\r\n\r\n");
    const std::string& got = c.Finish();
    EXPECT_EQ(FirstStatus(got), std::string(path) == "/api/v1/session" ? 413 : 404) << got.substr(0, 300);
    EXPECT_EQ(CountResponses(got), 1);
  }
  ExpectBounded("chunked upload");
}

// 8 MB of short header lines (each a field to store): 431 once past the
// head bound, one answer, closed.
TEST_F(HttpBoundsTest, HeaderFloodIs431AndClosed) {
  std::string lines;
  for (int i = 0; lines.size() < (8u << 20); ++i) lines += "X-" + std::to_string(i) + ": f\r\n";
  for (int run = 0; run < 2; ++run) {
    RawConnection c(server_.port());
    c.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    c.Send(lines);
    c.Send("\r\n");
    const std::string& got = c.Finish();
    EXPECT_EQ(FirstStatus(got), 431) << got.substr(0, 300);
    EXPECT_EQ(CountResponses(got), 1);
    EXPECT_NE(got.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(c.closed_by_server());
  }
  ExpectBounded("header flood");
}

// Many small fields, well within the byte bound, are refused by count.
TEST_F(HttpBoundsTest, TooManyHeaderFieldsAre431) {
  std::string fields;
  for (int i = 0; i < 200; ++i) fields += "X-Field-" + std::to_string(i) + ": v\r\n";
  RawConnection c(server_.port());
  c.Send(Head("GET", "/healthz", fields));
  const std::string& got = c.Finish();
  EXPECT_EQ(FirstStatus(got), 431) << got.substr(0, 300);
  EXPECT_TRUE(c.closed_by_server());
}

// A refused body full of requests (request smuggling behind a proxy that
// reuses connections): exactly one answer, then the connection closes.
TEST_F(HttpBoundsTest, RefusedBodyIsNeverParsedAsRequests) {
  std::string hidden;
  while (hidden.size() < 1200000) hidden += "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  struct Case {
    const char* path;
    std::string headers;
    std::string body;
    int status;
  };
  const std::string small = hidden.substr(0, 10 * 41);
  const std::vector<Case> cases = {
      // Past the login's 1 MiB bound.
      {"/api/v1/session", "Content-Type: application/json\r\nContent-Length: " + std::to_string(hidden.size()) + "\r\n",
       hidden, 413},
      // The same, chunked: refused once the chunks pass the bound.
      {"/api/v1/session", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
       "124f80\r\n" + hidden.substr(0, 0x124f80) + "\r\n0\r\n\r\n", 413},
      // Refused by the handler before it reads the body (no API key).
      {"/api/agent/v1/batch", "Content-Type: application/json\r\nContent-Length: " + std::to_string(small.size()) + "\r\n",
       small, 401},
      // No such route.
      {"/no/such/route", "Content-Length: " + std::to_string(small.size()) + "\r\n", small, 404},
  };
  for (const Case& k : cases) {
    RawConnection c(server_.port());
    c.Send(Head("POST", k.path, k.headers));
    c.Send(k.body);
    const std::string& got = c.Finish();
    EXPECT_EQ(FirstStatus(got), k.status) << k.path << ": " << got.substr(0, 300);
    EXPECT_EQ(CountResponses(got), 1) << k.path;
    EXPECT_TRUE(c.closed_by_server()) << k.path;
  }
}

// Refusals that need only the head come before the client sends a byte of
// its body: the answer arrives while the body is still unsent.
TEST_F(HttpBoundsTest, HeadAloneIsEnoughToRefuse) {
  struct Case {
    const char* path;
    const char* length;
    int status;
  };
  for (const Case& k : {Case{"/no/such/route", "100000000", 404}, Case{"/api/v1/session", "100000000", 413},
                        Case{"/api/agent/v1/batch", "1000000", 401}}) {
    RawConnection c(server_.port());
    c.Send(Head("POST", k.path,
                std::string("Content-Type: application/json\r\nContent-Length: ") + k.length + "\r\n"));
    std::string head = c.WaitForHead();
    EXPECT_EQ(FirstStatus(head), k.status) << k.path << ": " << head.substr(0, 300);
    EXPECT_NE(head.find("Connection: close"), std::string::npos) << k.path;
    c.Finish();
    EXPECT_TRUE(c.closed_by_server()) << k.path;
  }
}

}  // namespace
}  // namespace vigil::server::testing
