// Copyright Vigil authors.
//
// The cpp-httplib integration end to end, over real HTTP on 127.0.0.1.
//
// This file is compiled with vigil-c++ and the spec in
// agent/src/integrations/httplib.spec (see agent/CMakeLists.txt), so the
// service below -- an ordinary cpp-httplib program with no Vigil code in it
// -- has call-site hook points at svr.Get(...), svr.set_logger(...) and the
// rest, and at its "database" calls (http_test_db_query). The test installs
// the integration, attaches a stand-in protection to the database calls, and
// talks to the service with httplib::Client.

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#if !defined(VIGIL_HTTP_NO_HTTPLIB) && !defined(VIGIL_HTTP_NO_PLUGIN)

#include <httplib.h>

#include "block_response.h"
#include "http_test_support.h"
#include "integrations/http_integration.h"

extern "C" int http_test_db_query(const char* sql);

namespace vigil::agent {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using testing::HttpTestLog;

// ---------------------------------------------------------------------------
// The service: plain cpp-httplib code.
// ---------------------------------------------------------------------------

std::atomic<bool> g_provider_ran{false};
std::atomic<int> g_released{-1};  // the releaser's `success`, -1: not called
std::mutex g_service_log_mu;
std::vector<std::pair<std::string, int>> g_service_log;  // what the service's logger saw

int Db(const std::string& sql) { return http_test_db_query(sql.c_str()); }

// What the service answers when its database call fails: everything here
// must stay out of a block response.
void FailWithLeak(httplib::Response& res) {
  res.status = 500;
  res.set_header("X-Leak", "handler");
  res.set_header("Set-Cookie", "leak=1");
  res.set_content("db error: handler output", "text/plain");
}

void RegisterRoutes(httplib::Server& svr) {
  svr.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-App", "1");
    res.set_content("hello", "text/plain");
  });
  svr.Get("/search", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-App", "1");  // set before the failing call: must not leak either
    const std::string q = req.get_param_value("q");
    if (Db("SELECT * FROM items WHERE name = '" + q + "'") < 0) return FailWithLeak(res);
    res.set_content("results for " + q, "text/plain");
  });
  svr.Get("/throw", [](const httplib::Request& req, httplib::Response& res) {
    const std::string q = req.get_param_value("q");
    if (q == "boom") throw std::runtime_error("service bug");
    if (Db("SELECT '" + q + "'") < 0) throw std::runtime_error("db failed");
    res.set_content("ok", "text/plain");
  });
  svr.Post("/form", [](const httplib::Request& req, httplib::Response& res) {
    if (Db("INSERT INTO users VALUES ('" + req.get_param_value("name") + "')") < 0) return FailWithLeak(res);
    res.set_content("created", "text/plain");
  });
  svr.Post("/json", [](const httplib::Request& req, httplib::Response& res) {
    if (Db("SELECT doc FROM docs WHERE doc = '" + req.body + "'") < 0) return FailWithLeak(res);
    res.set_content("{\"ok\":true}", "application/json");
  });
  svr.Get(R"(/users/(\d+)/posts/(\w+))", [](const httplib::Request& req, httplib::Response& res) {
    if (Db("SELECT * FROM posts WHERE user = " + req.matches[1].str() + " AND slug = '" +
           req.matches[2].str() + "'") < 0)
      return FailWithLeak(res);
    res.set_content("post", "text/plain");
  });
  svr.Get("/stream", [](const httplib::Request& req, httplib::Response& res) {
    res.set_chunked_content_provider(
        "text/plain",
        [](size_t, httplib::DataSink& sink) {
          g_provider_ran = true;
          sink.write("streamed", 8);
          sink.done();
          return true;
        },
        [](bool success) { g_released = success ? 1 : 0; });
    if (Db("SELECT '" + req.get_param_value("q") + "'") < 0) res.set_header("X-Leak", "handler");
  });
  svr.Post("/upload", [](const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& content_reader) {
    std::string body;
    if (req.is_multipart_form_data()) {
      content_reader([](const httplib::MultipartFormData&) { return true; },
                     [&](const char* data, size_t n) {
                       body.append(data, n);
                       return true;
                     });
    } else {
      content_reader([&](const char* data, size_t n) {
        body.append(data, n);
        return true;
      });
    }
    if (Db("INSERT INTO uploads VALUES ('" + body + "')") < 0) return FailWithLeak(res);
    res.set_content("stored " + std::to_string(body.size()), "text/plain");
  });

  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::lock_guard<std::mutex> lock(g_service_log_mu);
    g_service_log.emplace_back(req.path, res.status);
  });
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Error-Handler", "1");
    res.set_content("service error page", "text/plain");
  });
  svr.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Post-Routing", "1");
  });
}

