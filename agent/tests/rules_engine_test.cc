// Copyright Vigil authors.
//
// The rules engine against hook points declared by hand (prot_fake_sinks.h):
// attaching, modes, type mismatches, counters, and swapping rulesets while
// threads call the sink, without a single call running unprotected.
#include "rules_engine.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prot_fake_sinks.h"
#include "protections/registry.h"
#include "ruleset.h"

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;
using testing::FakeRequest;
using testing::kInjection;
using testing::Prepare;
using testing::PrepareRuleset;
using testing::t_last_sql;
using testing::UserQuery;

std::shared_ptr<const ProtectionSettings> Settings(Mode mode) {
  auto s = std::make_shared<ProtectionSettings>();
  s->global_mode = mode;
  return s;
}

Ruleset Parse(const std::string& json) {
  Ruleset rs;
  std::string error;
  EXPECT_TRUE(ParseRuleset(json, &rs, &error)) << error;
  return rs;
}

class RulesEngineTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FakeSinkImage(); }
  void TearDown() override { vigil::DetachAll(); }
};

TEST_F(RulesEngineTest, BlockModeReplacesTheStatement) {
  RulesEngine engine(Settings(Mode::kBlock));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v1", "r1")), &error)) << error;
  EXPECT_EQ(engine.version(), "v1");
  EXPECT_EQ(engine.attachment_count(), 1u);

  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 1);
  EXPECT_EQ(t_last_sql, "SELECT * FROM \"Vigil blocked a SQL injection (rule r1)\"");
  EXPECT_EQ(testing::t_last_length, static_cast<int>(t_last_sql.size()));  // nByte follows
  ASSERT_EQ(req.ctx.findings().size(), 1u);
  EXPECT_TRUE(req.ctx.findings()[0].blocked);
  EXPECT_TRUE(req.ctx.blocked());

  // Benign statements are untouched.
  EXPECT_EQ(Prepare(UserQuery("alice")), 0);
  EXPECT_EQ(t_last_sql, UserQuery("alice"));

  const std::vector<RuleStats> stats = engine.Stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].rule_id, "r1");
  EXPECT_EQ(stats[0].mode, "block");
  EXPECT_EQ(stats[0].calls, 2u);
  EXPECT_EQ(stats[0].checks, 2u);
  EXPECT_EQ(stats[0].findings, 1u);
  EXPECT_EQ(stats[0].blocks, 1u);
  EXPECT_GT(stats[0].time_ns, 0u);
}

TEST_F(RulesEngineTest, GlobalMonitorModeCapsBlockRules) {
  RulesEngine engine(Settings(Mode::kMonitor));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v1", "r1", "block")), &error)) << error;
  EXPECT_EQ(engine.Stats()[0].mode, "monitor");
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 0);
  EXPECT_EQ(t_last_sql, UserQuery(kInjection));  // passed unchanged
  ASSERT_EQ(req.ctx.findings().size(), 1u);
  EXPECT_FALSE(req.ctx.findings()[0].blocked);
  EXPECT_FALSE(req.ctx.blocked());
}

TEST_F(RulesEngineTest, RuleModeOffAttachesNothing) {
  RulesEngine engine(Settings(Mode::kBlock));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v1", "r1", "off")), &error)) << error;
  EXPECT_EQ(engine.attachment_count(), 0u);
  EXPECT_EQ(vigil::GetEngineStats().attachments, 0u);
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 0);
  EXPECT_TRUE(req.ctx.findings().empty());
}

TEST_F(RulesEngineTest, RuleModeMonitorUnderGlobalBlock) {
  RulesEngine engine(Settings(Mode::kBlock));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v1", "r1", "monitor")), &error)) << error;
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 0);
  ASSERT_EQ(req.ctx.findings().size(), 1u);
  EXPECT_FALSE(req.ctx.blocked());
}

