// Copyright Vigil authors.
//
// Events: the striped, bounded lock-free queue (drops counted, never
// waits), the JSON lines, and the rotated, size-bounded file.
#include "events.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "event_file.h"
#include "event_json.h"
#include "stripe.h"

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;

class TempDir {
 public:
  TempDir() {
    char t[] = "/tmp/vigil-events-test-XXXXXX";
    path_ = mkdtemp(t);
  }
  ~TempDir() { std::system(("rm -rf " + path_).c_str()); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

RequestContext RequestWithFinding(std::string_view value, bool blocked) {
  RequestContext ctx;
  ctx.method = "POST";
  ctx.path = "/login";
  ctx.client_ip = "198.51.100.7";
  ctx.user_agent = "curl/8";
  ctx.request_id = "0123456789abcdef";
  ctx.status = blocked ? 403 : 200;
  Finding f;
  f.rule_id = "sqli-sqlite-prepare";
  f.protection = "sql_injection";
  f.hook_point = "sqlite3_prepare_v2";
  f.input_key = "body.user";
  f.input_value = std::string(value);
  f.sink_value = "SELECT 1 WHERE u = '\u27e6" + std::string(value) + "\u27e7'";
  f.reason = "input leaves a string literal";
  f.blocked = blocked;
  ctx.AddFinding(f);
  return ctx;
}

// Submit takes the finished context's contents; tests reuse theirs.
void SubmitCopy(EventPipeline& p, RequestContext ctx) { p.Submit(ctx); }

Config EventsConfig(const std::string& file, uint32_t queue = 64) {
  Config c;
  c.events_file = file;
  c.events_queue = queue;
  return c;
}

TEST(RotatingFileTest, RotatesAndStaysBounded) {
  TempDir dir;
  const std::string path = dir.File("events.jsonl");
  {
    RotatingFile f(path, 1000, 2);
    EXPECT_FALSE(Exists(path));  // opened on the first line only
    const std::string line(94, 'x');  // 95 bytes with the newline
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(f.AppendLine(line));
    EXPECT_GE(f.rotations(), 9u);
    EXPECT_EQ(f.bytes_written(), 9500u);
  }
  EXPECT_TRUE(Exists(path));
  EXPECT_TRUE(Exists(path + ".1"));
  EXPECT_TRUE(Exists(path + ".2"));
  EXPECT_FALSE(Exists(path + ".3"));  // only `keep` rotated files
  for (const std::string p : {path, path + ".1", path + ".2"}) {
    EXPECT_LE(FileSize(p), 1000u) << p;
    EXPECT_EQ(FileSize(p) % 95, 0u) << "whole lines only: " << p;
  }
  EXPECT_EQ(FileSize(path + ".1"), 950u);  // full files: 10 lines
}

TEST(RotatingFileTest, KeepZeroKeepsOnlyTheCurrentFile) {
  TempDir dir;
  const std::string path = dir.File("e.jsonl");
  RotatingFile f(path, 200, 0);
  for (int i = 0; i < 20; ++i) f.AppendLine(std::string(49, 'y'));
  EXPECT_LE(FileSize(path), 200u);
  EXPECT_FALSE(Exists(path + ".1"));
}

TEST(RotatingFileTest, OversizedLinesAreDroppedAndCounted) {
  TempDir dir;
  RotatingFile f(dir.File("e.jsonl"), 100, 1);
  EXPECT_FALSE(f.AppendLine(std::string(100, 'z')));  // 101 bytes with '\n'
  EXPECT_EQ(f.lines_dropped(), 1u);
  EXPECT_TRUE(f.AppendLine("ok"));
}

TEST(RotatingFileTest, UnwritablePathCountsErrorsAndNeverThrows) {
  RotatingFile f("/nonexistent-dir/events.jsonl", 1000, 1);
  EXPECT_FALSE(f.AppendLine("a"));
  EXPECT_FALSE(f.AppendLine("b"));
  EXPECT_EQ(f.lines_dropped(), 2u);
  EXPECT_GE(f.write_errors(), 1u);
}

// A request whose record says where it came from: request id "<tag>-<n>",
// in its path and finding too, and status n.
RequestContext Numbered(const std::string& tag, int n) {
  const std::string id = tag + "-" + std::to_string(n);
  RequestContext ctx = RequestWithFinding(id, false);
  ctx.request_id = id;
  ctx.path = "/item/" + id;
  ctx.status = n;
  return ctx;
}

// Whether `r` is Numbered(tag, n)'s record, whole (not pieces of two).
void ExpectNumbered(const RequestRecord& r, const std::string& tag, int n) {
  const std::string id = tag + "-" + std::to_string(n);
  EXPECT_EQ(r.request_id, id);
  EXPECT_EQ(r.path, "/item/" + id);
  EXPECT_EQ(r.status, n);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].input_value, id);
}

