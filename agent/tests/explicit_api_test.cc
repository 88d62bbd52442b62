// Copyright Vigil authors.
//
// The explicit request API (include/vigil/agent.h), for code built without
// the Vigil plugin: RequestScope directly, and cpp-httplib's ProtectHttplib /
// ProtectHandler over real HTTP on 127.0.0.1. This file is compiled with the
// plain compiler: there are no hook points here, so the "protection" is a
// function the handlers call, which blocks the way a real one does (through
// the current request).

#include "vigil/agent.h"

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "block_response.h"
#include "http_test_support.h"
#include "integrations/http_integration.h"
#include "request_context.h"

#if !defined(VIGIL_HTTP_NO_HTTPLIB)
#include <httplib.h>
#endif

namespace vigil::agent {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using testing::HttpTestLog;

// What a protection does inside a database call: look at the current
// request, block it if the statement is an attack, fail the call.
int FakeDbQuery(const std::string& sql) {
  RequestContext* ctx = CurrentRequest();
  if (ctx == nullptr) return 0;
  HttpTestLog::RecordSeen(*ctx);
  if (sql.find("attack") != std::string::npos) {
    ctx->Block({});
    return -1;
  }
  return 0;
}

class ExplicitApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpTestLog::Clear();
    SetRequestSink(&HttpTestLog::Sink);
    std::string error;
    ASSERT_TRUE(SetHttpSettings(HttpSettings{}, &error)) << error;
    internal::SetHttpIntegrationsEnabled(true);
  }
  void TearDown() override { SetRequestSink(nullptr); }
};

TEST_F(ExplicitApiTest, ScopeMakesTheRequestCurrentWithItsInputs) {
  const std::vector<HttpHeader> headers = {{"Content-Type", "application/json"},
                                           {"Cookie", "sid=abc"},
                                           {"X-Forwarded-For", "198.51.100.1"},
                                           {"Accept", "application/json"}};
  const std::vector<HttpHeader> params = {{"id", "42"}};
  {
    RequestScope scope(RequestView{.method = "POST",
                                   .path = "/users/42",
                                   .query = "q=a%20b&x=1",
                                   .headers = headers,
                                   .body = R"({"name":"bob","tags":["t1"]})",
                                   .peer = "10.0.0.5",
                                   .path_params = params,
                                   .route = "/users/:id"});
    RequestContext* ctx = CurrentRequest();
    ASSERT_NE(ctx, nullptr);
    EXPECT_EQ(ctx->method, "POST");
    EXPECT_EQ(ctx->path, "/users/42");
    EXPECT_EQ(ctx->route, "/users/:id");
    EXPECT_EQ(ctx->framework, "explicit");
    EXPECT_EQ(ctx->client_ip, "10.0.0.5");  // the peer is not a trusted proxy
    EXPECT_EQ(ctx->accept, "application/json");
    EXPECT_EQ(std::string(scope.request_id()), ctx->request_id);
    const testing::Inputs inputs = testing::InputsOf(*ctx);
    EXPECT_THAT(inputs, Contains(Pair("query.q", "a b")));
    EXPECT_THAT(inputs, Contains(Pair("query.x", "1")));
    EXPECT_THAT(inputs, Contains(Pair("json.name", "bob")));
    EXPECT_THAT(inputs, Contains(Pair("json.tags.0", "t1")));
    EXPECT_THAT(inputs, Contains(Pair("path.id", "42")));
    EXPECT_THAT(inputs, Contains(Pair("cookie.sid", "abc")));
    EXPECT_THAT(inputs, Contains(Pair("header.x-forwarded-for", "198.51.100.1")));
    EXPECT_FALSE(scope.blocked());
    scope.set_status(201);
  }
  EXPECT_EQ(CurrentRequest(), nullptr);
  auto finished = HttpTestLog::WaitFinished("/users/42");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 201);
}

TEST_F(ExplicitApiTest, TrustedProxy) {
  HttpSettings settings;
  settings.trusted_proxies = {"10.0.0.0/8"};
  std::string error;
  ASSERT_TRUE(SetHttpSettings(settings, &error)) << error;
  const std::vector<HttpHeader> headers = {{"x-forwarded-for", "198.51.100.1, 10.1.1.1"}};
  RequestScope scope(RequestView{.method = "GET", .path = "/", .headers = headers, .peer = "10.0.0.5"});
  ASSERT_NE(CurrentRequest(), nullptr);
  EXPECT_EQ(CurrentRequest()->client_ip, "198.51.100.1");
}

