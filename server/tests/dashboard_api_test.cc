// Copyright Vigil authors.
//
// The JSON API over real HTTP: authentication, CSRF, roles, every
// endpoint, bad input.
#include <thread>

#include "test_server.h"

namespace vigil::server::testing {
namespace {

constexpr char kPassword[] = "correct horse battery";
constexpr char kAgent[] = "3f2a9c0e5b7d4e1f8a6b2c3d4e5f6071";

class DashboardApiTest : public ::testing::Test {
 protected:
  DashboardApiTest() : admin_(server_), viewer_(server_) {
    server_.CreateUser("alice", kPassword, "admin");
    server_.CreateUser("victor", kPassword, "viewer");
    EXPECT_TRUE(admin_.Login("alice", kPassword));
    EXPECT_TRUE(viewer_.Login("victor", kPassword));
  }

  int64_t CreateApp(const std::string& name) {
    auto r = admin_.Post("/api/v1/apps", Json{{"name", name}}.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r)["app"]["id"];
  }
  std::string App(int64_t id) { return "/api/v1/apps/" + std::to_string(id); }

  TestServer server_;
  UserClient admin_, viewer_;
};

TEST_F(DashboardApiTest, LoginSetsAHardenedCookieAndMeAnswers) {
  auto c = server_.Client();
  auto r = c->Post("/api/v1/session", Json{{"username", "alice"}, {"password", kPassword}}.dump(),
                   "application/json");
  ASSERT_EQ(r->status, 200);
  std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("vigil_session=", 0), 0u);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(Body(r)["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(Body(r)["user"]["role"], "admin");
  // The session id is stored hashed only.
  std::string sid = cookie.substr(14, cookie.find(';') - 14);
  EXPECT_EQ(server_.storage().Read([&](Database& db) {
    return db.Query("SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {sid}).at(0).Int(0);
  }), 0);
  auto me = admin_.Get("/api/v1/me");
  EXPECT_EQ(Body(me)["user"]["username"], "alice");
  EXPECT_EQ(Body(me)["auth"], "session");
  EXPECT_EQ(Body(me)["csrf_token"], admin_.csrf());
}

TEST_F(DashboardApiTest, WrongPasswordAndThrottling) {
  UserClient u(server_);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(u.Login("alice", "wrong password!"));
  auto c = server_.Client();
  auto r = c->Post("/api/v1/session", Json{{"username", "alice"}, {"password", kPassword}}.dump(),
                   "application/json");
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(Body(r)["error"], "too_many_requests");
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  r = c->Post("/api/v1/session", Json{{"username", "nobody"}, {"password", "x"}}.dump(), "application/json");
  EXPECT_EQ(r->status, 401);
  r = c->Post("/api/v1/session", R"({"username": 1, "password": "x"})", "application/json");
  EXPECT_EQ(r->status, 400);
  r = c->Post("/api/v1/session", R"({"username": "alice", "password": "x", "admin": true})", "application/json");
  EXPECT_EQ(r->status, 400);
}

TEST_F(DashboardApiTest, UnauthenticatedAndCsrf) {
  auto c = server_.Client();
  for (const char* path : {"/api/v1/me", "/api/v1/apps", "/api/v1/status", "/api/v1/attacks", "/api/v1/users"}) {
    auto r = c->Get(path);
    EXPECT_EQ(r->status, 401) << path;
    EXPECT_EQ(Body(r)["error"], "unauthorized");
  }
  auto bad_cookie = c->Get("/api/v1/me", httplib::Headers{{"Cookie", "vigil_session=forged"}});
  EXPECT_EQ(bad_cookie->status, 401);
  UserClient& no_csrf = admin_;
  std::string token = admin_.csrf();
  no_csrf.DropCsrf();
  auto r = no_csrf.Post("/api/v1/apps", R"({"name":"shop"})");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Body(r)["error"], "csrf");
  EXPECT_EQ(Body(admin_.Get("/api/v1/apps"))["apps"].size(), 0u);  // nothing was written
  EXPECT_EQ(no_csrf.Get("/api/v1/apps")->status, 200);              // reads need no token
  no_csrf.SetCsrf((token[0] == '0' ? "1" : "0") + token.substr(1));
  EXPECT_EQ(no_csrf.Post("/api/v1/apps", R"({"name":"shop"})")->status, 403);
}

TEST_F(DashboardApiTest, ViewerCannotChangeAnything) {
  int64_t app = CreateApp("shop");
  for (auto [method, path, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"POST", "/api/v1/apps", R"({"name":"x"})"},
           {"PUT", App(app) + "/settings", R"({"mode":"off"})"},
           {"PUT", App(app) + "/ruleset", R"({"version":"v","rules":[]})"},
           {"DELETE", App(app) + "/ruleset", ""},
           {"POST", App(app) + "/keys", "{}"},
           {"POST", App(app) + "/actions", R"({"type":"disable"})"},
           {"POST", "/api/v1/users", R"({"username":"x","password":"123456789012"})"},
           {"POST", "/api/v1/tokens", R"({"role":"admin"})"}}) {
    httplib::Result r = method == "POST" ? viewer_.Post(path, body)
                        : method == "PUT" ? viewer_.Put(path, body)
                                          : viewer_.Delete(path);
    EXPECT_EQ(r->status, 403) << method << " " << path << " " << r->body;
    EXPECT_EQ(Body(r)["error"], "forbidden");
  }
  EXPECT_EQ(Body(viewer_.Get(App(app) + "/settings"))["version"], 0);
  EXPECT_EQ(viewer_.Get("/api/v1/users")->status, 403);
}

TEST_F(DashboardApiTest, ApplicationsAndKeys) {
  int64_t app = CreateApp("shop");
  EXPECT_EQ(admin_.Post("/api/v1/apps", R"({"name":"shop"})")->status, 409);
  EXPECT_EQ(admin_.Post("/api/v1/apps", R"({"name":"bad name"})")->status, 400);
  EXPECT_EQ(admin_.Post("/api/v1/apps", R"({"name":7})")->status, 400);
  EXPECT_EQ(admin_.Post("/api/v1/apps", R"({"name":"a","b":1})")->status, 400);
  EXPECT_EQ(admin_.Post("/api/v1/apps", "{not json")->status, 400);
  auto c = server_.Client();
  auto form = c->Post("/api/v1/apps", admin_.Headers(), "name=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 415);
  EXPECT_EQ(Body(admin_.Get(App(app)))["app"]["name"], "shop");
  EXPECT_EQ(admin_.Get(App(999))->status, 404);
  EXPECT_EQ(admin_.Get("/api/v1/apps/abc")->status, 404);
  EXPECT_EQ(admin_.Get("/api/v1/apps/99999999999999999999999")->status, 404);

  auto created = admin_.Post(App(app) + "/keys", R"({"name":"production"})");
  ASSERT_EQ(created->status, 201) << created->body;
  std::string secret = Body(created)["secret"];
  EXPECT_EQ(secret.rfind("vgk_", 0), 0u);
  int64_t key_id = Body(created)["key"]["id"];
  Json keys = Body(admin_.Get(App(app) + "/keys"))["keys"];
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].dump().find(secret), std::string::npos);  // never shown again
  AgentClient agent(server_, secret);
  EXPECT_EQ(agent.Post("login", LoginBody(kAgent))->status, 200);
  auto revoked = admin_.Delete(App(app) + "/keys/" + std::to_string(key_id));
  ASSERT_EQ(revoked->status, 200);
  EXPECT_FALSE(Body(revoked)["key"]["revoked_at"].is_null());
  EXPECT_EQ(agent.Post("login", LoginBody(kAgent))->status, 403);
  EXPECT_EQ(admin_.Delete(App(app) + "/keys/12345")->status, 404);
  EXPECT_EQ(admin_.Post(App(999) + "/keys", "{}")->status, 404);
}

TEST_F(DashboardApiTest, AgentsHookPointsAndActions) {
  int64_t app = CreateApp("shop");
  std::string secret = server_.CreateKey(app);
  AgentClient agent(server_, secret);
  ASSERT_EQ(agent.Post("login", LoginBody(kAgent))->status, 200);
  ASSERT_EQ(agent.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 1},
                                          {"delivery", {{"dropped_spool_full", 3}}}}.dump())->status, 200);
  Json agents = Body(viewer_.Get(App(app) + "/agents"))["agents"];
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0]["online"], true);
  EXPECT_EQ(agents[0]["host"], "web-3");
  EXPECT_EQ(agents[0]["delivery"]["dropped_spool_full"], 3);
  EXPECT_EQ(Body(viewer_.Get(App(app) + "/agents?status=offline"))["agents"].size(), 0u);
  EXPECT_EQ(viewer_.Get(App(app) + "/agents?status=maybe")->status, 400);
  EXPECT_EQ(Body(viewer_.Get(App(app) + "/agents/" + kAgent))["agent"]["pid"], 4242);
  EXPECT_EQ(viewer_.Get(App(app) + "/agents/ffff")->status, 404);

  Json hps = Body(viewer_.Get(App(app) + "/agents/" + kAgent + "/hook-points?q=PQ"));
  EXPECT_EQ(hps["total"], 1);
  EXPECT_EQ(hps["hook_points"][0]["name"], "PQexec");
  hps = Body(viewer_.Get(App(app) + "/agents/" + kAgent + "/hook-points?limit=1"));
  EXPECT_EQ(hps["total"], 2);
  EXPECT_EQ(hps["next_offset"], 1);
  EXPECT_EQ(Body(viewer_.Get(App(app) + "/agents/" + kAgent + "/hook-points?q=%25"))["total"], 0);
  EXPECT_EQ(viewer_.Get(App(app) + "/agents/" + kAgent + "/hook-points?limit=0")->status, 400);

  // Three missed heartbeats (60 s each) make it offline.
  server_.storage().Write([&](Database& db) {
    db.Exec("UPDATE agents SET last_seen_at = ?", {NowMs() - 179'000});
  });
  EXPECT_EQ(Body(viewer_.Get(App(app) + "/agents"))["agents"][0]["online"], true);
  server_.storage().Write([&](Database& db) {
    db.Exec("UPDATE agents SET last_seen_at = ?", {NowMs() - 181'000});
  });
  EXPECT_EQ(Body(viewer_.Get(App(app) + "/agents"))["agents"][0]["online"], false);
  EXPECT_EQ(Body(viewer_.Get(App(app)))["app"]["agents_online"], 0);
  ASSERT_EQ(agent.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 2}}.dump())->status, 200);
  EXPECT_EQ(Body(viewer_.Get(App(app)))["app"]["agents_online"], 1);

  auto act = admin_.Post(App(app) + "/actions", R"({"type":"reload"})");
  ASSERT_EQ(act->status, 201) << act->body;
  EXPECT_EQ(Body(act)["action"]["agents"][0], kAgent);
  EXPECT_EQ(admin_.Post(App(app) + "/actions", R"({"type":"explode"})")->status, 400);
  EXPECT_EQ(admin_.Post(App(app) + "/actions", R"({"type":"disable","agent_id":"ffff"})")->status, 404);
  auto hb = agent.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 3}}.dump());
  EXPECT_EQ(Body(hb)["actions"][0]["type"], "reload");
}

