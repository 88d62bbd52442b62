// Copyright Vigil authors.
//
// The agent protocol over real HTTP: every endpoint, bad input, idempotent
// and atomic ingestion, signed actions, overload.
#include <fstream>
#include <thread>
#include <vector>

#include "actions.h"
#include "gzip_util.h"
#include "test_server.h"

namespace vigil::server::testing {
namespace {

constexpr char kAgent[] = "3f2a9c0e5b7d4e1f8a6b2c3d4e5f6071";

class AgentApiTest : public ::testing::Test {
 protected:
  AgentApiTest() : app_id_(server_.CreateApp("shop")), key_(server_.CreateKey(app_id_)), agent_(server_, key_) {}

  void Login() {
    auto r = agent_.Post("login", LoginBody(kAgent));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  int64_t StoredEvents() {
    return server_.storage().Read([](Database& db) { return store::CountEvents(db); });
  }

  TestServer server_;
  int64_t app_id_;
  std::string key_;
  AgentClient agent_;
};

TEST_F(AgentApiTest, LoginAnswersIntervalsAndStoresInventory) {
  auto r = agent_.Post("login", LoginBody(kAgent));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = Body(r);
  EXPECT_EQ(j["agent_id"], kAgent);
  EXPECT_EQ(j["app_id"], app_id_);
  EXPECT_EQ(j["heartbeat_seconds"], 60);
  EXPECT_EQ(j["news_seconds"], 2);
  EXPECT_TRUE(j["actions"].is_array());
  EXPECT_GT(j["server_time"].get<int64_t>(), 0);
  // Logging in twice updates the same agent.
  ASSERT_EQ(agent_.Post("login", LoginBody(kAgent))->status, 200);
  auto count = server_.storage().Read([](Database& db) {
    return db.Query("SELECT COUNT(*) FROM agents").at(0).Int(0) * 100 +
           db.Query("SELECT COUNT(*) FROM hook_points").at(0).Int(0);
  });
  EXPECT_EQ(count, 102);
}

TEST_F(AgentApiTest, HeartbeatStoresStateMetricsAndResults) {
  Login();
  Json hb = {{"agent_id", kAgent}, {"seq", 1}, {"time", 1795000060000}, {"ruleset_version", "builtin-1"},
             {"settings_version", 0}, {"mode", "block"}, {"status", "degraded"}, {"last_error", "spool full"},
             {"metrics", {{"interval_ms", 60000},
                          {"counters", {{{"name", "requests"}, {"label", "allowed"}, {"value", 9120}},
                                        {{"name", "requests"}, {"label", "blocked"}, {"value", 3}}}},
                          {"histograms", {{{"name", "protection_ns"}, {"label", "sqli-001"}, {"count", 10},
                                           {"sum", 100}, {"max", 50}, {"buckets", {{1024, 8}, {4096, 2}}}}}},
                          {"overflow", 0}}},
             {"delivery", {{"events_queued", 120}, {"dropped_queue_full", 4}}},
             {"action_results", {{{"id", "act-1"}, {"ok", true}, {"error", ""}}}}};
  auto r = agent_.Post("heartbeat", hb.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["heartbeat_seconds"], 60);
  // The same heartbeat again (a retry) is not counted twice.
  ASSERT_EQ(agent_.Post("heartbeat", hb.dump())->status, 200);
  server_.storage().Read([&](Database& db) {
    auto rows = db.Query("SELECT status, last_error, delivery FROM agents");
    EXPECT_EQ(rows.at(0).Str(0), "degraded");
    EXPECT_EQ(rows.at(0).Str(1), "spool full");
    EXPECT_EQ(Json::parse(rows.at(0).Str(2))["dropped_queue_full"], 4);
    EXPECT_EQ(db.Query("SELECT SUM(value) FROM metric_counters WHERE label = 'allowed'").at(0).Int(0), 9120);
    EXPECT_EQ(db.Query("SELECT COUNT(*) FROM action_results").at(0).Int(0), 2);
  });
}

TEST_F(AgentApiTest, HeartbeatOfUnknownAgentAsksForLogin) {
  auto r = agent_.Post("heartbeat", Json{{"agent_id", "abcdef"}, {"seq", 1}}.dump());
  ASSERT_EQ(r->status, 404);
  EXPECT_EQ(Body(r)["error"], "unknown_agent");
  r = agent_.Post("batch", BatchBody("abcdef", 0, 1, 1000));
  ASSERT_EQ(r->status, 404);
  EXPECT_EQ(Body(r)["error"], "unknown_agent");
}

TEST_F(AgentApiTest, BatchIsIdempotent) {
  Login();
  std::string batch = BatchBody(kAgent, 0, 50, NowMs());
  auto r = agent_.Post("batch", batch);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r), (Json{{"accepted", 50}, {"duplicates", 0}}));
  r = agent_.Post("batch", batch);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r), (Json{{"accepted", 0}, {"duplicates", 50}}));
  // Overlapping: 25 old, 25 new.
  r = agent_.Post("batch", BatchBody(kAgent, 25, 50, NowMs()));
  EXPECT_EQ(Body(r), (Json{{"accepted", 25}, {"duplicates", 25}}));
  EXPECT_EQ(StoredEvents(), 75);
  // Unknown fields are kept.
  Json e = server_.storage().Read([](Database& db) { return store::GetEvent(db, 1); });
  EXPECT_EQ(e["event"]["future_field"]["kept"], true);
}