bool Push(RecordRing& ring, RequestContext& ctx) {
  return ring.TryPush(ctx, RequestRecord::ApproximateBytes(ctx));
}

TEST(RecordRingTest, BoundedFifoAcrossLapsLeavesTheContextWhenFull) {
  RecordRing ring(8, 1 << 20);
  EXPECT_EQ(ring.capacity(), 8u);
  for (int lap = 0; lap < 3; ++lap) {
    for (int i = 0; i < 12; ++i) {
      RequestContext ctx = Numbered("a", i);
      if (i < 8) {
        EXPECT_TRUE(Push(ring, ctx)) << i;
        EXPECT_TRUE(ctx.path.empty());  // moved into the cell
        EXPECT_TRUE(ctx.findings().empty());
      } else {
        EXPECT_FALSE(Push(ring, ctx)) << i;
        EXPECT_EQ(ctx.path, "/item/a-" + std::to_string(i));  // still the caller's
        EXPECT_EQ(ctx.findings().size(), 1u);
      }
    }
    RequestRecord r;
    for (int i = 0; i < 8; ++i) {
      ASSERT_TRUE(ring.TryPop(&r));
      ExpectNumbered(r, "a", i);
    }
    EXPECT_FALSE(ring.TryPop(&r));
  }
  EXPECT_EQ(ring.pushed(), 24u);
}

TEST(RecordRingTest, ByteBoundDropsAndIsGivenBackOnPop) {
  RequestContext model = Numbered("b", 0);
  const size_t bytes = RequestRecord::ApproximateBytes(model);
  RecordRing ring(64, 3 * bytes);
  for (int i = 0; i < 3; ++i) {
    RequestContext ctx = model;
    EXPECT_TRUE(Push(ring, ctx)) << i;
  }
  EXPECT_EQ(ring.queued_bytes(), 3 * bytes);
  RequestContext ctx = model;
  EXPECT_FALSE(Push(ring, ctx));  // room for cells, not for bytes
  EXPECT_EQ(ring.queued_bytes(), 3 * bytes);  // the failed reservation given back
  RequestRecord r;
  ASSERT_TRUE(ring.TryPop(&r));
  EXPECT_EQ(ring.queued_bytes(), 2 * bytes);
  EXPECT_TRUE(Push(ring, ctx));
}

TEST(RecordQueueTest, OneThreadFillsEveryStripeFifoPerStripe) {
  RecordQueue q(64, 1 << 30);
  ASSERT_EQ(q.capacity(), 64u);
  const size_t per_stripe = 64 / recorder::kStripeCount;
  int pushed = 0;
  for (int i = 0; i < 100; ++i) {
    RequestContext ctx = Numbered("c", i);
    if (q.TryPush(ctx)) ++pushed;
  }
  EXPECT_EQ(pushed, 64);  // this thread's stripe, then every other one
  EXPECT_EQ(q.pushed(), 64u);
  // Records 0..63 filled the stripes one after the other, so records
  // n * per_stripe .. (n + 1) * per_stripe - 1 share a stripe, and each
  // stripe gives them back in order.
  std::vector<int> next_of_stripe(recorder::kStripeCount, 0);
  RequestRecord r;
  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(q.TryPop(&r)) << i;
    ASSERT_GE(r.status, 0);
    ASSERT_LT(r.status, 64);
    const size_t stripe = r.status / per_stripe;
    EXPECT_EQ(r.status, static_cast<int>(stripe * per_stripe) + next_of_stripe[stripe]++);
    ExpectNumbered(r, "c", r.status);
  }
  EXPECT_FALSE(q.TryPop(&r));
  for (int n : next_of_stripe) EXPECT_EQ(n, static_cast<int>(per_stripe));
}

TEST(RecordQueueTest, ByteBoundHoldsOverAllStripes) {
  RequestContext model = Numbered("d", 0);
  const size_t bytes = RequestRecord::ApproximateBytes(model);
  // Room for 3 records in each stripe's share, 24 in all.
  const size_t max_bytes = recorder::kStripeCount * (3 * bytes + bytes / 2);
  RecordQueue q(1024, max_bytes);
  int pushed = 0;
  for (int i = 0; i < 40; ++i) {
    RequestContext ctx = model;
    if (q.TryPush(ctx)) ++pushed;
  }
  EXPECT_EQ(pushed, static_cast<int>(3 * recorder::kStripeCount));
  EXPECT_EQ(q.queued_bytes(), pushed * bytes);
  EXPECT_LE(q.queued_bytes(), max_bytes);
  RequestRecord r;
  while (q.TryPop(&r)) {
  }
  EXPECT_EQ(q.queued_bytes(), 0u);
}