// A second service with no logger and no error handler of its own.
void RegisterBareRoutes(httplib::Server& svr) {
  svr.Get("/bare/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("bare", "text/plain");
  });
}

std::vector<std::pair<std::string, int>> ServiceLog() {
  std::lock_guard<std::mutex> lock(g_service_log_mu);
  return g_service_log;
}

// ---------------------------------------------------------------------------
// The fixture: integration installed, protection attached, two servers.
// ---------------------------------------------------------------------------

struct RunningServer {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int port = 0;

  void Start() {
    port = server->bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server->listen_after_bind(); });
    for (int i = 0; i < 1000 && !server->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void Stop() {
    server->stop();
    if (thread.joinable()) thread.join();
  }
};

class HttplibIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto protection = testing::InstallIntegrationForTest(&InstallHttplibIntegration, "http_test_db_query");
    ASSERT_TRUE(protection.ok()) << protection.status().message();
    protection_ = *protection;

    main_.server = std::make_unique<httplib::Server>();
    RegisterRoutes(*main_.server);
    main_.Start();
    bare_.server = std::make_unique<httplib::Server>();
    RegisterBareRoutes(*bare_.server);
    bare_.Start();
  }

  static void TearDownTestSuite() {
    main_.Stop();
    bare_.Stop();
    main_.server.reset();
    bare_.server.reset();
    (void)Detach(protection_);
    UninstallHttpIntegrations();
    SetRequestSink(nullptr);
  }

  void SetUp() override {
    ASSERT_GT(main_.port, 0);
    HttpTestLog::Clear();
    std::string error;
    ASSERT_TRUE(SetHttpSettings(HttpSettings{}, &error)) << error;
  }

  static httplib::Client Client(int port = 0) {
    httplib::Client cli("127.0.0.1", port == 0 ? main_.port : port);
    cli.set_read_timeout(5);
    return cli;
  }

  // Only the headers a block response may carry.
  static void ExpectOnlyBlockHeaders(const httplib::Response& res) {
    const std::set<std::string> allowed = {"Content-Type", "Content-Length", "Cache-Control",
                                           "Location",     "Keep-Alive",     "Connection"};
    for (const auto& [name, value] : res.headers) {
      EXPECT_TRUE(allowed.count(name) != 0) << "leaked header " << name << ": " << value;
    }
    EXPECT_EQ(res.get_header_value("Cache-Control"), "no-store");
  }

  static inline RunningServer main_;
  static inline RunningServer bare_;
  static inline Attachment protection_;
};

TEST_F(HttplibIntegrationTest, BenignRequestIsUnchanged) {
  auto res = Client().Get("/hello?t=benign");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "hello");
  EXPECT_EQ(res->get_header_value("X-App"), "1");
  EXPECT_EQ(res->get_header_value("X-Post-Routing"), "1");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain");

  auto finished = HttpTestLog::WaitFinished("/hello", "query.t", "benign");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 200);
  EXPECT_FALSE(finished->blocked);
  EXPECT_EQ(finished->method, "GET");
  EXPECT_EQ(finished->route, "/hello");
  EXPECT_EQ(finished->framework, "cpp-httplib");
  EXPECT_EQ(finished->client_ip, "127.0.0.1");
  EXPECT_EQ(finished->request_id.size(), 16u);
  EXPECT_THAT(ServiceLog(), Contains(Pair("/hello", 200)));  // the service's logger still runs
  EXPECT_FALSE(HttpTestLog::CalledWithoutRequest());
}

