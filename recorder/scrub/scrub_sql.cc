// Copyright Vigil authors.
//
// FindSqlSecrets(): walks the tokens of a statement once, and at each
// comparison, assignment, INSERT column list and password clause decides
// which literals belong to a sensitive column. Literals are not hidden on the
// spot: each decision covers a range of tokens (one literal, a parenthesised
// group, the rest of a VALUES tuple) in a difference array, and one final
// pass hides the covered literals. Covering a group thus costs O(1) however
// large or deeply nested it is, which keeps the whole linear.
#include "scrub_sql.h"

#include <array>
#include <cstdint>
#include <initializer_list>

#include "scrub_sql_lexer.h"
#include "scrub_text.h"

namespace vigil::recorder::scrub_internal {
namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr size_t kMaxGroupScan = 64;  // tokens examined in "(...) = value"
constexpr size_t kMaxNameParts = 16;  // schema.table.column
constexpr size_t kMaxSkippedWords = 8;

bool EqualsIgnoreCase(std::string_view text, std::string_view upper) {
  if (text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c =
        (text[i] >= 'a' && text[i] <= 'z') ? static_cast<char>(text[i] - 'a' + 'A') : text[i];
    if (c != upper[i]) return false;
  }
  return true;
}

// SQLCipher's encryption keys: PRAGMA key = '...', PRAGMA rekey('...').
bool IsSqlCipherKey(std::string_view name) {
  for (std::string_view key : {"KEY", "REKEY", "HEXKEY", "HEXREKEY", "TEXTKEY", "TEXTREKEY"}) {
    if (EqualsIgnoreCase(name, key)) return true;
  }
  return false;
}

class SqlScanner {
 public:
  SqlScanner(std::string_view sql, size_t base, const SensitiveKeys& keys, std::string_view marker,
             bool read_comments_as_sql, std::vector<Redaction>* out)
      : sql_(sql),
        base_(base),
        keys_(keys),
        marker_(marker),
        read_comments_as_sql_(read_comments_as_sql),
        out_(out) {}

  void Run() {
    Lex();
    n_ = tokens_.size();
    MatchBrackets();
    coverage_.assign(n_ + 1, 0);
    for (size_t i = 0; i < n_; ++i) {
      if (Kind(i) == SqlTokenKind::kSemicolon) {
        statement_ = {};
        statement_begin_ = i + 1;
        continue;
      }
      if (i == statement_begin_) StartStatement(i);
      if (IsComparison(i)) {
        AtComparison(i);
      } else if (Kind(i) == SqlTokenKind::kWord) {
        AtWord(i);
      } else if (IsLiteral(i)) {
        AtLiteralAfterWord(i);
      }
      if (IsTextLiteral(i)) {
        const SqlToken& t = tokens_[i];
        FindTextSecrets(sql_.substr(t.body_begin, t.body_end - t.body_begin), base_ + t.body_begin,
                        keys_, marker_, out_);
      }
    }
    HideCoveredLiterals();
    ScrubComments();
  }

 private:
  // What the first words of the current statement say about its literals.
  struct Statement {
    bool pragma = false;         // PRAGMA key = '...'
    bool attach = false;         // ATTACH ... KEY '...'
    bool sets_password = false;  // SET PASSWORD [FOR user] = '...'
  };

  // Backslashes escape quotes in MySQL but not in PostgreSQL or SQLite
  // ('C:\' is a whole string there). Read the statement as MySQL first; if
  // that reading is implausible (a quote left open, a stray backslash) and
  // the other is not, the statement is of the other kind. Reading it wrong
  // would let a secret slip out of its literal:
  //   name = 'C:\' AND password = 'x'
  // When both are plausible the statement is truly ambiguous and the MySQL
  // reading, which sees longer literals, stays.
  void Lex() {
    if (LexSql(sql_, /*backslash_escapes=*/true, &tokens_, &comments_)) return;
    std::vector<SqlToken> tokens;
    std::vector<SqlComment> comments;
    if (LexSql(sql_, /*backslash_escapes=*/false, &tokens, &comments)) {
      tokens_ = std::move(tokens);
      comments_ = std::move(comments);
    }
  }

