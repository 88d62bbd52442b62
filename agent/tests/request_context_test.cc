// Copyright Vigil authors.
//
// RequestContext: inputs and their limits, blocking, the current request of
// a thread, and the hand-off of finished requests to the sink.

#include "request_context.h"

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

std::vector<std::pair<std::string, std::string>> Inputs(const RequestContext& ctx) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const RequestInput& in : ctx.inputs()) out.emplace_back(in.key, in.value);
  return out;
}

TEST(InputSourceName, Prefixes) {
  EXPECT_EQ(InputSourceName(InputSource::kQuery), "query");
  EXPECT_EQ(InputSourceName(InputSource::kForm), "body");
  EXPECT_EQ(InputSourceName(InputSource::kJson), "json");
  EXPECT_EQ(InputSourceName(InputSource::kHeader), "header");
  EXPECT_EQ(InputSourceName(InputSource::kCookie), "cookie");
  EXPECT_EQ(InputSourceName(InputSource::kPath), "path");
}

TEST(RequestContext, AddInputBuildsKeys) {
  RequestContext ctx;
  EXPECT_TRUE(ctx.AddInput(InputSource::kQuery, "id", "1"));
  EXPECT_TRUE(ctx.AddInput(InputSource::kHeader, "User-Agent", "curl"));
  EXPECT_TRUE(ctx.AddInput(InputSource::kPath, "1", "42"));
  EXPECT_TRUE(ctx.AddInput(InputSource::kJson, "", "top"));
  EXPECT_THAT(Inputs(ctx), ElementsAre(Pair("query.id", "1"), Pair("header.user-agent", "curl"),
                                       Pair("path.1", "42"), Pair("json", "top")));
  EXPECT_EQ(ctx.inputs()[1].source, InputSource::kHeader);
  EXPECT_EQ(ctx.truncated(), 0u);
}

TEST(RequestContext, LimitsCutAndCount) {
  RequestLimits limits;
  limits.max_inputs = 3;
  limits.max_value_bytes = 4;
  limits.max_key_bytes = 10;
  RequestContext ctx(limits);
  EXPECT_TRUE(ctx.AddInput(InputSource::kQuery, "a", "1234"));
  EXPECT_FALSE(ctx.AddInput(InputSource::kQuery, "b", "12345"));       // value cut
  EXPECT_FALSE(ctx.AddInput(InputSource::kQuery, "longname", "1"));    // key cut
  EXPECT_FALSE(ctx.AddInput(InputSource::kQuery, "d", "1"));           // dropped
  EXPECT_FALSE(ctx.AddInput(InputSource::kQuery, "e", "1"));           // dropped
  EXPECT_THAT(Inputs(ctx), ElementsAre(Pair("query.a", "1234"), Pair("query.b", "1234"),
                                       Pair("query.long", "1")));
  EXPECT_EQ(ctx.truncated(), 4u);
  EXPECT_EQ(ctx.limits().max_inputs, 3u);
}

TEST(RequestContext, QueryStrings) {
  RequestContext ctx;
  ctx.AddQueryString("?q=%27+OR+1%3D1--&empty=&flag&a=1&a=2");
  EXPECT_THAT(Inputs(ctx), ElementsAre(Pair("query.q", "' OR 1=1--"), Pair("query.empty", ""),
                                       Pair("query.flag", ""), Pair("query.a", "1"), Pair("query.a", "2")));
  RequestContext form;
  form.AddQueryString("name=al+ice&x=%41", InputSource::kForm);
  EXPECT_THAT(Inputs(form), ElementsAre(Pair("body.name", "al ice"), Pair("body.x", "A")));
}

TEST(RequestContext, QueryStringCountsWhatDoesNotFit) {
  RequestLimits limits;
  limits.max_inputs = 2;
  RequestContext ctx(limits);
  ctx.AddQueryString("a=1&b=2&c=3&d=4");
  EXPECT_EQ(ctx.inputs().size(), 2u);
  EXPECT_EQ(ctx.truncated(), 2u);
}

TEST(RequestContext, Cookies) {
  RequestContext ctx;
  ctx.AddCookieHeader("session=abc123; theme=\"dark\"; q=%27");
  EXPECT_THAT(Inputs(ctx), ElementsAre(Pair("cookie.session", "abc123"), Pair("cookie.theme", "dark"),
                                       Pair("cookie.q", "%27")));
}

TEST(RequestContext, JsonBodyFlattened) {
  RequestContext ctx;
  ctx.AddJsonBody(R"({"user":{"name":"bob","emails":["a@x","b' OR '1'='1"]},"n":3})");
  EXPECT_THAT(Inputs(ctx),
              ElementsAre(Pair("json.user.name", "bob"), Pair("json.user.emails.0", "a@x"),
                          Pair("json.user.emails.1", "b' OR '1'='1"), Pair("json.n", "3")));
  EXPECT_EQ(ctx.truncated(), 0u);
}

