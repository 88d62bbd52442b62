// Copyright Vigil authors.
//
// Images: registration and unregistration (dlopen/dlclose), one hook point
// across several images, call-site slots vs definitions, attachments that
// precede the image, and malformed "vigil_sites" sections.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "fake_site.h"
#include "vigil/hook.h"

namespace {

using vigil::Call;
using vigil::StatusCode;
using vigil::testing::BuildMetaRecord;
using vigil::testing::FakeHook;
using vigil::testing::FakeImage;
using IntSig = int(int);

// extern "C" int ext_open(int): defined in an instrumented "library" image,
// and called through a call-site hook point from an "application" image.
extern "C" int ExtOpenDefinition(int flags);
FakeHook<&ExtOpenDefinition> ext_open_definition(
    {.name = "ext_open", .symbol = "ext_open", .flags = VIGIL_META_C_LINKAGE, .params = "flags"});
extern "C" int ExtOpenDefinition(int flags) {
  VIGIL_FAKE_ENTRY(ext_open_definition, flags);
  return flags + 1;
}
int ExtOpenCallSite(int flags);
FakeHook<&ExtOpenCallSite> ext_open_call_site({.name = "ext_open",
                                               .symbol = "ext_open",
                                               .kind = VIGIL_KIND_CALL_SITE,
                                               .flags = VIGIL_META_C_LINKAGE,
                                               .params = "flags"});
int ExtOpenCallSite(int flags) {
  VIGIL_FAKE_ENTRY(ext_open_call_site, flags);
  return ExtOpenDefinition(flags);
}

// An inline function instantiated in two images: one hook point, two slots.
int SharedInA(int x);
FakeHook<&SharedInA> shared_in_a({.name = "util::shared", .symbol = "_ZN4util6sharedEi"});
int SharedInA(int x) {
  VIGIL_FAKE_ENTRY(shared_in_a, x);
  return x * 3;
}
int SharedInB(int x);
FakeHook<&SharedInB> shared_in_b({.name = "util::shared", .symbol = "_ZN4util6sharedEi"});
int SharedInB(int x) {
  VIGIL_FAKE_ENTRY(shared_in_b, x);
  return x * 3;
}

// Functions of a library loaded late.
int LateFn(int x);
FakeHook<&LateFn> late_fn({.name = "late::fn", .symbol = "_ZN4late2fnEi"});
int LateFn(int x) {
  VIGIL_FAKE_ENTRY(late_fn, x);
  return x;
}
void LateOther(int x);
FakeHook<&LateOther> late_other({.name = "late::other", .symbol = "_ZN4late5otherEi"});
void LateOther(int x) { VIGIL_FAKE_ENTRY(late_other, x); }

// Two functions for a padded section.
int PadA(int x);
FakeHook<&PadA> pad_a({.name = "pad::a", .symbol = "_ZN3pad1aEi"});
int PadA(int x) {
  VIGIL_FAKE_ENTRY(pad_a, x);
  return x;
}
int PadB(int x);
FakeHook<&PadB> pad_b({.name = "pad::b", .symbol = "_ZN3pad1bEi"});
int PadB(int x) {
  VIGIL_FAKE_ENTRY(pad_b, x);
  return x;
}

class ImageTest : public ::testing::Test {
 protected:
  void TearDown() override {
    vigil::DetachAll();
    vigil::Reclaim();
  }
};

TEST_F(ImageTest, CallSiteIsNotArmedWhileADefinitionOfItsSymbolIsLoaded) {
  FakeImage app({&ext_open_call_site});
  app.Register();
  int prologs = 0;
  auto a = vigil::AttachProlog<IntSig>("ext_open", [&](Call<IntSig>&) { ++prologs; });
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_NE(ext_open_call_site.slot_value(), nullptr);
  EXPECT_EQ(ExtOpenCallSite(1), 2);
  EXPECT_EQ(prologs, 1);
  {
    FakeImage lib({&ext_open_definition});
    lib.Register();
    EXPECT_EQ(ext_open_call_site.slot_value(), nullptr);
    EXPECT_NE(ext_open_definition.slot_value(), nullptr);
    EXPECT_EQ(ExtOpenCallSite(1), 2);
    EXPECT_EQ(prologs, 2);  // once, through the definition
    std::vector<vigil::HookInfo> hooks = vigil::FindHooks("ext_open");
    ASSERT_EQ(hooks.size(), 1u);
    EXPECT_EQ(hooks[0].definition_sites, 1u);
    EXPECT_EQ(hooks[0].call_sites, 1u);
    EXPECT_TRUE(hooks[0].armed);
    lib.Unregister();
  }
  // The definition is gone (dlclose): the call site is armed again.
  EXPECT_NE(ext_open_call_site.slot_value(), nullptr);
  EXPECT_EQ(ExtOpenCallSite(1), 2);
  EXPECT_EQ(prologs, 3);
}

TEST_F(ImageTest, DefinitionLoadedFirstKeepsALaterCallSiteUnarmed) {
  FakeImage lib({&ext_open_definition});
  lib.Register();
  auto a = vigil::AttachProlog<IntSig>("ext_open", [](Call<IntSig>&) {});
  ASSERT_TRUE(a.ok());
  FakeImage app({&ext_open_call_site});
  app.Register();
  EXPECT_EQ(ext_open_call_site.slot_value(), nullptr);
  EXPECT_NE(ext_open_definition.slot_value(), nullptr);
}

TEST_F(ImageTest, SecondImageGetsTheAttachmentsAlreadyMade) {
  FakeImage one({&shared_in_a});
  one.Register();
  int prologs = 0;
  auto a = vigil::AttachProlog<IntSig>("util::shared", [&](Call<IntSig>& call) {
    ++prologs;
    call.arg<0>() += 1;
  });
  ASSERT_TRUE(a.ok());
  FakeImage two({&shared_in_b});
  two.Register();
  EXPECT_NE(shared_in_b.slot_value(), nullptr);
  EXPECT_EQ(shared_in_b.slot_value(), shared_in_a.slot_value());  // one snapshot
  EXPECT_EQ(SharedInB(1), 6);
  EXPECT_EQ(SharedInA(1), 6);
  EXPECT_EQ(prologs, 2);
  std::vector<vigil::HookInfo> hooks = vigil::FindHooks("util::shared");
  ASSERT_EQ(hooks.size(), 1u);  // the same symbol in two images is one hook point
  EXPECT_EQ(hooks[0].definition_sites, 2u);
  ASSERT_TRUE(vigil::Detach(*a).ok());
  EXPECT_EQ(shared_in_a.slot_value(), nullptr);
  EXPECT_EQ(shared_in_b.slot_value(), nullptr);
}

TEST_F(ImageTest, UnregisterThenReloadKeepsTheAttachment) {
  FakeImage one({&shared_in_a});
  one.Register();
  int prologs = 0;
  auto a = vigil::AttachProlog<IntSig>("util::shared", [&](Call<IntSig>&) { ++prologs; });
  ASSERT_TRUE(a.ok());
  one.Unregister();
  std::vector<vigil::HookInfo> hooks = vigil::FindHooks("util::shared");
  ASSERT_EQ(hooks.size(), 1u);  // known, not loaded
  EXPECT_EQ(hooks[0].definition_sites, 0u);
  EXPECT_FALSE(hooks[0].armed);
  EXPECT_EQ(vigil::GetEngineStats().images, 0u);
  one.Register();  // dlopen again
  EXPECT_NE(shared_in_a.slot_value(), nullptr);
  SharedInA(1);
  EXPECT_EQ(prologs, 1);
  auto info = vigil::Describe(*a);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->hooks, (std::vector<std::string>{"util::shared"}));
}

