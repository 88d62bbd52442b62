// Copyright Vigil authors.
//
// sqli/sqli.h: SQL-injection detection for the Vigil agent.
//
// The agent sees two things at the moment a program is about to run SQL: the
// statement text (the argument of sqlite3_prepare_v2, PQexec, mysql_query ...)
// and the inputs of the current HTTP request (query parameters, body fields,
// cookies, headers, path segments), already decoded by the framework. An
// input is an *injection* when it appears verbatim in the statement and
// changes the statement's structure: it leaves the string literal or
// identifier it started in and adds code (a keyword, an operator, a comment,
// a parenthesis, a statement separator ...). An input that stays one literal,
// one number (signs included) or one identifier or keyword is not.
//
//   const vigil::sqli::Input inputs[] = {
//       {"' OR 1=1 --", "query.name"},
//       {"42", "path.id"},
//   };
//   vigil::sqli::Finding finding;
//   vigil::sqli::Verdict v = vigil::sqli::Detect(
//       "SELECT * FROM users WHERE name = '' OR 1=1 --'",
//       vigil::sqli::Dialect::kSqlite, inputs, vigil::sqli::Limits(), &finding);
//   // v == Verdict::kInjection, finding.input_index == 0,
//   // finding.Reason() == "input leaves a string literal and adds: OR, =, --"
//
// The rules, the dialect coverage and what is not detected are described in
// docs/sqli-detection.md.
//
// Guarantees:
//   * Nothing here throws, and nothing blocks. Every function is noexcept and
//     thread-safe; none keeps state between calls except one token buffer
//     per thread (used only for statements of more than 128 tokens, grown up
//     to Limits::max_tokens and reused).
//   * Work is bounded by the Limits: a statement longer than
//     max_statement_bytes is not read at all, at most max_tokens tokens are
//     made, at most max_inputs inputs are looked at. Whatever a limit left
//     unchecked is reported as Verdict::kLimitExceeded, never as clean.
//   * A statement in which no input occurs is not tokenized: the common case
//     costs one substring search per input.
#ifndef VIGIL_SQLI_SQLI_H_
#define VIGIL_SQLI_SQLI_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::sqli {

// Dialect
//
// The SQL dialect whose lexical rules apply. The rules followed are those of
// each server's default configuration: for MySQL (and MariaDB) backslash
// escapes in strings and "double-quoted strings" (no NO_BACKSLASH_ESCAPES, no
// ANSI_QUOTES); for PostgreSQL standard_conforming_strings = on.
enum class Dialect : uint8_t {
  kSqlite,
  kPostgres,
  kMysql,  // MySQL and MariaDB
};

// DialectName()
//
// "sqlite", "postgres" or "mysql".
std::string_view DialectName(Dialect dialect) noexcept;

// ParseDialect()
//
// Reads a dialect name as DialectName() writes it; also accepts "postgresql",
// "pg" and "mariadb" (ASCII case-insensitive). Returns false, leaving `*out`
// unchanged, for anything else.
bool ParseDialect(std::string_view name, Dialect* out) noexcept;

// Limits
//
// Bounds on the work of one call. The defaults suit statements of a few
// hundred bytes and requests of up to a few hundred inputs; each value is
// also clamped to the hard cap named beside it.
struct Limits {
  // Longer statements are not looked at (Status::kStatementTooLong).
  // Hard cap: kMaxStatementBytesCap.
  uint32_t max_statement_bytes = 64 * 1024;
  // At most this many tokens are made (Status::kTooManyTokens).
  // Hard cap: kMaxTokensCap.
  uint32_t max_tokens = 8192;
  // Inputs past this many are not looked at (Status::kTooManyInputs).
  uint32_t max_inputs = 256;
  // Inputs shorter than this are skipped. A single byte cannot add a keyword
  // or a second token, and the one-byte inputs that could break a literal
  // (a lone quote or backslash) only leave a statement that the database
  // rejects; see docs/sqli-detection.md, "Short inputs". 0 counts as 1.
  uint32_t min_input_bytes = 2;
};

