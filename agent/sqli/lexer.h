// Copyright Vigil authors.
//
// lexer.h: splits a statement into tokens, one at a time, by the lexical
// rules of one dialect. The lexer never fails and never allocates: a byte
// that starts no token becomes a kOther token, an unterminated string or
// comment a token flagged kUnterminated that runs to the end.
#ifndef VIGIL_SQLI_LEXER_H_
#define VIGIL_SQLI_LEXER_H_

#include <cstdint>
#include <string_view>

#include "sqli.h"

namespace vigil::sqli::internal {

// What differs between the dialects, as data, so the lexer has one code path.
struct DialectRules {
  bool backslash_escapes;         // MySQL: \' \\ inside '...' and "..."
  bool double_quote_strings;      // MySQL: "..." is a string, not a name
  bool backtick_identifiers;      // MySQL, SQLite: `name`
  bool bracket_identifiers;       // SQLite: [name]
  bool hash_comments;             // MySQL: # to end of line
  bool dash_comment_needs_space;  // MySQL: "-- " but not "--x"
  bool nested_block_comments;     // PostgreSQL: /* /* */ */
  bool executable_comments;       // MySQL: /*! code */
  bool dollar_quotes;             // PostgreSQL: $$...$$, $tag$...$tag$
  bool prefixed_strings;          // PostgreSQL E'..' U&'..'; B'..' N'..' (also MySQL)
  bool bit_strings;               // B'..' (PostgreSQL, MySQL)
  bool postgres_operators;        // PostgreSQL's free-form operator rule
  bool digit_start_identifiers;   // MySQL: 1abc is a name
  bool binary_numbers;            // 0b101 (MySQL, PostgreSQL 16)
  bool digit_separators;          // PostgreSQL 16: 1_000_000
  bool at_parameters;             // MySQL @var; SQLite @name
  bool mysql_variables;           // MySQL @@sys.var, @'quoted var'
  bool dollar_identifiers;        // MySQL: $ may start a name
  bool colon_parameters;          // SQLite :name
  bool dollar_number_parameters;  // PostgreSQL $1
  bool dollar_name_parameters;    // SQLite $name
  bool hash_parameters;           // SQLite #name
  bool question_parameters;       // SQLite ?, ?1; MySQL ?
};

const DialectRules& RulesFor(Dialect dialect) noexcept;

class Lexer {
 public:
  Lexer(std::string_view text, Dialect dialect) noexcept;

  // Writes the next token to `*out`; returns false (leaving `*out` alone) at
  // the end of the text.
  bool Next(Token* out) noexcept;

 private:
  // Each Lex* function fills `t` from the current position and advances.
  void LexQuoted(Token* t, uint32_t body, unsigned char close, bool backslash, TokenKind kind);
  void LexLineComment(Token* t);
  void LexBlockComment(Token* t);
  void LexNumber(Token* t, uint32_t digits);
  void LexWord(Token* t);
  void LexDollar(Token* t);
  void LexOperator(Token* t);
  void LexParameterName(Token* t, uint32_t name);
  void LexAtParameter(Token* t);
  void Single(Token* t, TokenKind kind);
  void LexOperatorOrOther(Token* t);

  unsigned char At(uint32_t i) const { return i < n_ ? s_[i] : 0; }
  // Right after a name: a '.' there qualifies it ("t.5col" in MySQL) rather
  // than starting a number (".5").
  bool AfterName() const {
    return last_end_ == pos_ && pos_ > 0 &&
           (last_kind_ == TokenKind::kIdentifier || last_kind_ == TokenKind::kQuotedIdentifier);
  }
  bool StartsDashComment() const;

  const unsigned char* s_;
  uint32_t n_;
  uint32_t pos_ = 0;
  const DialectRules* rules_;
  // True where an operand is due (start, after an operator, '(' or ','):
  // there a '+' or '-' before a digit is the number's sign.
  bool expect_operand_ = true;
  // Inside a MySQL /*! ... */ executable comment.
  bool in_executable_ = false;
  TokenKind last_kind_ = TokenKind::kOther;
  uint32_t last_end_ = 0;
};

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_LEXER_H_