TEST_F(AgentApiTest, BatchWithOneBadEventStoresNothing) {
  Login();
  Json batch = Json::parse(BatchBody(kAgent, 0, 10, NowMs()));
  batch["events"][7]["time"] = "yesterday";
  auto r = agent_.Post("batch", batch.dump());
  ASSERT_EQ(r->status, 400);
  EXPECT_EQ(Body(r)["error"], "bad_request");
  EXPECT_NE(Body(r)["message"].get<std::string>().find("events[7]"), std::string::npos);
  EXPECT_EQ(StoredEvents(), 0);
}

TEST_F(AgentApiTest, GzipBodiesAreAccepted) {
  Login();
  auto r = agent_.Post("batch", Gzip(BatchBody(kAgent, 0, 100, NowMs())), {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["accepted"], 100);
}

TEST_F(AgentApiTest, GzipBombIsRefusedWith413) {
  Login();
  // 64 MiB of spaces compress to ~64 KiB; the limit is 8 MiB decompressed.
  std::string bomb = "{\"agent_id\":\"" + std::string(kAgent) + "\",\"events\":[" +
                     std::string(64u << 20, ' ') + "]}";
  auto r = agent_.Post("batch", Gzip(bomb), {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(Body(r)["error"], "too_large");
}

TEST_F(AgentApiTest, HugeBodyIsRefusedWith413) {
  Login();
  std::string huge(9u << 20, ' ');
  auto r = agent_.Post("batch", "{\"agent_id\":\"ab\",\"x\":\"" + huge + "\"}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(AgentApiTest, CorruptGzipIs400) {
  auto r = agent_.Post("logout", "this is not gzip", {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(AgentApiTest, MalformedRequestsAre400) {
  Login();
  for (const char* body : {"", "{", "[]", "null", "{\"agent_id\": 5}", "{\"agent_id\": \"NOT-HEX\"}",
                           "{\"agent_id\": \"ab\", \"events\": {}}",
                           "{\"agent_id\": \"ab\", \"events\": [{\"id\": \"ab-1\", \"type\": \"attack\"}]}",
                           "{\"agent_id\": \"ab\", \"events\": [{\"id\": \"x y\", \"type\": \"a\", \"time\": 1}]}",
                           "{\"agent_id\": \"ab\", \"events\": [1]}"}) {
    auto r = agent_.Post("batch", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_EQ(Body(r)["error"], "bad_request") << body;
  }
  auto r = agent_.Post("login", Json{{"protocol", 2}, {"agent_id", "ab"}}.dump());
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("speaks: 1"), std::string::npos);
  r = agent_.Post("heartbeat", Json{{"agent_id", kAgent}, {"metrics", {{"counters", {{{"name", 1}}}}}}}.dump());
  EXPECT_EQ(r->status, 400);
  r = agent_.Post("heartbeat", Json{{"agent_id", kAgent}, {"delivery", {{"events_sent", -1}}}}.dump());
  EXPECT_EQ(r->status, 400);
  r = agent_.Post("login", LoginBody(kAgent), {{"Vigil-Protocol", "7"}});
  EXPECT_EQ(r->status, 400);
  // Deeply nested JSON is refused without recursion trouble.
  r = agent_.Post("batch", std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(r->status, 400);
}

TEST_F(AgentApiTest, AuthenticationIsRequired) {
  auto c = server_.Client();
  auto r = c->Post("/api/agent/v1/login", LoginBody(kAgent), "application/json");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Body(r)["error"], "unauthorized");
  AgentClient wrong(server_, "vgk_wrong");
  EXPECT_EQ(wrong.Post("login", LoginBody(kAgent))->status, 401);
  EXPECT_EQ(wrong.News("agent_id=ab")->status, 401);
  // A revoked key is refused with 403 at once.
  server_.storage().Write([&](Database& db) { db.Exec("UPDATE api_keys SET revoked_at = 1"); });
  server_.server().news().Refresh();
  auto revoked = agent_.Post("login", LoginBody(kAgent));
  EXPECT_EQ(revoked->status, 403);
  EXPECT_EQ(Body(revoked)["error"], "forbidden");
}

TEST_F(AgentApiTest, RefusedUnreadBodyClosesTheConnection) {
  AgentClient wrong(server_, "vgk_wrong");
  auto r = wrong.Post("batch", BatchBody(kAgent, 0, 10, NowMs()));
  ASSERT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("Connection"), "close");
  // The same client goes on working (on a new connection).
  EXPECT_EQ(wrong.Post("batch", BatchBody(kAgent, 0, 10, NowMs()))->status, 401);
}

TEST_F(AgentApiTest, NewKeyWorksBeforeTheCacheRefreshes) {
  std::string secret = "vgk_" + RandomToken(32);
  server_.storage().Write([&](Database& db) {
    store::CreateApiKey(db, app_id_, "fresh", secret.substr(0, 8), Sha256Hex(secret), "t", NowMs());
  });
  AgentClient fresh(server_, secret);
  EXPECT_EQ(fresh.Post("login", LoginBody(kAgent))->status, 200);
}

TEST_F(AgentApiTest, SettingsActionReachesAgentsSignedAndOnce) {
  Login();
  EXPECT_EQ(Body(agent_.News(std::string("agent_id=") + kAgent + "&ruleset_version=builtin-1&settings_version=0")),
            Json({{"news", false}}));
  Json settings = {{"mode", "block"}, {"protections", {{"sql_injection", "block"}}}};
  store::Action action = server_.storage().Write([&](Database& db) {
    return CreateVersionedAction(db, server_.server().key(), *store::GetApp(db, app_id_), "settings",
                                 settings, "test", NowMs());
  });
  server_.server().news().Refresh();
  EXPECT_EQ(Body(agent_.News(std::string("agent_id=") + kAgent + "&ruleset_version=builtin-1&settings_version=0"))["news"], true);
  auto r = agent_.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 1}, {"ruleset_version", "builtin-1"}, {"settings_version", 0}}.dump());
  Json actions = Body(r)["actions"];
  ASSERT_EQ(actions.size(), 1u) << r->body;
  EXPECT_EQ(actions[0]["type"], "settings");
  EXPECT_EQ(actions[0]["id"], action.action_id);
  std::string payload = actions[0]["payload"];
  EXPECT_TRUE(VerifySignature(server_.server().key().PublicKeyBase64(), payload, actions[0]["signature"].get<std::string>()));
  Json p = Json::parse(payload);
  EXPECT_EQ(p["type"], "settings");
  EXPECT_EQ(p["id"], action.action_id);
  EXPECT_EQ(p["app"], "shop");
  EXPECT_EQ(p["version"], 1);
  EXPECT_EQ(p["settings"], settings);
  // Up to date: nothing more.
  r = agent_.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 2}, {"ruleset_version", "builtin-1"}, {"settings_version", 1}}.dump());
  EXPECT_TRUE(Body(r)["actions"].empty());
  EXPECT_EQ(Body(agent_.News(std::string("agent_id=") + kAgent + "&ruleset_version=builtin-1&settings_version=1"))["news"], false);
}

