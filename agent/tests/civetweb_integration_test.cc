// Copyright Vigil authors.
//
// The civetweb integration end to end, over real HTTP on 127.0.0.1: a C
// service (http_civet_service.c, compiled with vigil-cc) registers plain C
// handlers; the test installs the integration, attaches a stand-in
// protection to the service's database calls and talks to it with
// httplib::Client.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#if !defined(VIGIL_HTTP_NO_HTTPLIB) && !defined(VIGIL_HTTP_NO_PLUGIN) && \
    !defined(VIGIL_HTTP_NO_CIVETWEB)

#include <httplib.h>

#include "block_response.h"
#include "http_test_support.h"
#include "integrations/http_integration.h"

extern "C" int http_civet_start(void);
extern "C" void http_civet_stop(void);

namespace vigil::agent {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using testing::HttpTestLog;

class CivetwebIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto protection = testing::InstallIntegrationForTest(&InstallCivetwebIntegration, "http_civet_db_query");
    ASSERT_TRUE(protection.ok()) << protection.status().message();
    protection_ = *protection;
    port_ = http_civet_start();
  }

  static void TearDownTestSuite() {
    http_civet_stop();
    (void)Detach(protection_);
    UninstallHttpIntegrations();
    SetRequestSink(nullptr);
  }

  void SetUp() override {
    ASSERT_GT(port_, 0) << "civetweb did not start";
    HttpTestLog::Clear();
    std::string error;
    ASSERT_TRUE(SetHttpSettings(HttpSettings{}, &error)) << error;
  }

  static httplib::Client Client() {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(5);
    return cli;
  }

  static void ExpectOnlyBlockHeaders(const httplib::Response& res) {
    for (const auto& [name, value] : res.headers) {
      EXPECT_TRUE(name == "Content-Type" || name == "Content-Length" || name == "Cache-Control" ||
                  name == "Location" || name == "Connection")
          << "leaked header " << name << ": " << value;
    }
  }

  static inline int port_ = 0;
  static inline Attachment protection_;
};

TEST_F(CivetwebIntegrationTest, BenignRequestIsUnchangedAndKeepsItsCbdata) {
  auto res = Client().Get("/search?q=bob", {{"X-Custom", "v"}, {"Cookie", "sid=42"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "results for bob (cbdata-search)");
  auto finished = HttpTestLog::WaitFinished("/search", "query.q", "bob");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 200);
  EXPECT_FALSE(finished->blocked);
  EXPECT_EQ(finished->framework, "civetweb");
  EXPECT_EQ(finished->route, "/search");
  EXPECT_EQ(finished->client_ip, "127.0.0.1");
  const testing::Inputs seen = HttpTestLog::Seen("/search");
  EXPECT_THAT(seen, Contains(Pair("query.q", "bob")));
  EXPECT_THAT(seen, Contains(Pair("header.x-custom", "v")));
  EXPECT_THAT(seen, Contains(Pair("cookie.sid", "42")));
}

TEST_F(CivetwebIntegrationTest, BlockedRequestGetsExactlyTheBlockPage) {
  auto res = Client().Get("/search?q=attack", {{"Accept", "text/html"}});
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.q", "attack");
  ASSERT_TRUE(finished);
  EXPECT_TRUE(finished->blocked);
  EXPECT_EQ(finished->status, 403);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->body, MakeBlockResponse(BlockSettings{}, "text/html", finished->request_id).body);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  ExpectOnlyBlockHeaders(*res);
  EXPECT_THAT(res->body, Not(HasSubstr("db error")));
}

TEST_F(CivetwebIntegrationTest, BlockedRequestGetsJsonWhenPreferred) {
  auto res = Client().Get("/search?q=attack&t=json", {{"Accept", "application/json"}});
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.t", "json");
  ASSERT_TRUE(finished);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->body,
            R"({"error":"blocked","status":403,"request_id":")" + finished->request_id + "\"}");
}

TEST_F(CivetwebIntegrationTest, RedirectWhenConfigured) {
  HttpSettings settings;
  settings.block.redirect_url = "https://example.com/blocked/{{request_id}}";
  settings.block.status = 302;
  std::string error;
  ASSERT_TRUE(SetHttpSettings(settings, &error)) << error;
  auto res = Client().Get("/search?q=attack&t=redirect");
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.t", "redirect");
  ASSERT_TRUE(finished);
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->get_header_value("Location"), "https://example.com/blocked/" + finished->request_id);
}

TEST_F(CivetwebIntegrationTest, BodyReadByTheHandlerBecomesInputs) {
  auto res = Client().Post("/post", "name=bob&age=3", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "created");
  testing::Inputs seen = HttpTestLog::Seen("/post");
  EXPECT_THAT(seen, Contains(Pair("body.name", "bob")));
  EXPECT_THAT(seen, Contains(Pair("body.age", "3")));

  res = Client().Post("/post", "name=attack", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);  // mg_send_http_error's page never went out
  EXPECT_THAT(res->body, HasSubstr("Request blocked by Vigil"));
  ExpectOnlyBlockHeaders(*res);

  res = Client().Post("/post", R"({"user":{"tags":["x","attack"]}})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  seen = HttpTestLog::Seen("/post");
  EXPECT_THAT(seen, Contains(Pair("json.user.tags.1", "attack")));
}

TEST_F(CivetwebIntegrationTest, BlockAfterOutputCutsTheResponse) {
  const uint64_t late_before = GetHttpIntegrationStats().late_blocks;
  auto res = Client().Get("/late");
  // The status line and "partial" left before the block; the rest never does.
  if (res) EXPECT_THAT(res->body, Not(HasSubstr("rest")));
  EXPECT_EQ(GetHttpIntegrationStats().late_blocks, late_before + 1);
  auto finished = HttpTestLog::WaitFinished("/late");
  ASSERT_TRUE(finished);
  EXPECT_TRUE(finished->blocked);
}

TEST_F(CivetwebIntegrationTest, ServerKeepsServingAfterBlocks) {
  for (int i = 0; i < 20; ++i) {
    const bool attack = i % 2 == 0;
    auto res = Client().Get(attack ? "/search?q=attack" : "/search?q=ok");
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->status, attack ? 403 : 200) << i;
  }
  EXPECT_FALSE(HttpTestLog::CalledWithoutRequest());
}

}  // namespace
}  // namespace vigil::agent

#else

TEST(CivetwebIntegrationTest, Skipped) {
  GTEST_SKIP() << "needs cpp-httplib (client), civetweb and the Vigil plugin";
}

#endif