TEST_F(ExplicitApiTest, BlockedScopeRendersTheBlockResponse) {
  const std::vector<HttpHeader> json = {{"Accept", "application/json"}};
  {
    RequestScope scope(RequestView{.method = "GET", .path = "/a", .query = "q=attack", .headers = json});
    EXPECT_EQ(FakeDbQuery("SELECT attack"), -1);
    ASSERT_TRUE(scope.blocked());
    const BlockedResponse& r = scope.response();
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, R"({"error":"blocked","status":403,"request_id":")" + std::string(scope.request_id()) +
                          "\"}");
    EXPECT_EQ(&scope.response(), &r);  // rendered once
  }
  {
    RequestScope scope(RequestView{.method = "GET", .path = "/b"});
    EXPECT_EQ(FakeDbQuery("SELECT 1"), 0);
    EXPECT_FALSE(scope.blocked());
    EXPECT_TRUE(scope.response().body.empty());
    FakeDbQuery("attack");
    EXPECT_THAT(scope.response().body, HasSubstr("Request blocked by Vigil"));
  }
  auto finished = HttpTestLog::WaitFinished("/b");
  ASSERT_TRUE(finished);
  EXPECT_TRUE(finished->blocked);
}

TEST_F(ExplicitApiTest, ActivationHandsTheRequestToAnotherThread) {
  RequestScope scope(RequestView{.method = "GET", .path = "/async"});
  RequestContext* mine = CurrentRequest();
  ASSERT_NE(mine, nullptr);
  RequestContext* theirs = nullptr;
  RequestContext* after = mine;
  std::thread worker([&] {
    {
      RequestScope::Activation active = scope.Activate();
      theirs = CurrentRequest();
      FakeDbQuery("attack");
    }
    after = CurrentRequest();
  });
  worker.join();
  EXPECT_EQ(theirs, mine);
  EXPECT_EQ(after, nullptr);
  EXPECT_TRUE(scope.blocked());
}

TEST_F(ExplicitApiTest, ScopesNest) {
  RequestScope outer(RequestView{.method = "GET", .path = "/outer"});
  RequestContext* o = CurrentRequest();
  {
    RequestScope inner(RequestView{.method = "GET", .path = "/inner"});
    EXPECT_EQ(CurrentRequest()->path, "/inner");
  }
  EXPECT_EQ(CurrentRequest(), o);
}

TEST_F(ExplicitApiTest, LateBodyAndPathParams) {
  RequestScope scope(RequestView{.method = "POST", .path = "/late"});
  scope.AddBody("application/x-www-form-urlencoded", "a=1&b=x+y");
  const std::vector<HttpHeader> params = {{"slug", "hello"}};
  scope.AddPathParams(params);
  const testing::Inputs inputs = testing::InputsOf(*CurrentRequest());
  EXPECT_THAT(inputs, Contains(Pair("body.b", "x y")));
  EXPECT_THAT(inputs, Contains(Pair("path.slug", "hello")));
}

#if !defined(VIGIL_HTTP_NO_HTTPLIB)

// ---------------------------------------------------------------------------
// cpp-httplib without the plugin: ProtectHttplib and ProtectHandler.
// ---------------------------------------------------------------------------

std::atomic<int> g_pre_routing{0};
std::atomic<int> g_post_routing{0};

void FailWithLeak(httplib::Response& res) {
  res.status = 500;
  res.set_header("X-Leak", "handler");
  res.set_content("db error: handler output", "text/plain");
}

