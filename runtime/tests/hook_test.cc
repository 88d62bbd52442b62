// Copyright Vigil authors.
//
// The typed C++ API on hook points declared with fake_site.h: finding,
// arguments, abort and results for every kind of return type, ordering,
// type checks, detach/replace, failing callbacks, the re-entry guard and the
// counters.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "fake_site.h"
#include "vigil/hook.h"

namespace shop {
struct Db {
  int base = 100;
};
}  // namespace shop

namespace lib {
struct Statement {  // a class from a prebuilt library
  const char* sql;
};
}  // namespace lib

struct NoDefault {
  explicit NoDefault(int v) : value(v) {}
  NoDefault() = delete;
  int value;
};
static_assert(!std::is_default_constructible_v<NoDefault>);

namespace {

using vigil::Call;
using vigil::StatusCode;
using vigil::testing::FakeHook;
using vigil::testing::FakeImage;

int g_find_body_runs = 0;
int g_notify_body_runs = 0;
int g_values[3] = {10, 20, 30};

// int shop::Db::find(int) const, with `this` explicit.
using FindSig = int(const shop::Db*, int);
int DbFind(const shop::Db* self, int id);
FakeHook<&DbFind> db_find_hook({.name = "shop::Db::find",
                                .symbol = "_ZNK4shop2Db4findEi",
                                .flags = VIGIL_META_HAS_THIS,
                                .params = "this,id",
                                .file = "shop/db.cc",
                                .line = 42,
                                .display = "int (const shop::Db *, int)"});
int DbFind(const shop::Db* self, int id) {
  VIGIL_FAKE_ENTRY(db_find_hook, self, id);
  ++g_find_body_runs;
  return self->base + id;
}

// bool shop::Db::insert(int)
bool DbInsert(shop::Db* self, int id);
FakeHook<&DbInsert> db_insert_hook({.name = "shop::Db::insert",
                                    .symbol = "_ZN4shop2Db6insertEi",
                                    .flags = VIGIL_META_HAS_THIS,
                                    .params = "this,id"});
bool DbInsert(shop::Db* self, int id) {
  VIGIL_FAKE_ENTRY(db_insert_hook, self, id);
  self->base = id;
  return true;
}

// void app::notify(int& counter, int amount)
using NotifySig = void(int&, int);
void Notify(int& counter, int amount);
FakeHook<&Notify> notify_hook(
    {.name = "app::notify", .symbol = "_ZN3app6notifyERii", .params = "counter,amount"});
void Notify(int& counter, int amount) {
  VIGIL_FAKE_ENTRY(notify_hook, counter, amount);
  ++g_notify_body_runs;
  counter += amount;
}

// int& app::pick(int which)
using PickSig = int&(int);
int& Pick(int which);
FakeHook<&Pick> pick_hook({.name = "app::pick", .symbol = "_ZN3app4pickEi", .params = "which"});
int& Pick(int which) {
  VIGIL_FAKE_ENTRY(pick_hook, which);
  return g_values[which];
}

// std::string app::greet(std::string who)
using GreetSig = std::string(std::string);
std::string Greet(std::string who);
FakeHook<&Greet> greet_hook({.name = "app::greet",
                             .symbol = "_ZN3app5greetENSt7__cxx1112basic_stringIcSt11char_"
                                       "traitsIcESaIcEEE",
                             .params = "who"});
std::string Greet(std::string who) {
  VIGIL_FAKE_ENTRY(greet_hook, who);
  return "hello " + who;
}

// NoDefault app::make(int)
using MakeSig = NoDefault(int);
NoDefault Make(int v);
FakeHook<&Make> make_hook({.name = "app::make", .symbol = "_ZN3app4makeEi", .params = "v"});
NoDefault Make(int v) {
  VIGIL_FAKE_ENTRY(make_hook, v);
  return NoDefault(v * 2);
}

// int app::twice(int) noexcept: the plugin records the "Do" type.
int Twice(int x);
FakeHook<&Twice> twice_hook({.name = "app::twice",
                             .symbol = "_ZN3app5twiceEi",
                             .flags = VIGIL_META_NOEXCEPT,
                             .params = "x",
                             .signature = typeid(int(int) noexcept).name()});
int Twice(int x) {
  VIGIL_FAKE_ENTRY(twice_hook, x);
  return 2 * x;
}

// int app::inner(int) and int app::outer(int), which calls inner.
int Inner(int x);
FakeHook<&Inner> inner_hook({.name = "app::inner", .symbol = "_ZN3app5innerEi", .params = "x"});
int Inner(int x) {
  VIGIL_FAKE_ENTRY(inner_hook, x);
  return x + 1;
}
int Outer(int x);
FakeHook<&Outer> outer_hook({.name = "app::outer", .symbol = "_ZN3app5outerEi", .params = "x"});
int Outer(int x) {
  VIGIL_FAKE_ENTRY(outer_hook, x);
  return Inner(x) * 10;
}

// int app::checked(int), which throws for negative input.
int Checked(int x);
FakeHook<&Checked> checked_hook({.name = "app::checked", .symbol = "_ZN3app7checkedEi", .params = "x"});
int Checked(int x) {
  VIGIL_FAKE_ENTRY(checked_hook, x);
  if (x < 0) throw std::invalid_argument("negative");
  return x;
}

// The constructor lib::Statement::Statement(const char* sql), defined in a
// prebuilt library, through its call-site hook point (`this` explicit).
using CtorSig = void(lib::Statement*, const char*);
void StatementCtor(lib::Statement* self, const char* sql);
FakeHook<&StatementCtor> statement_ctor_hook({.name = "lib::Statement::Statement",
                                              .symbol = "_ZN3lib9StatementC1EPKc",
                                              .kind = VIGIL_KIND_CALL_SITE,
                                              .flags = VIGIL_META_HAS_THIS,
                                              .params = "this,sql"});
void StatementCtor(lib::Statement* self, const char* sql) {
  VIGIL_FAKE_ENTRY(statement_ctor_hook, self, sql);
  self->sql = sql;
}

// int app::scaled(int), whose hook thunk hands the arguments back (abi.h):
// its entry tests __vigil_bypass only before finishing.
int g_scaled_body_runs = 0;
int Scaled(int x);
FakeHook<&Scaled> scaled_hook({.name = "app::scaled",
                               .symbol = "_ZN3app6scaledEi",
                               .params = "x",
                               .returns_arguments = true});
int Scaled(int x) {
  VIGIL_FAKE_ENTRY(scaled_hook, x);
  ++g_scaled_body_runs;
  return 10 * x;
}

// One image holding all of the above, registered by a static constructor as
// an instrumented executable's would be: before main.
FakeImage g_image({&db_find_hook, &db_insert_hook, &notify_hook, &pick_hook, &greet_hook,
                   &make_hook, &twice_hook, &inner_hook, &outer_hook, &checked_hook,
                   &statement_ctor_hook, &scaled_hook});
const bool g_registered = [] {
  g_image.Register();
  return true;
}();

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class HookTest : public ::testing::Test {
 protected:
  void TearDown() override {
    vigil::DetachAll();
    vigil::Reclaim();
  }
  shop::Db db_;
};

TEST_F(HookTest, FindsHookPointsByExactNameSymbolAndPattern) {
  ASSERT_TRUE(g_registered);
  std::vector<vigil::HookInfo> exact = vigil::FindHooks("shop::Db::find");
  ASSERT_EQ(exact.size(), 1u);
  const vigil::HookInfo& h = exact[0];
  EXPECT_EQ(h.symbol, "_ZNK4shop2Db4findEi");
  EXPECT_EQ(h.signature, typeid(FindSig).name());
  EXPECT_EQ(h.signature, "FiPKN4shop2DbEiE");
  EXPECT_EQ(h.display, "int (const shop::Db *, int)");
  EXPECT_EQ(h.param_names, (std::vector<std::string>{"this", "id"}));
  EXPECT_EQ(h.file, "shop/db.cc");
  EXPECT_EQ(h.line, 42u);
  EXPECT_EQ(h.arg_count, 2u);
  EXPECT_EQ(h.ret_size, sizeof(int));
  EXPECT_EQ(h.kind, vigil::HookKind::kDefinition);
  EXPECT_EQ(h.definition_sites, 1u);
  EXPECT_EQ(h.call_sites, 0u);
  EXPECT_FALSE(h.armed);

  EXPECT_EQ(vigil::FindHooks("shop::Db::*").size(), 2u);
  EXPECT_EQ(vigil::FindHooks("shop::Db::fin?").size(), 1u);
  EXPECT_EQ(vigil::FindHooks("*::find").size(), 1u);
  EXPECT_EQ(vigil::FindHooks("app::*er").size(), 2u);  // inner, outer
  EXPECT_EQ(vigil::FindHooks("_ZNK4shop2Db4findEi").size(), 1u);  // by symbol
  EXPECT_EQ(vigil::FindHooks("_ZN*4shop2Db*").size(), 2u);
  EXPECT_TRUE(vigil::FindHooks("shop::Db::fin").empty());
  EXPECT_TRUE(vigil::FindHooks("shop::Db").empty());
  EXPECT_TRUE(vigil::FindHooks("shop::Db::find?").empty());
  EXPECT_EQ(vigil::FindHooks("").size(), 12u);
  EXPECT_EQ(vigil::FindHooks("*").size(), 12u);
}

TEST_F(HookTest, PrologReadsAndChangesArguments) {
  const shop::Db* seen_this = nullptr;
  int seen_id = -1;
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [&](Call<FindSig>& call) {
    seen_this = call.arg<0>();
    seen_id = call.arg<1>();
    call.arg<1>() = 7;
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_NE(db_find_hook.slot_value(), nullptr);
  EXPECT_TRUE(vigil::FindHooks("shop::Db::find")[0].armed);
  EXPECT_EQ(DbFind(&db_, 1), 107);
  EXPECT_EQ(seen_this, &db_);
  EXPECT_EQ(seen_id, 1);
}

// Prologs alone hand the call back to the function's entry, which runs its
// body with the arguments they left; an epilog (which must see the result)
// or an abort makes the runtime finish the call itself.
TEST_F(HookTest, PrologOnlyCallsContinueIntoTheBodyOthersAreFinishedByTheRuntime) {
  auto prolog = vigil::AttachProlog<FindSig>("shop::Db::find",
                                             [](Call<FindSig>& call) { call.arg<1>() += 1; });
  ASSERT_TRUE(prolog.ok()) << prolog.status().message();
  uint64_t continued = db_find_hook.continued();
  EXPECT_EQ(DbFind(&db_, 1), 102);
  EXPECT_EQ(db_find_hook.continued(), continued + 1);

  auto epilog = vigil::AttachEpilog<FindSig>("shop::Db::find",
                                             [](Call<FindSig>& call) { call.result() += 1000; });
  ASSERT_TRUE(epilog.ok()) << epilog.status().message();
  uint64_t finished = db_find_hook.finished();
  EXPECT_EQ(DbFind(&db_, 1), 1102);
  EXPECT_EQ(db_find_hook.continued(), continued + 1);  // finished by the runtime
  EXPECT_EQ(db_find_hook.finished(), finished + 1);    // through the finish thunk
  ASSERT_TRUE(vigil::Detach(*epilog).ok());

  auto abort = vigil::AttachProlog<FindSig>(
      "shop::Db::find", [](Call<FindSig>& call) { call.Abort(-1); }, {.priority = 10});
  ASSERT_TRUE(abort.ok()) << abort.status().message();
  EXPECT_EQ(DbFind(&db_, 1), -1);
  EXPECT_EQ(db_find_hook.continued(), continued + 1);
  ASSERT_TRUE(vigil::Detach(*abort).ok());

  {
    vigil::ScopedSuppressHooks quiet;  // hooks run plainly: straight to the body
    EXPECT_EQ(DbFind(&db_, 1), 101);
  }
  EXPECT_EQ(db_find_hook.continued(), continued + 2);
}

// A function whose entry leaves re-entries from invoke to the runtime unless
// its slot is tagged for finishing: each body runs once, each callback once,
// also when the tag is gone by the time the finish thunk's invoke re-enters.
TEST_F(HookTest, ReentriesFromInvokeRunTheBodyOnceWhateverTheTag) {
  int prologs = 0, epilogs = 0;
  auto prolog = vigil::AttachProlog<int(int)>("app::scaled", [&](Call<int(int)>& call) {
    ++prologs;
    call.arg<0>() += 1;
  });
  ASSERT_TRUE(prolog.ok()) << prolog.status().message();
  int runs = g_scaled_body_runs;
  EXPECT_EQ(Scaled(1), 20);  // continues into the body with the new argument
  EXPECT_EQ(prologs, 1);
  EXPECT_EQ(g_scaled_body_runs, runs + 1);

  auto epilog = vigil::AttachEpilog<int(int)>("app::scaled", [&](Call<int(int)>& call) {
    ++epilogs;
    call.result() += 5;
  });
  ASSERT_TRUE(epilog.ok()) << epilog.status().message();
  uint64_t finished = scaled_hook.finished();
  EXPECT_EQ(Scaled(1), 25);  // finish thunk; invoke re-enters, the entry lets it through
  EXPECT_EQ(scaled_hook.finished(), finished + 1);
  EXPECT_EQ(prologs, 2);
  EXPECT_EQ(epilogs, 1);
  EXPECT_EQ(g_scaled_body_runs, runs + 2);
  ASSERT_TRUE(vigil::Detach(*epilog).ok());

  // A finish thunk that loaded the tag before the epilog went: the runtime
  // invokes, and the re-entry (no tag now) reaches __vigil_enter, which must
  // let it into the body instead of running the prolog again.
  int x = 1, result = 0;
  void* argv[] = {&x};
  __vigil_finish(scaled_hook.site(), argv, &result, &FakeHook<&Scaled>::Invoke);
  EXPECT_EQ(result, 20);
  EXPECT_EQ(prologs, 3);
  EXPECT_EQ(g_scaled_body_runs, runs + 3);
  EXPECT_EQ(__vigil_bypass, nullptr);
  EXPECT_EQ(Scaled(2), 30);  // and the gate is open again
  EXPECT_EQ(prologs, 4);
}

TEST_F(HookTest, PrologAbortsWithTheValueItChooses) {
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [](Call<FindSig>& call) {
    if (call.arg<1>() < 0) call.Abort(-1);
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  int runs = g_find_body_runs;
  EXPECT_EQ(DbFind(&db_, -5), -1);
  EXPECT_EQ(g_find_body_runs, runs);  // the function did not run
  EXPECT_EQ(DbFind(&db_, 5), 105);
  EXPECT_EQ(g_find_body_runs, runs + 1);
}

TEST_F(HookTest, EpilogSeesAndChangesTheResult) {
  int seen = 0;
  bool returned = false;
  auto a = vigil::AttachEpilog<FindSig>("shop::Db::find", [&](Call<FindSig>& call) {
    returned = call.returned() && !call.aborted();
    seen = call.result();
    call.result() = seen * 2;
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(DbFind(&db_, 1), 202);
  EXPECT_EQ(seen, 101);
  EXPECT_TRUE(returned);
}

TEST_F(HookTest, VoidFunctionAbortAndEpilog) {
  int epilogs = 0;
  bool last_aborted = false;
  auto a = vigil::Attach<NotifySig>(
      "app::notify",
      [](Call<NotifySig>& call) {
        if (call.arg<1>() > 100) call.Abort();
      },
      [&](Call<NotifySig>& call) {
        ++epilogs;
        last_aborted = call.aborted();
      });
  ASSERT_TRUE(a.ok()) << a.status().message();
  int counter = 0;
  int runs = g_notify_body_runs;
  Notify(counter, 5);
  EXPECT_EQ(counter, 5);
  EXPECT_FALSE(last_aborted);
  Notify(counter, 500);
  EXPECT_EQ(counter, 5);
  EXPECT_TRUE(last_aborted);
  EXPECT_EQ(epilogs, 2);
  EXPECT_EQ(g_notify_body_runs, runs + 1);
}

TEST_F(HookTest, ReferenceParameterCanBeChangedOrRebound) {
  int other = 0;
  auto a = vigil::AttachProlog<NotifySig>("app::notify", [&](Call<NotifySig>& call) {
    if (call.arg<1>() == 1) call.arg<0>() = 40;  // the caller's object
    if (call.arg<1>() == 2) call.RebindArg<0>(other);
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  int counter = 0;
  Notify(counter, 1);
  EXPECT_EQ(counter, 41);
  Notify(counter, 2);
  EXPECT_EQ(counter, 41);
  EXPECT_EQ(other, 2);
}

TEST_F(HookTest, ReferenceResultAbortAndRebind) {
  static int replacement = -1;
  static int rebound = -2;
  auto a = vigil::Attach<PickSig>(
      "app::pick",
      [](Call<PickSig>& call) {
        if (call.arg<0>() == 2) call.Abort(replacement);
      },
      [](Call<PickSig>& call) {
        if (call.returned() && call.arg<0>() == 1) call.SetResult(rebound);
      });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(&Pick(0), &g_values[0]);
  EXPECT_EQ(&Pick(1), &rebound);
  EXPECT_EQ(&Pick(2), &replacement);
  EXPECT_EQ(vigil::FindHooks("app::pick")[0].ret_size, sizeof(void*));
}

TEST_F(HookTest, ClassReturnedByValue) {
  auto a = vigil::Attach<GreetSig>(
      "app::greet",
      [](Call<GreetSig>& call) {
        if (call.arg<0>() == "root") call.Abort("blocked");
        if (call.arg<0>() == "eve") call.arg<0>() = "mallory";
      },
      [](Call<GreetSig>& call) { call.result() += "!"; });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(Greet("bob"), "hello bob!");
  EXPECT_EQ(Greet("root"), "blocked!");
  EXPECT_EQ(Greet("eve"), "hello mallory!");
}

TEST_F(HookTest, SecondAbortReplacesTheValue) {
  auto a = vigil::AttachProlog<GreetSig>("app::greet", [](Call<GreetSig>& call) {
    call.Abort(std::string(100, 'x'));  // heap-allocated: a leak would show under ASan
    call.Abort("second");
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(Greet("bob"), "second");
}

TEST_F(HookTest, NonDefaultConstructibleResultIsConstructedInPlace) {
  auto a = vigil::Attach<MakeSig>(
      "app::make",
      [](Call<MakeSig>& call) {
        if (call.arg<0>() < 0) call.Abort(42);
      },
      [](Call<MakeSig>& call) {
        if (call.arg<0>() == 7) call.SetResult(777);
      });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(Make(3).value, 6);
  EXPECT_EQ(Make(-1).value, 42);
  EXPECT_EQ(Make(7).value, 777);
}

TEST_F(HookTest, AbortIsRefusedInEpilogs) {
  bool abort_result = true;
  auto a = vigil::AttachEpilog<FindSig>("shop::Db::find", [&](Call<FindSig>& call) {
    abort_result = call.Abort(5);
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(DbFind(&db_, 1), 101);
  EXPECT_FALSE(abort_result);
}

TEST_F(HookTest, TypeDifferingOnlyByNoexceptMatches) {
  auto plain = vigil::AttachProlog<int(int)>("app::twice", [](Call<int(int)>& call) {
    call.arg<0>() += 1;
  });
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(Twice(1), 4);
  using NoexceptSig = int(int) noexcept;
  auto with_noexcept = vigil::AttachProlog<NoexceptSig>(
      "app::inner", [](Call<NoexceptSig>& call) { call.arg<0>() = 10; });
  ASSERT_TRUE(with_noexcept.ok()) << with_noexcept.status().message();
  EXPECT_EQ(Inner(1), 11);
}

TEST_F(HookTest, TypeMismatchIsRefusedWithAClearMessageAndNothingAttached) {
  int runs = 0;
  // Missing `const` on `this`.
  auto a = vigil::AttachProlog<int(shop::Db*, int)>(
      "shop::Db::find", [&](Call<int(shop::Db*, int)>&) { ++runs; });
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kTypeMismatch);
  const std::string& msg = a.status().message();
  EXPECT_TRUE(Contains(msg, "shop::Db::find")) << msg;
  EXPECT_TRUE(Contains(msg, "int (const shop::Db *, int)")) << msg;
  EXPECT_TRUE(Contains(msg, "FiPKN4shop2DbEiE")) << msg;
  EXPECT_TRUE(Contains(msg, "FiPN4shop2DbEiE")) << msg;
  EXPECT_TRUE(Contains(msg, "nothing attached")) << msg;
  EXPECT_EQ(db_find_hook.slot_value(), nullptr);
  EXPECT_EQ(vigil::FindHooks("shop::Db::find")[0].callbacks, 0u);
  EXPECT_EQ(vigil::GetEngineStats().attachments, 0u);
  DbFind(&db_, 1);
  EXPECT_EQ(runs, 0);

  // A pattern whose matches include another type attaches to none of them.
  auto b = vigil::AttachProlog<FindSig>("shop::Db::*", [&](Call<FindSig>&) { ++runs; });
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kTypeMismatch);
  EXPECT_TRUE(Contains(b.status().message(), "shop::Db::insert")) << b.status().message();
  EXPECT_EQ(db_find_hook.slot_value(), nullptr);
  EXPECT_EQ(db_insert_hook.slot_value(), nullptr);
}

TEST_F(HookTest, UnknownNameIsNotFoundUnlessPendingIsAllowed) {
  auto a = vigil::AttachProlog<FindSig>("shop::Db::nope", [](Call<FindSig>&) {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(a.status().message(), "shop::Db::nope"));
  auto b = vigil::AttachProlog<FindSig>("shop::Db::nope", [](Call<FindSig>&) {},
                                        {.allow_pending = true});
  EXPECT_TRUE(b.ok()) << b.status().message();
  auto empty = vigil::AttachProlog<FindSig>("", [](Call<FindSig>&) {});
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto none = vigil::Attach<FindSig>("shop::Db::find", vigil::NoCallback{}, vigil::NoCallback{});
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(HookTest, PrioritiesOrderPrologsAndReverseEpilogs) {
  std::vector<std::string> trace;
  auto tracer = [&](std::string name, int priority) {
    return vigil::Attach<FindSig>(
        "shop::Db::find", [&trace, name](Call<FindSig>&) { trace.push_back("p:" + name); },
        [&trace, name](Call<FindSig>&) { trace.push_back("e:" + name); },
        {.priority = priority});
  };
  ASSERT_TRUE(tracer("c", 10).ok());
  ASSERT_TRUE(tracer("a", -5).ok());
  ASSERT_TRUE(tracer("b1", 0).ok());
  ASSERT_TRUE(tracer("b2", 0).ok());  // equal priority: after b1
  DbFind(&db_, 1);
  EXPECT_EQ(trace, (std::vector<std::string>{"p:a", "p:b1", "p:b2", "p:c", "e:c", "e:b2", "e:b1",
                                             "e:a"}));
  EXPECT_EQ(vigil::FindHooks("shop::Db::find")[0].callbacks, 4u);
}

TEST_F(HookTest, AbortSkipsLaterPrologsAndTheFunctionButEarlierEpilogsRun) {
  std::vector<std::string> trace;
  for (int i = 1; i <= 3; ++i) {
    std::string name = std::to_string(i);
    auto a = vigil::Attach<FindSig>(
        "shop::Db::find",
        [&trace, name](Call<FindSig>& call) {
          trace.push_back("p" + name);
          if (name == "2") call.Abort(-2);
        },
        [&trace, name](Call<FindSig>& call) {
          trace.push_back("e" + name + (call.aborted() ? "(aborted)" : ""));
          EXPECT_EQ(call.result(), -2);
        },
        {.priority = i});
    ASSERT_TRUE(a.ok());
  }
  int runs = g_find_body_runs;
  EXPECT_EQ(DbFind(&db_, 1), -2);
  EXPECT_EQ(g_find_body_runs, runs);
  EXPECT_EQ(trace, (std::vector<std::string>{"p1", "p2", "e2(aborted)", "e1(aborted)"}));
}

TEST_F(HookTest, DetachDisarmsAndDestroysTheCallbackOnceUnused) {
  auto token = std::make_shared<int>(0);
  int runs = 0;
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find",
                                        [&runs, token](Call<FindSig>&) { ++runs; });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(token.use_count(), 2);
  DbFind(&db_, 1);
  EXPECT_EQ(runs, 1);
  ASSERT_TRUE(vigil::Detach(*a).ok());
  EXPECT_EQ(db_find_hook.slot_value(), nullptr);
  DbFind(&db_, 1);
  EXPECT_EQ(runs, 1);
  vigil::Reclaim();
  EXPECT_EQ(token.use_count(), 1);  // no thread is inside: freed
  EXPECT_EQ(vigil::Detach(*a).code(), StatusCode::kNotFound);
  EXPECT_EQ(vigil::Describe(*a).status().code(), StatusCode::kNotFound);
}

TEST_F(HookTest, ScopedAttachmentDetachesOnDestruction) {
  {
    auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [](Call<FindSig>&) {});
    ASSERT_TRUE(a.ok());
    vigil::ScopedAttachment scoped(*a);
    EXPECT_NE(db_find_hook.slot_value(), nullptr);
  }
  EXPECT_EQ(db_find_hook.slot_value(), nullptr);
}

TEST_F(HookTest, ReplaceSwapsCallbacksInPlace) {
  std::vector<std::string> trace;
  auto x = vigil::AttachProlog<FindSig>("shop::Db::find",
                                        [&](Call<FindSig>&) { trace.push_back("x"); });
  auto y = vigil::AttachProlog<FindSig>("shop::Db::find",
                                        [&](Call<FindSig>&) { trace.push_back("y"); });
  ASSERT_TRUE(x.ok() && y.ok());
  DbFind(&db_, 1);
  ASSERT_TRUE(vigil::Replace<FindSig>(*x, [&](Call<FindSig>&) { trace.push_back("x2"); }).ok());
  DbFind(&db_, 1);
  EXPECT_EQ(trace, (std::vector<std::string>{"x", "y", "x2", "y"}));  // keeps its place

  vigil::Status wrong = vigil::Replace<int(int)>(*x, [](Call<int(int)>&) {});
  EXPECT_EQ(wrong.code(), StatusCode::kTypeMismatch);
  EXPECT_TRUE(Contains(wrong.message(), "FiPKN4shop2DbEiE")) << wrong.message();
  EXPECT_EQ(vigil::Replace<FindSig>(vigil::Attachment(999999), [](Call<FindSig>&) {}).code(),
            StatusCode::kNotFound);
  auto info = vigil::Describe(*x);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->pattern, "shop::Db::find");
  EXPECT_EQ(info->signature, typeid(FindSig).name());
  EXPECT_EQ(info->hooks, (std::vector<std::string>{"shop::Db::find"}));
}

TEST_F(HookTest, ExceptionsFromCallbacksAreContainedCountedAndDisableAfterTheLimit) {
  auto before = vigil::GetHookStats("shop::Db::find");
  ASSERT_TRUE(before.ok());
  int runs = 0;
  auto a = vigil::AttachProlog<FindSig>(
      "shop::Db::find",
      [&](Call<FindSig>&) {
        ++runs;
        throw std::runtime_error("boom");
      },
      {.max_errors = 3});
  int epilogs = 0;
  auto keep = vigil::AttachEpilog<FindSig>("shop::Db::find",
                                           [&](Call<FindSig>&) { ++epilogs; });
  ASSERT_TRUE(a.ok() && keep.ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(DbFind(&db_, 1), 101);  // never reaches the caller
  EXPECT_EQ(runs, 3);
  auto info = vigil::Describe(*a);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->disabled);
  EXPECT_EQ(info->errors, 3u);
  EXPECT_TRUE(info->hooks.empty());
  EXPECT_EQ(vigil::FindHooks("shop::Db::find")[0].callbacks, 1u);  // the other one stays
  EXPECT_EQ(DbFind(&db_, 1), 101);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(epilogs, 4);
  auto after = vigil::GetHookStats("shop::Db::find");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->callback_errors - before->callback_errors, 3u);
  // A disabled attachment can be replaced only after detaching it.
  EXPECT_EQ(vigil::Replace<FindSig>(*a, [](Call<FindSig>&) {}).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(vigil::Detach(*a).ok());
}

TEST_F(HookTest, AnyThrownTypeIsContainedAndNeverDisableKeepsIt) {
  int runs = 0;
  auto a = vigil::Attach<FindSig>(
      "shop::Db::find", [&](Call<FindSig>&) { ++runs; throw 42; },
      [&](Call<FindSig>&) { throw "epilog"; }, {.max_errors = vigil::kNeverDisable});
  ASSERT_TRUE(a.ok());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(DbFind(&db_, 1), 101);
  EXPECT_EQ(runs, 10);
  auto info = vigil::Describe(*a);
  EXPECT_FALSE(info->disabled);
  EXPECT_EQ(info->errors, 20u);
}

TEST_F(HookTest, AbortStandsWhenThePrologThrowsAfterIt) {
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [](Call<FindSig>& call) {
    call.Abort(-9);
    throw std::logic_error("after abort");
  });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(DbFind(&db_, 1), -9);
}

TEST_F(HookTest, FunctionExceptionsPropagateUnchangedAndLeaveNoState) {
  auto token = std::make_shared<int>(0);
  int epilogs = 0;
  auto a = vigil::Attach<int(int)>(
      "app::checked", [token](Call<int(int)>&) {}, [&](Call<int(int)>&) { ++epilogs; });
  ASSERT_TRUE(a.ok());
  EXPECT_THROW(Checked(-1), std::invalid_argument);
  EXPECT_EQ(epilogs, 0);  // epilogs do not run when the function throws
  EXPECT_EQ(Checked(1), 1);
  EXPECT_EQ(epilogs, 1);
  // The read-side section was left during unwinding: reclamation proceeds.
  ASSERT_TRUE(vigil::Detach(*a).ok());
  vigil::Reclaim();
  EXPECT_EQ(token.use_count(), 1);
}

TEST_F(HookTest, HookedFunctionsCalledFromCallbacksRunPlainly) {
  int inner_prologs = 0;
  auto inner = vigil::AttachProlog<int(int)>("app::inner", [&](Call<int(int)>& call) {
    ++inner_prologs;
    call.arg<0>() += 1000;
    EXPECT_EQ(Inner(5), 6);  // itself, from its own prolog: plain
  });
  auto outer = vigil::AttachProlog<int(int)>("app::outer", [&](Call<int(int)>& call) {
    call.arg<0>() = Inner(call.arg<0>());  // plain: no prolog, 1 -> 2
  });
  ASSERT_TRUE(inner.ok() && outer.ok());
  // Outer's body (not a callback) calls Inner with hooks: 2 -> 1002 -> 1003.
  EXPECT_EQ(Outer(1), 10030);
  EXPECT_EQ(inner_prologs, 1);
  {
    vigil::ScopedSuppressHooks quiet;
    EXPECT_EQ(Inner(1), 2);
  }
  EXPECT_EQ(inner_prologs, 1);
  EXPECT_EQ(Inner(1), 1002);
  EXPECT_EQ(inner_prologs, 2);
}

TEST_F(HookTest, CountersCountCallsAbortsErrorsAndSampleTime) {
  auto before = vigil::GetHookStats("shop::Db::find");
  ASSERT_TRUE(before.ok());
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [](Call<FindSig>& call) {
    if (call.arg<1>() < 0) call.Abort(0);
  });
  ASSERT_TRUE(a.ok());
  constexpr int kCalls = 6400;
  for (int i = 0; i < kCalls; ++i) DbFind(&db_, i % 10 == 0 ? -1 : 1);
  auto after = vigil::GetHookStats("shop::Db::find");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->calls - before->calls, uint64_t{kCalls});
  EXPECT_EQ(after->aborts - before->aborts, uint64_t{kCalls / 10});
  EXPECT_EQ(after->sampled_calls - before->sampled_calls, uint64_t{kCalls / vigil::kTimeSamplePeriod});
  EXPECT_GT(after->sampled_callback_ns, before->sampled_callback_ns);
  EXPECT_GT(after->EstimatedCallbackNs(), 0u);
  // Detached calls are not counted.
  ASSERT_TRUE(vigil::Detach(*a).ok());
  DbFind(&db_, 1);
  EXPECT_EQ(vigil::GetHookStats("shop::Db::find")->calls, after->calls);
  // Patterns sum over hook points.
  EXPECT_GE(vigil::GetHookStats("shop::*")->calls, after->calls);
  EXPECT_EQ(vigil::GetHookStats("nope::*").status().code(), StatusCode::kNotFound);
}

TEST_F(HookTest, ConstructorsFailByThrowingNotByAbort) {
  bool plain_abort = true;
  int epilogs = 0;
  bool saw_exception = false;
  bool has_result = true;
  auto a = vigil::Attach<CtorSig>(
      "lib::Statement::Statement",
      [&](Call<CtorSig>& call) {
        plain_abort = call.Abort();  // refused: *this would never be constructed
        if (std::string_view(call.arg<1>()).find("DROP") != std::string_view::npos) {
          EXPECT_TRUE(call.AbortWithException(std::runtime_error("blocked by vigil")));
        }
      },
      [&](Call<CtorSig>& call) {
        ++epilogs;
        saw_exception = call.aborted_with_exception();
        has_result = call.has_result();
      });
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto before = vigil::GetHookStats("lib::Statement::Statement");
  lib::Statement s{nullptr};
  StatementCtor(&s, "SELECT 1");
  EXPECT_STREQ(s.sql, "SELECT 1");
  EXPECT_FALSE(plain_abort);
  EXPECT_FALSE(saw_exception);
  std::string what;
  try {
    StatementCtor(&s, "DROP TABLE users");
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "blocked by vigil");
  EXPECT_STREQ(s.sql, "SELECT 1");  // the constructor did not run
  EXPECT_TRUE(saw_exception);
  EXPECT_FALSE(has_result);
  EXPECT_EQ(epilogs, 2);
  auto after = vigil::GetHookStats("lib::Statement::Statement");
  EXPECT_EQ(after->aborts - before->aborts, 1u);
  EXPECT_EQ(after->callback_errors, before->callback_errors);
}

TEST_F(HookTest, ExceptionAbortIsRefusedForNoexceptFunctions) {
  bool accepted = true;
  auto a = vigil::AttachProlog<int(int)>("app::twice", [&](Call<int(int)>& call) {
    accepted = call.AbortWithException(std::runtime_error("would terminate"));
  });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Twice(2), 4);
  EXPECT_FALSE(accepted);
}

TEST_F(HookTest, ValueAndExceptionAbortsReplaceEachOther) {
  auto a = vigil::AttachProlog<GreetSig>("app::greet", [](Call<GreetSig>& call) {
    if (call.arg<0>() == "x") {
      call.Abort(std::string(100, 'v'));  // heap string: ASan checks it is destroyed
      call.AbortWithException(std::logic_error("exception wins"));
    } else if (call.arg<0>() == "y") {
      call.AbortWithException(std::logic_error("replaced"));
      call.Abort("value wins");
    }
  });
  ASSERT_TRUE(a.ok());
  EXPECT_THROW(Greet("x"), std::logic_error);
  EXPECT_EQ(Greet("y"), "value wins");
  EXPECT_EQ(Greet("z"), "hello z");
}

TEST_F(HookTest, CallbackMayDetachItselfWhileRunning) {
  vigil::Attachment self;
  auto token = std::make_shared<int>(7);
  int runs = 0;
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [&self, &runs, token](Call<FindSig>&) {
    ++runs;
    EXPECT_TRUE(vigil::Detach(self).ok());
    vigil::Reclaim();       // must not free this callback while it runs
    EXPECT_EQ(*token, 7);   // ASan would flag a premature free here
  });
  ASSERT_TRUE(a.ok());
  self = *a;
  EXPECT_EQ(DbFind(&db_, 1), 101);
  EXPECT_EQ(DbFind(&db_, 1), 101);
  EXPECT_EQ(runs, 1);
  token.reset();
  vigil::Reclaim();
}

TEST_F(HookTest, CallKnowsItsHookPoint) {
  std::string name;
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [&](Call<FindSig>& call) {
    name = call.hook_name();
  });
  ASSERT_TRUE(a.ok());
  DbFind(&db_, 1);
  EXPECT_EQ(name, "shop::Db::find");
}

TEST_F(HookTest, EngineStatsReportMembarrierAndReaders) {
  auto a = vigil::AttachProlog<FindSig>("shop::Db::find", [](Call<FindSig>&) {});
  ASSERT_TRUE(a.ok());
  DbFind(&db_, 1);
  vigil::EngineStats s = vigil::GetEngineStats();
  EXPECT_EQ(s.images, 1u);
  EXPECT_EQ(s.hook_points, 12u);
  EXPECT_EQ(s.attachments, 1u);
  EXPECT_GE(s.reader_records, 1u);
  EXPECT_EQ(s.bad_site_records, 0u);
}

}  // namespace
