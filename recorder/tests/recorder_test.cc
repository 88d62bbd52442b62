// Copyright Vigil authors.
//
// The recorder against a fake server on loopback, including every fault the
// server or the network can have. The invariant checked after each: every
// event produced was delivered exactly once (server-side unique ids ==
// produced; nothing lost), or is counted as dropped.
#include "recorder.h"

#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "fake_server.h"
#include "wait_for.h"
#include "gtest/gtest.h"

namespace vigil::recorder {
namespace {

using json = nlohmann::json;
using testing::Fault;
using testing::FakeServer;
using testing::WaitFor;
using namespace std::chrono_literals;

class TestHost : public RecorderHost {
 public:
  json LoginFields() override { return {{"host", "test"}, {"pid", getpid()}, {"hook_points", json::array()}}; }
  json HeartbeatFields() override {
    return {{"ruleset_version", "t"}, {"settings_version", settings_version.load()}, {"status", "running"}};
  }
  json CollectMetrics() override {
    return {{"interval_ms", 1000},
            {"counters", {{{"name", "requests"}, {"label", "allowed"}, {"value", 5}}}},
            {"histograms", json::array()},
            {"overflow", 0}};
  }
  bool ApplyAction(const Action& action, std::string* error) override {
    std::lock_guard<std::mutex> lock(mu);
    if (action.type == "settings" && action.version <= settings_version.load()) {
      *error = "version " + std::to_string(action.version) + " is not newer than " +
               std::to_string(settings_version.load());
      return false;
    }
    if (action.type == "settings") settings_version = action.version;
    applied.push_back(action);
    return true;
  }
  void RecorderGaveUp(const std::string& why) override {
    std::lock_guard<std::mutex> lock(mu);
    gave_up = why;
  }
  std::mutex mu;
  std::vector<Action> applied;
  std::string gave_up;
  std::atomic<uint64_t> settings_version{0};
};

struct Keys {
  Keys() {
    EXPECT_GE(sodium_init(), 0);
    crypto_sign_keypair(pk.data(), sk.data());
  }
  PublicKey pk;
  std::array<unsigned char, 64> sk;
};

json SignedAction(const Keys& keys, const std::string& type, const std::string& id,
                  uint64_t version, const std::string& app = "shop") {
  json payload = {{"type", type}, {"id", id}, {"app", app}, {"version", version}, {"issued_at", 1}};
  if (type == "settings") payload["settings"] = {{"mode", "block"}};
  const std::string text = payload.dump();
  return {{"id", id}, {"type", type}, {"payload", text}, {"signature", SignPayload(text, keys.sk)}};
}

class RecorderTest : public ::testing::Test {
 protected:
  RecorderOptions Options() {
    RecorderOptions o;
    o.server_url = server.url();
    o.api_key = "test-key";
    o.server_key = keys.pk;
    o.app_name = "shop";
    o.batch_max_events = 100;
    o.batch_max_age = 100ms;
    o.heartbeat = 60s;
    o.timeout = 1000ms;
    o.backoff_min = 50ms;
    o.backoff_max = 400ms;
    return o;
  }
  std::unique_ptr<Recorder> Make(RecorderOptions o) {
    auto r = std::make_unique<Recorder>(std::move(o), &host);
    std::string error, warning;
    EXPECT_TRUE(r->Start(&error, &warning)) << error;
    return r;
  }
  void Produce(Recorder& r, int n) {
    for (int i = 0; i < n; ++i) {
      r.AddEvent({{"type", "attack"}, {"protection", "sql_injection"}, {"outcome", "blocked"},
                  {"time", 1795000000000 + i}, {"request", {{"method", "GET"}, {"path", "/search"}}}});
    }
  }
  std::string TempDir() {
    char tmpl[] = "/tmp/vigil-spool-test-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    dirs_.push_back(dir);
    return dir + "/spool";
  }
  void TearDown() override {
    for (const auto& d : dirs_) std::filesystem::remove_all(d);
  }

  FakeServer server;
  TestHost host;
  Keys keys;
  std::vector<std::string> dirs_;
};

TEST_F(RecorderTest, DeliversEveryEventOnceInBatches) {
  auto r = Make(Options());
  Produce(*r, 250);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 250; }));
  EXPECT_EQ(server.duplicates(), 0u);
  EXPECT_GE(server.batches().size(), 3u);  // 100 events per batch at most
  for (const json& b : server.batches()) EXPECT_LE(b["events"].size(), 100u);
  ASSERT_TRUE(WaitFor([&] { return r->stats().events_sent == 250; }));
  ASSERT_FALSE(server.logins().empty());
  EXPECT_EQ(server.logins()[0]["app_name"], "shop");
  EXPECT_EQ(server.logins()[0]["protocol"], 1);
  // Ids carry the producing agent and are unique.
  for (const std::string& id : server.event_ids()) EXPECT_EQ(id.rfind(r->agent_id() + "-", 0), 0u);
  r->Stop(2s);
  EXPECT_EQ(server.logouts(), 1);
}

