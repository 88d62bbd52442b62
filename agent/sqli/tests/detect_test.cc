// Copyright Vigil authors.
//
// Tests of Detect(): each rule of occurrence.h, the Finding it fills, the
// inputs it skips, and its limits. The labelled corpus is cases_test.cc.
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sqli/sqli.h"

namespace vigil::sqli {
namespace {

constexpr Dialect kSqlite = Dialect::kSqlite;
constexpr Dialect kPostgres = Dialect::kPostgres;
constexpr Dialect kMysql = Dialect::kMysql;

struct Result {
  Verdict verdict;
  Finding finding;
};

Result Check(std::string_view statement, std::vector<Input> inputs, Dialect d = kSqlite,
           const Limits& limits = Limits()) {
  Result r;
  r.verdict = Detect(statement, d, inputs, limits, &r.finding);
  return r;
}

// The statement as the application builds it: `tmpl` with the input for {}.
std::string Fill(std::string_view tmpl, std::string_view input) {
  std::string s(tmpl);
  s.replace(s.find("{}"), 2, input);
  return s;
}

bool Injects(std::string_view tmpl, std::string_view input, Dialect d = kSqlite) {
  const std::string statement = Fill(tmpl, input);
  return Check(statement, {{input, "query.x"}}, d).verdict == Verdict::kInjection;
}

// --- The example of the header --------------------------------------------------

TEST(Detect, HeaderExample) {
  const std::string_view statement = "SELECT * FROM users WHERE name = '' OR 1=1 --'";
  const Result r = Check(statement, {{"' OR 1=1 --", "query.name"}, {"42", "path.id"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  const Finding& f = r.finding;
  EXPECT_EQ(f.verdict, Verdict::kInjection);
  EXPECT_EQ(f.status, Status::kOk);
  EXPECT_EQ(f.input_index, 0u);
  EXPECT_EQ(f.source, "query.name");
  EXPECT_EQ(statement.substr(f.begin, f.end - f.begin), "' OR 1=1 --");
  EXPECT_EQ(f.Reason(), "input leaves a string literal and adds: OR, =, --");
  EXPECT_EQ(f.reason[f.reason_size], '\0');
  EXPECT_TRUE(f.flags & kLeavesToken);
  EXPECT_EQ(f.left_kind, TokenKind::kString);
  EXPECT_EQ(f.added_kinds, KindBit(TokenKind::kKeyword) | KindBit(TokenKind::kNumber) |
                               KindBit(TokenKind::kOperator) | KindBit(TokenKind::kComment));
  EXPECT_EQ(f.added_tokens, 5u);  // OR 1 = 1 --...
  char marked[128];
  RenderMarked(statement, f, marked);
  EXPECT_STREQ(marked, "SELECT * FROM users WHERE name = '⟦' OR 1=1 --⟧'");
}

// --- Rule 1: one token ---------------------------------------------------------------

TEST(Detect, OneLiteralNumberNameOrKeywordIsNotAnInjection) {
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE name = '{}'", "select * from users; drop table x --"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE id = {}", "-5"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE id = {}", "+3.2e4"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE id = {}", "0x1F"));
  EXPECT_FALSE(Injects("SELECT * FROM t ORDER BY {}", "price"));
  EXPECT_FALSE(Injects("SELECT * FROM t ORDER BY price {}", "DESC"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = {}", "NULL"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = {}", "'a whole literal'"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a {} 5", ">="));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = {}", "@@version", kMysql));
  EXPECT_FALSE(Injects("SELECT * FROM t /* note: {} */", "anything -- at all; 'x'"));
}

TEST(Detect, AnInputThatOpensACommentOrAddsASeparatorInjects) {
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE id = 1 {}", "-- rest"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE id = 1 {}", "# rest", kMysql));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE id = 1 {} AND a = 2", "/* x */"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE id = 1{}", " ;"));
  const std::string s = Fill("SELECT * FROM t WHERE id = 1 {}", "--");
  const Result r = Check(s, {{"--", "q"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_EQ(r.finding.Reason(), "input adds a comment: --");
  const Result semi = Check("SELECT 1 ;", {{" ;", "q"}});
  ASSERT_EQ(semi.verdict, Verdict::kInjection);
  EXPECT_EQ(semi.finding.Reason(), "input adds a statement separator: ;");
}

TEST(Detect, ANameComparedWithItselfIsATautology) {
  const std::string_view s = "SELECT * FROM orders WHERE id = id";
  const Result r = Check(s, {{"id", "query.id"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_EQ(r.finding.Reason(), "input compares a name with itself: id = id");
  EXPECT_EQ(r.finding.begin, s.size() - 2);  // the right-hand side is marked
  EXPECT_EQ(r.finding.added_tokens, 1u);
  EXPECT_EQ(r.finding.added_kinds, KindBit(TokenKind::kIdentifier));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE ID = {}", "id"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE t.user_id   <=>  {}", "user_id", kMysql));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE \"name\" = {}", "name", kPostgres));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE name LIKE {}", "name"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE category_id = {}", "id"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE name = '{}'", "name"));
  EXPECT_FALSE(Injects("SELECT id FROM t WHERE x = '{}' ORDER BY id", "id"));
}

// --- Rule 2: several tokens --------------------------------------------------------------

TEST(Detect, LeavingALiteralAndAddingCodeInjects) {
  for (Dialect d : {kSqlite, kPostgres, kMysql}) {
    EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "x' OR 'a'='a", d));
    EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "x'; DROP TABLE t; --", d));
    EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = {}", "1 UNION SELECT 1", d));
    EXPECT_TRUE(Injects("SELECT * FROM t WHERE a IN ({})", "1) OR (1=1", d));
  }
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = \"{}\"", "\" OR \"\"=\"", kMysql));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = `{}`", "a` OR 1 #", kMysql));
  EXPECT_TRUE(Injects("SELECT $${}$$", "$$; SELECT pg_sleep(5); --", kPostgres));
}

TEST(Detect, OpensTokenFlag) {
  const std::string s = Fill("SELECT * FROM t WHERE a = '{}' AND b = 1", "x' OR 'a'='a");
  const Result r = Check(s, {{"x' OR 'a'='a", "q"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_TRUE(r.finding.flags & kOpensToken);
  EXPECT_FALSE(r.finding.flags & kStatementUnterminated);
}

TEST(Detect, EscapingThatWorksHidesNothing) {
  // The application's escaping keeps the input inside the literal, where it
  // is found but stays one token.
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = E'{}'", "x\\' OR 1=1 --", kPostgres));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}'", "x\\' OR 1=1 -- ", kMysql));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "x\\' OR 1=1 -- ", kSqlite));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "x\\\\' OR 1=1 -- ", kMysql));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}'", "x\" OR 1=1 -- ", kMysql));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = \"{}\"", "x\" OR 1=1 -- ", kMysql));
}

TEST(Detect, WordsAndLiteralsAloneAddNoCode) {
  // An application that forgot to escape: the statement is broken (or an
  // odd juxtaposition), but the input added no code.
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}'", "O'Brien"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}' AND b = 'x'", "O'Brien"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}'", "O'Brien-Smith"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}'", "Rock 'n' Roll"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = '{}'", "L'Oréal Paris"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = \"{}\"", "{\"a\": \"b\"}", kMysql));
  // ...but a keyword, an operator or a comment is code.
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "it's not"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "admin'--"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "admin'--", kMysql));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE a = '{}'", "x'-'y"));
  // A lone apostrophe opening a literal that swallows the rest adds nothing.
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE a = {} AND b = 1", "'x"));
}

TEST(Detect, BrokenStatementIsFlaggedInTheFinding) {
  const std::string s = Fill("SELECT * FROM t WHERE a = '{}'", "x' OR 1=1 OR 'a'b");
  const Result r = Check(s, {{"x' OR 1=1 OR 'a'b", "q"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_TRUE(r.finding.flags & kStatementUnterminated);
}

TEST(Detect, JoinedWordsAreNotCode) {
  // Dates, phone numbers, versions and qualified names in a numeric or
  // name context: '-' and '.' glued between words.
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE d = {}", "2024-01-05"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE p = {}", "+1-555-0100"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE v = {}", "1.2.3"));
  EXPECT_FALSE(Injects("SELECT * FROM t ORDER BY {}", "products.price"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE d = {}", "2024 - 01"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE d = {}", "1+1"));
}

TEST(Detect, LiteralListsAreNotInjections) {
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE id IN ({})", "1,2,3"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE id IN ({})", "-1, +2, 3.5"));
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE tag IN ({})", "'a', 'b'"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE id IN ({})", "1, id"));
  EXPECT_TRUE(Injects("SELECT * FROM t WHERE id IN ({})", "1, (2)"));
  // Leaving a literal to add values is an injection (an extra column value).
  EXPECT_TRUE(Injects("INSERT INTO u (name, role) VALUES ('{}', 'user')", "x', 'admin"));
}

TEST(Detect, OrderByListsAreNotInjections) {
  const char* tmpl = "SELECT * FROM t ORDER BY {}";
  EXPECT_FALSE(Injects(tmpl, "price DESC"));
  EXPECT_FALSE(Injects(tmpl, "name ASC, price DESC"));
  EXPECT_FALSE(Injects(tmpl, "2 DESC, t.price NULLS LAST"));
  EXPECT_FALSE(Injects(tmpl, "price LIMIT 10 OFFSET 20"));
  EXPECT_FALSE(Injects("SELECT * FROM t ORDER BY name, {}", "price DESC"));
  EXPECT_FALSE(Injects("SELECT * FROM t ORDER BY price {} LIMIT 5", "DESC, id"));
  EXPECT_TRUE(Injects(tmpl, "price DESC; DROP TABLE t"));
  EXPECT_TRUE(Injects(tmpl, "(SELECT 1)"));
  EXPECT_TRUE(Injects(tmpl, "price, sleep(5)"));
  EXPECT_TRUE(Injects(tmpl, "price DESC --"));
  // Not after ORDER BY: a list of names is code.
  EXPECT_TRUE(Injects("SELECT {} FROM t", "name, password"));
  EXPECT_TRUE(Injects("SELECT * FROM t GROUP BY {}", "a DESC"));
}

// --- Which inputs, which occurrences -----------------------------------------------------

TEST(Detect, EveryOccurrenceIsExamined) {
  // First occurrence harmless (inside a literal), second one injects.
  const std::string s = "SELECT * FROM t WHERE note = 'x OR 1=1' AND id = x OR 1=1";
  const Result r = Check(s, {{"x OR 1=1", "q"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_EQ(r.finding.begin, s.rfind("x OR 1=1"));
}

TEST(Detect, TheFirstInjectingInputIsReported) {
  const std::string s = "SELECT * FROM t WHERE a = '' OR 1=1 -- ' AND b = 1 OR 2";
  const Result r = Check(s, {{"zzz", "a"}, {"1 OR 2", "b"}, {"' OR 1=1 -- ", "c"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_EQ(r.finding.input_index, 2u);  // "1 OR 2" is inside the comment
  EXPECT_EQ(r.finding.source, "c");
}

TEST(Detect, TrimmedInputsAreFound) {
  const Result r = Check("SELECT * FROM t WHERE id = 1 OR 1=1", {{"  1 OR 1=1\n", "q"}});
  ASSERT_EQ(r.verdict, Verdict::kInjection);
  EXPECT_EQ(r.finding.end - r.finding.begin, 8u);
}

TEST(Detect, InputsThatDoNotOccurCostNothing) {
  EXPECT_EQ(Check("SELECT 1", {{"' OR 1=1 --", "q"}}).verdict, Verdict::kNoInjection);
  EXPECT_EQ(Check("", {{"x", "q"}}).verdict, Verdict::kNoInjection);
  EXPECT_EQ(Check("SELECT 1", {}).verdict, Verdict::kNoInjection);
  EXPECT_EQ(Check("SELECT 1", {{"", "q"}, {"   ", "q"}}).verdict, Verdict::kNoInjection);
}

TEST(Detect, ShortInputs) {
  // One byte is below the default minimum.
  EXPECT_EQ(Check("SELECT * FROM t WHERE a = ''';", {{"'", "q"}, {";", "q"}}).verdict,
            Verdict::kNoInjection);
  Limits one;
  one.min_input_bytes = 1;
  // A lone quote breaks the literal but adds nothing: the statement is
  // rejected by the database. A lone ';' does add a separator.
  EXPECT_EQ(Check("SELECT * FROM t WHERE a = '''", {{"'", "q"}}, kSqlite, one).verdict,
            Verdict::kNoInjection);
  EXPECT_EQ(Check("SELECT * FROM t WHERE id = 1;", {{";", "q"}}, kSqlite, one).verdict,
            Verdict::kInjection);
  Limits four;
  four.min_input_bytes = 4;
  EXPECT_EQ(Check("SELECT * FROM t WHERE id = 1;", {{"1;", "q"}}, kSqlite, four).verdict,
            Verdict::kNoInjection);
}

TEST(Detect, InputsInsideWordsAreHarmless) {
  EXPECT_FALSE(Injects("SELECT * FROM t WHERE name = 'John{}'", "son"));
  EXPECT_FALSE(Injects("SELECT user_{} FROM t", "id"));
}

TEST(Detect, NullFindingIsAllowed) {
  const Input in[] = {{"1 OR 1=1", "q"}};
  EXPECT_EQ(Detect("SELECT * FROM t WHERE id = 1 OR 1=1", kSqlite, in, Limits(), nullptr),
            Verdict::kInjection);
}

// --- Limits ------------------------------------------------------------------------------

TEST(DetectLimits, StatementTooLong) {
  Limits limits;
  limits.max_statement_bytes = 10;
  const Result r = Check("SELECT * FROM t WHERE id = 1 OR 1=1", {{"1 OR 1=1", "q"}}, kSqlite, limits);
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kStatementTooLong);
  EXPECT_EQ(r.finding.Reason(),
            "not examined: the statement has 35 bytes, more than max_statement_bytes (10)");
}

TEST(DetectLimits, TooManyInputs) {
  Limits limits;
  limits.max_inputs = 1;
  Result r = Check("SELECT * FROM t WHERE id = 1 OR 1=1", {{"zz", "a"}, {"1 OR 1=1", "b"}},
                 kSqlite, limits);
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kTooManyInputs);
  // An injection among the inputs examined is still reported as such.
  r = Check("SELECT * FROM t WHERE id = 1 OR 1=1", {{"1 OR 1=1", "b"}, {"zz", "a"}}, kSqlite,
          limits);
  EXPECT_EQ(r.verdict, Verdict::kInjection);
}

TEST(DetectLimits, TooManyTokens) {
  Limits limits;
  limits.max_tokens = 8;
  const std::string s = "SELECT a, b, c, d, e FROM t WHERE id = 1 OR 1=1";
  Result r = Check(s, {{"1 OR 1=1", "q"}}, kSqlite, limits);
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kTooManyTokens);
  // An injection inside the tokens that were kept is found.
  r = Check("SELECT 1 OR 1=1 FROM t WHERE a = b AND c = d AND e = f", {{"1 OR 1=1", "q"}}, kSqlite,
          limits);
  EXPECT_EQ(r.verdict, Verdict::kInjection);
  // Inputs that do not occur need no tokens at all.
  r = Check(s, {{"zzz", "q"}}, kSqlite, limits);
  EXPECT_EQ(r.verdict, Verdict::kNoInjection);
}

// Statements of more than 128 tokens use the per-thread buffer.
std::string LongStatement(int columns, std::string_view tail) {
  std::string s = "SELECT ";
  for (int i = 0; i < columns; ++i) s += "c" + std::to_string(i) + ", ";
  s += "z FROM t WHERE id = ";
  s += tail;
  return s;
}

TEST(DetectLimits, LongStatementsUseTheThreadBuffer) {
  for (int columns : {100, 400, 3000, 100, 3000}) {
    const std::string attack = LongStatement(columns, "1 OR 1=1");
    EXPECT_EQ(Check(attack, {{"1 OR 1=1", "q"}}).verdict, Verdict::kInjection) << columns;
    const std::string benign = LongStatement(columns, "'a b'");
    EXPECT_EQ(Check(benign, {{"a b", "q"}}).verdict, Verdict::kNoInjection) << columns;
  }
  // The default max_tokens (8192) stops a longer one.
  const std::string huge = LongStatement(5000, "1 OR 1=1");
  const Result r = Check(huge, {{"1 OR 1=1", "q"}});
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kTooManyTokens);
}

TEST(DetectLimits, ThreadsHaveTheirOwnBuffers) {
  auto work = [](int seed) {
    for (int i = 0; i < 50; ++i) {
      const std::string s = LongStatement(200 + (i + seed) % 300, "1 OR 1=1");
      if (Check(s, {{"1 OR 1=1", "q"}}).verdict != Verdict::kInjection) return false;
    }
    return true;
  };
  bool a = false, b = false;
  std::thread t1([&] { a = work(1); });
  std::thread t2([&] { b = work(7); });
  t1.join();
  t2.join();
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
}

TEST(DetectLimits, ManyOccurrencesStayCheap) {
  // Every position is an occurrence; each is examined in O(log n).
  std::string s = "SELECT * FROM t WHERE a IN (";
  for (int i = 0; i < 2000; ++i) s += "1, ";
  s += "1)";
  EXPECT_EQ(Check(s, {{"1, 1", "q"}, {", ", "r"}}).verdict, Verdict::kNoInjection);
}

}  // namespace
}  // namespace vigil::sqli