TEST_F(ImageTest, RegisteringTheSameImageTwiceIsCounted) {
  FakeImage one({&pad_a});
  one.Register();
  vigil_register_image(one.begin(), one.end());  // a second constructor run
  EXPECT_EQ(vigil::GetEngineStats().images, 1u);
  vigil_unregister_image(one.begin(), one.end());
  EXPECT_EQ(vigil::GetEngineStats().images, 1u);
  EXPECT_EQ(vigil::FindHooks("pad::a")[0].definition_sites, 1u);
}

TEST_F(ImageTest, PendingAttachmentArmsWhenTheImageLoads) {
  int fn_prologs = 0;
  auto exact = vigil::AttachProlog<IntSig>(
      "late::fn", [&](Call<IntSig>&) { ++fn_prologs; }, {.allow_pending = true});
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  int pattern_prologs = 0;
  auto pattern = vigil::AttachProlog<IntSig>(
      "late::*", [&](Call<IntSig>&) { ++pattern_prologs; }, {.allow_pending = true});
  ASSERT_TRUE(pattern.ok()) << pattern.status().message();
  EXPECT_TRUE(vigil::Describe(*exact)->hooks.empty());

  FakeImage late({&late_fn, &late_other});
  late.Register();
  EXPECT_NE(late_fn.slot_value(), nullptr);
  // late::other is void(int): the typed pattern skips it.
  EXPECT_EQ(late_other.slot_value(), nullptr);
  EXPECT_EQ(LateFn(3), 3);
  EXPECT_EQ(fn_prologs, 1);
  EXPECT_EQ(pattern_prologs, 1);
  EXPECT_EQ(vigil::Describe(*pattern)->hooks, (std::vector<std::string>{"late::fn"}));
}

