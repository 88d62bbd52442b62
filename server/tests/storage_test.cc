// Copyright Vigil authors.
//
// Storage against both engines: SQLite in a temp dir and a real PostgreSQL
// cluster this test starts itself (agent/tests/prot_pg_cluster.h). The
// PostgreSQL cases are skipped, with the reason, when its server binaries
// are not installed.
#include <libpq-fe.h>

#include <thread>
#include <vector>

#include "actions.h"
#include "prot_pg_cluster.h"
#include "retention.h"
#include "storage/migrations.h"
#include "test_server.h"

namespace vigil::server::testing {
namespace {

using vigil::agent::testing::PgCluster;

PgCluster* Cluster() {
  static PgCluster* cluster = new PgCluster();  // stopped at exit by the OS-level cleanup below
  return cluster;
}

struct ClusterStopper {
  ~ClusterStopper() { delete Cluster(); }
};

// A fresh database per test on the shared cluster.
std::string NewPgDatabase() {
  static int n = 0;
  std::string name = "vigil_t" + std::to_string(::getpid()) + "_" + std::to_string(++n);
  PGconn* c = PQconnectdb(Cluster()->conninfo().c_str());
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQfinish(c);
  if (!ok) return "";
  std::string info = Cluster()->conninfo();
  return info.substr(0, info.find("dbname=")) + "dbname=" + name;
}

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      ASSERT_TRUE(Cluster()->ok()) << "the throwaway PostgreSQL did not start: " << Cluster()->why();
      url_ = NewPgDatabase();
      ASSERT_FALSE(url_.empty());
    } else {
      url_ = "sqlite:" + dir_.path() + "/vigil.db";
    }
  }
  TempDir dir_;
  std::string url_;
};

std::vector<EventRecord> Events(int first, int n, int64_t time) {
  std::vector<EventRecord> out;
  for (int i = first; i < first + n; ++i) {
    EventRecord e;
    e.event_id = "ab-" + std::to_string(i);
    e.agent_id = "ab";
    e.type = "attack";
    e.time = time + i;
    e.outcome = "blocked";
    e.body = Json{{"id", e.event_id}, {"text", "quote \" backslash \\ brace { comma , \u27e6"}}.dump();
    out.push_back(e);
  }
  return out;
}

int64_t Count(Storage& s) { return s.Read([](Database& db) { return store::CountEvents(db); }); }

TEST_P(StorageTest, MigrationsAreIdempotent) {
  auto db = OpenDatabase(url_);
  EXPECT_EQ(Migrate(*db), LatestSchemaVersion());
  EXPECT_EQ(Migrate(*db), 0);
  EXPECT_EQ(db->Query("SELECT COUNT(*) FROM schema_migrations").at(0).Int(0), LatestSchemaVersion());
  auto again = Storage::Open(url_, 1);  // opening migrates: nothing left to do
  EXPECT_EQ(Count(*again), 0);
}