TEST_F(AgentApiTest, RefusedRulesetIsNotResent) {
  Login();
  Json ruleset = {{"version", "custom-1"}, {"rules", Json::array()}};
  store::Action action = server_.storage().Write([&](Database& db) {
    return CreateVersionedAction(db, server_.server().key(), *store::GetApp(db, app_id_), "ruleset",
                                 ruleset, "test", NowMs());
  });
  Json hb = {{"agent_id", kAgent}, {"seq", 1}, {"ruleset_version", "builtin-1"}};
  auto r = agent_.Post("heartbeat", hb.dump());
  ASSERT_EQ(Body(r)["actions"].size(), 1u);
  EXPECT_EQ(Body(r)["actions"][0]["type"], "ruleset");
  hb["seq"] = 2;
  hb["action_results"] = {{{"id", action.action_id}, {"ok", false}, {"error", "rule x: no such hook"}}};
  r = agent_.Post("heartbeat", hb.dump());
  EXPECT_TRUE(Body(r)["actions"].empty()) << r->body;
  server_.server().news().Refresh();
  EXPECT_EQ(Body(agent_.News(std::string("agent_id=") + kAgent + "&ruleset_version=builtin-1"))["news"], false);
}

TEST_F(AgentApiTest, OneOffActionIsDeliveredOnce) {
  Login();
  server_.storage().Write([&](Database& db) {
    CreateOneOffAction(db, server_.server().key(), *store::GetApp(db, app_id_), "disable", {kAgent},
                       "test", NowMs());
  });
  server_.server().news().Refresh();
  EXPECT_EQ(Body(agent_.News(std::string("agent_id=") + kAgent))["news"], true);
  auto r = agent_.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 1}}.dump());
  ASSERT_EQ(Body(r)["actions"].size(), 1u);
  Json p = Json::parse(Body(r)["actions"][0]["payload"].get<std::string>());
  EXPECT_EQ(p["type"], "disable");
  EXPECT_EQ(p["version"], 0);
  r = agent_.Post("heartbeat", Json{{"agent_id", kAgent}, {"seq", 2}}.dump());
  EXPECT_TRUE(Body(r)["actions"].empty());
}