TEST_F(DashboardApiTest, SettingsAreValidatedVersionedAndAudited) {
  int64_t app = CreateApp("shop");
  Json s = Body(admin_.Get(App(app) + "/settings"));
  EXPECT_EQ(s["version"], 0);
  Json settings = {{"mode", "block"},
                   {"protections", {{"sql_injection", "monitor"}}},
                   {"block", {{"status", 403}, {"html", "<h1>no</h1>"}, {"redirect", ""}}}};
  auto r = admin_.Put(App(app) + "/settings", settings.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["version"], 1);
  EXPECT_EQ(Body(r)["settings"], settings);
  EXPECT_EQ(Body(r)["updated_by"], "alice");
  EXPECT_EQ(Body(admin_.Put(App(app) + "/settings", R"({"mode":"off"})"))["version"], 2);
  for (const char* bad : {R"({"mode":"panic"})", R"({"protections":{"xss":"block"}})",
                          R"({"block":{"status":99}})", R"({"block":{"redirect":"javascript:x"}})",
                          R"({"block":{"status":"403"}})", R"({"colour":"red"})", "[1]"}) {
    auto b = admin_.Put(App(app) + "/settings", bad);
    EXPECT_EQ(b->status, 400) << bad;
  }
  EXPECT_EQ(Body(admin_.Get(App(app) + "/settings"))["version"], 2);
  EXPECT_EQ(admin_.Put(App(777) + "/settings", R"({"mode":"off"})")->status, 404);
  Json audit = Body(viewer_.Get("/api/v1/audit?app=" + std::to_string(app)))["entries"];
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0]["action"], "settings.update");
  EXPECT_EQ(audit[0]["actor"], "alice");
  EXPECT_EQ(audit[0]["remote_addr"], "127.0.0.1");
  EXPECT_EQ(audit[0]["details"]["settings"]["mode"], "off");
}

