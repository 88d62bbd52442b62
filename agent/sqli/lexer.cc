// Copyright Vigil authors.
//
// The lexer follows each server's own tokenizer where the three disagree
// (sources: SQLite's tokenize.c, PostgreSQL's scan.l, MySQL's sql_lex.cc),
// because an injection is whatever the *server* reads as code.
#include "lexer.h"

#include <cstring>

#include "chars.h"
#include "keywords.h"

namespace vigil::sqli::internal {
namespace {

constexpr DialectRules kSqliteRules = {
    .backslash_escapes = false,
    .double_quote_strings = false,
    .backtick_identifiers = true,
    .bracket_identifiers = true,
    .hash_comments = false,
    .dash_comment_needs_space = false,
    .nested_block_comments = false,
    .executable_comments = false,
    .dollar_quotes = false,
    .prefixed_strings = false,
    .bit_strings = false,
    .postgres_operators = false,
    .digit_start_identifiers = false,
    .binary_numbers = false,
    .digit_separators = false,
    .at_parameters = true,
    .mysql_variables = false,
    .dollar_identifiers = false,
    .colon_parameters = true,
    .dollar_number_parameters = false,
    .dollar_name_parameters = true,
    .hash_parameters = true,
    .question_parameters = true,
};

constexpr DialectRules kPostgresRules = {
    .backslash_escapes = false,
    .double_quote_strings = false,
    .backtick_identifiers = false,
    .bracket_identifiers = false,
    .hash_comments = false,
    .dash_comment_needs_space = false,
    .nested_block_comments = true,
    .executable_comments = false,
    .dollar_quotes = true,
    .prefixed_strings = true,
    .bit_strings = true,
    .postgres_operators = true,
    .digit_start_identifiers = false,
    .binary_numbers = true,
    .digit_separators = true,
    .at_parameters = false,
    .mysql_variables = false,
    .dollar_identifiers = false,
    .colon_parameters = false,
    .dollar_number_parameters = true,
    .dollar_name_parameters = false,
    .hash_parameters = false,
    .question_parameters = false,
};

constexpr DialectRules kMysqlRules = {
    .backslash_escapes = true,
    .double_quote_strings = true,
    .backtick_identifiers = true,
    .bracket_identifiers = false,
    .hash_comments = true,
    .dash_comment_needs_space = true,
    .nested_block_comments = false,
    .executable_comments = true,
    .dollar_quotes = false,
    .prefixed_strings = false,
    .bit_strings = true,
    .postgres_operators = false,
    .digit_start_identifiers = true,
    .binary_numbers = true,
    .digit_separators = false,
    .at_parameters = true,
    .mysql_variables = true,
    .dollar_identifiers = true,
    .colon_parameters = false,
    .dollar_number_parameters = false,
    .dollar_name_parameters = false,
    .hash_parameters = false,
    .question_parameters = true,
};

// PostgreSQL's operator characters that let an operator end in '+' or '-'
// (scan.l: a multi-character operator may end in + or - only if it
// contains one of them).
bool IsPgSpecialOpChar(unsigned char c) {
  return Is(c, kPgOpChar) && c != '+' && c != '-' && c != '*' && c != '/' && c != '<' &&
         c != '>' && c != '=';
}

}  // namespace

const DialectRules& RulesFor(Dialect dialect) noexcept {
  switch (dialect) {
    case Dialect::kPostgres:
      return kPostgresRules;
    case Dialect::kMysql:
      return kMysqlRules;
    case Dialect::kSqlite:
      break;
  }
  return kSqliteRules;
}

Lexer::Lexer(std::string_view text, Dialect dialect) noexcept
    : s_(reinterpret_cast<const unsigned char*>(text.data())),
      n_(static_cast<uint32_t>(text.size())),
      rules_(&RulesFor(dialect)) {}

bool Lexer::StartsDashComment() const {
  if (At(pos_) != '-' || At(pos_ + 1) != '-') return false;
  if (!rules_->dash_comment_needs_space) return true;
  // MySQL: the second dash must be followed by a space or a control
  // character; the end of the text reads as NUL, a control character.
  return At(pos_ + 2) <= ' ';
}

void Lexer::Single(Token* t, TokenKind kind) {
  t->kind = kind;
  t->end = ++pos_;
}

void Lexer::LexOperatorOrOther(Token* t) {
  const unsigned char c = s_[pos_];
  if (Is(c, rules_->postgres_operators ? kPgOpChar : kOpChar)) {
    LexOperator(t);
  } else {
    Single(t, TokenKind::kOther);
  }
}

bool Lexer::Next(Token* out) noexcept {
  while (pos_ < n_ && IsSpace(s_[pos_])) ++pos_;
  if (pos_ >= n_) return false;

  Token t;
  t.begin = pos_;
  const unsigned char c = s_[pos_];
  const unsigned char c1 = At(pos_ + 1);
  const DialectRules& r = *rules_;

  // Words and numbers first: they are most tokens. The rest dispatches on
  // the byte through one jump table.
  if (IsIdentStart(c)) {
    LexWord(&t);
  } else if (IsDigit(c)) {
    LexNumber(&t, pos_);
  } else {
    switch (c) {
      case '\'':
        LexQuoted(&t, pos_ + 1, '\'', r.backslash_escapes, TokenKind::kString);
        break;
      case '"':
        if (r.double_quote_strings) {
          LexQuoted(&t, pos_ + 1, '"', r.backslash_escapes, TokenKind::kString);
        } else {
          LexQuoted(&t, pos_ + 1, '"', false, TokenKind::kQuotedIdentifier);
        }
        break;
      case '`':
        if (r.backtick_identifiers) {
          LexQuoted(&t, pos_ + 1, '`', false, TokenKind::kQuotedIdentifier);
        } else {
          LexOperatorOrOther(&t);
        }
        break;
      case '[':
        if (r.bracket_identifiers) {
          // SQLite: [name] has no escape; it ends at the first ']'.
          const void* close = std::memchr(s_ + pos_ + 1, ']', n_ - pos_ - 1);
          t.kind = TokenKind::kQuotedIdentifier;
          if (close) {
            pos_ = static_cast<uint32_t>(static_cast<const unsigned char*>(close) - s_) + 1;
          } else {
            pos_ = n_;
            t.flags |= kUnterminated;
          }
          t.end = pos_;
        } else {
          Single(&t, TokenKind::kOther);
        }
        break;
      case '-':
      case '+':
        if (c == '-' && StartsDashComment()) {
          LexLineComment(&t);
        } else if (expect_operand_ && (IsDigit(c1) || (c1 == '.' && IsDigit(At(pos_ + 2))))) {
          // A sign where an operand is due belongs to the number: "-5" is
          // one literal, as an application that inserts a signed number
          // means it.
          t.flags |= kSigned;
          LexNumber(&t, pos_ + 1);
        } else {
          LexOperator(&t);
        }
        break;
      case '#':
        if (r.hash_comments) {
          LexLineComment(&t);
        } else if (r.hash_parameters && IsIdentPart(c1)) {
          LexParameterName(&t, pos_ + 1);
        } else {
          LexOperatorOrOther(&t);
        }
        break;
      case '/':
        if (c1 == '*') {
          LexBlockComment(&t);
        } else {
          LexOperator(&t);
        }
        break;
      case '*':
        if (c1 == '/' && in_executable_) {
          // The end of a MySQL executable comment: its text was code.
          t.kind = TokenKind::kComment;
          t.flags = kExecutable;
          pos_ += 2;
          t.end = pos_;
          in_executable_ = false;
        } else {
          LexOperator(&t);
        }
        break;
      case '.':
        if (IsDigit(c1) && !AfterName()) {
          LexNumber(&t, pos_);
        } else {
          Single(&t, TokenKind::kDot);
        }
        break;
      case '$':
        LexDollar(&t);
        break;
      case ',':
        Single(&t, TokenKind::kComma);
        break;
      case '(':
        Single(&t, TokenKind::kLeftParen);
        break;
      case ')':
        Single(&t, TokenKind::kRightParen);
        break;
      case ';':
        Single(&t, TokenKind::kSemicolon);
        break;
      case '?':
        if (r.question_parameters) {
          ++pos_;
          while (pos_ < n_ && IsDigit(s_[pos_])) ++pos_;
          t.kind = TokenKind::kParameter;
          t.end = pos_;
        } else {
          LexOperatorOrOther(&t);
        }
        break;
      case '@':
        if (r.at_parameters) {
          LexAtParameter(&t);
        } else {
          LexOperatorOrOther(&t);
        }
        break;
      case ':':
        if (r.colon_parameters && IsIdentPart(c1)) {
          LexParameterName(&t, pos_ + 1);
        } else if (c1 == ':' && r.postgres_operators) {
          t.kind = TokenKind::kOperator;  // PostgreSQL cast
          pos_ += 2;
          t.end = pos_;
        } else if (c1 == '=') {
          t.kind = TokenKind::kOperator;  // MySQL assignment
          pos_ += 2;
          t.end = pos_;
        } else if (r.postgres_operators) {
          Single(&t, TokenKind::kOperator);  // array slice
        } else {
          Single(&t, TokenKind::kOther);
        }
        break;
      default:
        LexOperatorOrOther(&t);
        break;
    }
  }

  switch (t.kind) {
    case TokenKind::kComment:
      break;  // comments do not change what is due next
    case TokenKind::kString:
    case TokenKind::kBlob:
    case TokenKind::kNumber:
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier:
    case TokenKind::kParameter:
    case TokenKind::kRightParen:
      expect_operand_ = false;
      break;
    case TokenKind::kKeyword:
      expect_operand_ = !IsValueKeyword(t.keyword);
      break;
    default:
      expect_operand_ = true;
      break;
  }
  last_kind_ = t.kind;
  last_end_ = t.end;
  *out = t;
  return true;
}

void Lexer::LexQuoted(Token* t, uint32_t body, unsigned char close, bool backslash,
                      TokenKind kind) {
  t->kind = kind;
  uint32_t i = body;
  while (i < n_) {
    if (!backslash) {
      // Fast path: jump to the next delimiter.
      const void* q = std::memchr(s_ + i, close, n_ - i);
      if (!q) break;
      i = static_cast<uint32_t>(static_cast<const unsigned char*>(q) - s_);
    }
    const unsigned char c = s_[i];
    if (backslash && c == '\\') {
      i += 2;
      continue;
    }
    if (c == close) {
      if (At(i + 1) == close && i + 1 < n_) {  // '' inside '...' is one quote
        i += 2;
        continue;
      }
      pos_ = i + 1;
      t->end = pos_;
      return;
    }
    ++i;
  }
  pos_ = n_;
  t->end = n_;
  t->flags |= kUnterminated;
}

void Lexer::LexLineComment(Token* t) {
  t->kind = TokenKind::kComment;
  const void* nl = std::memchr(s_ + pos_, '\n', n_ - pos_);
  pos_ = nl ? static_cast<uint32_t>(static_cast<const unsigned char*>(nl) - s_) : n_;
  t->end = pos_;
}

void Lexer::LexBlockComment(Token* t) {
  t->kind = TokenKind::kComment;
  const DialectRules& r = *rules_;
  if (r.executable_comments && !in_executable_ &&
      (At(pos_ + 2) == '!' || (At(pos_ + 2) == 'M' && At(pos_ + 3) == '!'))) {
    // MySQL /*! ... */ and MariaDB /*M! ... */: the marker (with its
    // optional version number) is a token, the text up to "*/" is code.
    pos_ += At(pos_ + 2) == '!' ? 3 : 4;
    while (pos_ < n_ && IsDigit(s_[pos_])) ++pos_;
    t->flags = kExecutable;
    t->end = pos_;
    in_executable_ = true;
    return;
  }
  uint32_t i = pos_ + 2;
  int depth = 1;
  while (i < n_) {
    const unsigned char c = s_[i];
    if (c == '*' && At(i + 1) == '/' && i + 1 < n_) {
      i += 2;
      if (--depth == 0) {
        pos_ = i;
        t->end = pos_;
        return;
      }
      continue;
    }
    if (c == '/' && At(i + 1) == '*' && i + 1 < n_ && r.nested_block_comments) {
      // Bounded by the text: each nesting level consumes two bytes.
      ++depth;
      i += 2;
      continue;
    }
    ++i;
  }
  // PostgreSQL and MySQL reject an unterminated comment; SQLite accepts it
  // as running to the end. Either way the token says so.
  pos_ = n_;
  t->end = n_;
  t->flags |= kUnterminated;
}

void Lexer::LexNumber(Token* t, uint32_t digits) {
  const DialectRules& r = *rules_;
  t->kind = TokenKind::kNumber;
  uint32_t i = digits;
  const unsigned char radix = static_cast<unsigned char>(At(i + 1) | 0x20);
  auto run = [&](bool (*ok)(unsigned char)) {
    while (i < n_ && (ok(s_[i]) || (r.digit_separators && s_[i] == '_' && i + 1 < n_ &&
                                    ok(s_[i + 1]) && i > digits))) {
      ++i;
    }
  };
  bool plain = true;  // only decimal digits so far
  if (At(i) == '0' && radix == 'x' && IsHex(At(i + 2))) {
    i += 2;
    run([](unsigned char c) { return IsHex(c); });
    plain = false;
  } else if (At(i) == '0' && radix == 'b' && r.binary_numbers &&
             (At(i + 2) == '0' || At(i + 2) == '1')) {
    i += 2;
    run([](unsigned char c) { return c == '0' || c == '1'; });
    plain = false;
  } else if (At(i) == '0' && radix == 'o' && r.digit_separators &&
             At(i + 2) >= '0' && At(i + 2) <= '7') {
    i += 2;
    run([](unsigned char c) { return c >= '0' && c <= '7'; });
    plain = false;
  } else {
    run(IsDigit);
    if (At(i) == '.' && i < n_) {
      ++i;
      run(IsDigit);
      plain = false;
    }
    const unsigned char e = static_cast<unsigned char>(At(i) | 0x20);
    if (e == 'e' && i < n_) {
      const uint32_t sign = (At(i + 1) == '+' || At(i + 1) == '-') ? 1 : 0;
      if (IsDigit(At(i + 1 + sign))) {
        i += 1 + sign;
        run(IsDigit);
        plain = false;
      }
    }
  }
  if (r.digit_start_identifiers && plain && !(t->flags & kSigned) && i < n_ &&
      IsIdentPart(s_[i])) {
    // MySQL reads "1abc" as one name (an identifier may start with digits).
    while (i < n_ && IsIdentPart(s_[i])) ++i;
    t->kind = TokenKind::kIdentifier;
  }
  pos_ = i;
  t->end = i;
}

void Lexer::LexWord(Token* t) {
  const DialectRules& r = *rules_;
  // The keyword hash is computed while the word is scanned, so a word costs
  // one pass and one table probe.
  uint32_t i = pos_;
  uint32_t hash = kKeywordHashSeed;
  while (i < n_ && IsIdentPart(s_[i])) {
    hash = KeywordHashStep(hash, ToUpperAscii(s_[i]));
    ++i;
  }
  const uint32_t len = i - pos_;
  const unsigned char next = At(i);

  if (len == 1 && (next == '\'' || next == '&')) {
    // Prefixed literals: X'..' everywhere, B'..', N'..', E'..', U&'..' by
    // dialect.
    const unsigned char first = static_cast<unsigned char>(s_[pos_] | 0x20);
    if (next == '\'') {
      if (first == 'x' || (first == 'b' && r.bit_strings)) {
        LexQuoted(t, i + 1, '\'', false, TokenKind::kBlob);
        return;
      }
      if (first == 'e' && r.prefixed_strings) {
        LexQuoted(t, i + 1, '\'', true, TokenKind::kString);
        return;
      }
      if (first == 'n' && (r.prefixed_strings || r.backslash_escapes)) {
        LexQuoted(t, i + 1, '\'', r.backslash_escapes, TokenKind::kString);
        return;
      }
    } else if (first == 'u' && r.prefixed_strings) {
      // PostgreSQL U&'..' and U&"..": Unicode escapes, standard quoting.
      if (At(i + 1) == '\'') {
        LexQuoted(t, i + 2, '\'', false, TokenKind::kString);
        return;
      }
      if (At(i + 1) == '"') {
        LexQuoted(t, i + 2, '"', false, TokenKind::kQuotedIdentifier);
        return;
      }
    }
  }
  pos_ = i;
  t->end = i;
  uint16_t kw = kNoKeyword;
  if (len <= kMaxKeywordLength) {
    kw = LookupKeyword({reinterpret_cast<const char*>(s_ + t->begin), len}, hash);
  }
  if (kw != kNoKeyword) {
    t->kind = TokenKind::kKeyword;
    t->keyword = kw;
  } else {
    t->kind = TokenKind::kIdentifier;
  }
}

void Lexer::LexDollar(Token* t) {
  const DialectRules& r = *rules_;
  const unsigned char c1 = At(pos_ + 1);
  if (r.dollar_number_parameters && IsDigit(c1)) {
    ++pos_;
    while (pos_ < n_ && IsDigit(s_[pos_])) ++pos_;
    t->kind = TokenKind::kParameter;
    t->end = pos_;
    return;
  }
  if (r.dollar_quotes) {
    // $tag$ ... $tag$: the tag is an identifier without '$' (or empty).
    uint32_t i = pos_ + 1;
    if (IsIdentStart(At(i))) {
      while (i < n_ && IsIdentPart(s_[i]) && s_[i] != '$') ++i;
    }
    if (At(i) == '$' && i < n_) {
      const uint32_t tag_len = i + 1 - pos_;  // "$tag$"
      const unsigned char* tag = s_ + pos_;
      const uint32_t body = i + 1;
      t->kind = TokenKind::kString;
      const void* close =
          body < n_ ? memmem(s_ + body, n_ - body, tag, tag_len) : nullptr;
      if (close) {
        pos_ = static_cast<uint32_t>(static_cast<const unsigned char*>(close) - s_) + tag_len;
      } else {
        pos_ = n_;
        t->flags |= kUnterminated;
      }
      t->end = pos_;
      return;
    }
  }
  if (r.dollar_name_parameters && IsIdentPart(c1)) {
    LexParameterName(t, pos_ + 1);
    return;
  }
  if (r.dollar_identifiers) {
    // MySQL: '$' may start an unquoted name.
    LexWord(t);
    return;
  }
  Single(t, TokenKind::kOther);
}

void Lexer::LexParameterName(Token* t, uint32_t name) {
  uint32_t i = name;
  while (i < n_ && IsIdentPart(s_[i])) ++i;
  pos_ = i;
  t->kind = TokenKind::kParameter;
  t->end = i;
}

void Lexer::LexAtParameter(Token* t) {
  // MySQL: @name, @'quoted', @"quoted", @`quoted`, @@name, @@global.name.
  // SQLite: @name.
  uint32_t i = pos_ + 1;
  const bool mysql = rules_->mysql_variables;
  const bool system = At(i) == '@' && mysql;
  if (system) ++i;
  const unsigned char q = At(i);
  if (!system && mysql && (q == '\'' || q == '"' || q == '`')) {
    pos_ = i;
    LexQuoted(t, i + 1, q, q != '`', TokenKind::kParameter);
    return;
  }
  if (!IsIdentPart(q) || i >= n_) {
    Single(t, TokenKind::kOther);
    return;
  }
  while (i < n_ && (IsIdentPart(s_[i]) || (system && s_[i] == '.' && IsIdentStart(At(i + 1))))) {
    ++i;
  }
  pos_ = i;
  t->kind = TokenKind::kParameter;
  t->end = i;
}

void Lexer::LexOperator(Token* t) {
  t->kind = TokenKind::kOperator;
  uint32_t i = pos_;
  if (rules_->postgres_operators) {
    // scan.l: the longest run of operator characters, not crossing the start
    // of a comment; a multi-character operator may end in '+' or '-' only if
    // it contains one of ~ ! @ # % ^ & | ` ?.
    bool special = false;
    while (i < n_ && Is(s_[i], kPgOpChar)) {
      if (i > pos_ && ((s_[i] == '-' && At(i + 1) == '-') || (s_[i] == '/' && At(i + 1) == '*'))) {
        break;
      }
      special |= IsPgSpecialOpChar(s_[i]);
      ++i;
    }
    if (!special) {
      while (i - pos_ > 1 && (s_[i - 1] == '+' || s_[i - 1] == '-')) --i;
    }
  } else {
    static constexpr std::string_view kLong[] = {"<=>", "->>", "<=", ">=", "<>", "!=", "==",
                                                 "||",  "&&",  "<<", ">>", "->"};
    ++i;
    for (std::string_view op : kLong) {
      if (n_ - pos_ >= op.size() &&
          std::memcmp(s_ + pos_, op.data(), op.size()) == 0) {
        i = pos_ + static_cast<uint32_t>(op.size());
        break;
      }
    }
  }
  pos_ = i;
  t->end = i;
}

}  // namespace vigil::sqli::internal