TEST_F(ImageTest, UntypedPatternCoversEveryType) {
  FakeImage late({&late_fn, &late_other});
  late.Register();
  vigil_callbacks cb = {};
  cb.prolog = [](vigil_call*, void* user) { ++*static_cast<int*>(user); };
  int prologs = 0;
  cb.user_data = &prologs;
  vigil_attachment a = 0;
  ASSERT_EQ(vigil_attach("late::*", &cb, &a), VIGIL_OK) << vigil_last_error();
  LateFn(1);
  LateOther(1);
  EXPECT_EQ(prologs, 2);
}

TEST_F(ImageTest, ZeroPaddingBetweenRecordsIsSkipped) {
  uint64_t bad_before = vigil::GetEngineStats().bad_site_records;
  FakeImage padded({&pad_a, &pad_b}, /*padding_words=*/3);
  padded.Register();
  EXPECT_EQ(vigil::FindHooks("pad::*").size(), 2u);
  EXPECT_EQ(vigil::FindHooks("pad::a")[0].definition_sites, 1u);
  EXPECT_EQ(vigil::FindHooks("pad::b")[0].definition_sites, 1u);
  EXPECT_EQ(vigil::GetEngineStats().bad_site_records, bad_before);
  auto a = vigil::AttachProlog<IntSig>("pad::b", [](Call<IntSig>& call) { call.Abort(-1); });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(PadB(5), -1);
  EXPECT_EQ(PadA(5), 5);
}

TEST_F(ImageTest, MalformedRecordsAreSkippedAndCounted) {
  uint64_t bad_before = vigil::GetEngineStats().bad_site_records;
  // A record whose metadata has the wrong magic, one with an unknown kind,
  // then a good one, then an unknown record layout (stops the walk).
  std::vector<uint8_t> bad_meta = BuildMetaRecord(1, 0, 4, 1, 1, {"x", "x", "FiiE", "", "", ""});
  std::memcpy(bad_meta.data(), "XXXX", 4);
  void* slots[4] = {};
  vigil_site sites[4];
  sites[0] = {VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION, VIGIL_KIND_DEFINITION, &slots[0],
              reinterpret_cast<const vigil_meta_header*>(bad_meta.data()), nullptr, 0, 0};
  sites[1] = {VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION, 7, &slots[1],
              reinterpret_cast<const vigil_meta_header*>(bad_meta.data()), nullptr, 0, 0};
  std::vector<uint8_t> good =
      BuildMetaRecord(1, 0, 4, 1, 1, {"odd::good", "_ZN3odd4goodEi", "FiiE", "", "x", ""});
  sites[2] = {VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION, VIGIL_KIND_DEFINITION, &slots[2],
              reinterpret_cast<const vigil_meta_header*>(good.data()), nullptr, 0, 0};
  sites[3] = {VIGIL_SITE_MAGIC | 99u, VIGIL_KIND_DEFINITION, &slots[3], nullptr, nullptr, 0, 0};
  vigil_register_image(sites, sites + 4);
  EXPECT_EQ(vigil::GetEngineStats().bad_site_records, bad_before + 3);
  EXPECT_EQ(vigil::FindHooks("odd::good").size(), 1u);
  vigil_unregister_image(sites, sites + 4);
  vigil_register_image(nullptr, nullptr);  // ignored
  vigil_unregister_image(sites, sites);    // never registered: ignored
}

TEST_F(ImageTest, ChildProcessCanAttachAfterFork) {
  FakeImage one({&pad_a});
  one.Register();
  auto a = vigil::AttachProlog<IntSig>("pad::a", [](Call<IntSig>& call) { call.arg<0>() += 1; });
  ASSERT_TRUE(a.ok());
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // In the child: the lock is usable, the attachment works, and a new one too.
    auto b = vigil::AttachProlog<IntSig>("pad::a", [](Call<IntSig>& call) { call.arg<0>() *= 10; });
    int result = PadA(1);  // (1 + 1) * 10
    bool ok = b.ok() && result == 20 && vigil::Detach(*b).ok();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(PadA(1), 2);
}

}  // namespace
