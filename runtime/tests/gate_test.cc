// Copyright Vigil authors.
//
// The thread's gate (thread_state.h): __vigil_enter's shortcut runs only while
// it is open, and every state that rules the shortcut out closes it. Built
// against the static copy of the runtime to reach its internals.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "epoch.h"
#include "fake_site.h"
#include "thread_state.h"
#include "vigil/hook.h"

namespace {

using vigil::Call;
using vigil::rt::GateParts;
using vigil::rt::t_state;
using vigil::testing::FakeHook;
using vigil::testing::FakeImage;
using IntSig = int(int);

int Twice(int x);
FakeHook<&Twice> twice_hook({.name = "gate::twice", .symbol = "_ZN4gate5twiceEi"});
int Twice(int x) {
  VIGIL_FAKE_ENTRY(twice_hook, x);
  return 2 * x;
}
FakeImage g_image({&twice_hook});

bool Open() { return t_state.gate > 1; }

TEST(GateTest, PartsAddAndComeApartInAnyOrder) {
  using namespace vigil::rt;
  for (int64_t countdown : {0, 1, 2, 63, 64}) {
    for (uint32_t suppress : {0u, 1u, 2u, 700u}) {
      for (uint32_t sections : {0u, 1u, 3u}) {
        for (bool unarmed : {false, true}) {
          int64_t g = 0;
          // Parts arrive and leave interleaved, as nested scopes do.
          if (unarmed) g -= kUnarmedUnit;
          for (uint32_t i = 0; i < suppress; ++i) g -= kSuppressUnit;
          g += countdown;
          for (uint32_t i = 0; i < sections; ++i) g -= kSectionUnit;
          GateView v = GateParts(g);
          EXPECT_EQ(v.countdown, countdown);
          EXPECT_EQ(v.suppress, suppress);
          EXPECT_EQ(v.sections, sections);
          EXPECT_EQ(v.unarmed, unarmed);
          EXPECT_EQ(g > 1, countdown > 1 && suppress == 0 && sections == 0 && !unarmed);
        }
      }
    }
  }
}

TEST(GateTest, OpenOnlyWhereTheShortcutMayRun) {
  g_image.Register();
  bool in_prolog_open = true;
  int prologs = 0;
  auto a = vigil::AttachProlog<IntSig>("gate::twice", [&](Call<IntSig>& call) {
    ++prologs;
    in_prolog_open = Open();
    EXPECT_EQ(Twice(3), 6);  // plain inside a callback
  });
  ASSERT_TRUE(a.ok());
  std::thread([&] {
    EXPECT_EQ(t_state.gate, 0);  // not set up before its first call
    EXPECT_EQ(Twice(1), 2);
    EXPECT_TRUE(Open());
    EXPECT_NE(t_state.reader, nullptr);
    EXPECT_FALSE(in_prolog_open);
    {
      vigil::ScopedSuppressHooks quiet;
      EXPECT_FALSE(Open());
      EXPECT_EQ(Twice(1), 2);
    }
    EXPECT_TRUE(Open());
    // The countdown wraps every kTimeSamplePeriod calls, through the general
    // path, and the gate opens again.
    for (uint32_t i = 0; i < 3 * vigil::kTimeSamplePeriod; ++i) Twice(i);
    EXPECT_TRUE(Open());
    EXPECT_EQ(prologs, 1 + 3 * static_cast<int>(vigil::kTimeSamplePeriod));
  }).join();
  ASSERT_TRUE(vigil::Detach(*a).ok());
}

TEST(GateTest, ThreadsThatMustFenceTakeTheGeneralPathAndStillCount) {
  g_image.Register();
  int prologs = 0;
  auto a = vigil::AttachProlog<IntSig>("gate::twice", [&](Call<IntSig>& call) {
    ++prologs;
    if (call.arg<0>() < 0) call.Abort(-1);
  });
  ASSERT_TRUE(a.ok());
  uint64_t before = vigil::GetHookStats("gate::twice")->calls;
  // As without membarrier: readers fence themselves, so no thread set up now
  // may take the shortcut (which does not fence).
  const bool saved = vigil::rt::g_read.reader_fence.exchange(true);
  std::thread([&] {
    for (int i = 0; i < 200; ++i) EXPECT_EQ(Twice(i), 2 * i);
    EXPECT_EQ(Twice(-4), -1);
    if (vigil::rt::ReadersMustFence()) {
      EXPECT_FALSE(Open());
      EXPECT_TRUE(GateParts(t_state.gate).unarmed);
    }
  }).join();
  vigil::rt::g_read.reader_fence.store(saved);
  EXPECT_EQ(prologs, 201);
  EXPECT_EQ(vigil::GetHookStats("gate::twice")->calls - before, 201u);
  ASSERT_TRUE(vigil::Detach(*a).ok());
}

}  // namespace
