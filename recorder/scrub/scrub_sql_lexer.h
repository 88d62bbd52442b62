// Copyright Vigil authors.
//
// scrub_sql_lexer.h: splits a SQL statement into the tokens the scrubber
// reasons about. One lexer for SQLite, PostgreSQL and MySQL: where their
// rules differ it takes the reading that sees more literals ("..." usable as
// a string) or more comments (# starts one, as in MySQL, except in
// PostgreSQL's #> and #>> operators), because literals and comments are what
// may hold a secret. Whether a backslash escapes a quote (MySQL) or not
// (PostgreSQL, SQLite) is the caller's choice. It never fails: a byte that
// starts no token is a token of its own, an unterminated string or comment
// runs to the end.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_SQL_LEXER_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_SQL_LEXER_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil::recorder::scrub_internal {

enum class SqlTokenKind : uint8_t {
  kWord,          // keyword or name: SELECT, users, _utf8mb4
  kDoubleQuoted,  // "x": a name, or a string in MySQL
  kBacktick,      // `x`: a name
  kString,        // 'x', E'x', N'x', X'..', _utf8mb4'x'
  kDollarString,  // $$x$$, $tag$x$tag$
  kNumber,        // 42, 3.14, 1e9, 0x1F
  kParameter,     // ?, ?1, $1, :name, @name, @@var
  kOperator,      // = <> || :: ->> and other symbols
  kOpen,          // ( or [
  kClose,         // ) or ]
  kComma,
  kSemicolon,
  kDot,
  kOther,  // any other byte
};

struct SqlToken {
  uint32_t begin;
  uint32_t end;
  // For quoted tokens, what is between the quotes (up to the end of the text
  // when unterminated); otherwise the same as [begin, end).
  uint32_t body_begin;
  uint32_t body_end;
  SqlTokenKind kind;
};

// The text of a comment, without its delimiters.
struct SqlComment {
  uint32_t body_begin;
  uint32_t body_end;
};

// The largest statement LexSql() accepts (offsets are 32 bits); the scrubber
// reads anything longer as free text.
inline constexpr size_t kMaxSqlSize = UINT32_MAX - 1;

// LexSql()
//
// Appends the tokens of `sql` (comments excluded: to the grammar they are
// blanks, and attackers use them as such) to `tokens`, and its comments to
// `comments`. With `backslash_escapes`, a backslash in '...' and "..." makes
// the next character literal (E'...' always works so). Returns whether the
// reading is plausible: every quoted token closed and no backslash outside
// one (no dialect allows that); an implausible reading is likely the wrong
// dialect. Linear in the size of `sql`, which must not exceed kMaxSqlSize.
bool LexSql(std::string_view sql, bool backslash_escapes, std::vector<SqlToken>* tokens,
            std::vector<SqlComment>* comments);

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_SQL_LEXER_H_
