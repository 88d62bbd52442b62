// Copyright Vigil authors.
//
// Time budgets: a check past its budget (per call or per request) is
// skipped and counted, never waited for; the time spent is charged to the
// request. The protection is driven directly through a fake SqlCall.
#include "budget.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "prot_fake_sinks.h"
#include "request_context.h"
#include "sql_protection.h"

namespace vigil::agent {
namespace {

using testing::FakeRequest;
using testing::kInjection;
using testing::UserQuery;

class FakeCall : public SqlCall {
 public:
  explicit FakeCall(std::string sql) : sql_(std::move(sql)) {}
  std::string_view hook_name() const override { return "fake_sink"; }
  bool Statement(std::string*, std::string_view* out) override {
    *out = sql_;
    return true;
  }
  bool Replace(const BlockStatement& s) override {
    sql_ = *s.utf8;
    replaced_ = true;
    return true;
  }
  bool replaced() const { return replaced_; }

 private:
  std::string sql_;
  bool replaced_ = false;
};

struct Fixture {
  explicit Fixture(uint64_t check_ns, uint64_t request_ns, Mode mode = Mode::kBlock) {
    auto s = std::make_shared<ProtectionSettings>();
    s->global_mode = mode;
    s->budgets.check_ns = check_ns;
    s->budgets.request_ns = request_ns;
    counters = std::make_shared<RuleCounters>();
    Rule r;
    r.id = "r1";
    r.hook_points = {"sqlite3_prepare_v2"};
    r.sql.sql_arg = 1;
    r.sql.dialect = SqlDialect::kSQLite;
    rule = std::make_unique<SqlRule>(r, s, counters);
  }
  std::shared_ptr<RuleCounters> counters;
  std::unique_ptr<SqlRule> rule;
};

TEST(BudgetTest, DeadlineIsTheCheckBudgetCutToWhatTheRequestHasLeft) {
  RequestContext ctx;
  Budgets b{.check_ns = 1000, .request_ns = 5000};
  EXPECT_EQ(CheckDeadline(b, ctx, 100), 1100u);
  ctx.protection_ns = 4500;
  EXPECT_EQ(CheckDeadline(b, ctx, 100), 600u);
  ctx.protection_ns = 5000;
  EXPECT_EQ(CheckDeadline(b, ctx, 100), 0u);  // nothing left: skip
  ChargeRequest(ctx, 7);
  EXPECT_EQ(ctx.protection_ns, 5007u);
}

TEST(BudgetTest, ClockIsMonotonic) {
  const uint64_t a = NowNs();
  const uint64_t b = NowNs();
  EXPECT_LE(a, b);
  EXPECT_GT(a, 0u);
}

TEST(BudgetTest, WithinBudgetTheInjectionIsFoundAndTimeCharged) {
  Fixture f(1'000'000'000, 1'000'000'000);
  FakeRequest req(kInjection);
  FakeCall call(UserQuery(kInjection));
  f.rule->Check(call);
  EXPECT_TRUE(call.replaced());
  EXPECT_EQ(req.ctx.findings().size(), 1u);
  EXPECT_GT(req.ctx.protection_ns, 0u);
  EXPECT_EQ(req.ctx.protection_ns, f.counters->time_ns.load());
  EXPECT_EQ(f.counters->skipped_budget.load(), 0u);
}

TEST(BudgetTest, RequestBudgetSpentSkipsTheCheck) {
  Fixture f(1'000'000, 1'000'000);
  FakeRequest req(kInjection);
  req.ctx.protection_ns = 1'000'000;  // already spent
  FakeCall call(UserQuery(kInjection));
  f.rule->Check(call);
  EXPECT_FALSE(call.replaced());  // fail open
  EXPECT_TRUE(req.ctx.findings().empty());
  EXPECT_EQ(req.ctx.checks_skipped, 1u);
  EXPECT_EQ(f.counters->skipped_budget.load(), 1u);
  EXPECT_EQ(f.counters->checks.load(), 0u);
}

TEST(BudgetTest, CheckBudgetStopsBetweenInputChunksAndCounts) {
  // 1 ns per check: the first chunk of inputs is compared, then the clock
  // says the budget is gone and the rest (with the injection) is skipped.
  Fixture f(1, 1'000'000'000);
  FakeRequest req("benign-0");
  for (int i = 1; i < 200; ++i) {
    req.ctx.AddInput(InputSource::kQuery, "p" + std::to_string(i), "benign-" + std::to_string(i));
  }
  req.ctx.AddInput(InputSource::kQuery, "q", kInjection);  // the last input
  FakeCall call(UserQuery(kInjection));
  f.rule->Check(call);
  EXPECT_FALSE(call.replaced());
  EXPECT_EQ(req.ctx.checks_skipped, 1u);
  EXPECT_EQ(f.counters->skipped_budget.load(), 1u);
  EXPECT_TRUE(req.ctx.findings().empty());

  // With budget the same request is caught.
  Fixture g(1'000'000'000, 1'000'000'000);
  FakeCall again(UserQuery(kInjection));
  g.rule->Check(again);
  EXPECT_TRUE(again.replaced());
}

TEST(BudgetTest, RequestTotalAcrossChecks) {
  // Each check charges its time; once the total passes the request budget
  // the following checks are skipped.
  Fixture f(1'000'000'000, 1);
  FakeRequest req("alice");
  FakeCall first(UserQuery("alice"));
  f.rule->Check(first);  // runs (budget left at start), charges > 1 ns
  EXPECT_EQ(f.counters->checks.load(), 1u);
  FakeCall second(UserQuery("alice"));
  f.rule->Check(second);
  EXPECT_EQ(f.counters->checks.load(), 1u);
  EXPECT_EQ(f.counters->skipped_budget.load(), 1u);
  EXPECT_EQ(req.ctx.checks_skipped, 1u);
}

TEST(BudgetTest, NoRequestNothingToCompare) {
  Fixture f(1'000'000, 1'000'000);
  FakeCall call(UserQuery(kInjection));
  f.rule->Check(call);
  EXPECT_FALSE(call.replaced());
  EXPECT_EQ(f.counters->no_request.load(), 1u);
  EXPECT_EQ(f.counters->calls.load(), 1u);
}

TEST(BudgetTest, TooLongStatementIsIncompleteNotBlocked) {
  Fixture f(1'000'000'000, 1'000'000'000);
  FakeRequest req(kInjection);
  FakeCall call(UserQuery(kInjection) + std::string(100'000, ' '));  // past 64 KiB
  f.rule->Check(call);
  EXPECT_FALSE(call.replaced());
  EXPECT_EQ(f.counters->incomplete.load(), 1u);
}

}  // namespace
}  // namespace vigil::agent