TEST_P(StorageTest, ConcurrentStartsMigrateOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      try {
        Storage::Open(url_, 1);
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto db = OpenDatabase(url_);
  EXPECT_EQ(db->Query("SELECT COUNT(*) FROM schema_migrations").at(0).Int(0), LatestSchemaVersion());
}

TEST_P(StorageTest, EventsAreStoredOnceAndKeptVerbatim) {
  auto s = Storage::Open(url_, 1);
  int64_t app = s->Write([](Database& db) { return store::CreateApp(db, "shop", 1).id; });
  auto events = Events(0, 100, 1000);
  events.push_back(events[3]);  // a duplicate inside the batch
  EXPECT_EQ(s->Write([&](Database& db) { return store::InsertEvents(db, app, 5, events); }), 100);
  EXPECT_EQ(s->Write([&](Database& db) { return store::InsertEvents(db, app, 5, Events(50, 100, 1000)); }), 50);
  EXPECT_EQ(Count(*s), 150);
  Json e = s->Read([](Database& db) { return store::GetEvent(db, 1); });
  EXPECT_EQ(e["event"]["text"], "quote \" backslash \\ brace { comma , \u27e6");
  // Another application may use the same event ids.
  int64_t other = s->Write([](Database& db) { return store::CreateApp(db, "blog", 1).id; });
  EXPECT_EQ(s->Write([&](Database& db) { return store::InsertEvents(db, other, 5, Events(0, 10, 1000)); }), 10);
}

TEST_P(StorageTest, AFailedBatchLeavesNothing) {
  auto s = Storage::Open(url_, 1);
  int64_t app = s->Write([](Database& db) { return store::CreateApp(db, "shop", 1).id; });
  EXPECT_THROW(s->Write([&](Database& db) {
    store::InsertEvents(db, app, 5, Events(0, 50, 1000));
    throw StorageError("failure half-way");
    return 0;
  }),
               StorageError);
  EXPECT_EQ(Count(*s), 0);
  // The connection is usable afterwards.
  EXPECT_EQ(s->Write([&](Database& db) { return store::InsertEvents(db, app, 5, Events(0, 50, 1000)); }), 50);
}

TEST_P(StorageTest, RetentionDeletesOldEventsOnly) {
  auto s = Storage::Open(url_, 1);
  int64_t app = s->Write([](Database& db) { return store::CreateApp(db, "shop", 1).id; });
  s->Write([&](Database& db) {
    store::InsertEvents(db, app, 5, Events(0, 53, 1000));         // times 1000..1052: old
    store::InsertEvents(db, app, 5, Events(1000, 20, 1'000'000));  // new
  });
  LoginRequest old_agent, new_agent;
  old_agent.agent_id = "0aa";
  old_agent.hook_points = {HookPoint{"PQexec", "", "", "call", "", "", 1}};
  new_agent.agent_id = "0bb";
  s->Write([&](Database& db) {
    store::UpsertAgent(db, app, old_agent, 60, 1000);
    store::UpsertAgent(db, app, new_agent, 60, 1'000'000);
  });
  EXPECT_EQ(DeleteExpired(*s, 500'000, 7), 53);  // several chunks
  EXPECT_EQ(Count(*s), 20);
  s->Read([&](Database& db) {
    EXPECT_EQ(db.Query("SELECT agent_id FROM agents").size(), 1u);
    EXPECT_EQ(db.Query("SELECT COUNT(*) FROM hook_points").at(0).Int(0), 0);
  });
  EXPECT_EQ(DeleteExpired(*s, 500'000, 7), 0);
}

TEST_P(StorageTest, VersionsIncreasePerApplication) {
  auto s = Storage::Open(url_, 1);
  SigningKey key = SigningKey::Ephemeral();
  s->Write([&](Database& db) {
    store::App app = store::CreateApp(db, "shop", 1);
    for (int i = 1; i <= 3; ++i) {
      EXPECT_EQ(CreateVersionedAction(db, key, app, "settings", Json{{"mode", "block"}}, "t", 1).version, i);
    }
    EXPECT_EQ(CreateVersionedAction(db, key, app, "ruleset", BuiltinRuleset(), "t", 1).version, 1);
    EXPECT_EQ(store::LatestAction(db, app.id, "settings")->version, 3);
  });
}

TEST_P(StorageTest, AgentProtocolEndToEnd) {
  TestServer server(url_);
  int64_t app = server.CreateApp("shop");
  AgentClient agent(server, server.CreateKey(app));
  const std::string id = "3f2a9c0e";
  ASSERT_EQ(agent.Post("login", LoginBody(id))->status, 200);
  auto r = agent.Post("batch", BatchBody(id, 0, 200, NowMs()));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["accepted"], 200);
  EXPECT_EQ(Body(agent.Post("batch", BatchBody(id, 0, 200, NowMs())))["duplicates"], 200);
  ASSERT_EQ(agent.Post("heartbeat", Json{{"agent_id", id}, {"seq", 1}}.dump())->status, 200);
}

TEST_P(StorageTest, FullInventoryLoginIsQuick) {
  TestServer server(url_);
  int64_t app = server.CreateApp("shop");
  AgentClient agent(server, server.CreateKey(app));
  Json login = Json::parse(LoginBody("00aa"));
  login["hook_points"] = Json::array();
  for (int i = 0; i < 20000; ++i) {
    login["hook_points"].push_back({{"name", "ns::Function" + std::to_string(i)}, {"symbol", "_ZN2ns8Function" + std::to_string(i)},
                                    {"signature", "FvvE"}, {"kind", "definition"}, {"file", "src/f.cc"}, {"line", i},
                                    {"image", "/srv/shop"}});
  }
  auto start = std::chrono::steady_clock::now();
  auto r = agent.Post("login", login.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Well within the agent's 10 s request timeout in an optimised build;
  // unoptimised sanitizer builds are an order of magnitude slower.
#ifdef NDEBUG
  EXPECT_LT(secs, 5.0);
#else
  EXPECT_LT(secs, 60.0);
#endif
  EXPECT_EQ(server.storage().Read([](Database& db) {
    return db.Query("SELECT COUNT(*) FROM hook_points").at(0).Int(0);
  }), 20000);
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// Two servers on one PostgreSQL: an action created through one reaches an
// agent connected to the other, within the news cache's refresh.
TEST(MultiInstanceTest, ActionCreatedOnOneServerIsServedByTheOther) {
  ASSERT_TRUE(Cluster()->ok()) << "the throwaway PostgreSQL did not start: " << Cluster()->why();
  std::string url = NewPgDatabase();
  SigningKey key = SigningKey::Ephemeral();
  TestServer a(url, {}, key), b(url, {}, key);
  a.CreateUser("alice", "correct horse battery", "admin");
  int64_t app = a.CreateApp("shop");
  std::string api_key = a.CreateKey(app);
  AgentClient agent(b, api_key);  // the agent talks to b only
  const std::string id = "0123abcd";
  ASSERT_EQ(agent.Post("login", LoginBody(id))->status, 200);

  UserClient admin(a);
  ASSERT_TRUE(admin.Login("alice", "correct horse battery"));
  auto put = admin.Put("/api/v1/apps/" + std::to_string(app) + "/settings", R"({"mode":"block"})");
  ASSERT_EQ(put->status, 200) << put->body;

  // b learns about it from the database within about a second.
  bool news = false;
  for (int i = 0; i < 50 && !news; ++i) {
    news = Body(agent.News("agent_id=" + id + "&settings_version=0"))["news"] == true;
    if (!news) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(news);
  auto hb = agent.Post("heartbeat", Json{{"agent_id", id}, {"seq", 1}, {"settings_version", 0}}.dump());
  Json actions = Body(hb)["actions"];
  ASSERT_EQ(actions.size(), 1u) << hb->body;
  EXPECT_TRUE(VerifySignature(key.PublicKeyBase64(), actions[0]["payload"].get<std::string>(),
                              actions[0]["signature"].get<std::string>()));
  // And a's dashboard sees the agent b registered.
  auto agents = admin.Get("/api/v1/apps/" + std::to_string(app) + "/agents");
  ASSERT_EQ(Body(agents)["agents"].size(), 1u);
  EXPECT_EQ(Body(agents)["agents"][0]["online"], true);
}

ClusterStopper stopper;

}  // namespace
}  // namespace vigil::server::testing