TEST_F(HttplibIntegrationTest, ProtectionSeesQueryCookiesAndHeaders) {
  httplib::Headers headers = {{"Cookie", "session=abc; theme=dark"},
                              {"X-Custom", "v"},
                              {"User-Agent", "tester/1.0"}};
  httplib::Client cli = Client();
  cli.set_url_encode(false);  // send the query exactly as written
  auto res = cli.Get("/search?q=a+b%21&x=1", headers);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "results for a b!");
  const testing::Inputs seen = HttpTestLog::Seen("/search");
  EXPECT_THAT(seen, Contains(Pair("query.q", "a b!")));
  EXPECT_THAT(seen, Contains(Pair("query.x", "1")));
  EXPECT_THAT(seen, Contains(Pair("cookie.session", "abc")));
  EXPECT_THAT(seen, Contains(Pair("cookie.theme", "dark")));
  EXPECT_THAT(seen, Contains(Pair("header.x-custom", "v")));
  EXPECT_THAT(seen, Contains(Pair("header.user-agent", "tester/1.0")));
  EXPECT_THAT(seen, Not(Contains(Pair("header.remote_addr", ::testing::_))));
  EXPECT_THAT(seen, Not(Contains(Pair("header.cookie", ::testing::_))));
}

TEST_F(HttplibIntegrationTest, ValuesAsTheApplicationSeesThem) {
  // cpp-httplib 0.11 keeps what follows the last '=' of a parameter: the
  // handler reads "'1" here, and the protection must see that value too.
  httplib::Client cli = Client();
  cli.set_url_encode(false);
  auto res = cli.Get("/search?q=x%27+OR+%271%27=%271");
  ASSERT_TRUE(res);
  const std::string app_value = res->body.substr(std::string("results for ").size());
  const testing::Inputs seen = HttpTestLog::Seen("/search");
  EXPECT_THAT(seen, Contains(Pair("query.q", app_value)));
  EXPECT_THAT(seen, Contains(Pair("query.q", "x' OR '1'='1")));
}

TEST_F(HttplibIntegrationTest, BlockedRequestGetsExactlyTheHtmlBlockPage) {
  auto res = Client().Get("/search?q=attack&t=html", {{"Accept", "text/html,*/*;q=0.8"}});
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.t", "html");
  ASSERT_TRUE(finished);
  EXPECT_TRUE(finished->blocked);
  EXPECT_EQ(finished->status, 403);

  const BlockResponse expected = MakeBlockResponse(BlockSettings{}, "text/html", finished->request_id);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->body, expected.body);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  ExpectOnlyBlockHeaders(*res);
  EXPECT_THAT(res->body, Not(HasSubstr("db error")));
  EXPECT_THAT(res->body, Not(HasSubstr("service error page")));
  EXPECT_THAT(ServiceLog(), Contains(Pair("/search", 403)));
}

TEST_F(HttplibIntegrationTest, BlockedRequestGetsJsonWhenPreferred) {
  auto res = Client().Get("/search?q=attack&t=json", {{"Accept", "application/json, text/plain, */*"}});
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.t", "json");
  ASSERT_TRUE(finished);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->body,
            R"({"error":"blocked","status":403,"request_id":")" + finished->request_id + "\"}");
  ExpectOnlyBlockHeaders(*res);
}

TEST_F(HttplibIntegrationTest, BlockedRequestIsRedirectedWhenConfigured) {
  HttpSettings settings;
  settings.block.redirect_url = "/blocked?id={{request_id}}";
  std::string error;
  ASSERT_TRUE(SetHttpSettings(settings, &error)) << error;
  auto res = Client().Get("/search?q=attack&t=redirect");
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.t", "redirect");
  ASSERT_TRUE(finished);
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(res->get_header_value("Location"), "/blocked?id=" + finished->request_id);
  EXPECT_EQ(res->body, "");
  ExpectOnlyBlockHeaders(*res);
}

