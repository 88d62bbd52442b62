// Copyright Vigil authors.
//
// The direct entries (vigil/abi.h): functions with at most three arguments
// in registers call __vigil_enter_regs<n>[_void] or
// __vigil_enter_regs_mapped with their arguments in registers, and get
// them back, as the prologs left them, in registers. These tests drive them
// through fake_site.h's direct functions: arguments and results of each
// shape (one register each, split over two, passed by address, references,
// results in x0 or in the caller's storage), aborts, the general path
// (several callbacks, epilogs, calls from callbacks) and the counters.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "fake_site.h"
#include "vigil/hook.h"

namespace {

using vigil::Call;
using vigil::testing::FakeHook;
using vigil::testing::FakeImage;
using vigil::testing::FakeSpec;

int g_body_runs = 0;

// One register per argument, in order: __vigil_enter_regs3.
long Mix(int a, const char* s, long b);
FakeHook<&Mix> mix_hook({.name = "direct::mix", .symbol = "_ZN6direct3mixEiPKcl",
                         .params = "a,s,b", .entry = FakeSpec::Entry::kDirect});
long Mix(int a, const char* s, long b) {
  VIGIL_FAKE_ENTRY(mix_hook, a, s, b);
  ++g_body_runs;
  return a * 1000 + (s != nullptr ? s[0] : 0) + b;
}

// No result: __vigil_enter_regs2_void.
void Store(long* out, bool negate);
FakeHook<&Store> store_hook({.name = "direct::store", .symbol = "_ZN6direct5storeEPlb",
                             .params = "out,negate", .entry = FakeSpec::Entry::kDirect});
void Store(long* out, bool negate) {
  VIGIL_FAKE_ENTRY(store_hook, out, negate);
  ++g_body_runs;
  *out = negate ? -1 : 1;
}

// No argument: __vigil_enter_regs0.
int Zero();
FakeHook<&Zero> zero_hook({.name = "direct::zero", .symbol = "_ZN6direct4zeroEv",
                           .entry = FakeSpec::Entry::kDirect});
int Zero() {
  VIGIL_FAKE_ENTRY(zero_hook);
  ++g_body_runs;
  return 0;
}

// An argument split over two registers, then a reference: mapped.
struct Span {
  const char* data;
  long size;
};
long Count(Span span, int& calls);
FakeHook<&Count> count_hook({.name = "direct::count", .symbol = "_ZN6direct5countENS_4SpanERi",
                             .params = "span,calls", .entry = FakeSpec::Entry::kDirect});
long Count(Span span, int& calls) {
  VIGIL_FAKE_ENTRY(count_hook, span, calls);
  ++g_body_runs;
  ++calls;
  return span.size;
}

// A string passed by address and returned in the caller's storage: mapped.
std::string Greet(std::string who);
FakeHook<&Greet> greet_hook({.name = "direct::greet", .symbol = "_ZN6direct5greetENSt7__cxx1112basic_stringIcEE",
                             .params = "who", .entry = FakeSpec::Entry::kDirect});
std::string Greet(std::string who) {
  VIGIL_FAKE_ENTRY(greet_hook, who);
  ++g_body_runs;
  return "hello " + who;
}

// A double result, in x0's bits; the in-order function forced through the
// mapped entry.
double Half(long v);
FakeHook<&Half> half_hook({.name = "direct::half", .symbol = "_ZN6direct4halfEl",
                           .params = "v", .entry = FakeSpec::Entry::kMapped});
double Half(long v) {
  VIGIL_FAKE_ENTRY(half_hook, v);
  ++g_body_runs;
  return static_cast<double>(v) / 2;
}

class DirectEntryTest : public ::testing::Test {
 protected:
  void SetUp() override { image_.Register(); }
  void TearDown() override {
    vigil::DetachAll();
    vigil::Reclaim();
    image_.Unregister();
  }

