// Copyright Vigil authors.
//
// Tokenizer tests, one group per dialect. Each expectation is written as the
// token stream in a compact form: kind:text, separated by spaces, with "!"
// after an unterminated token, "^" after a MySQL executable-comment marker
// and "±" after a number whose sign was folded in.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqli/sqli.h"

namespace vigil::sqli {
namespace {

const char* Short(TokenKind k) {
  switch (k) {
    case TokenKind::kString: return "str";
    case TokenKind::kBlob: return "blob";
    case TokenKind::kNumber: return "num";
    case TokenKind::kIdentifier: return "id";
    case TokenKind::kQuotedIdentifier: return "qid";
    case TokenKind::kKeyword: return "kw";
    case TokenKind::kOperator: return "op";
    case TokenKind::kComma: return "comma";
    case TokenKind::kDot: return "dot";
    case TokenKind::kLeftParen: return "lp";
    case TokenKind::kRightParen: return "rp";
    case TokenKind::kSemicolon: return "semi";
    case TokenKind::kComment: return "cmt";
    case TokenKind::kParameter: return "par";
    case TokenKind::kOther: return "other";
  }
  return "?";
}

std::string Lex(Dialect d, std::string_view sql) {
  Token tokens[256];
  const TokenizeResult r = Tokenize(sql, d, tokens);
  EXPECT_EQ(r.status, Status::kOk);
  std::string out;
  for (size_t i = 0; i < r.count; ++i) {
    if (!out.empty()) out += ' ';
    out += Short(tokens[i].kind);
    out += ':';
    out += tokens[i].Text(sql);
    if (tokens[i].flags & kUnterminated) out += '!';
    if (tokens[i].flags & kExecutable) out += '^';
    if (tokens[i].flags & kSigned) out += "±";
  }
  return out;
}

constexpr Dialect kSqlite = Dialect::kSqlite;
constexpr Dialect kPostgres = Dialect::kPostgres;
constexpr Dialect kMysql = Dialect::kMysql;
constexpr Dialect kAll[] = {kSqlite, kPostgres, kMysql};

// --- Common to the three dialects ---------------------------------------------

TEST(Lexer, SimpleStatementInEveryDialect) {
  for (Dialect d : kAll) {
    EXPECT_EQ(Lex(d, "SELECT a, b.c FROM t WHERE (x = 1);"),
              "kw:SELECT id:a comma:, id:b dot:. id:c kw:FROM id:t kw:WHERE lp:( id:x op:= "
              "num:1 rp:) semi:;")
        << DialectName(d);
  }
}

TEST(Lexer, KeywordsAreCaseInsensitiveAndNamed) {
  Token t[4];
  const std::string_view sql = "select Union oRdEr";
  ASSERT_EQ(Tokenize(sql, kSqlite, t).count, 3u);
  EXPECT_EQ(KeywordName(t[0].keyword), "SELECT");
  EXPECT_EQ(KeywordName(t[1].keyword), "UNION");
  EXPECT_EQ(KeywordName(t[2].keyword), "ORDER");
  EXPECT_EQ(KeywordName(0), "");
  EXPECT_EQ(KeywordName(60000), "");
  // Common column names are identifiers, not keywords.
  EXPECT_EQ(Lex(kSqlite, "name data type user status"),
            "id:name id:data id:type id:user id:status");
}

TEST(Lexer, DoubledQuotesStayInTheString) {
  for (Dialect d : kAll) {
    EXPECT_EQ(Lex(d, "'O''Brien' 'x'"), "str:'O''Brien' str:'x'") << DialectName(d);
  }
}

TEST(Lexer, UnterminatedStringAndComment) {
  for (Dialect d : kAll) {
    EXPECT_EQ(Lex(d, "a = 'abc"), "id:a op:= str:'abc!") << DialectName(d);
    EXPECT_EQ(Lex(d, "a /* abc"), "id:a cmt:/* abc!") << DialectName(d);
  }
}

TEST(Lexer, Numbers) {
  for (Dialect d : kAll) {
    EXPECT_EQ(Lex(d, "42 3.14 .5 1e10 1.5E-3 0x1F 7."),
              "num:42 num:3.14 num:.5 num:1e10 num:1.5E-3 num:0x1F num:7.")
        << DialectName(d);
  }
}

TEST(Lexer, SignIsFoldedOnlyWhereAnOperandIsDue) {
  for (Dialect d : kAll) {
    EXPECT_EQ(Lex(d, "x = -5"), "id:x op:= num:-5±") << DialectName(d);
    EXPECT_EQ(Lex(d, "f(+3.2e4, -.5)"), "id:f lp:( num:+3.2e4± comma:, num:-.5± rp:)")
        << DialectName(d);
    EXPECT_EQ(Lex(d, "LIMIT -1"), "kw:LIMIT num:-1±") << DialectName(d);
    EXPECT_EQ(Lex(d, "a -5"), "id:a op:- num:5") << DialectName(d);
    EXPECT_EQ(Lex(d, "1-1"), "num:1 op:- num:1") << DialectName(d);
    EXPECT_EQ(Lex(d, "NULL -1"), "kw:NULL op:- num:1") << DialectName(d);
    EXPECT_EQ(Lex(d, "(a) -1"), "lp:( id:a rp:) op:- num:1") << DialectName(d);
  }
}

TEST(Lexer, DashDashIsAComment) {
  EXPECT_EQ(Lex(kSqlite, "1 -- x\n2"), "num:1 cmt:-- x num:2");
  EXPECT_EQ(Lex(kPostgres, "1--x"), "num:1 cmt:--x");
}

TEST(Lexer, TokensCarryByteOffsets) {
  Token t[8];
  const std::string_view sql = "  a\t= 'x'  ";
  const TokenizeResult r = Tokenize(sql, kSqlite, t);
  ASSERT_EQ(r.count, 3u);
  EXPECT_EQ(t[0].begin, 2u);
  EXPECT_EQ(t[0].end, 3u);
  EXPECT_EQ(t[2].begin, 6u);
  EXPECT_EQ(t[2].end, 9u);
}

TEST(Lexer, Utf8IsPartOfNames) {
  EXPECT_EQ(Lex(kSqlite, "SELECT prénom, 東京 FROM t"),
            "kw:SELECT id:prénom comma:, id:東京 kw:FROM id:t");
}

TEST(Lexer, StrayBytesAreOtherTokens) {
  EXPECT_EQ(Lex(kPostgres, "a { b } \\"), "id:a other:{ id:b other:} other:\\");
  EXPECT_EQ(Lex(kSqlite, std::string_view("a\0b", 3)), std::string("id:a other:") + '\0' + " id:b");
}

// --- SQLite ---------------------------------------------------------------------

TEST(LexerSqlite, QuotingStyles) {
  EXPECT_EQ(Lex(kSqlite, "\"a\"\"b\" [c d] `e``f` X'0A1b'"),
            "qid:\"a\"\"b\" qid:[c d] qid:`e``f` blob:X'0A1b'");
  EXPECT_EQ(Lex(kSqlite, "[unterminated"), "qid:[unterminated!");
}

TEST(LexerSqlite, BackslashIsAnOrdinaryCharacter) {
  EXPECT_EQ(Lex(kSqlite, R"('a\' OR 1)"), R"(str:'a\' kw:OR num:1)");
}

TEST(LexerSqlite, BlockCommentsDoNotNest) {
  EXPECT_EQ(Lex(kSqlite, "/* a /* b */ c */"), "cmt:/* a /* b */ id:c op:* op:/");
}

TEST(LexerSqlite, Parameters) {
  EXPECT_EQ(Lex(kSqlite, "? ?12 :name @p $v #h"),
            "par:? par:?12 par::name par:@p par:$v par:#h");
}

TEST(LexerSqlite, Operators) {
  EXPECT_EQ(Lex(kSqlite, "a<=b>=c<>d!=e==f||g<<h>>i->j->>k"),
            "id:a op:<= id:b op:>= id:c op:<> id:d op:!= id:e op:== id:f op:|| id:g op:<< "
            "id:h op:>> id:i op:-> id:j op:->> id:k");
}

TEST(LexerSqlite, DigitsThenLettersAreTwoTokens) {
  EXPECT_EQ(Lex(kSqlite, "1abc"), "num:1 id:abc");
}

// --- PostgreSQL -------------------------------------------------------------------

TEST(LexerPostgres, EscapeStringsHonourBackslashes) {
  EXPECT_EQ(Lex(kPostgres, R"(E'a\'b' e'\\' 'c\')"), R"(str:E'a\'b' str:e'\\' str:'c\')");
}

TEST(LexerPostgres, DollarQuotes) {
  EXPECT_EQ(Lex(kPostgres, "$$it's$$ $fn$ a $$ b $fn$ $x$open"),
            "str:$$it's$$ str:$fn$ a $$ b $fn$ str:$x$open!");
  EXPECT_EQ(Lex(kPostgres, "$1 + $23"), "par:$1 op:+ par:$23");
}

TEST(LexerPostgres, PrefixedLiterals) {
  EXPECT_EQ(Lex(kPostgres, "B'0101' X'1F' U&'d\\0061t' U&\"d\" N'x'"),
            "blob:B'0101' blob:X'1F' str:U&'d\\0061t' qid:U&\"d\" str:N'x'");
}

TEST(LexerPostgres, NestedBlockComments) {
  EXPECT_EQ(Lex(kPostgres, "/* a /* b */ c */ d"), "cmt:/* a /* b */ c */ id:d");
  EXPECT_EQ(Lex(kPostgres, "/* a /* b */ c"), "cmt:/* a /* b */ c!");
}

TEST(LexerPostgres, HashIsAnOperator) {
  EXPECT_EQ(Lex(kPostgres, "a # b #>> c"), "id:a op:# id:b op:#>> id:c");
}

TEST(LexerPostgres, OperatorRules) {
  EXPECT_EQ(Lex(kPostgres, "a::int"), "id:a op::: id:int");
  EXPECT_EQ(Lex(kPostgres, "j->>'k' @> '{}' <@ b"), "id:j op:->> str:'k' op:@> str:'{}' op:<@ id:b");
  // A multi-character operator ends in + or - only if it has a special
  // character, so "=-5" is "=" then "-5".
  EXPECT_EQ(Lex(kPostgres, "a=-5"), "id:a op:= num:-5±");
  EXPECT_EQ(Lex(kPostgres, "a @- b"), "id:a op:@- id:b");
  EXPECT_EQ(Lex(kPostgres, "a !~* b"), "id:a op:!~* id:b");
  // An operator stops where a comment starts.
  EXPECT_EQ(Lex(kPostgres, "a <--c\nb"), "id:a op:< cmt:--c id:b");
  EXPECT_EQ(Lex(kPostgres, "arr[1:2]"), "id:arr other:[ num:1 op:: num:2 other:]");
}

TEST(LexerPostgres, NumbersOfPostgres16) {
  EXPECT_EQ(Lex(kPostgres, "1_000_000 0b101 0o17 0x_1"), "num:1_000_000 num:0b101 num:0o17 num:0 id:x_1");
}

TEST(LexerPostgres, QuestionMarkIsAnOperator) {
  EXPECT_EQ(Lex(kPostgres, "j ? 'k'"), "id:j op:? str:'k'");
}

// --- MySQL / MariaDB -------------------------------------------------------------

TEST(LexerMysql, BackslashEscapesInBothQuotes) {
  EXPECT_EQ(Lex(kMysql, R"('a\'b' "c\"d" 'e''f' "g""h")"),
            R"(str:'a\'b' str:"c\"d" str:'e''f' str:"g""h")");
  EXPECT_EQ(Lex(kMysql, R"('ends with \')"), R"(str:'ends with \')"
                                             "!");
}

TEST(LexerMysql, Comments) {
  EXPECT_EQ(Lex(kMysql, "1 # hash\n2"), "num:1 cmt:# hash num:2");
  EXPECT_EQ(Lex(kMysql, "1 -- dash\n2"), "num:1 cmt:-- dash num:2");
  // "--" needs a space or control character after it, or the end.
  EXPECT_EQ(Lex(kMysql, "1--1"), "num:1 op:- num:-1±");
  EXPECT_EQ(Lex(kMysql, "1--"), "num:1 cmt:--");
  EXPECT_EQ(Lex(kMysql, "1--\t"), "num:1 cmt:--\t");
}

TEST(LexerMysql, ExecutableCommentsAreCode) {
  EXPECT_EQ(Lex(kMysql, "/*!50000 UNION*/ SELECT /*! 1 */ /* plain */ /*M!100100 x */"),
            "cmt:/*!50000^ kw:UNION cmt:*/^ kw:SELECT cmt:/*!^ num:1 cmt:*/^ cmt:/* plain */ "
            "cmt:/*M!100100^ id:x cmt:*/^");
  EXPECT_EQ(Lex(kMysql, "/*+ hint */ 2"), "cmt:/*+ hint */ num:2");
  // Outside an executable comment, "*/" is two operators.
  EXPECT_EQ(Lex(kMysql, "a */ b"), "id:a op:* op:/ id:b");
}

TEST(LexerMysql, NamesAndVariables) {
  EXPECT_EQ(Lex(kMysql, "`a``b` @v @@global.max_connections @'q v' $d 1abc"),
            "qid:`a``b` par:@v par:@@global.max_connections par:@'q v' id:$d id:1abc");
}

TEST(LexerMysql, Literals) {
  EXPECT_EQ(Lex(kMysql, "x'41' b'01' N'x\\'y' 0b101 0x1F _utf8mb4'z'"),
            "blob:x'41' blob:b'01' str:N'x\\'y' num:0b101 num:0x1F id:_utf8mb4 str:'z'");
}

TEST(LexerMysql, Operators) {
  EXPECT_EQ(Lex(kMysql, "a<=>b && c := d ->> e ? f"),
            "id:a op:<=> id:b op:&& id:c op::= id:d op:->> id:e par:? id:f");
}

TEST(LexerMysql, DoubleQuotedStringIsNotAName) {
  EXPECT_EQ(Lex(kMysql, "\"users\""), "str:\"users\"");
  EXPECT_EQ(Lex(kSqlite, "\"users\""), "qid:\"users\"");
}

// --- Limits ------------------------------------------------------------------------

TEST(Tokenize, TooManyTokensIsReported) {
  Token t[3];
  TokenizeResult r = Tokenize("a b c d", kSqlite, t);
  EXPECT_EQ(r.count, 3u);
  EXPECT_EQ(r.status, Status::kTooManyTokens);

  Token big[16];
  Limits limits;
  limits.max_tokens = 2;
  r = Tokenize("a b c", kSqlite, big, limits);
  EXPECT_EQ(r.count, 2u);
  EXPECT_EQ(r.status, Status::kTooManyTokens);

  r = Tokenize("a b", kSqlite, big, limits);
  EXPECT_EQ(r.count, 2u);
  EXPECT_EQ(r.status, Status::kOk);
}

TEST(Tokenize, TooLongStatementIsNotRead) {
  Token t[4];
  Limits limits;
  limits.max_statement_bytes = 4;
  const TokenizeResult r = Tokenize("a b c", kSqlite, t, limits);
  EXPECT_EQ(r.count, 0u);
  EXPECT_EQ(r.status, Status::kStatementTooLong);
}

TEST(Tokenize, EmptyStatementsAndBuffers) {
  Token t[1];
  EXPECT_EQ(Tokenize("", kSqlite, t).count, 0u);
  EXPECT_EQ(Tokenize("   \n\t", kMysql, t).count, 0u);
  EXPECT_EQ(Tokenize("a", kPostgres, std::span<Token>()).status, Status::kTooManyTokens);
}

// --- Names ---------------------------------------------------------------------------

TEST(Names, Dialects) {
  Dialect d = kSqlite;
  EXPECT_TRUE(ParseDialect("PostgreSQL", &d));
  EXPECT_EQ(d, kPostgres);
  EXPECT_TRUE(ParseDialect("mariadb", &d));
  EXPECT_EQ(d, kMysql);
  EXPECT_TRUE(ParseDialect("pg", &d));
  EXPECT_FALSE(ParseDialect("oracle", &d));
  EXPECT_EQ(d, kPostgres);
  for (Dialect x : kAll) {
    Dialect back;
    EXPECT_TRUE(ParseDialect(DialectName(x), &back));
    EXPECT_EQ(back, x);
  }
}

TEST(Names, EveryKindAndStatusHasAName) {
  for (int k = 0; k < kTokenKindCount; ++k) {
    EXPECT_NE(TokenKindName(static_cast<TokenKind>(k)), "unknown");
  }
  for (Status s : {Status::kOk, Status::kStatementTooLong, Status::kTooManyTokens,
                   Status::kTooManyInputs, Status::kOutOfMemory}) {
    EXPECT_NE(StatusName(s), "unknown");
  }
}

}  // namespace
}  // namespace vigil::sqli
