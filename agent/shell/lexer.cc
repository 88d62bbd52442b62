// Copyright Vigil authors.
//
// The shell lexer: operators by longest match, comments, words (through
// word_scan.h), here-document bodies after the newline that ends their
// command line, and where a command word is due:
//   * at the start, after a separator, && || | |& ( ), and after the reserved
//     words that introduce a command (if then do ! { ...);
//   * not after the word that names the program, nor for a redirection's
//     target, and an assignment (NAME=value) keeps it due.
#include "lexer.h"

#include "chars.h"
#include "word_scan.h"

namespace vigil::shell::internal {
namespace {

constexpr uint32_t kMaxPendingHereDocs = 8;

struct PendingHereDoc {
  uint32_t word_begin;
  uint32_t word_end;
  bool strip_tabs;  // <<-
  bool quoted;      // any quote in the delimiter: the body is not expanded
};

// What the next word is, after a redirection operator.
enum class Expect : uint8_t { kAnything, kTarget, kHereDelimiter };

// Reserved words and whether a command word is due after them.
bool IsReservedWord(std::string_view w, bool* command_follows) {
  static constexpr std::string_view kLeadToCommand[] = {
      "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"};
  static constexpr std::string_view kOthers[] = {
      "fi", "done", "esac", "}", "case", "for", "select", "function", "in", "[[", "]]"};
  for (std::string_view r : kLeadToCommand) {
    if (w == r) return *command_follows = true;
  }
  for (std::string_view r : kOthers) {
    if (w == r) {
      *command_follows = false;
      return true;
    }
  }
  return false;
}

bool IsAssignment(std::string_view w) {
  if (w.empty() || !IsNameStart(w[0])) return false;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i] == '=') return true;
    if (!IsNameChar(w[i])) return false;
  }
  return false;
}

// Whether the line [b, e) is the here-document delimiter written as the word
// [wb, we): the word with its quotes and backslashes removed.
bool DelimiterMatches(std::string_view s, uint32_t wb, uint32_t we, uint32_t b, uint32_t e) {
  uint32_t j = b;
  for (uint32_t i = wb; i < we; ++i) {
    char c = s[i];
    if (c == '\'' || c == '"') continue;
    if (c == '\\' && i + 1 < we) c = s[++i];
    if (j == e || s[j] != c) return false;
    ++j;
  }
  return j == e;
}

class Lexer {
 public:
  Lexer(std::string_view s, TokenOut* out) : s_(s), n_(static_cast<uint32_t>(s.size())), out_(out) {}

  Status Run() {
    uint32_t p = 0;
    while (status_ == Status::kOk) {
      p = SkipBlanks(p);
      if (p >= n_) break;
      p = Next(p);
    }
    return status_;
  }

 private:
  char At(uint32_t i) const { return i < n_ ? s_[i] : '\0'; }

  void Add(uint32_t b, uint32_t e, TokenKind kind, uint8_t flags = 0) {
    if (status_ != Status::kOk) return;
    if (out_->size == out_->capacity && !out_->Grow()) {
      status_ = out_->status;
      return;
    }
    out_->data[out_->size++] = Token{b, e, kind, flags};
  }

  // Blanks and line continuations.
  uint32_t SkipBlanks(uint32_t p) const {
    while (p < n_) {
      if (IsBlank(s_[p])) {
        ++p;
      } else if (s_[p] == '\\' && At(p + 1) == '\n') {
        p += 2;
      } else {
        break;
      }
    }
    return p;
  }

  // One token at `p` (not a blank); returns where the next one may start.
  uint32_t Next(uint32_t p) {
    const char c = s_[p];
    if (c == '\n') {
      Add(p, p + 1, TokenKind::kSeparator);
      CommandDue();
      return HereDocBodies(p + 1);
    }
    if (c == '#') {
      uint32_t e = p;
      while (e < n_ && s_[e] != '\n') ++e;
      Add(p, e, TokenKind::kComment);
      return e;
    }
    uint32_t q = p;
    while (q < n_ && IsDigit(s_[q])) ++q;
    if (q > p && (At(q) == '<' || At(q) == '>')) return Redirection(p, q);
    if (c == '<' || c == '>' || (c == '&' && At(p + 1) == '>')) return Redirection(p, p);
    if (IsWordEnd(c)) return Operator(p);
    return Word(p);
  }

  void CommandDue() {
    command_due_ = true;
    expect_ = Expect::kAnything;
  }

  uint32_t Operator(uint32_t p) {
    const char c = s_[p];
    const char c1 = At(p + 1);
    uint32_t len = 1;
    TokenKind kind = TokenKind::kSeparator;
    switch (c) {
      case ';':
        if (c1 == ';') {
          len = At(p + 2) == '&' ? 3 : 2;
        } else if (c1 == '&') {
          len = 2;
        }
        break;
      case '&':
        if (c1 == '&') kind = TokenKind::kAndOr, len = 2;
        break;
      case '|':
        kind = c1 == '|' ? TokenKind::kAndOr : TokenKind::kPipe;
        len = (c1 == '|' || c1 == '&') ? 2 : 1;
        break;
      case '(': kind = TokenKind::kLeftParen; break;
      case ')': kind = TokenKind::kRightParen; break;
      default: break;
    }
    Add(p, p + len, kind);
    CommandDue();
    return p + len;
  }

