// Copyright Vigil authors.
//
// ExamineOccurrence(): the rules of occurrence.h, over the tokens the
// occurrence overlaps and, inside words and here-document bodies, over the
// elements word_scan.h reads.
#include "occurrence.h"

#include "chars.h"
#include "word_scan.h"

namespace vigil::shell::internal {
namespace {

// A negative number once quotes are set aside: -5, -0.25, -1,000.
bool IsNegativeNumber(std::string_view v) {
  bool digits = false;
  for (size_t i = 1; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '\'' || c == '"') continue;
    if (IsDigit(c)) {
      digits = true;
    } else if (c != '.' && c != ',') {
      return false;
    }
  }
  return digits;
}

uint32_t FirstOverlapping(const CommandTokens& ts, uint32_t begin) {
  uint32_t lo = 0, hi = ts.size;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (ts[mid].end <= begin) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

uint16_t OperatorEffect(TokenKind kind) {
  switch (kind) {
    case TokenKind::kSeparator: return kAddsSeparator;
    case TokenKind::kAndOr: return kAddsAndOr;
    case TokenKind::kPipe: return kAddsPipe;
    case TokenKind::kRedirection: return kAddsRedirection;
    case TokenKind::kLeftParen:
    case TokenKind::kRightParen:
    case TokenKind::kReservedWord: return kAddsGroup;
    default: return 0;
  }
}

class Examiner {
 public:
  Examiner(const CommandTokens& ts, uint32_t b, uint32_t e)
      : ts_(ts), s_(ts.command()), b_(b), e_(e) {}

  OccurrenceResult Run() {
    const uint32_t n = ts_.size;
    // Past the stored tokens: a limit left it unchecked.
    if (ts_.lex_status() != Status::kOk && (n == 0 || e_ > ts_[n - 1].end)) {
      r_.unchecked = true;
      return r_;
    }
    const uint32_t first = FirstOverlapping(ts_, b_);
    uint32_t last = first;
    for (uint32_t k = first; k < n && ts_[k].begin < e_; ++k) {
      OnToken(k);
      last = k;
    }
    if (first == n || ts_[first].begin >= e_) return r_;  // only blanks
    EdgeBlanks(first, last);
    if (r_.words >= 2) Add(kAddsWords, ts_[first].begin, ts_[first].end);
    // Words alone in a command that ends inside an open quote: the shell
    // rejects it whole ("it's fine" inserted into '...').
    const bool only_words = (r_.effects & ~kAddsWords) == 0;
    r_.injection = r_.effects != 0 && !(only_words && RejectedAfter(last));
    // Up to the very end of the stored tokens and clean so far: the next
    // token, which the edge-blank rule looks at, is unknown.
    r_.unchecked = !r_.injection && ts_.lex_status() != Status::kOk && e_ >= ts_[n - 1].end;
    return r_;
  }

 private:
  // Whether the command ends inside an open quote on the line of token
  // `last`: the shell parses a whole line before running any of it, and
  // rejects this one (a here-document body ends the line too).
  bool RejectedAfter(uint32_t last) const {
    const uint32_t n = ts_.size;
    if (ts_.lex_status() != Status::kOk) return false;
    if (ts_[n - 1].kind != TokenKind::kWord || !(ts_[n - 1].flags & kUnterminated)) return false;
    for (uint32_t k = last + 1; k < n; ++k) {
      const Token& t = ts_[k];
      if (t.kind == TokenKind::kHereDoc || (t.kind == TokenKind::kSeparator && s_[t.begin] == '\n')) {
        return false;
      }
    }
    return true;
  }

  void Add(uint16_t effect, uint32_t b, uint32_t e) {
    if (r_.effects == 0) {
      r_.snippet_begin = b;
      r_.snippet_end = e;
    }
    r_.effects |= effect;
  }

  void OnToken(uint32_t k) {
    const Token& t = ts_[k];
    switch (t.kind) {
      case TokenKind::kWord:
        ++r_.words;
        Word(t);
        return;
      case TokenKind::kReservedWord:
        ++r_.words;
        Add(kAddsGroup, t.begin, t.end);
        return;
      case TokenKind::kComment:
        if (t.begin >= b_) Add(kAddsComment, t.begin, t.end);
        return;
      case TokenKind::kHereDoc:
        HereDoc(t);
        return;
      default:
        Add(OperatorEffect(t.kind), t.begin, t.end);
        return;
    }
  }

  // An unquoted blank at an edge of the input that splits a word of the
  // service's: "cat{IN}" with " /etc/passwd".
  void EdgeBlanks(uint32_t first, uint32_t last) {
    if (b_ < ts_[first].begin && first > 0 && ts_[first - 1].end == b_ &&
        ts_[first - 1].kind == TokenKind::kWord) {
      Add(kAddsWords, b_, ts_[first].begin);
    }
    if (ts_[last].end < e_ && last + 1 < ts_.size && ts_[last + 1].begin == e_ &&
        ts_[last + 1].kind == TokenKind::kWord) {
      Add(kAddsWords, ts_[last].end, e_);
    }
  }

  void Word(const Token& t) {
    WordState w;
    ScanWord(s_, t.begin, t.end, Ctx::kTop, [&](const Element& el) { OnElement(el, &w); });
    if (t.flags & kCommandWord) {
      if ((!w.prefix_value || w.last_prefix == '/') && !w.suffix_value && w.any_value) {
        Add(kIsProgram, t.begin, t.end);
      }
    } else if (!w.prefix_value && !w.suffix_value && w.first_char == '-' &&
               !IsNegativeNumber(s_.substr(w.first_pos, e_ - w.first_pos))) {
      Add(kStartsOption, t.begin, t.end);
    }
  }

  struct WordState {
    bool prefix_value = false;  // value bytes of the word before the input
    bool suffix_value = false;  // ... and after it
    bool any_value = false;     // value bytes inside the input
    char last_prefix = 0;
    char first_char = 0;        // the input's first value byte
    uint32_t first_pos = 0;
    bool started = false;
    Ctx start_ctx = Ctx::kTop;
  };

  void OnElement(const Element& el, WordState* w) {
    const uint32_t el_end = el.pos + el.len;
    const bool value = el.role != Role::kQuote;
    if (el_end <= b_) {
      if (value) {
        w->prefix_value = true;
        w->last_prefix = s_[el_end - 1];
      }
      return;
    }
    if (el.pos >= e_) {
      w->suffix_value = w->suffix_value || value;
      return;
    }
    if (!w->started) {
      w->started = true;
      w->start_ctx = el.ctx;
    }
    // A literal run may straddle the input's edges: its bytes outside the
    // input are the service's.
    const bool literal = el.role == Role::kLiteral;
    if (literal && el.pos < b_) {
      w->prefix_value = true;
      w->last_prefix = s_[b_ - 1];
    }
    if (literal && el_end > e_) w->suffix_value = true;
    if (value && !w->any_value) {
      w->any_value = true;
      w->first_pos = literal && el.pos < b_ ? b_ : el.pos;
      w->first_char = el.role == Role::kEscape && el.len == 2 ? s_[el.pos + 1] : s_[w->first_pos];
      if (el.pos < b_) w->prefix_value = true;  // an element the input only ends
    }
    if (el.role == Role::kQuote && el.pos >= b_ && IsQuoteCtx(el.ctx) && el.ctx == w->start_ctx &&
        !(r_.flags & kLeavesQuote)) {
      r_.flags |= kLeavesQuote;
      r_.left_quote = el.ctx == Ctx::kSingle ? '\'' : el.ctx == Ctx::kDouble ? '"' : '$';
    }
    if (el.role == Role::kLive && el.pos >= b_) Add(el.effect, el.pos, el_end);
  }

  // A here-document body: expansions in it if it is expanded, and whether
  // the input holds its closing line.
  void HereDoc(const Token& t) {
    if (!(t.flags & kUnterminated) && t.end <= e_) Add(kAddsHereDoc, t.begin, t.end);
    if (!(t.flags & kExpands)) return;
    ScanWord(s_, t.begin, t.end, Ctx::kHereBody, [&](const Element& el) {
      if (el.role == Role::kLive && el.pos >= b_ && el.pos < e_) Add(el.effect, el.pos, el.pos + el.len);
    });
  }

  const CommandTokens& ts_;
  std::string_view s_;
  uint32_t b_, e_;
  OccurrenceResult r_;
};

}  // namespace

OccurrenceResult ExamineOccurrence(const CommandTokens& tokens, uint32_t begin,
                                   uint32_t end) noexcept {
  return Examiner(tokens, begin, end).Run();
}

bool IsOptionLike(std::string_view v) noexcept {
  return v.size() >= 2 && v[0] == '-' && !IsNegativeNumber(v);
}

}  // namespace vigil::shell::internal