TEST_F(RecorderTest, SendsAStaleBatchWithoutWaitingForItToFill) {
  RecorderOptions o = Options();
  o.batch_max_events = 1000;
  o.batch_max_age = 200ms;
  auto r = Make(o);
  Produce(*r, 3);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 3; }));
}

// Each fault, then recovery: exactly once, and AddEvent never waited.
class FaultTest : public RecorderTest, public ::testing::WithParamInterface<Fault> {};

TEST_P(FaultTest, EveryEventDeliveredExactlyOnceAfterRecovery) {
  auto r = Make(Options());
  Produce(*r, 50);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 50; }));
  server.slow_ms = 1500;     // longer than the client's 1 s timeout
  server.retry_after_s = 1;
  server.SetFault(GetParam());
  const uint64_t failures_before = r->stats().send_failures;
  // Produced during the fault.
  const auto start = std::chrono::steady_clock::now();
  Produce(*r, 300);
  const auto produce_time = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(WaitFor([&] { return r->stats().send_failures > failures_before; }));
  if (GetParam() == Fault::kCutAnswer) {
    ASSERT_TRUE(WaitFor([&] { return server.duplicates() > 0; }));  // retried, and stored once
  }
  server.SetFault(Fault::kNone);
  ASSERT_TRUE(WaitFor([&] { return r->stats().events_sent == 350; })) << r->stats().last_error;
  EXPECT_EQ(server.unique_events(), 350u);
  const RecorderStats s = r->stats();
  EXPECT_EQ(s.dropped_queue_full, 0u);
  EXPECT_EQ(s.dropped_spool_full, 0u);
  EXPECT_EQ(s.rejected, 0u);
  if (GetParam() == Fault::kCutAnswer) {
    // The batch was stored but the answer lost: the retry is a duplicate,
    // recognised by id.
    // (The agent learns of those whose answer reached it.)
    EXPECT_GT(server.duplicates(), 0u);
    EXPECT_LE(s.events_duplicates, server.duplicates());
  }
  // Not a timing assertion: producing 300 events cannot have waited for a
  // 1.5 s server (it would take that long at least once).
  EXPECT_LT(produce_time, 1500ms);
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultTest,
                         ::testing::Values(Fault::kDown, Fault::kSlow, Fault::kError500,
                                           Fault::kTooMany, Fault::kGarbage, Fault::kCutAnswer),
                         [](const auto& info) {
                           switch (info.param) {
                             case Fault::kDown: return std::string("Down");
                             case Fault::kSlow: return std::string("Slow");
                             case Fault::kError500: return std::string("Error500");
                             case Fault::kTooMany: return std::string("TooManyWithRetryAfter");
                             case Fault::kGarbage: return std::string("GarbageBody");
                             case Fault::kCutAnswer: return std::string("CutMidAnswer");
                             default: return std::string("Other");
                           }
                         });

TEST_F(RecorderTest, NeverRetriesBeforeRetryAfter) {
  auto r = Make(Options());
  Produce(*r, 1);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 1; }));
  server.retry_after_s = 2;
  server.SetFault(Fault::kTooMany);
  Produce(*r, 1);
  ASSERT_TRUE(WaitFor([&] { return r->stats().send_failures > 0; }));
  server.SetFault(Fault::kNone);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 2; }));
  // The request after the refused one came no earlier than Retry-After (the
  // backoff is well below 2 s in this test). Both times are the server's own
  // (a clock read by the test after it saw the failure could come after the
  // server logged the refused request, under load).
  auto requests = server.requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_GE(requests.back().first - requests[requests.size() - 2].first, 1800ms);
}

