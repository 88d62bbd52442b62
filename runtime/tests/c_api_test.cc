// Copyright Vigil authors.
//
// The C API (vigil/vigil.h), driven through callbacks written in C11
// (c_callbacks.c): untyped, index-checked arguments, size-checked abort and
// result replacement, errors, destroy, stats.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "c_callbacks.h"
#include "fake_site.h"
#include "vigil/hook.h"
#include "vigil/vigil.h"

namespace {

using vigil::testing::FakeHook;
using vigil::testing::FakeImage;

int g_square_runs = 0;

extern "C" int CSquare(int x);
FakeHook<&CSquare> square_hook(
    {.name = "c_square", .symbol = "c_square", .flags = VIGIL_META_C_LINKAGE, .params = "x"});
extern "C" int CSquare(int x) {
  VIGIL_FAKE_ENTRY(square_hook, x);
  ++g_square_runs;
  return x * x;
}

int g_log_runs = 0;
extern "C" void CLog(const char* msg, int level);
FakeHook<&CLog> log_hook(
    {.name = "c_log", .symbol = "c_log", .flags = VIGIL_META_C_LINKAGE, .params = "msg,level"});
extern "C" void CLog(const char* msg, int level) {
  VIGIL_FAKE_ENTRY(log_hook, msg, level);
  ++g_log_runs;
}

FakeImage g_image({&square_hook, &log_hook});

class CApiTest : public ::testing::Test {
 protected:
  void SetUp() override { g_image.Register(); }
  void TearDown() override {
    vigil_detach_all();
    vigil::Reclaim();
  }
  c_probe probe_{};
};

TEST_F(CApiTest, ArgumentsAreIndexCheckedAndResultsReplaceable) {
  vigil_attachment a = 0;
  ASSERT_EQ(c_attach_int("c_square", &probe_, 0, &a), VIGIL_OK) << vigil_last_error();
  EXPECT_NE(a, 0u);
  EXPECT_EQ(CSquare(3), 32);  // prolog: 3 -> 4; body: 16; epilog: doubled
  EXPECT_EQ(probe_.prologs, 1);
  EXPECT_EQ(probe_.epilogs, 1);
  EXPECT_EQ(probe_.last_arg, 3);
  EXPECT_EQ(probe_.arg_count, 1u);
  EXPECT_TRUE(probe_.arg_past_end_is_null);
  EXPECT_EQ(probe_.result_size, sizeof(int));
  EXPECT_TRUE(probe_.result_null_in_prolog);
  EXPECT_EQ(probe_.set_result_in_prolog, VIGIL_ERR_FAILED_PRECONDITION);
  EXPECT_EQ(probe_.abort_in_epilog, VIGIL_ERR_FAILED_PRECONDITION);
  EXPECT_STREQ(probe_.hook_name, "c_square");
}

TEST_F(CApiTest, AbortCopiesAValueWhoseSizeIsChecked) {
  vigil_attachment a = 0;
  ASSERT_EQ(c_attach_int("c_square", &probe_, 0, &a), VIGIL_OK) << vigil_last_error();
  int runs = g_square_runs;
  EXPECT_EQ(CSquare(-2), -1);
  EXPECT_EQ(g_square_runs, runs);
  EXPECT_EQ(probe_.abort_wrong_size, VIGIL_ERR_INVALID_ARGUMENT);  // 8 bytes for an int
  EXPECT_EQ(probe_.abort_status, VIGIL_OK);
  EXPECT_EQ(probe_.epilogs, 1);  // sees the abort, leaves the value alone
}

TEST_F(CApiTest, VoidFunctionsAbortWithNoValue) {
  vigil_attachment a = 0;
  ASSERT_EQ(c_attach_void_abort("c_log", &probe_, &a), VIGIL_OK) << vigil_last_error();
  int runs = g_log_runs;
  CLog("hello", 1);
  EXPECT_EQ(g_log_runs, runs);
  EXPECT_EQ(probe_.result_size, 0u);
  EXPECT_EQ(probe_.abort_wrong_size, VIGIL_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(probe_.abort_status, VIGIL_OK);
}

TEST_F(CApiTest, ErrorsAreReportedWithAMessage) {
  vigil_attachment a = 0;
  EXPECT_EQ(c_attach_int("no_such_function", &probe_, 0, &a), VIGIL_ERR_NOT_FOUND);
  EXPECT_NE(std::string(vigil_last_error()).find("no_such_function"), std::string::npos);
  vigil_callbacks empty = {};
  EXPECT_EQ(vigil_attach("c_square", &empty, &a), VIGIL_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(vigil_attach(nullptr, &empty, &a), VIGIL_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(vigil_attach("c_square", nullptr, &a), VIGIL_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(vigil_detach(123456), VIGIL_ERR_NOT_FOUND);
  EXPECT_STRNE(vigil_last_error(), "");
  vigil_callbacks pending = {};
  pending.prolog = [](vigil_call*, void*) {};
  pending.allow_pending = 1;
  EXPECT_EQ(vigil_attach("later_fn", &pending, &a), VIGIL_OK);
}

TEST_F(CApiTest, DetachThenDestroyOnceUnused) {
  vigil_attachment a = 0;
  ASSERT_EQ(c_attach_int("c_square", &probe_, 0, &a), VIGIL_OK);
  EXPECT_NE(square_hook.slot_value(), nullptr);
  EXPECT_EQ(vigil_detach(a), VIGIL_OK);
  EXPECT_EQ(square_hook.slot_value(), nullptr);
  vigil::Reclaim();
  EXPECT_EQ(probe_.destroyed, 1);
  EXPECT_EQ(vigil_detach(a), VIGIL_ERR_NOT_FOUND);
  EXPECT_EQ(CSquare(3), 9);
  EXPECT_EQ(probe_.prologs, 0);
}

TEST_F(CApiTest, StatsAndCounts) {
  vigil_attachment a = 0;
  ASSERT_EQ(c_attach_int("c_*", &probe_, 0, &a), VIGIL_OK) << vigil_last_error();
  vigil_hook_stats before{};
  ASSERT_EQ(vigil_hook_stats_get("c_square", &before), VIGIL_OK);
  CSquare(1);
  CSquare(-1);
  vigil_hook_stats after{};
  ASSERT_EQ(vigil_hook_stats_get("c_square", &after), VIGIL_OK);
  EXPECT_EQ(after.calls - before.calls, 2u);
  EXPECT_EQ(after.aborts - before.aborts, 1u);
  EXPECT_EQ(after.callback_errors, before.callback_errors);
  EXPECT_EQ(vigil_hook_stats_get("nothing*", &after), VIGIL_ERR_NOT_FOUND);
  EXPECT_EQ(vigil_hook_count("c_*"), 2u);
  EXPECT_EQ(vigil_hook_count(nullptr), 2u);
  EXPECT_EQ(vigil_hook_count("c_square"), 1u);
}

TEST_F(CApiTest, CFunctionsCannotBeFailedWithAnException) {
  bool accepted = true;
  auto a = vigil::AttachProlog<int(int)>("c_square", [&](vigil::Call<int(int)>& call) {
    accepted = call.AbortWithException(1);  // C callers may have no unwind tables
  });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(CSquare(3), 9);
  EXPECT_FALSE(accepted);
}

TEST_F(CApiTest, CAndCppCallbacksShareOneOrdering) {
  std::string trace;
  auto cpp = vigil::AttachProlog<int(int)>(
      "c_square", [&](vigil::Call<int(int)>& call) { trace += "cpp" + std::to_string(call.arg<0>()); },
      {.priority = 5});
  ASSERT_TRUE(cpp.ok());
  vigil_attachment a = 0;
  ASSERT_EQ(c_attach_int("c_square", &probe_, 1, &a), VIGIL_OK);
  EXPECT_EQ(CSquare(3), 32);
  EXPECT_EQ(trace, "cpp4");  // the C prolog (priority 1) ran first: 3 -> 4
  // A C++ callback cannot replace a C one (and vice versa): types are unknown.
  EXPECT_EQ(vigil::Replace<int(int)>(vigil::Attachment(a), [](vigil::Call<int(int)>&) {}).code(),
            vigil::StatusCode::kTypeMismatch);
}

}  // namespace