  SqlTokenKind Kind(size_t i) const { return tokens_[i].kind; }
  std::string_view Text(size_t i) const {
    return sql_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  std::string_view Body(size_t i) const {
    return sql_.substr(tokens_[i].body_begin, tokens_[i].body_end - tokens_[i].body_begin);
  }
  bool IsWord(size_t i, std::string_view upper) const {
    return i < n_ && Kind(i) == SqlTokenKind::kWord && EqualsIgnoreCase(Text(i), upper);
  }
  bool IsWordIn(size_t i, std::initializer_list<std::string_view> uppers) const {
    for (std::string_view upper : uppers) {
      if (IsWord(i, upper)) return true;
    }
    return false;
  }
  bool IsOperator(size_t i, std::string_view op) const {
    return i < n_ && Kind(i) == SqlTokenKind::kOperator && Text(i) == op;
  }
  bool IsOpenParen(size_t i) const {
    return i < n_ && Kind(i) == SqlTokenKind::kOpen && Text(i) == "(";
  }
  bool IsName(size_t i) const {
    return i < n_ && (Kind(i) == SqlTokenKind::kWord || Kind(i) == SqlTokenKind::kBacktick ||
                      Kind(i) == SqlTokenKind::kDoubleQuoted);
  }
  // "..." is a literal too: a string in MySQL.
  bool IsLiteral(size_t i) const {
    return i < n_ && (Kind(i) == SqlTokenKind::kString || Kind(i) == SqlTokenKind::kDollarString ||
                      Kind(i) == SqlTokenKind::kNumber || Kind(i) == SqlTokenKind::kDoubleQuoted);
  }
  bool IsTextLiteral(size_t i) const {
    return Kind(i) == SqlTokenKind::kString || Kind(i) == SqlTokenKind::kDollarString ||
           Kind(i) == SqlTokenKind::kDoubleQuoted;
  }
  bool IsJsonOperator(size_t i) const {
    return IsOperator(i, "->") || IsOperator(i, "->>") || IsOperator(i, "#>") ||
           IsOperator(i, "#>>");
  }
  bool IsFunctionName(size_t i) const {
    return IsName(i) && i + 1 < n_ && Kind(i + 1) == SqlTokenKind::kOpen;
  }

  bool IsSensitiveName(size_t i) const {
    const std::string_view name = Kind(i) == SqlTokenKind::kWord ? Text(i) : Body(i);
    return keys_.IsSensitive(name) || (statement_.pragma && IsSqlCipherKey(name));
  }
  // data->>'password': a JSON member named by a string.
  bool IsSensitiveJsonMember(size_t i) const {
    return Kind(i) == SqlTokenKind::kString && i > 0 && IsJsonOperator(i - 1) &&
           keys_.IsSensitive(Body(i));
  }

  void MatchBrackets() {
    match_.assign(n_, kNone);
    std::vector<uint32_t> open;
    for (size_t i = 0; i < n_; ++i) {
      if (Kind(i) == SqlTokenKind::kOpen) {
        open.push_back(static_cast<uint32_t>(i));
      } else if (Kind(i) == SqlTokenKind::kClose && !open.empty()) {
        const char expected = Text(open.back())[0] == '(' ? ')' : ']';
        if (Text(i)[0] != expected) continue;  // stray: leave both unmatched
        match_[i] = open.back();
        match_[open.back()] = static_cast<uint32_t>(i);
        open.pop_back();
      }
    }
  }

  void Cover(size_t begin, size_t end) {
    if (begin >= end) return;
    ++coverage_[begin];
    --coverage_[end];
  }
  // Covers the group opened at `open` (to the end when never closed) and
  // returns the index after it.
  size_t CoverGroup(size_t open) {
    const size_t end = match_[open] == kNone ? n_ : match_[open] + 1;
    Cover(open, end);
    return end;
  }

  void StartStatement(size_t i) {
    statement_.pragma = IsWord(i, "PRAGMA");
    statement_.attach = IsWord(i, "ATTACH");
    statement_.sets_password = IsWord(i, "SET") && IsWord(i + 1, "PASSWORD");
  }

  bool IsComparison(size_t i) const {
    if (Kind(i) == SqlTokenKind::kOperator) {
      const std::string_view op = Text(i);
      return op == "=" || op == "==" || op == "!=" || op == "<>" || op == "<" || op == ">" ||
             op == "<=" || op == ">=" || op == ":=" || op == "<=>";
    }
    return IsWordIn(
        i, {"LIKE", "ILIKE", "GLOB", "REGEXP", "RLIKE", "MATCH", "IN", "BETWEEN", "IS", "SIMILAR"});
  }

  // Words between a comparison and its value: IS NOT DISTINCT FROM 'x',
  // SIMILAR TO 'x', LIKE BINARY 'x', = ANY (...).
  size_t SkipOperatorWords(size_t k) const {
    for (size_t skipped = 0;
         skipped < kMaxSkippedWords &&
         IsWordIn(k, {"NOT", "DISTINCT", "FROM", "TO", "BINARY", "ANY", "ALL", "SOME"}) &&
         !IsFunctionName(k);
         ++skipped) {
      ++k;
    }
    return k;
  }

  // The last token of the operand that ends at `j`, before any ::type cast.
  size_t SkipCastsBack(size_t j) const {
    while (j != kNone && j >= 2 && IsOperator(j - 1, "::")) j -= 2;
    return j;
  }

  void AtComparison(size_t i) {
    size_t left = i == 0 ? kNone : i - 1;
    if (left != kNone && IsWord(left, "NOT")) left = left == 0 ? kNone : left - 1;
    left = SkipCastsBack(left);
    if (statement_.sets_password || LeftIsSensitive(left)) {
      const size_t end = CoverOperand(i + 1);
      if (IsWord(i, "BETWEEN") && IsWord(end, "AND")) CoverOperand(end + 1);
    } else if (RightIsSensitiveName(i + 1)) {
      CoverOperandEndingAt(left);
    }
  }

  bool LeftIsSensitive(size_t j) const {
    if (j == kNone) return false;
    if (IsName(j)) return IsSensitiveName(j);
    if (IsSensitiveJsonMember(j)) return true;
    if (Kind(j) != SqlTokenKind::kClose || match_[j] == kNone) return false;
    // lower(password) = 'x', (name, password) = ('a', 'b'), tokens[1] = 'x'
    const size_t open = match_[j];
    if (Text(j) == "]" && open > 0 && IsName(open - 1) && IsSensitiveName(open - 1)) return true;
    for (size_t k = open + 1; k < j && k <= open + kMaxGroupScan; ++k) {
      if (IsName(k) && !IsFunctionName(k) && IsSensitiveName(k)) return true;
      if (IsSensitiveJsonMember(k)) return true;
    }
    return false;
  }

  // 'x' = password, 'x' = u.password (but not 'x' = password_check(...)).
  bool RightIsSensitiveName(size_t k) const {
    k = SkipOperatorWords(k);
    if (!IsName(k)) return false;
    for (size_t parts = 0;
         parts < kMaxNameParts && k + 2 < n_ && Kind(k + 1) == SqlTokenKind::kDot && IsName(k + 2);
         ++parts) {
      k += 2;
    }
    return !IsFunctionName(k) && IsSensitiveName(k);
  }

  void CoverOperandEndingAt(size_t j) {
    if (j == kNone) return;
    if (IsLiteral(j)) {
      Cover(j, j + 1);
    } else if (Kind(j) == SqlTokenKind::kClose && match_[j] != kNone) {
      Cover(match_[j], j + 1);  // md5('x') = password
    }
  }

  // Covers the literals of the operand that starts at `k`: literals, calls
  // and groups joined by arithmetic, concatenation and casts. Stops at the
  // first token that cannot continue it (AND, OR, a comma, a keyword...) and
  // returns its index.
  size_t CoverOperand(size_t k) {
    k = SkipOperatorWords(k);
    bool need_operand = true;
    while (k < n_) {
      if (need_operand) {
        if (IsOperator(k, "+") || IsOperator(k, "-") || IsOperator(k, "~") || IsOperator(k, "!") ||
            IsWord(k, "NOT")) {
          ++k;  // unary
          continue;
        }
        if (IsLiteral(k)) {
          Cover(k, k + 1);
          ++k;
        } else if (Kind(k) == SqlTokenKind::kOpen) {
          k = CoverGroup(k);
        } else if (IsFunctionName(k)) {
          k = CoverGroup(k + 1);  // md5('x'), crypt('x', gen_salt('bf')), ARRAY['a']
        } else if (IsName(k)) {
          ++k;  // another column, NULL, DEFAULT: nothing to hide, but continue
          for (size_t parts = 0; parts < kMaxNameParts && k + 1 < n_ &&
                                 Kind(k) == SqlTokenKind::kDot && IsName(k + 1);
               ++parts) {
            k += 2;
          }
        } else if (Kind(k) == SqlTokenKind::kParameter) {
          ++k;
        } else {
          return k;
        }
        need_operand = false;
        continue;
      }
      if (IsOperator(k, "::")) {
        ++k;  // 'x'::text, 'x'::varchar(20)
        if (IsName(k)) ++k;
        if (IsOpenParen(k)) k = match_[k] == kNone ? n_ : match_[k] + 1;
        continue;
      }
      if (IsWord(k, "COLLATE")) {
        k += 2;
        continue;
      }
      if (Kind(k) == SqlTokenKind::kOpen) {
        k = CoverGroup(k);  // a subscript
        continue;
      }
      if (IsArithmetic(k)) {
        ++k;
        need_operand = true;
        continue;
      }
      return k;
    }
    return k;
  }

  bool IsArithmetic(size_t k) const {
    if (Kind(k) != SqlTokenKind::kOperator) return false;
    const std::string_view op = Text(k);
    for (std::string_view a : {"||", "+", "-", "*", "/", "%", "&", "|", "^", "#", "<<", ">>", "->",
                               "->>", "#>", "#>>"}) {
      if (op == a) return true;
    }
    return false;
  }

  void AtWord(size_t i) {
    if (IsWord(i, "INSERT") || (IsWord(i, "REPLACE") && !IsOpenParen(i + 1))) {
      AtInsert(i);
    } else if (statement_.pragma && IsSqlCipherKey(Text(i)) && IsOpenParen(i + 1)) {
      CoverGroup(i + 1);  // PRAGMA key('x')
    }
  }

  // A literal right after a word: ALTER USER bob PASSWORD 'x',
  // IDENTIFIED BY 'x', IDENTIFIED WITH plugin AS 'hash', ATTACH ... KEY 'x'.
  void AtLiteralAfterWord(size_t i) {
    if (i == 0 || Kind(i - 1) != SqlTokenKind::kWord || IsComparison(i - 1)) return;
    const size_t word = i - 1;
    const bool hide = IsSensitiveName(word) ||
                      ((IsWord(word, "BY") || IsWord(word, "AS")) && IdentifiedBefore(word)) ||
                      (statement_.attach && IsWord(word, "KEY"));
    if (hide) Cover(i, i + 1);
  }

  bool IdentifiedBefore(size_t word) const {
    for (size_t back = 1; back <= 3 && back <= word; ++back) {
      if (IsWord(word - back, "IDENTIFIED")) return true;
    }
    return false;
  }

  // INSERT INTO t (name, password) VALUES ('bob', 'x'), ('al', 'y'): the
  // literals of each tuple take the sensitivity of their column.
  void AtInsert(size_t i) {
    size_t k = i + 1;
    for (size_t skipped = 0; skipped < kMaxSkippedWords &&
                             IsWordIn(k, {"OR", "REPLACE", "ROLLBACK", "ABORT", "FAIL", "IGNORE",
                                          "INTO", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"});
         ++skipped) {
      ++k;
    }
    if (!IsName(k)) return;
    ++k;
    for (size_t parts = 0;
         parts < kMaxNameParts && k + 1 < n_ && Kind(k) == SqlTokenKind::kDot && IsName(k + 1);
         ++parts) {
      k += 2;
    }
    if (IsWord(k, "AS") && IsName(k + 1)) k += 2;
    if (!IsOpenParen(k) || match_[k] == kNone) return;

    const std::vector<bool> sensitive = SensitiveColumns(k, match_[k]);
    bool any = false;
    for (bool s : sensitive) any = any || s;
    if (!any) return;

    k = match_[k] + 1;
    for (size_t skipped = 0; skipped < kMaxSkippedWords; ++skipped) {
      if (IsWord(k, "VALUES") ||
          (IsWord(k, "VALUE") && (IsOpenParen(k + 1) || IsWord(k + 1, "ROW"))))
        break;
      if (!IsWordIn(k, {"OVERRIDING", "SYSTEM", "USER", "VALUE"})) return;
      ++k;
    }
    if (!IsWord(k, "VALUES") && !IsWord(k, "VALUE")) return;
    ++k;
    // In valid SQL the VALUES lists of different INSERTs never overlap. An
    // unclosed tuple runs to the end, and would otherwise be walked again by
    // every INSERT inside it.
    if (k < tuples_walked_until_) return;
    for (;;) {
      if (IsWord(k, "ROW")) ++k;  // MySQL: VALUES ROW(...)
      if (!IsOpenParen(k)) return;
      const size_t close = match_[k] == kNone ? n_ : match_[k];
      CoverTupleParts(k, close, sensitive);
      tuples_walked_until_ = close;
      if (close + 1 >= n_ || Kind(close + 1) != SqlTokenKind::kComma) return;
      k = close + 2;
    }
  }

  // For the column list between `open` and `close`, whether each column is
  // sensitive.
  std::vector<bool> SensitiveColumns(size_t open, size_t close) const {
    std::vector<bool> sensitive;
    size_t last_name = kNone;
    for (size_t c = open + 1; c <= close; ++c) {
      if (c == close || Kind(c) == SqlTokenKind::kComma) {
        sensitive.push_back(last_name != kNone && IsSensitiveName(last_name));
        last_name = kNone;
      } else if (Kind(c) == SqlTokenKind::kOpen) {
        c = (match_[c] == kNone || match_[c] >= close) ? close - 1 : match_[c];
      } else if (IsName(c)) {
        last_name = c;
      }
    }
    return sensitive;
  }

  // Covers, in the tuple between `open` and `close` (n_ when unclosed), the
  // parts whose column is sensitive. Nested groups are stepped over whole.
  void CoverTupleParts(size_t open, size_t close, const std::vector<bool>& sensitive) {
    size_t column = 0;
    size_t part_begin = open + 1;
    for (size_t c = open + 1; c <= close; ++c) {
      if (c == close || Kind(c) == SqlTokenKind::kComma) {
        if (column < sensitive.size() && sensitive[column]) Cover(part_begin, c);
        ++column;
        part_begin = c + 1;
      } else if (Kind(c) == SqlTokenKind::kOpen) {
        c = (match_[c] == kNone || match_[c] >= close) ? close - 1 : match_[c];
      }
    }
  }

  void HideCoveredLiterals() {
    int64_t depth = 0;
    for (size_t k = 0; k < n_; ++k) {
      depth += coverage_[k];
      if (depth <= 0 || !IsLiteral(k)) continue;
      const SqlToken& t = tokens_[k];
      if (Kind(k) == SqlTokenKind::kNumber) {
        out_->push_back({base_ + t.begin, base_ + t.end, /*as_sql_string=*/true});
      } else if (t.body_end > t.body_begin && Body(k) != marker_) {
        out_->push_back({base_ + t.body_begin, base_ + t.body_end});
      }
    }
  }

  // A comment is free text, and often the rest of a statement that an
  // injection cut off (name = '' OR 1=1 --' AND password = 'x'): read it as
  // SQL too, also from after a leading quote, which is where the cut-off
  // statement resumes.
  void ScrubComments() {
    for (const SqlComment& comment : comments_) {
      const std::string_view body =
          sql_.substr(comment.body_begin, comment.body_end - comment.body_begin);
      const size_t base = base_ + comment.body_begin;
      FindTextSecrets(body, base, keys_, marker_, out_);
      if (!read_comments_as_sql_) continue;
      SqlScanner(body, base, keys_, marker_, false, out_).Run();
      const size_t first = body.find_first_not_of(" \t\r\n");
      if (first != std::string_view::npos &&
          (body[first] == '\'' || body[first] == '"' || body[first] == '`')) {
        SqlScanner(body.substr(first + 1), base + first + 1, keys_, marker_, false, out_).Run();
      }
    }
  }

  const std::string_view sql_;
  const size_t base_;
  const SensitiveKeys& keys_;
  const std::string_view marker_;
  const bool read_comments_as_sql_;
  std::vector<Redaction>* const out_;

  std::vector<SqlToken> tokens_;
  std::vector<SqlComment> comments_;
  size_t n_ = 0;
  std::vector<uint32_t> match_;    // the other bracket of each bracket, or kNone
  std::vector<int32_t> coverage_;  // difference array over token indices
  Statement statement_;
  size_t statement_begin_ = 0;
  size_t tuples_walked_until_ = 0;  // the last token of the last VALUES tuple walked
};

}  // namespace

void FindSqlSecrets(std::string_view sql, const SensitiveKeys& keys, std::string_view marker,
                    std::vector<Redaction>* out) {
  SqlScanner(sql, 0, keys, marker, /*read_comments_as_sql=*/true, out).Run();
}

}  // namespace vigil::recorder::scrub_internal