class ProtectHttplibTest : public ExplicitApiTest {
 protected:
  void SetUp() override {
    ExplicitApiTest::SetUp();
    server_.Get("/search", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-App", "1");
      if (FakeDbQuery("SELECT '" + req.get_param_value("q") + "'") < 0) return FailWithLeak(res);
      res.set_content("results for " + req.get_param_value("q"), "text/plain");
    });
    server_.Get("/throw", [](const httplib::Request& req, httplib::Response&) {
      if (FakeDbQuery("SELECT '" + req.get_param_value("q") + "'") < 0) throw std::runtime_error("db");
    });
    server_.Post(R"(/items/(\d+))", ProtectHandler([](const httplib::Request& req, httplib::Response& res) {
                   if (FakeDbQuery("UPDATE items SET name = '" + req.get_param_value("name") + "'") < 0)
                     return FailWithLeak(res);
                   res.set_content("updated", "text/plain");
                 }));
    server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_content("service error page", "text/plain");
    });
    ProtectHttplib(
        server_,
        [](const httplib::Request&, httplib::Response&) {
          ++g_pre_routing;
          return httplib::Server::HandlerResponse::Unhandled;
        },
        [](const httplib::Request&, httplib::Response& res) {
          ++g_post_routing;
          res.set_header("X-Post-Routing", "1");
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 1000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
    ExplicitApiTest::TearDown();
  }
  httplib::Client Client() {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(5);
    return cli;
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ProtectHttplibTest, BenignRequestsAreUnchanged) {
  const int pre = g_pre_routing, post = g_post_routing;
  auto res = Client().Get("/search?q=fine");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "results for fine");
  EXPECT_EQ(res->get_header_value("X-App"), "1");
  EXPECT_EQ(res->get_header_value("X-Post-Routing"), "1");
  EXPECT_EQ(g_pre_routing, pre + 1);  // the service's own routing handlers still run
  EXPECT_EQ(g_post_routing, post + 1);
  auto finished = HttpTestLog::WaitFinished("/search");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 200);
  EXPECT_EQ(finished->framework, "cpp-httplib");
  EXPECT_THAT(HttpTestLog::Seen("/search"), Contains(Pair("query.q", "fine")));
}

TEST_F(ProtectHttplibTest, BlockedRequestGetsOnlyTheBlockResponse) {
  auto res = Client().Get("/search?q=attack", {{"Accept", "application/json"}});
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search");
  ASSERT_TRUE(finished);
  EXPECT_TRUE(finished->blocked);
  EXPECT_EQ(finished->status, 403);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->body,
            R"({"error":"blocked","status":403,"request_id":")" + finished->request_id + "\"}");
  EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(res->body.size()));
  for (const auto& [name, value] : res->headers) {
    EXPECT_TRUE(name == "Content-Type" || name == "Content-Length" || name == "Cache-Control" ||
                name == "Keep-Alive" || name == "Connection")
        << "leaked header " << name;
  }
}

TEST_F(ProtectHttplibTest, ExceptionAfterBlockStillGetsTheBlockResponse) {
  auto res = Client().Get("/throw?q=attack");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_FALSE(res->has_header("EXCEPTION_WHAT"));
  EXPECT_THAT(res->body, HasSubstr("Request blocked by Vigil"));
}

TEST_F(ProtectHttplibTest, NotFoundIsRecorded) {
  auto res = Client().Get("/missing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  auto finished = HttpTestLog::WaitFinished("/missing");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 404);
}

TEST_F(ProtectHttplibTest, ProtectHandlerAddsBodyAndCaptures) {
  auto res = Client().Post("/items/7", "name=lamp", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const testing::Inputs seen = HttpTestLog::Seen("/items/7");
  EXPECT_THAT(seen, Contains(Pair("body.name", "lamp")));
  EXPECT_THAT(seen, Contains(Pair("path.1", "7")));

  res = Client().Post("/items/7", "name=attack", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, Not(HasSubstr("db error")));
  EXPECT_FALSE(res->has_header("X-Leak"));
}

TEST_F(ExplicitApiTest, ProtectHandlerAlone) {
  httplib::Server server;
  server.Get(R"(/only/(\w+))", ProtectHandler([](const httplib::Request& req, httplib::Response& res) {
               res.set_header("X-Leak", "handler");
               if (FakeDbQuery("SELECT '" + req.matches[1].str() + "'") < 0) return FailWithLeak(res);
               res.set_content("fine", "text/plain");
             }));
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  for (int i = 0; i < 1000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  httplib::Client cli("127.0.0.1", port);
  auto res = cli.Get("/only/attack");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_FALSE(res->has_header("X-Leak"));
  EXPECT_THAT(res->body, HasSubstr("Request blocked by Vigil"));
  res = cli.Get("/only/ok");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "fine");
  server.stop();
  thread.join();
}

#endif  // !VIGIL_HTTP_NO_HTTPLIB

}  // namespace
}  // namespace vigil::agent