TEST_F(HttplibIntegrationTest, CustomStatusAndTemplate) {
  HttpSettings settings;
  settings.block.status = 406;
  settings.block.html_template = "<b>no ({{status}}) {{request_id}}</b>";
  std::string error;
  ASSERT_TRUE(SetHttpSettings(settings, &error)) << error;
  auto res = Client().Get("/search?q=attack&t=custom");
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.t", "custom");
  ASSERT_TRUE(finished);
  EXPECT_EQ(res->status, 406);
  EXPECT_EQ(res->body, "<b>no (406) " + finished->request_id + "</b>");
}

TEST_F(HttplibIntegrationTest, ExceptionThrownBecauseOfTheBlockIsSwallowed) {
  auto res = Client().Get("/throw?q=attack");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_FALSE(res->has_header("EXCEPTION_WHAT"));
  EXPECT_THAT(res->body, HasSubstr("Request blocked by Vigil"));
  ExpectOnlyBlockHeaders(*res);
}

TEST_F(HttplibIntegrationTest, ServiceExceptionsReachHttplibUnchanged) {
  auto res = Client().Get("/throw?q=boom");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->get_header_value("EXCEPTION_WHAT"), "service bug");
  EXPECT_EQ(res->body, "service error page");  // the service's error handler still runs
  auto finished = HttpTestLog::WaitFinished("/throw", "query.q", "boom");
  ASSERT_TRUE(finished);
  EXPECT_FALSE(finished->blocked);
  EXPECT_EQ(finished->status, 500);
}