TEST_F(AgentApiTest, LogoutMarksOffline) {
  Login();
  ASSERT_EQ(agent_.Post("logout", Json{{"agent_id", kAgent}, {"reason", "exit"}}.dump())->status, 200);
  EXPECT_TRUE(server_.storage().Read([&](Database& db) {
    return store::OnlineAgents(db, app_id_, NowMs()).empty();
  }));
}

TEST(AgentApiOverloadTest, BeyondTheQueueAnswers503WithRetryAfter) {
  ServerOptions o;
  o.max_inflight_batches = 1;
  o.threads = 8;
  TestServer server("", o);
  int64_t app = server.CreateApp("shop");
  std::string key = server.CreateKey(app);
  AgentClient login(server, key);
  ASSERT_EQ(login.Post("login", LoginBody(kAgent))->status, 200);
  // Many agents sending large batches at once: some are shed.
  std::atomic<int> ok{0}, shed{0}, other{0};
  std::atomic<bool> retry_after{true};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      AgentClient a(server, key);
      for (int i = 0; i < 5; ++i) {
        auto r = a.Post("batch", BatchBody(kAgent, (t * 5 + i) * 1000, 1000, NowMs()));
        if (!r) {
          ++other;
        } else if (r->status == 200) {
          ++ok;
        } else if (r->status == 503) {
          ++shed;
          if (r->get_header_value("Retry-After") != "2") retry_after = false;
          if (Body(r)["error"] != "overloaded") retry_after = false;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(shed.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_TRUE(retry_after.load());
  EXPECT_EQ(server.server().metrics().queue_depth.load(), 0);
  // The bound held: never more than one batch admitted at a time.
  EXPECT_EQ(server.server().metrics().queue_depth_peak.load(), 1);
  EXPECT_NE(server.server().metrics().Render().find("vigil_overload_responses_total{status=\"503\"}"),
            std::string::npos);
}

int64_t PeakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

// Sixteen agents pushing 4 MiB batches as fast as they can: with two
// batches admitted at a time, the process's peak memory grows by what two
// batches cost, not sixteen.
TEST(AgentApiOverloadTest, MemoryStaysBoundedUnderOverload) {
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  GTEST_SKIP() << "peak RSS is not meaningful under a sanitizer (shadow memory, quarantine)";
#endif
#endif
  ServerOptions o;
  o.max_inflight_batches = 2;
  o.threads = 20;
  TestServer server("", o);
  int64_t app = server.CreateApp("shop");
  std::string key = server.CreateKey(app);
  AgentClient login(server, key);
  ASSERT_EQ(login.Post("login", LoginBody(kAgent))->status, 200);
  // One 4 MiB batch (decompressed), compressed once and sent by everyone:
  // duplicates cost the server the same parsing as new events.
  Json batch = Json::parse(BatchBody(kAgent, 0, 4000, NowMs()));
  for (auto& e : batch["events"]) e["stack"] = Json::array({std::string(600, 'x')});
  const std::string body = Gzip(batch.dump());
  int64_t before = PeakRssKb();
  std::atomic<int> ok{0}, shed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      AgentClient a(server, key);
      while (!stop) {
        auto r = a.Post("batch", body, {{"Content-Encoding", "gzip"}});
        if (r && r->status == 200) ++ok;
        if (r && r->status == 503) ++shed;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(4));
  stop = true;
  for (auto& t : threads) t.join();
  int64_t growth_mb = (PeakRssKb() - before) / 1024;
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(shed.load(), 0);
  EXPECT_LE(server.server().metrics().queue_depth_peak.load(), 2);
  // Two admitted 4 MiB batches parse into well under 200 MiB; sixteen
  // would need several times that.
  EXPECT_LT(growth_mb, 300) << "peak RSS grew by " << growth_mb << " MiB";
  std::printf("peak RSS growth %lld MiB; %d batches stored, %d shed\n", static_cast<long long>(growth_mb),
              ok.load(), shed.load());
}

}  // namespace
}  // namespace vigil::server::testing