TEST_F(RecorderTest, SpoolSurvivesARestartOfTheService) {
  RecorderOptions o = Options();
  o.spool_dir = TempDir();
  server.SetFault(Fault::kDown);
  std::set<std::string> produced_by_first;
  {
    auto first = Make(o);
    Produce(*first, 120);
    ASSERT_TRUE(WaitFor([&] { return first->stats().spool_events == 120; }));
    EXPECT_TRUE(first->stats().spool_on_disk);
    first->Stop(0ms);  // the service exits while the server is down
  }
  server.SetFault(Fault::kNone);
  auto second = Make(o);  // the service restarted
  Produce(*second, 10);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 130; }));
  EXPECT_EQ(server.duplicates(), 0u);
  // The spooled batches are sent by the new agent (batch agent_id) but keep
  // their producer (event agent_id).
  std::set<std::string> producers;
  for (const json& b : server.batches()) {
    EXPECT_EQ(b["agent_id"], second->agent_id());
    for (const json& e : b["events"]) producers.insert(e["agent_id"].get<std::string>());
  }
  EXPECT_EQ(producers.size(), 2u);
  ASSERT_TRUE(WaitFor([&] { return second->stats().spool_batches == 0; }));
}

TEST_F(RecorderTest, SpoolBoundDropsTheOldestAndCountsThem) {
  RecorderOptions o = Options();
  o.spool_dir = TempDir();
  o.spool_max_bytes = 8 * 1024;  // a few compressed batches
  server.SetFault(Fault::kDown);
  auto r = Make(o);
  const int produced = 3000;
  Produce(*r, produced);
  ASSERT_TRUE(WaitFor([&] {
    const RecorderStats s = r->stats();
    return s.spool_events + s.dropped_spool_full == static_cast<uint64_t>(produced);
  }));
  EXPECT_GT(r->stats().dropped_spool_full, 0u);
  EXPECT_LE(r->stats().spool_bytes, o.spool_max_bytes);
  server.SetFault(Fault::kNone);
  ASSERT_TRUE(WaitFor([&] { return r->stats().spool_batches == 0; }));
  const RecorderStats s = r->stats();
  // Delivered + dropped == produced, exactly; and the drops reach the server.
  EXPECT_EQ(server.unique_events() + s.dropped_spool_full, static_cast<uint64_t>(produced));
  ASSERT_TRUE(WaitFor([&] {
    r->HeartbeatSoon();
    auto hb = server.heartbeats();
    return !hb.empty() && hb.back()["delivery"]["dropped_spool_full"] == s.dropped_spool_full;
  }));
  // The newest events survived (the oldest were dropped).
  EXPECT_TRUE(server.event_ids().count(r->agent_id() + "-" + std::string(16 - 3, '0') + "bb8"));
}

TEST_F(RecorderTest, FloodOfTenTimesThePendingBoundIsCountedNotBuffered) {
  RecorderOptions o = Options();
  o.pending_max_events = 500;
  // Nothing is sealed before the flood ends (it takes milliseconds), and
  // what was kept is sealed well within WaitFor's minute afterwards.
  o.batch_max_events = 1000;
  o.batch_max_age = 5s;
  server.SetFault(Fault::kSlow);
  auto r = Make(o);
  Produce(*r, 5000);
  RecorderStats s = r->stats();
  EXPECT_EQ(s.events_queued + s.dropped_queue_full, 5000u);
  EXPECT_LE(s.events_queued, 500u);
  EXPECT_GE(s.dropped_queue_full, 4500u);
  server.SetFault(Fault::kNone);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == r->stats().events_queued; }));
  EXPECT_EQ(server.duplicates(), 0u);
}

TEST_F(RecorderTest, OversizedBatchIsSplitAndStillDeliveredOnce) {
  server.max_batch_events = 30;
  auto r = Make(Options());
  Produce(*r, 100);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 100; }));
  EXPECT_EQ(r->stats().rejected, 0u);
  for (const json& b : server.batches()) EXPECT_LE(b["events"].size(), 30u);
}

TEST_F(RecorderTest, LogsInAgainWhenTheServerForgotTheAgent) {
  auto r = Make(Options());
  Produce(*r, 5);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 5; }));
  server.SetFault(Fault::kUnknownAgent);
  Produce(*r, 5);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 10; }));
  EXPECT_EQ(server.logins().size(), 2u);
}

