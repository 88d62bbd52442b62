// Copyright Vigil authors.
#include "hooks_output.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "vigil/abi.h"

namespace vigil::tool {
namespace {

HookPoint Find() {
  HookPoint p;
  p.name = "shop::Db::find";
  p.symbol = "_ZNK4shop2Db4findEi";
  p.kind = VIGIL_KIND_DEFINITION;
  p.file = "src/shop/db.cc";
  p.line = 42;
  p.signature = "FiPKN4shop2DbEiE";
  p.display = "int (const shop::Db *, int)";
  p.params = {"this", "id"};
  p.flags = VIGIL_META_HAS_THIS;
  p.arg_count = 2;
  p.ret_size = 4;
  return p;
}

HookPoint Prepare() {
  HookPoint p;
  p.name = p.symbol = "sqlite3_prepare";
  p.kind = VIGIL_KIND_CALL_SITE;
  p.signature = "FiP7sqlite3PKciE";
  p.display = "int (sqlite3 *, const char *, int)";
  p.params = {"db", "", "n"};
  p.flags = VIGIL_META_C_LINKAGE;
  p.arg_count = 3;
  p.ret_size = 4;
  return p;
}

std::string Text(const std::vector<const HookPoint*>& shown, size_t total) {
  std::ostringstream out;
  WriteHooksText(shown, total, "app", out);
  return out.str();
}

TEST(EscapeForTerminal, KeepsPrintableUtf8AndEscapesTheRest) {
  EXPECT_EQ(EscapeForTerminal("plain::name<int>"), "plain::name<int>");
  EXPECT_EQ(EscapeForTerminal("\xc3\xbcn\xc3\xaf \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\xc3\xbcn\xc3\xaf \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(EscapeForTerminal("a\tb\nc\x1b[31m\x7f"), "a\\x09b\\x0ac\\x1b[31m\\x7f");
  EXPECT_EQ(EscapeForTerminal(std::string("nul\0x", 5)), "nul\\x00x");
  // C1 controls (U+009B is a CSI on some terminals), stray continuation
  // bytes, overlong encodings, surrogates, truncated sequences.
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"), "\\xc2\\x9b");
  EXPECT_EQ(EscapeForTerminal("\x80x"), "\\x80x");
  EXPECT_EQ(EscapeForTerminal("\xc0\xaf"), "\\xc0\\xaf");
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");
  EXPECT_EQ(EscapeForTerminal("\xe2\x82"), "\\xe2\\x82");
  EXPECT_EQ(EscapeForTerminal("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
}

TEST(HooksText, PrintsAnAlignedTableAndACountLine) {
  HookPoint find = Find();
  HookPoint prepare = Prepare();
  EXPECT_EQ(Text({&find, &prepare}, 2),
            "KIND        NAME             SIGNATURE                           "
            "PARAMS    LOCATION\n"
            "definition  shop::Db::find   int (const shop::Db *, int)         "
            "this, id  src/shop/db.cc:42\n"
            "call        sqlite3_prepare  int (sqlite3 *, const char *, int)  "
            "db, _, n  -\n"
            "2 hook points in app (1 definition, 1 call site)\n");
}

TEST(HooksText, SaysHowManyAFilterHid) {
  HookPoint prepare = Prepare();
  std::string text = Text({&prepare}, 5);
  EXPECT_NE(text.find("\n1 of 5 hook points in app shown (0 definitions, 1 call site)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(Text({}, 5), "0 of 5 hook points in app shown (0 definitions, 0 call sites)\n");
  EXPECT_EQ(Text({}, 0), "0 hook points in app (0 definitions, 0 call sites)\n");
}

TEST(HooksText, LongCellsPushOnlyTheirOwnRow) {
  HookPoint find = Find();
  HookPoint long_one = Find();
  long_one.name = std::string(60, 'n');
  long_one.file = "";
  long_one.line = 9;
  std::string text = Text({&find, &long_one}, 2);
  std::istringstream lines(text);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  // Names longer than 48 characters do not widen the name column; rows
  // with shorter names stay aligned with the header.
  EXPECT_EQ(header.find("SIGNATURE"), first.find("int ("));
  EXPECT_EQ(header.find("SIGNATURE"), 12u + 14u + 2u);
  EXPECT_EQ(second.find("int ("), 12u + 60u + 2u);
  EXPECT_NE(second.find("?:9"), std::string::npos);
  for (const std::string& line : {header, first, second}) {
    EXPECT_NE(line.back(), ' ') << "trailing space: " << line;
  }
}

TEST(HooksText, EscapesStringsFromTheFile) {
  HookPoint p = Find();
  p.name = "evil\x1b]0;title\x07";
  p.file = "a\nb.cc";
  std::string text = Text({&p}, 1);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("evil\\x1b]0;title\\x07"), std::string::npos);
  EXPECT_NE(text.find("a\\x0ab.cc:42"), std::string::npos);
  std::ostringstream out;
  WriteHooksText({}, 0, "bad\nname", out);
  EXPECT_EQ(out.str(), "0 hook points in bad\\x0aname (0 definitions, 0 call sites)\n");
}

TEST(HooksJson, WritesEveryFieldAndParsesBack) {
  HookPoint find = Find();
  HookPoint prepare = Prepare();
  prepare.file = "q\"uote\\back\tslash\x01\xc3\xbc";
  std::ostringstream out;
  WriteHooksJson({&find, &prepare}, out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0], nlohmann::json::parse(R"json({
    "name": "shop::Db::find", "symbol": "_ZNK4shop2Db4findEi",
    "signature": "FiPKN4shop2DbEiE", "display": "int (const shop::Db *, int)",
    "params": ["this", "id"], "file": "src/shop/db.cc", "line": 42,
    "kind": "definition",
    "flags": {"has_this": true, "returns_void": false, "noexcept": false,
              "c_linkage": false, "internal": false, "returns_ref": false},
    "arg_count": 2, "ret_size": 4})json"));
  EXPECT_EQ(json[1]["kind"], "call");
  EXPECT_EQ(json[1]["params"], nlohmann::json({"db", "", "n"}));
  EXPECT_EQ(json[1]["file"], "q\"uote\\back\tslash\x01\xc3\xbc");
  EXPECT_EQ(json[1]["flags"]["c_linkage"], true);
  // Fields come in the documented order.
  EXPECT_LT(out.str().find("\"name\""), out.str().find("\"symbol\""));
  EXPECT_LT(out.str().find("\"kind\""), out.str().find("\"flags\""));
}

TEST(HooksJson, EmptyListIsAnEmptyArray) {
  std::ostringstream out;
  WriteHooksJson({}, out);
  EXPECT_EQ(out.str(), "[]\n");
}

TEST(HooksJson, InvalidUtf8IsReplacedSoTheOutputAlwaysParses) {
  HookPoint p = Find();
  p.name = "bad\xff\xfe utf8";
  std::ostringstream out;
  WriteHooksJson({&p}, out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json[0]["name"], "bad\xef\xbf\xbd\xef\xbf\xbd utf8");
}

}  // namespace
}  // namespace vigil::tool