TEST_F(DashboardApiTest, RulesetUploadValidateAndReset) {
  int64_t app = CreateApp("shop");
  Json r0 = Body(viewer_.Get(App(app) + "/ruleset"));
  EXPECT_EQ(r0["source"], "builtin");
  EXPECT_TRUE(r0["ruleset"]["rules"].is_array());
  Json ruleset = {{"version", "shop-1"},
                  {"rules", {{{"id", "sqli-pq"}, {"hook_points", {"PQexec"}}, {"protection", "sql_injection"},
                              {"params", {{"sql_arg", 1}, {"dialect", "postgresql"}}}, {"mode", "block"}}}}};
  auto v = admin_.Post(App(app) + "/ruleset/validate", ruleset.dump());
  EXPECT_EQ(Body(v), Json({{"valid", true}}));
  Json bad = ruleset;
  bad["rules"][0]["params"]["sql_arg"] = "one";
  v = admin_.Post(App(app) + "/ruleset/validate", bad.dump());
  EXPECT_EQ(Body(v)["valid"], false);
  EXPECT_NE(Body(v)["message"].get<std::string>().find("params.sql_arg"), std::string::npos);
  auto put = admin_.Put(App(app) + "/ruleset", bad.dump());
  EXPECT_EQ(put->status, 400);
  EXPECT_EQ(Body(put)["error"], "invalid_ruleset");
  for (Json b : {Json{{"rules", Json::array()}}, Json{{"version", "v"}, {"rules", Json::array()}, {"x", 1}},
                 Json{{"version", "v"}, {"rules", {{{"id", "bad id"}}}}}}) {
    EXPECT_EQ(admin_.Put(App(app) + "/ruleset", b.dump())->status, 400) << b.dump();
  }
  put = admin_.Put(App(app) + "/ruleset", ruleset.dump());
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Body(put)["source"], "custom");
  EXPECT_EQ(Body(put)["version"], 1);
  EXPECT_EQ(Body(put)["ruleset"], ruleset);
  auto reset = admin_.Delete(App(app) + "/ruleset");
  ASSERT_EQ(reset->status, 200) << reset->body;
  EXPECT_EQ(Body(reset)["source"], "builtin");
  EXPECT_EQ(Body(reset)["version"], 2);
}