inline constexpr uint32_t kMaxStatementBytesCap = 16u << 20;
inline constexpr uint32_t kMaxTokensCap = 65535;

// Status
//
// Why a statement was not (completely) examined.
enum class Status : uint8_t {
  kOk,
  kStatementTooLong,  // longer than Limits::max_statement_bytes
  kTooManyTokens,     // more than Limits::max_tokens tokens (or than fit)
  kTooManyInputs,     // more than Limits::max_inputs inputs
  kOutOfMemory,       // the per-thread token buffer could not grow
};

// StatusName()
//
// "ok", "statement too long", "too many tokens", "too many inputs",
// "out of memory".
std::string_view StatusName(Status status) noexcept;

// TokenKind
//
// What a token is. Whitespace is not a token.
enum class TokenKind : uint8_t {
  kString,            // '...'  E'...'  N'...'  $$...$$  $tag$...$tag$
                      // U&'...', and MySQL "..."
  kBlob,              // X'...' (hex) and B'...' (bit string) literals
  kNumber,            // 42  -5  +3.2e4  .5  0x1F  0b101; a sign is part of
                      // the number when it stands where an operand is due
  kIdentifier,        // a bare word that is not a keyword
  kQuotedIdentifier,  // "name" (SQLite, PostgreSQL), `name`, [name] (SQLite)
  kKeyword,           // SELECT, OR, ORDER, DESC ... (Token::keyword says which)
  kOperator,          // =  <>  !=  <=  ||  ::  ->>  @>  ...
  kComma,             // ,
  kDot,               // .
  kLeftParen,         // (
  kRightParen,        // )
  kSemicolon,         // ;  (statement separator)
  kComment,           // -- ...  # ...  /* ... */; see TokenFlag::kExecutable
  kParameter,         // ?  ?1  $1  :name  @name  $name  @@system_var
  kOther,             // a byte that starts no token of the dialect
};

inline constexpr int kTokenKindCount = 15;

// TokenKindName()
//
// A short English name: "string literal", "number", "keyword", ...
std::string_view TokenKindName(TokenKind kind) noexcept;

// TokenKindSet
//
// A set of token kinds: bit (1 << kind) for each member.
using TokenKindSet = uint32_t;

constexpr TokenKindSet KindBit(TokenKind kind) noexcept {
  return TokenKindSet{1} << static_cast<unsigned>(kind);
}

// TokenFlag
//
// Bits of Token::flags.
enum TokenFlag : uint8_t {
  // The string, quoted identifier or block comment runs to the end of the
  // statement without its closing delimiter.
  kUnterminated = 1 << 0,
  // A MySQL executable comment marker: the opening "/*!", "/*!50001" or
  // "/*M!" or the matching "*/". The text between them is code, and is
  // tokenized as code.
  kExecutable = 1 << 1,
  // A number whose leading '+' or '-' was folded into it.
  kSigned = 1 << 2,
};

// Token
//
// One token of a statement: the bytes [begin, end).
struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kOther;
  uint8_t flags = 0;      // TokenFlag bits
  uint16_t keyword = 0;   // for kKeyword: an identifier of the keyword,
                          // stable within one build (see KeywordName())

  // The token's bytes in `statement` (the statement it was made from; an
  // empty view if it lies outside).
  std::string_view Text(std::string_view statement) const noexcept {
    if (begin > end || end > statement.size()) return {};
    return statement.substr(begin, end - begin);
  }
};

// KeywordName()
//
// The upper-case spelling of Token::keyword ("SELECT"); "" if unknown.
std::string_view KeywordName(uint16_t keyword) noexcept;

// TokenizeResult
struct TokenizeResult {
  size_t count = 0;           // tokens written to `out`
  Status status = Status::kOk;
};

