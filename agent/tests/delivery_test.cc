// Copyright Vigil authors.
//
// What the agent hands to the recorder: server settings turned into rule
// modes, records scrubbed and completed, events in the protocol's shape.
#include <gtest/gtest.h>

#include "event_scrub.h"
#include "events.h"
#include "scrub.h"
#include "server_events.h"
#include "sql_protection.h"

namespace vigil::agent {
namespace {

TEST(ServerSettings, PerProtectionModeTakesThePlaceOfTheGlobalMode) {
  constexpr Protection kSql = Protection::kSqlInjection;
  constexpr Protection kCmd = Protection::kCommandInjection;
  ProtectionSettings s;
  s.global_mode = Mode::kMonitor;
  EXPECT_EQ(EffectiveMode(RuleMode::kBlock, kSql, s), RuleMode::kMonitor);
  // Block SQL injection in a monitor-mode agent; other protections keep the global mode.
  s.protection_mode[static_cast<size_t>(kSql)] = RuleMode::kBlock;
  EXPECT_EQ(EffectiveMode(RuleMode::kBlock, kSql, s), RuleMode::kBlock);
  EXPECT_EQ(EffectiveMode(RuleMode::kBlock, kCmd, s), RuleMode::kMonitor);
  EXPECT_EQ(EffectiveMode(RuleMode::kMonitor, kSql, s), RuleMode::kMonitor);  // a rule's own mode caps
  s.protection_mode[static_cast<size_t>(kSql)] = RuleMode::kOff;
  EXPECT_EQ(EffectiveMode(RuleMode::kBlock, kSql, s), RuleMode::kOff);
  s.protection_mode[static_cast<size_t>(kSql)].reset();
  s.global_mode = Mode::kBlock;
  EXPECT_EQ(EffectiveMode(RuleMode::kBlock, kSql, s), RuleMode::kBlock);
  s.all_off = true;
  EXPECT_EQ(EffectiveMode(RuleMode::kBlock, kCmd, s), RuleMode::kOff);
}

RequestContext Attack(const std::string& key, const std::string& value) {
  RequestContext ctx;
  ctx.method = "POST";
  ctx.path = "/login?token=abc123";
  ctx.request_id = "r1";
  ctx.AddQueryString("user=bob&password=hunter2");
  ctx.AddHeader("Authorization", "Bearer sk_live_secret");
  ctx.AddHeader("Host", "shop.example");
  Finding f;
  f.rule_id = "sqli";
  f.protection = "sql_injection";
  f.hook_point = "sqlite3_prepare_v2";
  f.input_key = key;
  f.input_value = value;
  f.sink_value = "SELECT * FROM users WHERE name = 'bob' AND password = '\u27e6' OR 1=1 --\u27e7'";
  f.reason = "adds OR";
  f.blocked = true;
  ctx.AddFinding(f);
  return ctx;
}

std::unique_ptr<recorder::Scrubber> DefaultScrubber() {
  std::string error;
  auto s = recorder::Scrubber::Create(recorder::ScrubConfig{}, &error);
  EXPECT_NE(s, nullptr) << error;
  return s;
}

TEST(ScrubRecord, SecretsGoTheAttackStays) {
  RequestContext ctx = Attack("query.user", "' OR 1=1 --");
  auto r = RequestRecord::From(ctx);
  r->Complete();
  ScrubRecord(*DefaultScrubber(), r.get());
  const std::string all = nlohmann::json(ServerEvents(*r)).dump();
  EXPECT_EQ(all.find("hunter2"), std::string::npos) << all;
  EXPECT_EQ(all.find("sk_live_secret"), std::string::npos) << all;
  EXPECT_EQ(all.find("abc123"), std::string::npos) << all;
  EXPECT_NE(all.find("OR 1=1"), std::string::npos) << all;
  EXPECT_NE(all.find("bob"), std::string::npos) << all;  // not a secret
}

TEST(ScrubRecord, AnInjectionTypedIntoAPasswordFieldShowsItsInjectedPart) {
  RequestContext ctx = Attack("query.password", "hunter2' OR 1=1 --");
  ctx.TakeFindings();
  Finding f;
  f.input_key = "query.password";
  f.input_value = "hunter2' OR 1=1 --";
  f.sink_value = "SELECT 1 WHERE password = 'hunter2\u27e6' OR 1=1 --\u27e7'";
  ctx.AddFinding(f);
  auto r = RequestRecord::From(ctx);
  r->Complete();
  ScrubRecord(*DefaultScrubber(), r.get());
  EXPECT_EQ(r->findings[0].input_value, "' OR 1=1 --");
  EXPECT_EQ(r->findings[0].sink_value.find("hunter2"), std::string::npos) << r->findings[0].sink_value;
}

TEST(ServerEvents, OneAttackEventPerFindingInTheProtocolShape) {
  RequestContext ctx = Attack("query.user", "' OR 1=1 --");
  ctx.status = 403;
  auto r = RequestRecord::From(ctx);
  r->Complete();
  const std::vector<nlohmann::json> events = ServerEvents(*r);
  ASSERT_EQ(events.size(), 1u);
  const nlohmann::json& e = events[0];
  EXPECT_EQ(e["type"], "attack");
  EXPECT_EQ(e["outcome"], "blocked");
  EXPECT_EQ(e["input"]["source"], "query");
  EXPECT_EQ(e["sink"]["kind"], "sql");
  EXPECT_EQ(e["request"]["status"], 403);
  EXPECT_EQ(e["request"]["query"], "user=bob&password=hunter2");  // scrubbed later, by ScrubRecord
  EXPECT_EQ(e["request"]["headers"]["host"], "shop.example");
  EXPECT_TRUE(e["stack"].is_array());
}

TEST(RequestRecord, CompleteCutsWhatTheRequestThreadOnlyMoved) {
  RequestContext ctx = Attack("query.user", "' OR 1=1 --");
  ctx.path = std::string(10000, 'p');
  for (int i = 0; i < 20; ++i) ctx.AddFinding(Finding{});
  auto r = RequestRecord::From(ctx);
  EXPECT_EQ(r->path.size(), 10000u);  // moved, not cut, on the request thread
  EXPECT_TRUE(ctx.findings().empty());
  r->Complete();
  EXPECT_EQ(r->path.size(), 2048u);
  EXPECT_EQ(r->findings.size(), RequestRecord::kMaxFindingsPerRecord);
  EXPECT_EQ(r->findings_total, 21u);
  EXPECT_TRUE(r->inputs.empty());
}

}  // namespace
}  // namespace vigil::agent