TEST(RecordQueueTest, PreallocatesNoMoreCellsThanTheByteBoundCanFill) {
  EXPECT_EQ(RecordQueue::CellsPerStripe(16, EventPipeline::kMaxQueuedBytes), 2u);
  EXPECT_EQ(RecordQueue::CellsPerStripe(4096, EventPipeline::kMaxQueuedBytes), 512u);
  const size_t most = RecordQueue::CellsPerStripe(1 << 20, EventPipeline::kMaxQueuedBytes);
  EXPECT_LE(most * recorder::kStripeCount * sizeof(RequestRecord), EventPipeline::kMaxQueuedBytes);
  EXPECT_GT(2 * most * recorder::kStripeCount * sizeof(RequestRecord), EventPipeline::kMaxQueuedBytes);
}

// More producers than stripes (some share one), a small queue (pushes fail
// and overflow into other stripes), one consumer: every record pushed comes
// out exactly once and whole.
TEST(RecordQueueTest, ManyProducersOneConsumerEveryRecordOnce) {
  constexpr int kThreads = 12, kPerThread = 3000;
  RecordQueue q(64, 1 << 30);
  std::vector<std::vector<char>> accepted(kThreads, std::vector<char>(kPerThread, 0));
  std::vector<std::vector<int>> seen(kThreads, std::vector<int>(kPerThread, 0));
  std::atomic<int> running{kThreads};
  std::thread consumer([&] {
    RequestRecord r;
    for (;;) {
      const bool last_look = running.load() == 0;
      if (q.TryPop(&r)) {
        const size_t dash = r.request_id.find('-');
        const int t = std::stoi(r.request_id.substr(1, dash - 1));
        const int i = std::stoi(r.request_id.substr(dash + 1));
        ExpectNumbered(r, "t" + std::to_string(t), i);
        ++seen[t][i];
      } else if (last_look) {
        break;
      }
    }
  });
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        RequestContext ctx = Numbered("t" + std::to_string(t), i);
        accepted[t][i] = q.TryPush(ctx);
      }
      --running;
    });
  }
  for (auto& p : producers) p.join();
  consumer.join();
  uint64_t pushed = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      pushed += accepted[t][i];
      ASSERT_EQ(seen[t][i], accepted[t][i]) << "t" << t << "-" << i;
    }
  }
  EXPECT_EQ(q.pushed(), pushed);
  EXPECT_GE(pushed, 64u);  // at least a queue full, however the threads ran
  EXPECT_EQ(q.queued_bytes(), 0u);
}

TEST(EventPipelineTest, WritesFindingAndRequestLines) {
  TempDir dir;
  const std::string path = dir.File("events.jsonl");
  EventPipeline p(EventsConfig(path), nullptr);
  SubmitCopy(p, RequestWithFinding("' OR 1=1 --", true));
  p.Flush();
  const std::vector<std::string> lines = Lines(path);
  ASSERT_EQ(lines.size(), 2u);
  const auto finding = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(finding["type"], "finding");
  EXPECT_EQ(finding["rule"], "sqli-sqlite-prepare");
  EXPECT_EQ(finding["protection"], "sql_injection");
  EXPECT_EQ(finding["hook_point"], "sqlite3_prepare_v2");
  EXPECT_EQ(finding["input"]["source"], "body");
  EXPECT_EQ(finding["input"]["key"], "body.user");
  EXPECT_EQ(finding["input"]["value"], "' OR 1=1 --");
  EXPECT_EQ(finding["statement"], "SELECT 1 WHERE u = '\u27e6' OR 1=1 --\u27e7'");
  EXPECT_EQ(finding["blocked"], true);
  EXPECT_EQ(finding["request"]["id"], "0123456789abcdef");
  EXPECT_EQ(finding["request"]["method"], "POST");
  EXPECT_EQ(finding["request"]["path"], "/login");
  EXPECT_EQ(finding["request"]["client_ip"], "198.51.100.7");
  EXPECT_EQ(finding["request"]["status"], 403);
  EXPECT_THAT(finding["time"].get<std::string>(), ::testing::MatchesRegex(
                                                      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z"));
  const auto request = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(request["type"], "request");
  EXPECT_EQ(request["id"], "0123456789abcdef");
  EXPECT_EQ(request["blocked"], false);  // Block() was not called on this context
  EXPECT_EQ(request["findings"], 1);
  EXPECT_EQ(request["user_agent"], "curl/8");
  const EventStats s = p.stats();
  EXPECT_EQ(s.submitted, 1u);
  EXPECT_EQ(s.findings_written, 1u);
  EXPECT_EQ(s.requests_written, 1u);
}

TEST(EventPipelineTest, RequestsWithoutFindingsOnlyInModeAll) {
  TempDir dir;
  RequestContext plain;
  plain.method = "GET";
  {
    EventPipeline p(EventsConfig(dir.File("findings.jsonl")), nullptr);
    SubmitCopy(p, plain);
    p.Flush();
    EXPECT_EQ(p.stats().submitted, 0u);
    EXPECT_FALSE(Exists(dir.File("findings.jsonl")));
  }
  {
    Config c = EventsConfig(dir.File("all.jsonl"));
    c.request_records = RequestRecords::kAll;
    EventPipeline p(c, nullptr);
    SubmitCopy(p, plain);
    p.Flush();
    EXPECT_EQ(Lines(dir.File("all.jsonl")).size(), 1u);
  }
  {
    Config c = EventsConfig(dir.File("none.jsonl"));
    c.request_records = RequestRecords::kNone;
    EventPipeline p(c, nullptr);
    SubmitCopy(p, RequestWithFinding("' OR 1=1 --", false));
    p.Flush();
    const auto lines = Lines(dir.File("none.jsonl"));
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], HasSubstr("\"type\":\"finding\""));
  }
}

