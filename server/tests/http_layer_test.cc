// Copyright Vigil authors.
//
// The HTTP behaviours clients rely on, over raw sockets against a server in
// process: keep-alive and pipelining, HEAD, Expect: 100-continue, gzip
// request and answer bodies, the framing headers and the error shape.
#include "gzip_util.h"
#include "raw_http.h"

namespace vigil::server::testing {
namespace {

std::string Get(const std::string& path, const std::string& headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
}

TEST(HttpLayerTest, KeepAliveServesPipelinedRequestsInOrder) {
  TestServer server;
  RawConnection c(server.port());
  c.Send(Get("/healthz") + Get("/no/such/route") + Get("/healthz", "Connection: close\r\n"));
  const std::string& got = c.Finish();
  EXPECT_EQ(CountResponses(got), 3) << got;
  size_t first = got.find("HTTP/1.1 200"), second = got.find("HTTP/1.1 404"),
         third = got.find("HTTP/1.1 200", first + 1);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_NE(got.find("Keep-Alive: timeout=1, max=100"), std::string::npos);
  EXPECT_NE(got.find("\"error\":\"not_found\""), std::string::npos);
  EXPECT_TRUE(c.closed_by_server());
}

// An HTTP/1.0 client, or one asking to close, reads until the server
// closes: every answer, a refusal included, ends the connection then.
TEST(HttpLayerTest, ConnectionCloseIsHonouredOnEveryAnswer) {
  TestServer server;
  for (const std::string& request :
       {std::string("GET /no/such/route HTTP/1.0\r\n\r\n"), Get("/no/such/route", "Connection: close\r\n"),
        std::string("GET /healthz HTTP/1.0\r\n\r\n")}) {
    RawConnection c(server.port());
    c.Send(request);
    std::string head = c.WaitForHead();
    EXPECT_NE(head.find("Connection: close"), std::string::npos) << request;
    EXPECT_EQ(CountResponses(c.Finish()), 1);
    EXPECT_TRUE(c.closed_by_server());
  }
}

TEST(HttpLayerTest, HeadIsServedByGetWithoutBody) {
  TestServer server;
  RawConnection c(server.port());
  c.Send("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const std::string& got = c.Finish();
  EXPECT_EQ(FirstStatus(got), 200);
  EXPECT_NE(got.find("Content-Length: 15\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.substr(got.find("\r\n\r\n") + 4), "");
}

TEST(HttpLayerTest, ExpectContinueIsAnsweredWhenTheBodyIsWanted) {
  TestServer server;
  RawConnection c(server.port());
  std::string body = R"({"username":"nobody","password":"wrong password!"})";
  c.Send("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(FirstStatus(c.WaitForHead()), 100);
  c.Send(body);
  const std::string& got = c.Finish();
  EXPECT_NE(got.find("HTTP/1.1 401"), std::string::npos) << got;
}

TEST(HttpLayerTest, GzipRequestAndAnswerBodies) {
  TestServer server;
  server.CreateUser("alice", "correct horse battery", "admin");
  std::string body = Gzip(R"({"username":"alice","password":"correct horse battery"})");
  RawConnection c(server.port());
  c.Send("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  c.Send(Get("/app.js", "Accept-Encoding: gzip, deflate\r\nConnection: close\r\n"));
  const std::string& got = c.Finish();
  EXPECT_EQ(FirstStatus(got), 200) << got.substr(0, 400);
  EXPECT_EQ(CountResponses(got), 2);
  size_t second = got.find("HTTP/1.1 ", 1);
  ASSERT_NE(second, std::string::npos);
  std::string page = got.substr(second);
  EXPECT_NE(page.find("Content-Encoding: gzip"), std::string::npos) << page.substr(0, 400);
  EXPECT_NE(page.find("Vary: Accept-Encoding"), std::string::npos);
  EXPECT_NE(page.find("Cache-Control: no-cache"), std::string::npos);
}

TEST(HttpLayerTest, AnswerHeadersCannotBeSplit) {
  Response res;
  res.set_header("X-Test", "a\r\nSet-Cookie: evil=1");
  res.set_header("X-Ok", "fine");
  EXPECT_FALSE(res.has_header("X-Test"));
  EXPECT_EQ(res.get_header_value("X-Ok"), "fine");
}

}  // namespace
}  // namespace vigil::server::testing
