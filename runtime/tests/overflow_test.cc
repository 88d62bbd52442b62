// Copyright Vigil authors.
//
// Threads that find every epoch record taken take the overflow path: shared
// atomic counters and a shared count of open read-side sections. Built
// against the static copy of the runtime to reach its internals.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "epoch.h"
#include "fake_site.h"
#include "thread_state.h"
#include "vigil/hook.h"

namespace {

using vigil::Call;
using vigil::testing::FakeHook;
using vigil::testing::FakeImage;
using IntSig = int(int);

std::atomic<bool> g_hold{false};
std::atomic<bool> g_inside{false};

int Work(int x);
FakeHook<&Work> work_hook({.name = "ovf::work", .symbol = "_ZN3ovf4workEi"});
int Work(int x) {
  VIGIL_FAKE_ENTRY(work_hook, x);
  if (x == 1000) {
    g_inside.store(true);
    while (g_hold.load()) std::this_thread::yield();
  }
  return x;
}

FakeImage g_image({&work_hook});

TEST(OverflowTest, ThreadsWithoutARecordCountAndAreProtected) {
  g_image.Register();
  auto token = std::make_shared<int>(0);
  auto a = vigil::AttachProlog<IntSig>("ovf::work", [token](Call<IntSig>& call) {
    if (call.arg<0>() < 0) call.Abort(-1);
  });
  ASSERT_TRUE(a.ok());
  uint64_t before = vigil::GetHookStats("ovf::work")->calls;

  // Exhaust the records: a thread claims them all (only its last one is
  // released when it exits).
  std::thread hog([] {
    while (vigil::rt::ClaimReader() != nullptr) {
    }
  });
  hog.join();
  // The one record the hog released on exit goes to this (long-lived) thread.
  EXPECT_NE(vigil::rt::ClaimReader(), nullptr);
  EXPECT_EQ(vigil::rt::ClaimReader(), nullptr);  // none left

  vigil::rt::t_state.overflow = false;  // this thread keeps its record
  std::thread counted([] {
    for (int i = 0; i < 100; ++i) EXPECT_EQ(Work(i), i);
    EXPECT_EQ(Work(-5), -1);
    EXPECT_TRUE(vigil::rt::t_state.overflow);
    EXPECT_EQ(vigil::rt::t_state.reader, nullptr);
  });
  counted.join();
  auto stats = vigil::GetHookStats("ovf::work");
  EXPECT_EQ(stats->calls - before, 101u);
  EXPECT_EQ(stats->aborts, 1u);

  // A slow call: its epilog keeps the callbacks in use while the function
  // runs (with prologs only, the body runs after the engine let go).
  ASSERT_TRUE(vigil::Detach(*a).ok());
  a = vigil::Attach<IntSig>(
      "ovf::work", [token](Call<IntSig>&) {}, [](Call<IntSig>&) {});
  ASSERT_TRUE(a.ok());
  vigil::Reclaim();
  g_hold.store(true);
  std::thread slow([] {
    EXPECT_EQ(Work(1000), 1000);
    EXPECT_TRUE(vigil::rt::t_state.overflow);
  });
  while (!g_inside.load()) std::this_thread::yield();
  EXPECT_EQ(vigil::rt::g_overflow_active.load(), 1u);
  ASSERT_TRUE(vigil::Detach(*a).ok());
  vigil::Reclaim();
  EXPECT_EQ(token.use_count(), 2);  // an overflow reader is inside
  g_hold.store(false);
  slow.join();
  EXPECT_EQ(vigil::rt::g_overflow_active.load(), 0u);
  vigil::Reclaim();
  EXPECT_EQ(token.use_count(), 1);
}

}  // namespace