TEST(EventPipelineTest, FullQueueDropsAndCountsNeverBlocks) {
  TempDir dir;
  EventPipeline p(EventsConfig(dir.File("e.jsonl"), 16), nullptr);
  const RequestContext ctx = RequestWithFinding("' OR 1=1 --", true);
  for (int i = 0; i < 40; ++i) SubmitCopy(p, ctx);  // nobody drains meanwhile
  EventStats s = p.stats();
  EXPECT_EQ(s.submitted, 16u);
  EXPECT_EQ(s.dropped, 24u);
  p.Flush();
  EXPECT_EQ(Lines(dir.File("e.jsonl")).size(), 32u);
  // Drained: room again.
  SubmitCopy(p, ctx);
  EXPECT_EQ(p.stats().submitted, 17u);
}

TEST(EventPipelineTest, ByteBoundHoldsOverTheWholeQueue) {
  TempDir dir;
  EventPipeline p(EventsConfig(dir.File("e.jsonl"), 4096), nullptr);
  // About 1 MiB a record (the value is in the finding twice): three fit in
  // one stripe's share of the bound, so one thread needs them all.
  const RequestContext ctx = RequestWithFinding(std::string(512 << 10, 'x'), false);
  const size_t bytes = RequestRecord::ApproximateBytes(ctx);
  for (int i = 0; i < 40; ++i) SubmitCopy(p, ctx);
  const EventStats s = p.stats();
  EXPECT_EQ(s.submitted + s.dropped, 40u);
  EXPECT_LE(s.submitted * bytes, EventPipeline::kMaxQueuedBytes);
  EXPECT_GT(s.submitted * bytes, EventPipeline::kMaxQueuedBytes / 2);
}

TEST(EventPipelineTest, InvalidUtf8StaysValidJson) {
  TempDir dir;
  EventPipeline p(EventsConfig(dir.File("e.jsonl")), nullptr);
  SubmitCopy(p, RequestWithFinding("\xff\xfe' OR 1=1 --", false));
  p.Flush();
  const auto lines = Lines(dir.File("e.jsonl"));
  ASSERT_EQ(lines.size(), 2u);
  const auto j = nlohmann::json::parse(lines[0]);  // does not throw
  EXPECT_THAT(j["input"]["value"].get<std::string>(), HasSubstr("\ufffd"));
}

TEST(EventPipelineTest, LongValuesAreCut) {
  RequestContext ctx = RequestWithFinding(std::string(10'000, 'a'), false);
  std::unique_ptr<RequestRecord> r = RequestRecord::From(ctx);
  r->Complete();
  EXPECT_EQ(r->findings[0].input_value.size(), 1024u);
  EXPECT_LE(r->findings[0].sink_value.size(), 4096u);
}

TEST(EventPipelineTest, ConcurrentSubmittersWithADrainer) {
  TempDir dir;
  EventPipeline p(EventsConfig(dir.File("e.jsonl"), 128), nullptr);
  std::atomic<bool> done{false};
  std::thread drainer([&] {
    while (!done.load()) p.Drain(64);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      const RequestContext ctx = RequestWithFinding("' OR 1=1 --", true);
      for (int i = 0; i < 500; ++i) SubmitCopy(p, ctx);
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  drainer.join();
  p.Flush();
  const EventStats s = p.stats();
  EXPECT_EQ(s.submitted + s.dropped, 2000u);
  EXPECT_EQ(Lines(dir.File("e.jsonl")).size(), 2 * s.submitted);
}

TEST(EventJsonTest, Timestamp) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1795966228123), "2026-11-29T15:30:28.123Z");
}

}  // namespace
}  // namespace vigil::agent