  // A redirection whose operator starts at `q` (after the fd digits [b, q)).
  uint32_t Redirection(uint32_t b, uint32_t q) {
    const char c = s_[q];
    const char c1 = At(q + 1);
    const char c2 = At(q + 2);
    uint32_t len = 1;
    bool here_doc = false, dup = false;
    if (c == '<') {
      if (c1 == '<') {
        len = (c2 == '<' || c2 == '-') ? 3 : 2;
        here_doc = c2 != '<';
      } else if (c1 == '>' || c1 == '&') {
        len = 2;
        dup = c1 == '&';
      }
    } else if (c == '>') {
      if (c1 == '>' || c1 == '&' || c1 == '|') len = 2;
      dup = c1 == '&';
    } else {  // &> and &>>
      len = c2 == '>' ? 3 : 2;
    }
    uint32_t e = q + len;
    bool complete = false;
    if (dup) {
      // 2>&1, >&-: the target fd belongs to the operator.
      const uint32_t d = e;
      if (At(e) == '-') {
        ++e;
      } else {
        while (e < n_ && IsDigit(s_[e])) ++e;
      }
      complete = e > d && (e == n_ || IsWordEnd(s_[e]));
      if (!complete) e = d;
    }
    Add(b, e, TokenKind::kRedirection);
    strip_tabs_ = here_doc && c2 == '-';
    expect_ = here_doc ? Expect::kHereDelimiter : complete ? Expect::kAnything : Expect::kTarget;
    return e;
  }

  // Most words are plain text (-strip, /usr/bin/convert, 640x480): one pass
  // over the byte table finds their end; the others go through the scanner.
  ScanResult ScanAnyWord(uint32_t p) const {
    uint32_t e = p;
    while (e < n_ && (PlainBits(s_[e]) & kPlainInTop)) ++e;
    if (e > p && (e == n_ || IsWordEnd(s_[e]))) {
      ScanResult plain;
      plain.end = e;
      return plain;
    }
    return ScanWord(s_, p, n_, Ctx::kTop, [](const Element&) {});
  }

  uint32_t Word(uint32_t p) {
    const ScanResult r = ScanAnyWord(p);
    if (r.too_deep) {
      status_ = Status::kTooDeep;
      return n_;
    }
    const uint32_t e = r.end > p ? r.end : p + 1;
    uint8_t flags = r.flags;
    TokenKind kind = TokenKind::kWord;
    if (expect_ == Expect::kHereDelimiter) {
      if (pending_count_ < kMaxPendingHereDocs) {
        pending_[pending_count_++] = {p, e, strip_tabs_, (flags & kQuoted) != 0};
      }
    } else if (expect_ == Expect::kAnything && command_due_) {
      const std::string_view text = s_.substr(p, e - p);
      bool command_follows = false;
      if (!(flags & kQuoted) && IsReservedWord(text, &command_follows)) {
        kind = TokenKind::kReservedWord;
        flags &= static_cast<uint8_t>(~kGlob);
        command_due_ = command_follows;
      } else if (IsAssignment(text)) {
        flags |= kAssignment;
      } else {
        flags |= kCommandWord;
        command_due_ = false;
      }
    }
    expect_ = Expect::kAnything;
    Add(p, e, kind, flags);
    return e;
  }

  // The bodies of the here-documents of the line that ended at `p`.
  uint32_t HereDocBodies(uint32_t p) {
    for (uint32_t k = 0; k < pending_count_ && p < n_; ++k) {
      const PendingHereDoc& h = pending_[k];
      const uint8_t flags = h.quoted ? 0 : kExpands;
      const uint32_t body = p;
      bool found = false;
      while (p < n_ && !found) {
        uint32_t b = p, e = p;
        while (e < n_ && s_[e] != '\n') ++e;
        if (h.strip_tabs) {
          while (b < e && s_[b] == '\t') ++b;
        }
        found = DelimiterMatches(s_, h.word_begin, h.word_end, b, e);
        p = e < n_ ? e + 1 : n_;
      }
      Add(body, p, TokenKind::kHereDoc, found ? flags : flags | kUnterminated);
    }
    pending_count_ = 0;
    return p;
  }

  std::string_view s_;
  uint32_t n_;
  TokenOut* out_;
  Status status_ = Status::kOk;
  bool command_due_ = true;
  bool strip_tabs_ = false;
  Expect expect_ = Expect::kAnything;
  PendingHereDoc pending_[kMaxPendingHereDocs];
  uint32_t pending_count_ = 0;
};

}  // namespace

Status Lex(std::string_view s, TokenOut* out) noexcept { return Lexer(s, out).Run(); }

}  // namespace vigil::shell::internal