TEST_F(RecorderTest, AppliesSignedActionsAndRefusesForgedOnes) {
  auto r = Make(Options());
  ASSERT_TRUE(WaitFor([&] { return !server.logins().empty(); }));
  json good = SignedAction(keys, "settings", "act-1", 1);
  json tampered = SignedAction(keys, "settings", "act-2", 2);
  tampered["payload"] = tampered["payload"].get<std::string>().replace(
      tampered["payload"].get<std::string>().find("block"), 5, "monit");
  json other_app = SignedAction(keys, "settings", "act-3", 3, "billing");
  json unsigned_action = {{"id", "act-4"}, {"type", "disable"}, {"payload", "{}"}};
  json replayed = SignedAction(keys, "settings", "act-5", 1);  // older than what is in force
  Keys stranger;
  json wrong_key = SignedAction(stranger, "disable", "act-6", 0);
  for (const json& a : {good, tampered, other_app, unsigned_action, replayed, wrong_key}) {
    server.QueueAction(a);
  }
  // The news poll makes the agent come for them within a second or two.
  ASSERT_TRUE(WaitFor([&] {
    for (const json& hb : server.heartbeats()) {
      if (hb["action_results"].size() == 6) return true;
    }
    return false;
  }));
  json results;
  for (const json& hb : server.heartbeats()) {
    if (hb["action_results"].size() == 6) results = hb["action_results"];
  }
  EXPECT_EQ(results[0]["id"], "act-1");
  EXPECT_TRUE(results[0]["ok"]);
  for (int i = 1; i < 6; ++i) {
    EXPECT_FALSE(results[i]["ok"]) << results[i];
    EXPECT_NE(results[i]["error"], "") << results[i];
  }
  EXPECT_NE(results[1]["error"].get<std::string>().find("signature"), std::string::npos);
  EXPECT_NE(results[2]["error"].get<std::string>().find("billing"), std::string::npos);
  EXPECT_NE(results[4]["error"].get<std::string>().find("not newer"), std::string::npos);
  std::lock_guard<std::mutex> lock(host.mu);
  ASSERT_EQ(host.applied.size(), 1u);
  EXPECT_EQ(host.applied[0].payload["mode"], "block");
  EXPECT_EQ(r->stats().actions_refused, 5u);
}

TEST_F(RecorderTest, MetricsOfFailedHeartbeatsAreMergedIntoTheNextOne) {
  auto r = Make(Options());
  ASSERT_TRUE(WaitFor([&] { return !server.logins().empty(); }));
  server.SetFault(Fault::kError500);
  r->HeartbeatSoon();
  ASSERT_TRUE(WaitFor([&] { return r->stats().send_failures >= 1; }));
  server.SetFault(Fault::kNone);
  r->HeartbeatSoon();
  ASSERT_TRUE(WaitFor([&] { return !server.heartbeats().empty(); }));
  // Each collection reports 5 allowed requests; the failed heartbeat's
  // interval is not lost.
  const json hb = server.heartbeats().front();
  EXPECT_GE(hb["metrics"]["counters"][0]["value"].get<int>(), 10) << hb["metrics"];
  EXPECT_EQ(hb["metrics"]["counters"][0]["value"].get<int>() % 5, 0);
}

TEST_F(RecorderTest, ThreadRestartsAfterAnInternalFailure) {
  auto r = Make(Options());
  r->InjectThreadFailuresForTest(2);
  Produce(*r, 20);
  ASSERT_TRUE(WaitFor([&] { return server.unique_events() == 20; }));
  EXPECT_EQ(r->stats().thread_restarts, 2u);
  EXPECT_FALSE(r->stats().gave_up);
}

TEST_F(RecorderTest, GivesUpAndTellsTheHostAfterRepeatedFailures) {
  auto r = Make(Options());
  r->InjectThreadFailuresForTest(1000);
  ASSERT_TRUE(WaitFor([&] { return r->stats().gave_up; }));
  std::lock_guard<std::mutex> lock(host.mu);
  EXPECT_NE(host.gave_up.find("injected failure"), std::string::npos) << host.gave_up;
}

TEST_F(RecorderTest, ExportsEventsAsOtlpLogs) {
  RecorderOptions o = Options();
  o.otlp_url = server.url() + "/v1/logs";
  auto r = Make(o);
  Produce(*r, 7);
  ASSERT_TRUE(WaitFor([&] {
    size_t n = 0;
    for (const json& req : server.otlp()) {
      n += req["resourceLogs"][0]["scopeLogs"][0]["logRecords"].size();
    }
    return n == 7;
  }));
  const json first = server.otlp()[0]["resourceLogs"][0];
  EXPECT_EQ(first["resource"]["attributes"][0]["value"]["stringValue"], "shop");
  const json record = first["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(record["severityText"], "WARN");
  EXPECT_EQ(record["timeUnixNano"], "1795000000000000000");
  EXPECT_TRUE(WaitFor([&] { return r->stats().otlp_sent == 7; }));
}

}  // namespace
}  // namespace vigil::recorder