TEST_F(HttplibIntegrationTest, FormBody) {
  auto res = Client().Post("/form?src=web", "name=al+ice&age=3", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const testing::Inputs seen = HttpTestLog::Seen("/form");
  EXPECT_THAT(seen, Contains(Pair("body.name", "al ice")));
  EXPECT_THAT(seen, Contains(Pair("body.age", "3")));
  EXPECT_THAT(seen, Contains(Pair("query.src", "web")));
  EXPECT_THAT(seen, Not(Contains(Pair("query.name", ::testing::_))));

  res = Client().Post("/form", "name=attack", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  ExpectOnlyBlockHeaders(*res);
}

TEST_F(HttplibIntegrationTest, JsonBodyIsFlattened) {
  auto res = Client().Post("/json", R"({"user":{"name":"bob","emails":["a@x","attack"]}})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  const testing::Inputs seen = HttpTestLog::Seen("/json");
  EXPECT_THAT(seen, Contains(Pair("json.user.name", "bob")));
  EXPECT_THAT(seen, Contains(Pair("json.user.emails.0", "a@x")));
  EXPECT_THAT(seen, Contains(Pair("json.user.emails.1", "attack")));
}

TEST_F(HttplibIntegrationTest, PathCaptures) {
  auto res = Client().Get("/users/42/posts/hello_world");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const testing::Inputs seen = HttpTestLog::Seen("/users/42/posts/hello_world");
  EXPECT_THAT(seen, Contains(Pair("path.1", "42")));
  EXPECT_THAT(seen, Contains(Pair("path.2", "hello_world")));
  auto finished = HttpTestLog::WaitFinished("/users/42/posts/hello_world");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->route, R"(/users/(\d+)/posts/(\w+))");

  res = Client().Get("/users/7/posts/attack");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
}

TEST_F(HttplibIntegrationTest, NotFoundIsRecordedWithItsFinalStatus) {
  auto res = Client().Get("/nope?q=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "service error page");  // not blocked: the service's error page
  auto finished = HttpTestLog::WaitFinished("/nope");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 404);
  EXPECT_EQ(finished->method, "GET");
  EXPECT_FALSE(finished->blocked);
  EXPECT_THAT(finished->inputs, Contains(Pair("query.q", "1")));
  EXPECT_THAT(ServiceLog(), Contains(Pair("/nope", 404)));
}

TEST_F(HttplibIntegrationTest, ServerWithoutLoggerStillReportsEveryRequest) {
  auto res = Client(bare_.port).Get("/bare/missing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  auto finished = HttpTestLog::WaitFinished("/bare/missing");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 404);

  res = Client(bare_.port).Get("/bare/hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "bare");
  finished = HttpTestLog::WaitFinished("/bare/hello");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->status, 200);
  EXPECT_EQ(HttpTestLog::FinishedCount("/bare/hello"), 1u);  // once, not twice
}

TEST_F(HttplibIntegrationTest, BlockedStreamingResponseIsReleasedNotSent) {
  g_provider_ran = false;
  g_released = -1;
  auto res = Client().Get("/stream?q=attack");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, HasSubstr("Request blocked by Vigil"));
  ExpectOnlyBlockHeaders(*res);
  EXPECT_FALSE(g_provider_ran);
  EXPECT_EQ(g_released, 0);  // released, as after a failed write

  res = Client().Get("/stream?q=fine");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "streamed");
}

TEST_F(HttplibIntegrationTest, ContentReaderBodiesAreInputsOnceRead) {
  auto res = Client().Post("/upload", "f=attack&g=2", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(HttpTestLog::Seen("/upload"), Contains(Pair("body.f", "attack")));

  httplib::MultipartFormDataItems items = {{"title", "hello", "", ""},
                                           {"file", "file body", "a'b.txt", "text/plain"}};
  res = Client().Post("/upload", items);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const testing::Inputs seen = HttpTestLog::Seen("/upload");
  EXPECT_THAT(seen, Contains(Pair("body.title", "hello")));
  EXPECT_THAT(seen, Contains(Pair("body.file.filename", "a'b.txt")));
}

TEST_F(HttplibIntegrationTest, ClientIpFollowsTrustedProxiesOnly) {
  httplib::Headers xff = {{"X-Forwarded-For", "203.0.113.9, 10.0.0.1"}};
  auto res = Client().Get("/hello?n=1", xff);
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/hello", "query.n", "1");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->client_ip, "127.0.0.1");  // the peer is not a trusted proxy

  HttpSettings settings;
  settings.trusted_proxies = {"127.0.0.0/8", "10.0.0.0/8"};
  std::string error;
  ASSERT_TRUE(SetHttpSettings(settings, &error)) << error;
  HttpTestLog::Clear();
  res = Client().Get("/hello?n=2", xff);
  ASSERT_TRUE(res);
  finished = HttpTestLog::WaitFinished("/hello", "query.n", "2");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->client_ip, "203.0.113.9");
}

TEST_F(HttplibIntegrationTest, LimitsApply) {
  HttpSettings settings;
  settings.limits.max_inputs = 2;
  std::string error;
  ASSERT_TRUE(SetHttpSettings(settings, &error)) << error;
  HttpTestLog::Clear();
  auto res = Client().Get("/search?a=limits&b=2&c=3&q=x");
  ASSERT_TRUE(res);
  auto finished = HttpTestLog::WaitFinished("/search", "query.a", "limits");
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->inputs.size(), 2u);
  EXPECT_GT(finished->truncated, 0u);
}

TEST_F(HttplibIntegrationTest, ManyConcurrentRequests) {
  std::vector<std::thread> clients;
  std::atomic<int> ok{0}, blocked{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client cli = Client();
      for (int i = 0; i < 25; ++i) {
        const bool attack = (i + t) % 3 == 0;
        auto res = cli.Get(attack ? "/search?q=attack" : "/search?q=fine");
        if (!res) continue;
        if (attack && res->status == 403) ++blocked;
        if (!attack && res->status == 200 && res->body == "results for fine") ++ok;
      }
    });
  }
  for (std::thread& c : clients) c.join();
  EXPECT_EQ(ok + blocked, 100);
}

}  // namespace
}  // namespace vigil::agent

#else  // built without cpp-httplib or without the plugin

TEST(HttplibIntegrationTest, Skipped) { GTEST_SKIP() << "needs cpp-httplib and the Vigil plugin"; }

#endif