TEST(RequestContext, JsonLimits) {
  RequestLimits limits;
  limits.max_json_depth = 1;
  RequestContext deep(limits);
  deep.AddJsonBody(R"({"a":"1","b":{"c":"2"},"d":["3"]})");
  EXPECT_THAT(Inputs(deep), ElementsAre(Pair("json.a", "1")));
  EXPECT_EQ(deep.truncated(), 2u);

  limits = RequestLimits();
  limits.max_body_bytes = 12;
  RequestContext big(limits);
  big.AddJsonBody(R"({"a":"1","b":"22222222"})");  // cut after "a"
  EXPECT_THAT(Inputs(big), ElementsAre(Pair("json.a", "1")));
  EXPECT_EQ(big.truncated(), 1u);

  limits = RequestLimits();
  limits.max_inputs = 2;
  RequestContext many(limits);
  many.AddJsonBody(R"(["a","b","c","d"])");
  EXPECT_EQ(many.inputs().size(), 2u);
  EXPECT_EQ(many.truncated(), 1u);  // the rest of the document was not read
}

TEST(RequestContext, BodiesByContentType) {
  RequestContext ctx;
  ctx.AddBody("application/x-www-form-urlencoded; charset=utf-8", "a=1+2");
  ctx.AddBody("application/vnd.api+json", R"({"b":"x"})");
  ctx.AddBody("multipart/form-data; boundary=B",
              "--B\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\nv\r\n"
              "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x';.txt\"\r\n\r\n"
              "data\r\n--B--\r\n");
  ctx.AddBody("text/plain", "ignored=1");
  ctx.AddBody("", "ignored=2");
  EXPECT_THAT(Inputs(ctx), ElementsAre(Pair("body.a", "1 2"), Pair("json.b", "x"), Pair("body.c", "v"),
                                       Pair("body.f.filename", "x';.txt")));
}

TEST(RequestContext, HeadersFillAcceptAndUserAgentAndCookies) {
  RequestContext ctx;
  ctx.AddHeader("Accept", "application/json");
  ctx.AddHeader("USER-AGENT", "sqlmap/1.7");
  ctx.AddHeader("Cookie", "a=1; b=2");
  ctx.AddHeader("X-Custom", "v");
  EXPECT_EQ(ctx.accept, "application/json");
  EXPECT_EQ(ctx.user_agent, "sqlmap/1.7");
  EXPECT_THAT(Inputs(ctx), ElementsAre(Pair("header.accept", "application/json"),
                                       Pair("header.user-agent", "sqlmap/1.7"), Pair("cookie.a", "1"),
                                       Pair("cookie.b", "2"), Pair("header.x-custom", "v")));
}

TEST(RequestContext, FindingsAreBounded) {
  RequestContext ctx;
  for (int i = 0; i < 100; ++i) ctx.AddFinding(Finding{.rule_id = std::to_string(i)});
  EXPECT_EQ(ctx.findings().size(), 64u);
  EXPECT_EQ(ctx.findings().front().rule_id, "0");
  EXPECT_EQ(ctx.truncated(), 36u);
}

// What the request sink weighs a finished request by, without walking it.
TEST(RequestContext, InputsAndFindingsAreWeighedAsTheyAreAdded) {
  RequestContext ctx({.max_value_bytes = 8});
  ctx.AddQueryString("q=%27%20OR%201%3D1%20--&page=2");  // the first value is cut to 8
  ctx.AddHeader("User-Agent", "curl/8");
  ctx.AddJsonBody(R"({"a":{"b":[1,"two"]}})");
  for (int i = 0; i < 70; ++i) {  // 64 kept: the cut ones are not weighed
    ctx.AddFinding(Finding{.rule_id = "r" + std::to_string(i), .sink_value = "SELECT 1", .stack = {1, 2}});
  }
  size_t inputs = 0, findings = 0;
  for (const RequestInput& in : ctx.inputs()) inputs += sizeof(RequestInput) + in.key.size() + in.value.size();
  for (const Finding& f : ctx.findings()) {
    findings += sizeof(Finding) + f.rule_id.size() + f.sink_value.size() + 2 * sizeof(uintptr_t);
  }
  EXPECT_EQ(ctx.inputs().size(), 5u);
  EXPECT_EQ(ctx.inputs_bytes(), inputs);
  EXPECT_EQ(ctx.findings_bytes(), findings);
  ctx.TakeInputs();
  ctx.TakeFindings();
  EXPECT_EQ(ctx.inputs_bytes(), 0u);
  EXPECT_EQ(ctx.findings_bytes(), 0u);
}