// Tokenize()
//
// Splits `statement` into tokens by the rules of `dialect`, writing up to
// min(out.size(), limits.max_tokens) of them to `out`. The status is
// kTooManyTokens when more tokens would have followed, kStatementTooLong
// (with no token written) when the statement is longer than
// limits.max_statement_bytes. Unterminated strings, quoted identifiers and
// comments are tokens flagged kUnterminated, never errors.
TokenizeResult Tokenize(std::string_view statement, Dialect dialect,
                        std::span<Token> out, const Limits& limits = Limits()) noexcept;

// Input
//
// One value of the current request, as the application received it (after
// the framework's decoding), and where it came from.
struct Input {
  std::string_view value;   // e.g. "' OR 1=1 --"
  std::string_view source;  // e.g. "query.id", "body.user.name", "cookie.session"
};

// Verdict
enum class Verdict : uint8_t {
  kNoInjection,    // every input was examined; none injects
  kInjection,      // an input injects; the Finding says which and where
  kLimitExceeded,  // no injection found, but a limit left something unchecked
                   // (Finding::status says which); the caller decides
};

// FindingFlag
//
// Bits of Finding::flags.
enum FindingFlag : uint8_t {
  // The input started inside a token (Finding::left_kind) and left it.
  kLeavesToken = 1 << 0,
  // The input opened a string or comment that runs past its end.
  kOpensToken = 1 << 1,
  // The statement ends inside an unterminated string or quoted identifier:
  // the database will reject it, so the injection cannot run as written.
  kStatementUnterminated = 1 << 2,
};

// Finding
//
// What Detect() found. Plain data, no allocation; the views point into the
// caller's statement and inputs.
struct Finding {
  static constexpr size_t kMaxReason = 160;

  Verdict verdict = Verdict::kNoInjection;
  Status status = Status::kOk;   // for kLimitExceeded: the limit reached
  size_t input_index = 0;        // index into `inputs` of the injecting input
  std::string_view source;       // inputs[input_index].source
  uint32_t begin = 0;            // the injected bytes of the statement:
  uint32_t end = 0;              //   [begin, end), the input's occurrence
  TokenKindSet added_kinds = 0;  // kinds of the tokens the input added
  uint32_t added_tokens = 0;     // how many tokens the input added
  TokenKind left_kind = TokenKind::kOther;  // with kLeavesToken
  uint8_t flags = 0;             // FindingFlag bits
  uint8_t reason_size = 0;
  // E.g. "input leaves a string literal and adds: OR, =, --". NUL-terminated.
  char reason[kMaxReason] = {};

  std::string_view Reason() const noexcept { return {reason, reason_size}; }
};

// Detect()
//
// Decides whether one of `inputs` injects into `statement`, looking at the
// inputs in order and at every occurrence of each; the first injection found
// is reported in `*out` (which may be null). Inputs are matched byte for
// byte; an input with surrounding spaces is also looked for without them
// (applications often trim).
//
// Returns kInjection when an input changes the structure of the statement,
// kNoInjection when none does, and kLimitExceeded when none was found but a
// limit stopped the examination early (`out->status` and `out->Reason()` say
// which). Uses about 3 KiB of stack.
Verdict Detect(std::string_view statement, Dialect dialect, std::span<const Input> inputs,
               const Limits& limits, Finding* out) noexcept;

// RenderMarked()
//
// Writes `statement` to `out` with the injected part of `finding` between
// "⟦" and "⟧" (UTF-8), e.g.
//   SELECT * FROM users WHERE name = '⟦' OR 1=1 --⟧'
// NUL-terminated. When `out` is too small, text away from the mark is
// replaced by "…" (at character boundaries) so that the mark stays visible.
// Returns the number of bytes written, not counting the NUL (0 if `out` is
// empty). `finding` must come from a Detect() call on the same statement;
// an out-of-range finding renders the statement unmarked.
size_t RenderMarked(std::string_view statement, const Finding& finding,
                    std::span<char> out) noexcept;

}  // namespace vigil::sqli

#endif  // VIGIL_SQLI_SQLI_H_