  FakeImage image_{{&mix_hook, &store_hook, &zero_hook, &count_hook, &greet_hook, &half_hook}};
};

// vigil_site::arg_map: byte 0 counts the arguments, byte 1 + i is where
// argument i is (a register, | 0x80 when it holds the address), byte 4 the
// result.
constexpr uint64_t Map(uint64_t n, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t result) {
  return n | a0 << 8 | a1 << 16 | a2 << 24 | result << 32;
}

TEST_F(DirectEntryTest, ArgMapsSayWhereEachArgumentAndTheResultAre) {
  EXPECT_EQ(mix_hook.site()->arg_map, Map(3, 0, 1, 2, VIGIL_RESULT_VALUE));
  EXPECT_EQ(store_hook.site()->arg_map, Map(2, 0, 1, 0, VIGIL_RESULT_NONE));
  EXPECT_EQ(zero_hook.site()->arg_map, Map(0, 0, 0, 0, VIGIL_RESULT_VALUE));
  // A span in x0 and x1, the reference in x2.
  EXPECT_EQ(count_hook.site()->arg_map, Map(2, 0, 2, 0, VIGIL_RESULT_VALUE));
  // The caller's std::string storage in x0, the argument's address in x1.
  EXPECT_EQ(greet_hook.site()->arg_map,
            Map(1, VIGIL_ARG_BY_ADDRESS | 1, 0, 0, VIGIL_ARG_BY_ADDRESS | 0));
  EXPECT_EQ(half_hook.site()->arg_map, Map(1, 0, 0, 0, VIGIL_RESULT_VALUE));
  EXPECT_NE(mix_hook.site()->invoke, nullptr);
}

TEST_F(DirectEntryTest, PrologsSeeAndChangeArgumentsInEveryShape) {
  using MixSig = long(int, const char*, long);
  auto mix = vigil::AttachProlog<MixSig>("direct::mix", [](Call<MixSig>& call) {
    EXPECT_EQ(call.arg<0>(), 1);
    EXPECT_STREQ(call.arg<1>(), "a");
    EXPECT_EQ(call.arg<2>(), 2);
    call.arg<0>() = 3;
    call.arg<1>() = "b";
    call.arg<2>() = -4;
  });
  ASSERT_TRUE(mix.ok()) << mix.status().message();
  int runs = g_body_runs;
  uint64_t continued = mix_hook.continued();
  EXPECT_EQ(Mix(1, "a", 2), 3000 + 'b' - 4);
  EXPECT_EQ(mix_hook.continued(), continued + 1);  // the body ran with the registers
  EXPECT_EQ(g_body_runs, runs + 1);

  using StoreSig = void(long*, bool);
  long other = 0;
  auto store = vigil::AttachProlog<StoreSig>("direct::store", [&](Call<StoreSig>& call) {
    call.arg<0>() = &other;
    call.arg<1>() = !call.arg<1>();
  });
  ASSERT_TRUE(store.ok()) << store.status().message();
  long mine = 0;
  Store(&mine, false);
  EXPECT_EQ(mine, 0);
  EXPECT_EQ(other, -1);

  using CountSig = long(Span, int&);
  int redirected = 0;
  auto count = vigil::AttachProlog<CountSig>("direct::count", [&](Call<CountSig>& call) {
    EXPECT_STREQ(call.arg<0>().data, "abc");
    EXPECT_EQ(call.arg<0>().size, 3);
    call.arg<0>().size = 30;
    call.RebindArg<1>(redirected);  // the reference now names another int
  });
  ASSERT_TRUE(count.ok()) << count.status().message();
  int calls = 0;
  EXPECT_EQ(Count(Span{"abc", 3}, calls), 30);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(redirected, 1);

  using GreetSig = std::string(std::string);
  auto greet = vigil::AttachProlog<GreetSig>("direct::greet", [](Call<GreetSig>& call) {
    EXPECT_EQ(call.arg<0>(), "world");
    call.arg<0>() += "!";
  });
  ASSERT_TRUE(greet.ok()) << greet.status().message();
  EXPECT_EQ(Greet("world"), "hello world!");

  using HalfSig = double(long);
  auto half = vigil::AttachProlog<HalfSig>("direct::half",
                                           [](Call<HalfSig>& call) { call.arg<0>() *= 10; });
  ASSERT_TRUE(half.ok()) << half.status().message();
  EXPECT_EQ(Half(3), 15.0);
}

TEST_F(DirectEntryTest, AbortsReturnTheChosenValueInEveryShape) {
  using MixSig = long(int, const char*, long);
  auto mix = vigil::AttachProlog<MixSig>("direct::mix",
                                         [](Call<MixSig>& call) { call.Abort(-77); });
  using ZeroSig = int();
  auto zero = vigil::AttachProlog<ZeroSig>("direct::zero",
                                           [](Call<ZeroSig>& call) { call.Abort(12); });
  using StoreSig = void(long*, bool);
  auto store = vigil::AttachProlog<StoreSig>("direct::store",
                                             [](Call<StoreSig>& call) { call.Abort(); });
  using GreetSig = std::string(std::string);
  auto greet = vigil::AttachProlog<GreetSig>(
      "direct::greet", [](Call<GreetSig>& call) { call.Abort("refused: " + call.arg<0>()); });
  using HalfSig = double(long);
  auto half = vigil::AttachProlog<HalfSig>("direct::half",
                                           [](Call<HalfSig>& call) { call.Abort(0.25); });
  ASSERT_TRUE(mix.ok() && zero.ok() && store.ok() && greet.ok() && half.ok());

  int runs = g_body_runs;
  EXPECT_EQ(Mix(1, "a", 2), -77);
  EXPECT_EQ(Zero(), 12);
  long out = 5;
  Store(&out, true);
  EXPECT_EQ(out, 5);
  EXPECT_EQ(Greet("eve"), "refused: eve");
  EXPECT_EQ(Half(8), 0.25);
  EXPECT_EQ(g_body_runs, runs);  // no body ran
  EXPECT_EQ(vigil::GetHookStats("direct::mix")->aborts, 1u);
}

// Several callbacks and epilogs take the general path; an epilog attached
// while the slot is not yet tagged for finishing makes the entry's general
// path finish the call through the site's invoke thunk.
TEST_F(DirectEntryTest, GeneralPathAndFinishingThroughTheSitesInvoke) {
  using MixSig = long(int, const char*, long);
  std::string order;
  auto first = vigil::AttachProlog<MixSig>(
      "direct::mix", [&](Call<MixSig>& call) { order += "1"; call.arg<2>() += 1; },
      {.priority = 1});
  auto second = vigil::AttachProlog<MixSig>(
      "direct::mix", [&](Call<MixSig>& call) { order += "2"; call.arg<2>() += 10; },
      {.priority = 2});
  ASSERT_TRUE(first.ok() && second.ok());
  uint64_t continued = mix_hook.continued();
  EXPECT_EQ(Mix(0, nullptr, 0), 11);
  EXPECT_EQ(order, "12");
  EXPECT_EQ(mix_hook.continued(), continued + 1);

  auto epilog = vigil::AttachEpilog<MixSig>("direct::mix",
                                            [&](Call<MixSig>& call) { call.result() *= 2; });
  ASSERT_TRUE(epilog.ok());
  EXPECT_EQ(Mix(0, nullptr, 0), 22);  // tagged: the finish thunk

  // The same call through the direct entry, as one that loaded the slot
  // before the tag appeared: the runtime finishes it with site->invoke.
  const vigil_regs answer =
      __vigil_enter_regs3(0, reinterpret_cast<uintptr_t>(nullptr), 0, mix_hook.site());
  EXPECT_EQ(answer.done, 1u);
  EXPECT_EQ(static_cast<long>(answer.x0), 22);
  EXPECT_EQ(__vigil_bypass, nullptr);
}

TEST_F(DirectEntryTest, CallsFromCallbacksRunPlainlyAndCountersCount) {
  auto before = vigil::GetHookStats("direct::zero");
  ASSERT_TRUE(before.ok());
  using ZeroSig = int();
  int nested = -1;
  auto zero = vigil::AttachProlog<ZeroSig>("direct::zero", [&](Call<ZeroSig>& call) {
    nested = Zero();  // hooks run plainly inside callbacks
    call.Abort(nested + 1);
  });
  ASSERT_TRUE(zero.ok());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(Zero(), 1);
  EXPECT_EQ(nested, 0);
  auto after = vigil::GetHookStats("direct::zero");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->calls - before->calls, 1000u);
  EXPECT_EQ(after->aborts - before->aborts, 1000u);
}

}  // namespace