TEST_F(DashboardApiTest, AttacksFeedFiltersPagesAndDetails) {
  int64_t app = CreateApp("shop");
  AgentClient agent(server_, server_.CreateKey(app));
  ASSERT_EQ(agent.Post("login", LoginBody(kAgent))->status, 200);
  int64_t t0 = NowMs() - 10'000;
  Json events = Json::array();
  for (int i = 0; i < 7; ++i) events.push_back(Event(kAgent, i, t0 + i, i % 2 ? "monitored" : "blocked"));
  ASSERT_EQ(agent.Post("batch", Json{{"agent_id", kAgent}, {"events", events}}.dump())->status, 200);

  Json page = Body(viewer_.Get("/api/v1/attacks?limit=3"));
  ASSERT_EQ(page["attacks"].size(), 3u);
  EXPECT_EQ(page["attacks"][0]["time"], t0 + 6);  // newest first
  std::vector<int64_t> seen;
  std::string cursor = page["next_cursor"];
  for (auto& a : page["attacks"]) seen.push_back(a["time"]);
  while (!cursor.empty()) {
    Json next = Body(viewer_.Get("/api/v1/attacks?limit=3&cursor=" + cursor));
    for (auto& a : next["attacks"]) seen.push_back(a["time"]);
    cursor = next["next_cursor"].is_null() ? "" : next["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));

  EXPECT_EQ(Body(viewer_.Get("/api/v1/attacks?outcome=blocked"))["attacks"].size(), 4u);
  EXPECT_EQ(Body(viewer_.Get("/api/v1/attacks?app=" + std::to_string(app) + "&protection=sql_injection&from=" +
                             std::to_string(t0 + 2) + "&to=" + std::to_string(t0 + 4)))["attacks"].size(), 2u);
  EXPECT_EQ(viewer_.Get("/api/v1/attacks?app=999")->status, 404);
  EXPECT_EQ(viewer_.Get("/api/v1/attacks?limit=1000")->status, 400);
  EXPECT_EQ(viewer_.Get("/api/v1/attacks?from=yesterday")->status, 400);
  EXPECT_EQ(viewer_.Get("/api/v1/attacks?cursor=garbage!")->status, 400);

  Json summary = page["attacks"][0];
  EXPECT_EQ(summary["request"]["path"], "/search");
  EXPECT_EQ(summary["input"]["value"], "' OR 1=1 --");
  Json detail = Body(viewer_.Get("/api/v1/attacks/" + std::to_string(summary["id"].get<int64_t>())));
  EXPECT_EQ(detail["attack"]["event"]["stack"].size(), 1u);
  EXPECT_EQ(detail["attack"]["event"]["future_field"]["kept"], true);
  EXPECT_EQ(viewer_.Get("/api/v1/attacks/424242")->status, 404);
}

TEST_F(DashboardApiTest, TimeseriesFromHeartbeatsAndEvents) {
  int64_t app = CreateApp("shop");
  AgentClient agent(server_, server_.CreateKey(app));
  ASSERT_EQ(agent.Post("login", LoginBody(kAgent))->status, 200);
  Json hb = {{"agent_id", kAgent}, {"seq", 1},
             {"metrics", {{"counters", {{{"name", "requests"}, {"label", "allowed"}, {"value", 90}},
                                        {{"name", "requests"}, {"label", "blocked"}, {"value", 2}}}},
                          {"histograms", {{{"name", "protection_ns"}, {"label", "a"}, {"count", 100}, {"sum", 1},
                                           {"max", 9000}, {"buckets", {{1024, 60}, {8192, 40}}}},
                                          {{"name", "protection_ns"}, {"label", "b"}, {"count", 100}, {"sum", 1},
                                           {"max", 9000}, {"buckets", {{1024, 50}, {65536, 50}}}}}}}}};
  ASSERT_EQ(agent.Post("heartbeat", hb.dump())->status, 200);
  ASSERT_EQ(agent.Post("batch", BatchBody(kAgent, 0, 3, NowMs()))->status, 200);
  Json ts = Body(viewer_.Get(App(app) + "/timeseries?bucket=60"));
  ASSERT_EQ(ts["bucket_ms"], 60000);
  int64_t allowed = 0, attacks = 0, blocks = 0;
  Json last_latency;
  for (auto& b : ts["buckets"]) {
    allowed += b["requests"]["allowed"].get<int64_t>();
    attacks += b["attacks"].get<int64_t>();
    blocks += b["blocks"].get<int64_t>();
    if (b["protection_ns"]["count"] > 0) last_latency = b["protection_ns"];
  }
  EXPECT_EQ(allowed, 90);
  EXPECT_EQ(attacks, 3);
  EXPECT_EQ(blocks, 3);
  EXPECT_EQ(last_latency["count"], 200);
  EXPECT_EQ(last_latency["p50"], 1024);  // 110 of 200 at <= 1024
  EXPECT_EQ(last_latency["p99"], 65536);
  EXPECT_EQ(viewer_.Get(App(app) + "/timeseries?bucket=61")->status, 400);
  EXPECT_EQ(viewer_.Get(App(app) + "/timeseries?bucket=60&from=0&to=999999999999")->status, 400);
}

TEST_F(DashboardApiTest, UsersAndLastAdmin) {
  auto r = admin_.Post("/api/v1/users", R"({"username":"bob","password":"twelve chars!","role":"viewer"})");
  ASSERT_EQ(r->status, 201) << r->body;
  int64_t bob = Body(r)["user"]["id"];
  EXPECT_EQ(admin_.Post("/api/v1/users", R"({"username":"bob","password":"twelve chars!"})")->status, 409);
  EXPECT_EQ(admin_.Post("/api/v1/users", R"({"username":"carl","password":"short"})")->status, 400);
  EXPECT_EQ(admin_.Post("/api/v1/users", R"({"username":"carl","password":"twelve chars!","role":"god"})")->status, 400);
  EXPECT_EQ(Body(admin_.Get("/api/v1/users"))["users"].size(), 3u);
  EXPECT_EQ(Body(admin_.Patch("/api/v1/users/" + std::to_string(bob), R"({"role":"admin"})"))["user"]["role"], "admin");
  UserClient b(server_);
  ASSERT_TRUE(b.Login("bob", "twelve chars!"));
  EXPECT_EQ(admin_.Delete("/api/v1/users/" + std::to_string(bob))->status, 200);
  EXPECT_EQ(b.Get("/api/v1/me")->status, 401);  // sessions end with the user
  int64_t alice = Body(admin_.Get("/api/v1/me"))["user"]["id"];
  EXPECT_EQ(admin_.Patch("/api/v1/users/" + std::to_string(alice), R"({"role":"viewer"})")->status, 409);
  EXPECT_EQ(admin_.Delete("/api/v1/users/" + std::to_string(alice))->status, 409);
  EXPECT_EQ(admin_.Delete("/api/v1/users/9999")->status, 404);
}

TEST_F(DashboardApiTest, ApiTokensForAutomation) {
  auto r = viewer_.Post("/api/v1/tokens", R"({"name":"ci"})");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(Body(r)["token"]["role"], "viewer");
  std::string secret = Body(r)["secret"];
  UserClient bot(server_);
  bot.UseToken(secret);
  EXPECT_EQ(Body(bot.Get("/api/v1/me"))["auth"], "token");
  EXPECT_EQ(bot.Get("/api/v1/apps")->status, 200);
  EXPECT_EQ(bot.Post("/api/v1/apps", R"({"name":"x"})")->status, 403);  // viewer token, no CSRF needed
  auto admin_token = admin_.Post("/api/v1/tokens", R"({"name":"deploy","role":"admin","expires_in_days":1})");
  ASSERT_EQ(admin_token->status, 201);
  UserClient deploy(server_);
  deploy.UseToken(Body(admin_token)["secret"]);
  EXPECT_EQ(deploy.Post("/api/v1/apps", R"({"name":"x"})")->status, 201);
  EXPECT_EQ(Body(viewer_.Get("/api/v1/tokens"))["tokens"].size(), 1u);
  EXPECT_EQ(Body(admin_.Get("/api/v1/tokens"))["tokens"].size(), 2u);
  int64_t id = Body(r)["token"]["id"];
  EXPECT_EQ(viewer_.Delete("/api/v1/tokens/" + std::to_string(id))->status, 200);
  EXPECT_EQ(bot.Get("/api/v1/me")->status, 401);
  UserClient forged(server_);
  forged.UseToken("vgt_forged");
  EXPECT_EQ(forged.Get("/api/v1/me")->status, 401);
}

TEST_F(DashboardApiTest, StatusKeyMetricsHealthAndStatic) {
  Json st = Body(viewer_.Get("/api/v1/status"));
  EXPECT_EQ(st["storage"], "sqlite");
  EXPECT_EQ(st["counts"]["users"], 2);
  EXPECT_EQ(st["counts"]["apps"], 0);
  auto c = server_.Client();
  Json key = Body(c->Get("/api/v1/signing-key"));
  EXPECT_EQ(key["public_key"], server_.server().key().PublicKeyBase64());
  auto health = c->Get("/healthz");
  EXPECT_EQ(health->status, 200);
  auto metrics = c->Get("/metrics");
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("vigil_http_requests_total{route=\"/api/v1/status\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(metrics->body.find("vigil_events_ingested_total"), std::string::npos);
  auto index = c->Get("/");
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(c->Get("/no-such-file.js")->status, 404);
  EXPECT_EQ(c->Get("/api/v1/nothing-here")->status, 404);
  EXPECT_EQ(Body(c->Get("/api/v1/nothing-here"))["error"], "not_found");
  auto logout = admin_.Delete("/api/v1/session");
  EXPECT_EQ(logout->status, 200);
  EXPECT_EQ(admin_.Get("/api/v1/me")->status, 401);
}

TEST_F(DashboardApiTest, OversizedApiBodyIs413) {
  auto r = admin_.Post("/api/v1/apps", "{\"name\":\"" + std::string(2u << 20, 'a') + "\"}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

}  // namespace
}  // namespace vigil::server::testing
