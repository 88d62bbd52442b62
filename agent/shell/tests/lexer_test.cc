// Copyright Vigil authors.
//
// Tokenizer tests. Each expectation is the token stream in a compact form,
// kind:text separated by spaces, with "!" after an unterminated token, "@"
// after a command word, "=" after an assignment, "$" after a word that
// expands and "*" after one with glob characters. Newlines show as "\n".
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "shell/shell.h"

namespace vigil::shell {
namespace {

const char* Short(TokenKind k) {
  switch (k) {
    case TokenKind::kWord: return "w";
    case TokenKind::kReservedWord: return "kw";
    case TokenKind::kSeparator: return "sep";
    case TokenKind::kAndOr: return "andor";
    case TokenKind::kPipe: return "pipe";
    case TokenKind::kRedirection: return "redir";
    case TokenKind::kLeftParen: return "lp";
    case TokenKind::kRightParen: return "rp";
    case TokenKind::kComment: return "cmt";
    case TokenKind::kHereDoc: return "here";
  }
  return "?";
}

std::string Lex(std::string_view text) {
  Token tokens[256];
  const TokenizeResult r = Tokenize(text, tokens);
  EXPECT_EQ(r.status, Status::kOk) << text;
  std::string out;
  for (size_t i = 0; i < r.count; ++i) {
    if (!out.empty()) out += ' ';
    out += Short(tokens[i].kind);
    out += ':';
    for (char c : tokens[i].Text(text)) {
      if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    const uint8_t f = tokens[i].flags;
    if (f & kUnterminated) out += '!';
    if (f & kCommandWord) out += '@';
    if (f & kAssignment) out += '=';
    if (f & kExpands) out += '$';
    if (f & kGlob) out += '*';
  }
  return out;
}

TEST(Lexer, WordsAndCommandWord) {
  EXPECT_EQ(Lex("ls -la /tmp"), "w:ls@ w:-la w:/tmp");
  EXPECT_EQ(Lex("  convert\ta.png   b.jpg  "), "w:convert@ w:a.png w:b.jpg");
  EXPECT_EQ(Lex(""), "");
  EXPECT_EQ(Lex(" \t "), "");
}

TEST(Lexer, SingleQuotesKeepEverything) {
  EXPECT_EQ(Lex("echo 'a; b | c $(d) `e` \\'"), "w:echo@ w:'a; b | c $(d) `e` \\'");
  EXPECT_EQ(Lex("echo 'it''s'x"), "w:echo@ w:'it''s'x");
  EXPECT_EQ(Lex("echo 'open"), "w:echo@ w:'open!");
}

TEST(Lexer, DoubleQuotesEscapesAndExpansions) {
  EXPECT_EQ(Lex("echo \"a b; c\""), "w:echo@ w:\"a b; c\"");
  EXPECT_EQ(Lex("echo \"say \\\"hi\\\"\" x"), "w:echo@ w:\"say \\\"hi\\\"\" w:x");
  EXPECT_EQ(Lex("echo \"$HOME/x\""), "w:echo@ w:\"$HOME/x\"$");
  EXPECT_EQ(Lex("echo \"costs $5\""), "w:echo@ w:\"costs $5\"");
  EXPECT_EQ(Lex("echo \"a"), "w:echo@ w:\"a!");
}

TEST(Lexer, BackslashEscapesAndContinuations) {
  EXPECT_EQ(Lex("cat a\\ b\\;c"), "w:cat@ w:a\\ b\\;c");
  EXPECT_EQ(Lex("ls \\\n -l"), "w:ls@ w:-l");
  EXPECT_EQ(Lex("echo x\\"), "w:echo@ w:x\\");
}

TEST(Lexer, AnsiCQuotes) {
  EXPECT_EQ(Lex("echo $'a\\'b;c' d"), "w:echo@ w:$'a\\'b;c'$ w:d");
  EXPECT_EQ(Lex("echo $\"loc\""), "w:echo@ w:$\"loc\"");
}

TEST(Lexer, Substitutions) {
  EXPECT_EQ(Lex("echo $(date +%s; echo ')') z"), "w:echo@ w:$(date +%s; echo ')')$ w:z");
  EXPECT_EQ(Lex("echo `id` z"), "w:echo@ w:`id`$ w:z");
  EXPECT_EQ(Lex("echo ${HOME:-/x y} z"), "w:echo@ w:${HOME:-/x y}$ w:z");
  EXPECT_EQ(Lex("echo $((1 + (2*3))) z"), "w:echo@ w:$((1 + (2*3)))$ w:z");
  EXPECT_EQ(Lex("echo \"$(echo \"$(id)\")\" z"), "w:echo@ w:\"$(echo \"$(id)\")\"$ w:z");
  EXPECT_EQ(Lex("echo $(ls (x) y)"), "w:echo@ w:$(ls (x) y)$");
  EXPECT_EQ(Lex("echo $(open"), "w:echo@ w:$(open!$");
  EXPECT_EQ(Lex("cat${IFS}/etc/passwd"), "w:cat${IFS}/etc/passwd@$");
}

TEST(Lexer, Operators) {
  EXPECT_EQ(Lex("a;b&c&&d||e|f|&g"),
            "w:a@ sep:; w:b@ sep:& w:c@ andor:&& w:d@ andor:|| w:e@ pipe:| w:f@ pipe:|& w:g@");
  EXPECT_EQ(Lex("a\nb"), "w:a@ sep:\\n w:b@");
  EXPECT_EQ(Lex("(a) ; { b; }"), "lp:( w:a@ rp:) sep:; kw:{ w:b@ sep:; kw:}");
  EXPECT_EQ(Lex("case x in a) b;; c) d;& esac"),
            "kw:case w:x w:in w:a rp:) w:b@ sep:;; w:c@ rp:) w:d@ sep:;& kw:esac");
}

TEST(Lexer, Redirections) {
  EXPECT_EQ(Lex("cmd >out 2>&1 <in >>log"), "w:cmd@ redir:> w:out redir:2>&1 redir:< w:in redir:>> w:log");
  EXPECT_EQ(Lex("cmd &>all >&- 3<>f >|g"), "w:cmd@ redir:&> w:all redir:>&- redir:3<> w:f redir:>| w:g");
  EXPECT_EQ(Lex("cat <<< \"$x\""), "w:cat@ redir:<<< w:\"$x\"$");
  EXPECT_EQ(Lex(">out cmd"), "redir:> w:out w:cmd@");
  EXPECT_EQ(Lex("cmd a2>x"), "w:cmd@ w:a2 redir:> w:x");
}

TEST(Lexer, HereDocuments) {
  EXPECT_EQ(Lex("cat <<EOF\nhi $x\nEOF\nls"), "w:cat@ redir:<< w:EOF sep:\\n here:hi $x\\nEOF\\n$ w:ls@");
  EXPECT_EQ(Lex("cat <<'EOF'\n$(x)\nEOF"), "w:cat@ redir:<< w:'EOF' sep:\\n here:$(x)\\nEOF");
  EXPECT_EQ(Lex("cat <<-E\n\tx\n\tE\n"), "w:cat@ redir:<<- w:E sep:\\n here:\tx\\n\tE\\n$");
  EXPECT_EQ(Lex("cat <<E\nnever"), "w:cat@ redir:<< w:E sep:\\n here:never!$");
}

TEST(Lexer, Comments) {
  EXPECT_EQ(Lex("ls # list; rm\nx"), "w:ls@ cmt:# list; rm sep:\\n w:x@");
  EXPECT_EQ(Lex("echo a#b"), "w:echo@ w:a#b");
}

TEST(Lexer, ReservedWordsOnlyWhereACommandIsDue) {
  EXPECT_EQ(Lex("if true; then echo if; fi"),
            "kw:if w:true@ sep:; kw:then w:echo@ w:if sep:; kw:fi");
  EXPECT_EQ(Lex("for f in a b; do rm $f; done"),
            "kw:for w:f w:in w:a w:b sep:; kw:do w:rm@ w:$f$ sep:; kw:done");
  EXPECT_EQ(Lex("! 'if' x"), "kw:! w:'if'@ w:x");
}

TEST(Lexer, AssignmentsKeepTheCommandDue) {
  EXPECT_EQ(Lex("A=1 B=\"x y\" env"), "w:A=1= w:B=\"x y\"= w:env@");
}

TEST(Lexer, GlobsAndTilde) {
  EXPECT_EQ(Lex("ls *.log ~/x a~b {a,b} '*'"), "w:ls@ w:*.log* w:~/x* w:a~b w:{a,b}* w:'*'");
}

TEST(Lexer, Limits) {
  Token t[4];
  TokenizeResult r = Tokenize("a b c d e f", t);
  EXPECT_EQ(r.status, Status::kTooManyTokens);
  EXPECT_EQ(r.count, 4u);
  Limits limits;
  limits.max_tokens = 2;
  Token big[16];
  r = Tokenize("a b c", big, limits);
  EXPECT_EQ(r.status, Status::kTooManyTokens);
  EXPECT_EQ(r.count, 2u);
  limits = Limits();
  limits.max_command_bytes = 4;
  r = Tokenize("hello", big, limits);
  EXPECT_EQ(r.status, Status::kCommandTooLong);
  EXPECT_EQ(r.count, 0u);
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "\"$(";
  r = Tokenize("echo " + deep, big);
  EXPECT_EQ(r.status, Status::kTooDeep);
}

TEST(Lexer, TokensTileTheText) {
  const std::string_view text = "x=1 cat <<E | grep -v \"a b\" >o # c\nbody\nE\n(ls; `id`) && echo ${y}";
  Token t[64];
  const TokenizeResult r = Tokenize(text, t);
  ASSERT_EQ(r.status, Status::kOk);
  uint32_t prev = 0;
  for (size_t i = 0; i < r.count; ++i) {
    EXPECT_LT(t[i].begin, t[i].end);
    EXPECT_GE(t[i].begin, prev);
    for (uint32_t k = prev; k < t[i].begin; ++k) EXPECT_TRUE(text[k] == ' ' || text[k] == '\t');
    prev = t[i].end;
  }
  EXPECT_EQ(prev, text.size());
}

TEST(Lexer, Names) {
  EXPECT_EQ(TokenKindName(TokenKind::kPipe), "pipe");
  EXPECT_EQ(StatusName(Status::kTooDeep), "nesting too deep");
}

}  // namespace
}  // namespace vigil::shell
