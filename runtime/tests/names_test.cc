// Copyright Vigil authors.
//
// Name patterns and type-name comparison.
#include <gtest/gtest.h>

#include <string>
#include <typeinfo>

#include "glob.h"
#include "signature.h"

namespace vigil::rt {
namespace {

TEST(GlobTest, LiteralsMatchExactly) {
  EXPECT_TRUE(GlobMatch("shop::Db::find", "shop::Db::find"));
  EXPECT_FALSE(GlobMatch("shop::Db::find", "shop::Db::finder"));
  EXPECT_FALSE(GlobMatch("shop::Db::find", "shop::Db::fin"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "x"));
}

TEST(GlobTest, StarMatchesAnyRunIncludingScopes) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "anything::at::all"));
  EXPECT_TRUE(GlobMatch("shop::*", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("*::find", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("shop::*::find", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("*Db*", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("s*p*d", "shop::Db::find"));
  EXPECT_FALSE(GlobMatch("shop::*::insert", "shop::Db::find"));
  EXPECT_TRUE(GlobMatch("a*a*a", "aaaa"));
  EXPECT_FALSE(GlobMatch("a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

TEST(GlobTest, QuestionMarkMatchesOneCharacter) {
  EXPECT_TRUE(GlobMatch("shop::Db::fin?", "shop::Db::find"));
  EXPECT_FALSE(GlobMatch("shop::Db::fin?", "shop::Db::fin"));
  EXPECT_FALSE(GlobMatch("shop::Db::fin?", "shop::Db::finds"));
  EXPECT_TRUE(GlobMatch("?*", "x"));
  EXPECT_FALSE(GlobMatch("?*", ""));
}

TEST(GlobTest, HasWildcards) {
  EXPECT_FALSE(HasWildcards("shop::Db::find"));
  EXPECT_TRUE(HasWildcards("shop::*"));
  EXPECT_TRUE(HasWildcards("f?o"));
}

TEST(GlobTest, LongHostilePatternStaysFast) {
  std::string text(20000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(GlobMatch(pattern, text));  // would take forever if exponential
}

TEST(SignatureTest, ExactTypeNamesMatch) {
  EXPECT_TRUE(SignaturesMatch("FiPKN4shop2DbEiE", "FiPKN4shop2DbEiE"));
  EXPECT_FALSE(SignaturesMatch("FiPKN4shop2DbEiE", "FiPN4shop2DbEiE"));
  EXPECT_FALSE(SignaturesMatch("", ""));
}

TEST(SignatureTest, NoexceptIsIgnored) {
  std::string plain = typeid(int(int)).name();
  std::string noex = typeid(int(int) noexcept).name();
  EXPECT_NE(plain, noex);
  EXPECT_EQ(noex, "Do" + plain);
  EXPECT_TRUE(SignaturesMatch(plain, noex));
  EXPECT_TRUE(SignaturesMatch(noex, plain));
  EXPECT_FALSE(SignaturesMatch(noex, typeid(long(int)).name()));
}

TEST(SignatureTest, RecognisesConstructorNames) {
  EXPECT_TRUE(IsConstructorName("lib::Statement::Statement"));
  EXPECT_TRUE(IsConstructorName("Local::Local"));
  EXPECT_TRUE(IsConstructorName("std::vector<int>::vector"));
  EXPECT_TRUE(IsConstructorName("ns::Box<std::map<int, int>>::Box<int>"));
  EXPECT_FALSE(IsConstructorName("shop::Db::find"));
  EXPECT_FALSE(IsConstructorName("Statement"));
  EXPECT_FALSE(IsConstructorName("a::b::c"));
  EXPECT_FALSE(IsConstructorName("std::operator+<char>"));
  EXPECT_FALSE(IsConstructorName("f<a::b::b>"));
}

TEST(SignatureTest, DemanglesForPeople) {
  EXPECT_EQ(DemangleType("FiiE"), "int (int)");
  EXPECT_EQ(DemangleType("not a type"), "not a type");
}

}  // namespace
}  // namespace vigil::rt
