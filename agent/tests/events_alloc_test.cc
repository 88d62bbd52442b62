// Copyright Vigil authors.
//
// EventPipeline::Submit neither allocates nor frees on the request thread.
// This program replaces the global operator new and delete to count the
// calls each thread makes (a program of its own, so that no other test runs
// with them). Under the sanitizers, whose allocators own operator new, the
// test is skipped.
#include <cstdlib>
#include <new>
#include <vector>

#include <gtest/gtest.h>

#include "events.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define VIGIL_EVENTS_ALLOC_SANITIZED 1
#endif
#endif

namespace {
thread_local size_t t_news = 0;
thread_local size_t t_deletes = 0;
}  // namespace

#ifndef VIGIL_EVENTS_ALLOC_SANITIZED
// The standard library's other forms (arrays, nothrow, sized delete) call
// these.
void* operator new(size_t n) {
  ++t_news;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  if (p != nullptr) ++t_deletes;
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }
#endif

namespace vigil::agent {
namespace {

// An attack request whose strings are all longer than the small-string
// buffer: moving them moves heap buffers.
RequestContext Attack() {
  RequestContext ctx;
  ctx.path = std::string(64, 'p');
  ctx.user_agent = std::string(64, 'u');
  ctx.request_id = std::string(32, 'i');
  ctx.AddQueryString("q=%27%20OR%201%3D1%20--&page=2");
  ctx.AddHeader("Host", "shop.example");
  ctx.AddFinding(Finding{.rule_id = "sqli-sqlite-prepare",
                         .input_value = std::string(64, 'v'),
                         .sink_value = std::string(128, 's'),
                         .stack = std::vector<uintptr_t>(12, 0x55d0c0)});
  return ctx;
}

struct Counts {
  size_t news, deletes;
};
Counts Now() { return {t_news, t_deletes}; }

TEST(EventPipelineAllocTest, TheCountersSeeAnAllocation) {
#ifdef VIGIL_EVENTS_ALLOC_SANITIZED
  GTEST_SKIP() << "operator new belongs to the sanitizer";
#endif
  RequestContext ctx = Attack();
  const Counts before = Now();
  std::unique_ptr<RequestRecord> r = RequestRecord::From(ctx);  // one record allocated
  r.reset();
  EXPECT_EQ(Now().news, before.news + 1);
  EXPECT_GT(Now().deletes, before.deletes);
}

TEST(EventPipelineAllocTest, SubmitAllocatesAndFreesNothing) {
#ifdef VIGIL_EVENTS_ALLOC_SANITIZED
  GTEST_SKIP() << "operator new belongs to the sanitizer";
#endif
  Config config;
  config.events_file = "/dev/null";
  config.events_queue = 64;
  EventPipeline pipeline(config, nullptr);
  std::vector<RequestContext> requests(300, Attack());  // built before counting
  size_t next = 0;
  auto submit = [&](size_t n) {
    const Counts before = Now();
    for (size_t i = 0; i < n; ++i) pipeline.Submit(requests[next++]);
    const Counts after = Now();
    EXPECT_EQ(after.news, before.news) << "allocations in " << n << " Submit calls";
    EXPECT_EQ(after.deletes, before.deletes) << "frees in " << n << " Submit calls";
  };
  submit(100);  // 64 queued (every stripe), 36 dropped
  EXPECT_EQ(pipeline.stats().submitted, 64u);
  EXPECT_EQ(pipeline.stats().dropped, 36u);
  pipeline.Flush();  // the consumer allocates and frees: not counted
  submit(100);  // the same cells again, emptied by the consumer
  EXPECT_EQ(pipeline.stats().submitted, 128u);
}

}  // namespace
}  // namespace vigil::agent
