// Copyright Vigil authors.
//
// LexSql(): a single forward pass. Every branch consumes at least one byte,
// and the only searches (for the end of a comment or a dollar quote) start
// after what was consumed and are consumed in turn, so it is linear.
#include "scrub_sql_lexer.h"

#include <array>

namespace vigil::recorder::scrub_internal {
namespace {

// A $tag$ longer than this is not a dollar quote (keeps the closing-tag
// search cheap).
constexpr size_t kMaxDollarTagSize = 64;

// Longest first, so that "->>" is not read as "->" then ">".
constexpr std::array<std::string_view, 17> kMultiCharOperators = {
    "->>", "#>>", "<=>", "::", "->", "#>", "<=", ">=", "<>",
    "!=",  "==",  "||",  ":=", "=>", "<<", ">>", "&&"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHighByte(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool IsWordStart(char c) { return IsLetter(c) || c == '_' || IsHighByte(c); }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c) || c == '$'; }
bool IsTagChar(char c) { return IsLetter(c) || IsDigit(c) || c == '_' || IsHighByte(c); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsOperatorChar(char c) {
  switch (c) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '<':
    case '>':
    case '=':
    case '~':
    case '!':
    case '^':
    case '&':
    case '|':
    case '#':
    case ':':
      return true;
    default:
      return false;
  }
}

// Words that glue to a following quote to make one string literal:
// E'..' N'..' X'..' B'..' (PostgreSQL, MySQL), _charset'..' (MySQL).
bool IsStringPrefix(std::string_view word) {
  if (word.size() == 1) {
    switch (word[0]) {
      case 'e':
      case 'E':
      case 'n':
      case 'N':
      case 'x':
      case 'X':
      case 'b':
      case 'B':
        return true;
      default:
        return false;
    }
  }
  return word.size() > 1 && word[0] == '_';
}

class Lexer {
 public:
  Lexer(std::string_view sql, bool backslash_escapes, std::vector<SqlToken>* tokens,
        std::vector<SqlComment>* comments)
      : s_(sql), backslash_escapes_(backslash_escapes), tokens_(tokens), comments_(comments) {}

  bool plausible() const { return plausible_; }

  void Run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (IsSpace(c)) {
        ++i_;
      } else if (c == '-' && At(i_ + 1) == '-') {
        LineComment(i_ + 2);
      } else if (c == '#' && At(i_ + 1) != '>') {
        // MySQL's comment. To PostgreSQL a lone # is XOR, but reading it as a
        // comment loses nothing: comments are read as SQL too. Missing it
        // would: in  name = '' OR 1=1 #' AND password = 'x'  the secret
        // would lex as a bare word.
        LineComment(i_ + 1);
      } else if (c == '/' && At(i_ + 1) == '*') {
        BlockComment();
      } else if (c == '\'') {
        Quoted(i_, i_ + 1, '\'', backslash_escapes_, SqlTokenKind::kString);
      } else if (c == '"') {
        Quoted(i_, i_ + 1, '"', backslash_escapes_, SqlTokenKind::kDoubleQuoted);
      } else if (c == '`') {
        Quoted(i_, i_ + 1, '`', /*backslash=*/false, SqlTokenKind::kBacktick);
      } else if (c == '$') {
        Dollar();
      } else if (IsDigit(c) || (c == '.' && IsDigit(At(i_ + 1)))) {
        Number();
      } else if (IsWordStart(c)) {
        Word();
      } else if (c == '?') {
        size_t end = i_ + 1;
        while (IsDigit(At(end))) ++end;
        Emit(SqlTokenKind::kParameter, i_, end);
      } else if (c == '@' || (c == ':' && IsWordStart(At(i_ + 1)))) {
        size_t end = i_ + 1;
        if (c == '@' && At(end) == '@') ++end;
        while (IsWordChar(At(end)) || At(end) == '.') ++end;
        Emit(SqlTokenKind::kParameter, i_, end);
      } else {
        Punctuation(c);
      }
    }
  }

 private:
  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  void Emit(SqlTokenKind kind, size_t begin, size_t end) {
    EmitQuoted(kind, begin, end, begin, end);
  }