TEST_F(RulesEngineTest, SinkOfAnotherTypeIsSkippedTheRestIsAttached) {
  RulesEngine engine(Settings(Mode::kBlock));
  // The default ruleset: its mysql_query rule meets the program's own
  // mysql_query(int), which cannot be hooked with the client's type.
  Ruleset rs = Parse(std::string(DefaultRulesetJson()));
  std::string error;
  ASSERT_TRUE(engine.Apply(rs, &error)) << error;
  EXPECT_EQ(engine.skipped_sinks(), 1u);
  // Every sink of every protection of the default ruleset but that one.
  size_t sinks = 0;
  for (size_t p = 0; p < kProtectionCount; ++p) sinks += SinksOf(static_cast<Protection>(p)).size();
  EXPECT_EQ(engine.attachment_count(), sinks - 1);
  EXPECT_EQ(testing::FakeOwnMysqlQuery(7), 7);  // untouched
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 1);
  EXPECT_THAT(t_last_sql, HasSubstr("rule sqli-sqlite-prepare"));
}

TEST_F(RulesEngineTest, ClearDetachesEverything) {
  RulesEngine engine(Settings(Mode::kBlock));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v1", "r1")), &error)) << error;
  engine.Clear();
  EXPECT_EQ(vigil::GetEngineStats().attachments, 0u);
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 0);
}

TEST_F(RulesEngineTest, CountersSurviveAReloadOfTheSameRule) {
  RulesEngine engine(Settings(Mode::kBlock));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v1", "r1")), &error)) << error;
  {
    FakeRequest req(kInjection);
    Prepare(UserQuery(kInjection));
  }
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v2", "r1")), &error)) << error;
  EXPECT_EQ(engine.attachment_count(), 1u);
  EXPECT_EQ(vigil::GetEngineStats().attachments, 1u);  // replaced in place
  {
    FakeRequest req(kInjection);
    Prepare(UserQuery(kInjection));
  }
  EXPECT_EQ(engine.Stats()[0].blocks, 2u);
}

// Calls on several threads while rulesets are swapped underneath: every
// call with the injection must reach the driver replaced (block mode), i.e.
// no call ever ran with no protection attached. Rulesets alternate between
// a different rule id and priority (attach new, then detach old) and the
// same id (Replace in place).
TEST_F(RulesEngineTest, SwapWithoutGapUnderThreads) {
  RulesEngine engine(Settings(Mode::kBlock));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v0", "a")), &error)) << error;

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> calls{0}, unprotected{0}, bad_findings{0};
  std::vector<std::thread> threads;
  const std::string bad = UserQuery(kInjection);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        FakeRequest req(kInjection);
        Prepare(bad);
        if (t_last_sql.find("Vigil blocked") == std::string::npos) ++unprotected;
        if (req.ctx.findings().size() != 1) ++bad_findings;
        ++calls;
      }
    });
  }
  const char* ids[] = {"a", "b", "b", "c", "a"};
  // At least 300 swaps and 2000 calls (a loaded machine may schedule the
  // callers late), within 30 s.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int i = 0; (i < 300 || calls.load() < 2000) && std::chrono::steady_clock::now() < give_up;
       ++i) {
    const std::string id = ids[i % 5];
    ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v" + std::to_string(i + 1), id, "block", i % 3)),
                             &error))
        << error;
    std::this_thread::yield();
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_GE(calls.load(), 2000u);
  EXPECT_EQ(unprotected.load(), 0u) << "of " << calls.load() << " calls";
  EXPECT_EQ(bad_findings.load(), 0u);
  EXPECT_EQ(engine.attachment_count(), 1u);
  EXPECT_EQ(vigil::GetEngineStats().attachments, 1u);
}

// The same in monitor mode: a call that runs the old and the new callbacks
// during a swap still records one finding.
TEST_F(RulesEngineTest, SwapInMonitorModeRecordsOneFindingPerCall) {
  RulesEngine engine(Settings(Mode::kMonitor));
  std::string error;
  ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v0", "a")), &error)) << error;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> calls{0}, missed{0}, doubled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        FakeRequest req(kInjection);
        Prepare(UserQuery(kInjection));
        if (req.ctx.findings().empty()) ++missed;
        if (req.ctx.findings().size() > 1) ++doubled;
        ++calls;
      }
    });
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int i = 0; (i < 200 || calls.load() < 2000) && std::chrono::steady_clock::now() < give_up;
       ++i) {
    ASSERT_TRUE(engine.Apply(Parse(PrepareRuleset("v" + std::to_string(i), "a", "block", i % 2)),
                             &error));
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_GE(calls.load(), 2000u);
  EXPECT_EQ(missed.load(), 0u);
  EXPECT_EQ(doubled.load(), 0u);
}

}  // namespace
}  // namespace vigil::agent