TEST(RequestContext, FirstBlockWinsAndObserverRunsOnce) {
  RequestContext ctx;
  int calls = 0;
  ctx.SetBlockObserver([](RequestContext& c, void* arg) {
    ++*static_cast<int*>(arg);
    EXPECT_TRUE(c.blocked());
  }, &calls);
  EXPECT_FALSE(ctx.blocked());
  ctx.Block(BlockResponse{.status = 451, .content_type = "text/plain", .body = "first"});
  ctx.Block(BlockResponse{.status = 403, .content_type = "text/plain", .body = "second"});
  EXPECT_TRUE(ctx.blocked());
  EXPECT_EQ(ctx.block_response().status, 451);
  EXPECT_EQ(ctx.block_response().body, "first");
  EXPECT_EQ(calls, 1);
}

TEST(RequestContext, ThrowingObserverDoesNotEscape) {
  RequestContext ctx;
  ctx.SetBlockObserver([](RequestContext&, void*) { throw 42; }, nullptr);
  EXPECT_NO_THROW(ctx.Block({}));
  EXPECT_TRUE(ctx.blocked());
}

std::vector<std::string>* g_finished = nullptr;
void RecordFinished(RequestContext& ctx) {
  g_finished->push_back(ctx.path + " " + std::to_string(ctx.status));
}
void ThrowingSink(RequestContext&) { throw std::runtime_error("sink"); }

TEST(ScopedRequest, CurrentNestsAndFinishes) {
  std::vector<std::string> finished;
  g_finished = &finished;
  SetRequestSink(&RecordFinished);
  EXPECT_EQ(CurrentRequest(), nullptr);
  {
    RequestContext outer;
    outer.path = "/outer";
    ScopedRequest a(&outer);
    EXPECT_EQ(CurrentRequest(), &outer);
    {
      RequestContext inner;
      inner.path = "/inner";
      inner.status = 201;
      ScopedRequest b(&inner);
      EXPECT_EQ(CurrentRequest(), &inner);
    }
    EXPECT_EQ(CurrentRequest(), &outer);
    EXPECT_THAT(finished, ElementsAre("/inner 201"));
    outer.status = 200;
  }
  EXPECT_EQ(CurrentRequest(), nullptr);
  EXPECT_THAT(finished, ElementsAre("/inner 201", "/outer 200"));
  SetRequestSink(nullptr);
}

TEST(ScopedRequest, DeferredFinish) {
  std::vector<std::string> finished;
  g_finished = &finished;
  SetRequestSink(&RecordFinished);
  RequestContext ctx;
  ctx.path = "/late";
  { ScopedRequest scope(&ctx, /*finish_at_end=*/false); }
  EXPECT_THAT(finished, IsEmpty());
  ctx.status = 404;
  FinishRequest(ctx);
  EXPECT_THAT(finished, ElementsAre("/late 404"));
  SetRequestSink(nullptr);
  FinishRequest(ctx);  // no sink: nothing happens
  EXPECT_EQ(finished.size(), 1u);
}

TEST(ScopedRequest, SinkExceptionsAreSwallowed) {
  SetRequestSink(&ThrowingSink);
  RequestContext ctx;
  EXPECT_NO_THROW({ ScopedRequest scope(&ctx); });
  SetRequestSink(nullptr);
}

TEST(ScopedRequest, CurrentIsPerThread) {
  RequestContext ctx;
  ScopedRequest scope(&ctx, false);
  RequestContext* seen = &ctx;
  std::thread([&] { seen = CurrentRequest(); }).join();
  EXPECT_EQ(seen, nullptr);
  EXPECT_EQ(CurrentRequest(), &ctx);
}

TEST(NewRequestId, HexAndUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 16u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 10000u);
}

// Forked workers share the process key and the counter's position: their
// ids still differ (the pid is part of them, and a child does not keep its
// parent's).
TEST(NewRequestId, ForkedChildrenDoNotRepeatTheParentsIds) {
  NewRequestId();  // the parent has looked up its pid
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = NewRequestId();
    _exit(write(fds[1], id.data(), id.size()) == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  const std::string mine = NewRequestId();  // the same counter position
  char buf[16];
  ASSERT_EQ(read(fds[0], buf, sizeof buf), 16);
  int status = 0;
  waitpid(child, &status, 0);
  close(fds[0]);
  close(fds[1]);
  EXPECT_NE(std::string(buf, 16), mine);
}

}  // namespace
}  // namespace vigil::agent