  void EmitQuoted(SqlTokenKind kind, size_t begin, size_t end, size_t body_begin, size_t body_end) {
    tokens_->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end),
                        static_cast<uint32_t>(body_begin), static_cast<uint32_t>(body_end), kind});
    i_ = end;
  }

  void LineComment(size_t body) {
    size_t end = s_.find('\n', body);
    if (end == std::string_view::npos) end = s_.size();
    comments_->push_back({static_cast<uint32_t>(body), static_cast<uint32_t>(end)});
    i_ = end;
  }

  void BlockComment() {
    const size_t body = i_ + 2;
    const size_t close = s_.find("*/", body);
    const size_t body_end = close == std::string_view::npos ? s_.size() : close;
    comments_->push_back({static_cast<uint32_t>(body), static_cast<uint32_t>(body_end)});
    i_ = close == std::string_view::npos ? s_.size() : close + 2;
  }

  // A quoted token starting at `begin` whose body starts at `body`. A doubled
  // quote stands for itself; so does a backslashed character when
  // `backslash`.
  void Quoted(size_t begin, size_t body, char quote, bool backslash, SqlTokenKind kind) {
    size_t j = body;
    while (j < s_.size()) {
      const char c = s_[j];
      if (c == quote) {
        if (At(j + 1) != quote) {
          EmitQuoted(kind, begin, j + 1, body, j);
          return;
        }
        j += 2;
      } else if (backslash && c == '\\') {
        j += 2;
      } else {
        ++j;
      }
    }
    plausible_ = false;
    EmitQuoted(kind, begin, s_.size(), body, s_.size());
  }

  // $$...$$, $tag$...$tag$ (PostgreSQL), or a parameter: $1, $name.
  void Dollar() {
    size_t j = i_ + 1;
    while (IsTagChar(At(j)) && j - i_ <= kMaxDollarTagSize) ++j;
    const bool tag_ok = At(j) == '$' && !IsDigit(At(i_ + 1));
    if (!tag_ok) {
      if (j == i_ + 1) {
        Emit(SqlTokenKind::kOther, i_, i_ + 1);
      } else {
        Emit(SqlTokenKind::kParameter, i_, j);
      }
      return;
    }
    const std::string_view tag = s_.substr(i_, j + 1 - i_);
    const size_t body = j + 1;
    const size_t close = s_.find(tag, body);
    if (close == std::string_view::npos) {
      plausible_ = false;
      EmitQuoted(SqlTokenKind::kDollarString, i_, s_.size(), body, s_.size());
    } else {
      EmitQuoted(SqlTokenKind::kDollarString, i_, close + tag.size(), body, close);
    }
  }

  void Number() {
    size_t j = i_;
    if (s_[j] == '0' && (At(j + 1) == 'x' || At(j + 1) == 'X') && IsHexDigit(At(j + 2))) {
      j += 2;
      while (IsHexDigit(At(j))) ++j;
      Emit(SqlTokenKind::kNumber, i_, j);
      return;
    }
    while (IsDigit(At(j))) ++j;
    if (At(j) == '.') {
      ++j;
      while (IsDigit(At(j))) ++j;
    }
    if ((At(j) == 'e' || At(j) == 'E') &&
        (IsDigit(At(j + 1)) || ((At(j + 1) == '+' || At(j + 1) == '-') && IsDigit(At(j + 2))))) {
      j += 2;
      while (IsDigit(At(j))) ++j;
    }
    Emit(SqlTokenKind::kNumber, i_, j);
  }

  void Word() {
    const size_t begin = i_;
    size_t j = i_;
    while (IsWordChar(At(j))) ++j;
    const std::string_view word = s_.substr(begin, j - begin);
    if (At(j) == '\'' && IsStringPrefix(word)) {
      // E'..' is PostgreSQL's string with backslash escapes, whatever the
      // reading of plain strings.
      const bool escapes = word == "E" || word == "e" || backslash_escapes_;
      Quoted(begin, j + 1, '\'', escapes, SqlTokenKind::kString);
    } else if ((word == "U" || word == "u") && At(j) == '&' && At(j + 1) == '\'') {
      Quoted(begin, j + 2, '\'', backslash_escapes_, SqlTokenKind::kString);  // U&'\0041'
    } else {
      Emit(SqlTokenKind::kWord, begin, j);
    }
  }

  void Punctuation(char c) {
    switch (c) {
      case '(':
      case '[':
        Emit(SqlTokenKind::kOpen, i_, i_ + 1);
        return;
      case ')':
      case ']':
        Emit(SqlTokenKind::kClose, i_, i_ + 1);
        return;
      case ',':
        Emit(SqlTokenKind::kComma, i_, i_ + 1);
        return;
      case ';':
        Emit(SqlTokenKind::kSemicolon, i_, i_ + 1);
        return;
      case '.':
        Emit(SqlTokenKind::kDot, i_, i_ + 1);
        return;
      default:
        break;
    }
    for (std::string_view op : kMultiCharOperators) {
      if (s_.substr(i_).starts_with(op)) {
        Emit(SqlTokenKind::kOperator, i_, i_ + op.size());
        return;
      }
    }
    if (c == '\\') plausible_ = false;
    Emit(IsOperatorChar(c) ? SqlTokenKind::kOperator : SqlTokenKind::kOther, i_, i_ + 1);
  }

  const std::string_view s_;
  const bool backslash_escapes_;
  bool plausible_ = true;
  std::vector<SqlToken>* const tokens_;
  std::vector<SqlComment>* const comments_;
  size_t i_ = 0;
};

}  // namespace

bool LexSql(std::string_view sql, bool backslash_escapes, std::vector<SqlToken>* tokens,
            std::vector<SqlComment>* comments) {
  Lexer lexer(sql, backslash_escapes, tokens, comments);
  lexer.Run();
  return lexer.plausible();
}

}  // namespace vigil::recorder::scrub_internal
