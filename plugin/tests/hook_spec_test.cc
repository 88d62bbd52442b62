// Copyright Vigil authors.
#include "hook_spec.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace vigil::plugin {
namespace {

TEST(GlobMatch, Basics) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("shop::*", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("*::find", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("sqlite3_prepare*", "sqlite3_prepare_v2"));
  EXPECT_TRUE(GlobMatch("f?o", "foo"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_FALSE(GlobMatch("shop::*", "shopping::x"));
  EXPECT_FALSE(GlobMatch("f?o", "fo"));
  EXPECT_FALSE(GlobMatch("", "x"));
}

TEST(GlobMatch, NoBlowUpOnManyStars) {
  std::string text(5000, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*b", text));
}

TEST(HookSpec, ParsesDirectives) {
  HookSpec spec;
  std::string error;
  ASSERT_TRUE(HookSpec::Parse(R"(
# comment
hook function shop::*   # trailing comment
hook namespace billing
skip function *::detail::*
hook call sqlite3_exec PQexec
skip file */vendor/*
)",
                              "test.spec", &spec, &error))
      << error;
  EXPECT_TRUE(spec.Selects(JoinPoint::kDefinition, "shop::Db::find", "_ZN...", "src/db.cc"));
  EXPECT_TRUE(spec.Selects(JoinPoint::kDefinition, "billing::charge", "", "src/b.cc"));
  EXPECT_FALSE(spec.Selects(JoinPoint::kDefinition, "shop::detail::x", "", "src/db.cc"));
  EXPECT_FALSE(spec.Selects(JoinPoint::kDefinition, "other::f", "", "src/db.cc"));
  EXPECT_FALSE(spec.Selects(JoinPoint::kDefinition, "shop::f", "", "lib/vendor/x.h"));
  EXPECT_TRUE(spec.Selects(JoinPoint::kCall, "sqlite3_exec", "sqlite3_exec", "a.cc"));
  EXPECT_FALSE(spec.Selects(JoinPoint::kCall, "shop::Db::find", "", "a.cc"));
  // Definitions and calls are separate join points.
  EXPECT_FALSE(spec.Selects(JoinPoint::kDefinition, "sqlite3_exec", "sqlite3_exec", "a.cc"));
}

TEST(HookSpec, MatchesSymbolToo) {
  HookSpec spec;
  std::string error;
  ASSERT_TRUE(HookSpec::Parse("hook function _ZN4shop*\n", "t", &spec, &error));
  EXPECT_TRUE(spec.Selects(JoinPoint::kDefinition, "shop::add", "_ZN4shop3addEii", "a.cc"));
}

TEST(HookSpec, OnlyFile) {
  HookSpec spec;
  std::string error;
  ASSERT_TRUE(HookSpec::Parse("all\nonly file src/*\n", "t", &spec, &error));
  EXPECT_TRUE(spec.Selects(JoinPoint::kDefinition, "x", "", "src/a.cc"));
  EXPECT_FALSE(spec.Selects(JoinPoint::kDefinition, "x", "", "/usr/include/a.h"));
}

TEST(HookSpec, AllAndDefault) {
  HookSpec all = HookSpec::All();
  EXPECT_TRUE(all.Selects(JoinPoint::kDefinition, "anything", "", "f.c"));
  EXPECT_TRUE(all.Selects(JoinPoint::kCall, "anything", "", "f.c"));
  HookSpec def = HookSpec::Default();
  EXPECT_TRUE(def.Selects(JoinPoint::kCall, "sqlite3_prepare_v2", "sqlite3_prepare_v2", "f.c"));
  EXPECT_TRUE(def.Selects(JoinPoint::kCall, "PQexec", "PQexec", "f.c"));
  EXPECT_TRUE(def.Selects(JoinPoint::kCall, "system", "system", "f.c"));
  EXPECT_FALSE(def.Selects(JoinPoint::kDefinition, "main", "main", "f.c"));
  EXPECT_FALSE(def.Selects(JoinPoint::kCall, "strlen", "strlen", "f.c"));
}

TEST(HookSpec, IncludeDefault) {
  HookSpec spec;
  std::string error;
  ASSERT_TRUE(HookSpec::Parse("include default\nhook function app::*\n", "t", &spec, &error));
  EXPECT_TRUE(spec.Selects(JoinPoint::kCall, "sqlite3_exec", "sqlite3_exec", "f.c"));
  EXPECT_TRUE(spec.Selects(JoinPoint::kDefinition, "app::run", "", "f.c"));
}

TEST(HookSpec, ErrorsArePrecise) {
  HookSpec spec = HookSpec::All();
  std::string error;
  EXPECT_FALSE(HookSpec::Parse("hook function a\nhok function b\n", "my.spec", &spec, &error));
  EXPECT_EQ(error, "my.spec:2: unknown directive 'hok' (expected hook, skip, only, include or all)");
  EXPECT_FALSE(HookSpec::Parse("hook function\n", "my.spec", &spec, &error));
  EXPECT_NE(error.find("my.spec:1:"), std::string::npos);
  EXPECT_FALSE(HookSpec::Parse("hook method x\n", "my.spec", &spec, &error));
  EXPECT_NE(error.find("unknown target 'method'"), std::string::npos);
  EXPECT_FALSE(HookSpec::Parse("include other\n", "my.spec", &spec, &error));
  EXPECT_FALSE(HookSpec::Parse("only function x\n", "my.spec", &spec, &error));
  // A failed parse leaves the spec as it was.
  EXPECT_TRUE(spec.Selects(JoinPoint::kDefinition, "anything", "", "f.c"));
}

TEST(HookSpec, LoadFile) {
  std::string path = ::testing::TempDir() + "/vigil_spec_test.spec";
  {
    std::ofstream out(path);
    out << "hook call fopen\n";
  }
  HookSpec spec;
  std::string error;
  ASSERT_TRUE(HookSpec::Load(path, &spec, &error)) << error;
  EXPECT_TRUE(spec.Selects(JoinPoint::kCall, "fopen", "fopen", "a.c"));
  EXPECT_FALSE(HookSpec::Load("/nonexistent/spec", &spec, &error));
  EXPECT_EQ(error, "cannot read hook spec file '/nonexistent/spec'");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace vigil::plugin
