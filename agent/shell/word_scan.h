// Copyright Vigil authors.
//
// word_scan.h: the quoting state machine of one shell word, shared by the
// tokenizer (which only wants to know where the word ends) and the detector
// (which wants to know, byte by byte, what each part of the word means).
//
// A word is read as a sequence of *elements*, each reported to a sink with
// the context it was read in:
//   kLiteral  bytes that are plain text of the word's value;
//   kQuote    a delimiter: ' " $" and the closing ) } )) of substitutions;
//   kEscape   a backslash and the byte it escapes (plain text too);
//   kLive     bytes the shell acts on: expansions and substitutions ($x,
//             ${...}, $(...), `...`, $((...)), $'...'), unquoted glob and
//             brace characters, and, inside a command substitution, blanks,
//             operators and comments (they structure the inner command).
// Element::effect says what a live element does (an Effect bit).
//
// Nesting ("$(echo "$(date)")") is followed on a fixed stack of kMaxDepth
// contexts; deeper text stops the scan with ScanResult::too_deep.
#ifndef VIGIL_SHELL_WORD_SCAN_H_
#define VIGIL_SHELL_WORD_SCAN_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "chars.h"
#include "shell.h"

namespace vigil::shell::internal {

enum class Ctx : uint8_t {
  kTop,       // the word itself, unquoted
  kSingle,    // '...'
  kDouble,    // "..."
  kAnsi,      // $'...'
  kSubst,     // $( ... )
  kParen,     // ( ... ) inside a substitution
  kBacktick,  // ` ... `
  kBrace,     // ${ ... }
  kArith,     // $(( ... ))
  kHereBody,  // the body of a here-document with an unquoted delimiter
};

inline bool IsQuoteCtx(Ctx c) { return c == Ctx::kSingle || c == Ctx::kDouble || c == Ctx::kAnsi; }

enum class Role : uint8_t { kLiteral, kQuote, kEscape, kLive };

struct Element {
  uint32_t pos;
  uint32_t len;
  Role role;
  Ctx ctx;          // the context the element was read in (for a closing
                    // delimiter: the context it closes)
  uint16_t effect;  // for kLive: an Effect bit
};

struct ScanResult {
  uint32_t end = 0;    // one past the word's last byte
  uint8_t flags = 0;   // kUnterminated, kQuoted, kExpands, kGlob
  bool too_deep = false;
};

// Reads one word of `s` from `begin`, in context `start` (kTop for a word of
// the command, kHereBody for a here-document body), stopping at `limit` or,
// for kTop, at the first unquoted blank, newline or operator byte. Calls
// sink(const Element&) for each element, in order.
template <class Sink>
ScanResult ScanWord(std::string_view s, uint32_t begin, uint32_t limit, Ctx start, Sink&& sink);

// ---------------------------------------------------------------------------
// Implementation.
// ---------------------------------------------------------------------------

template <class Sink>
class WordScanner {
 public:
  WordScanner(std::string_view s, uint32_t begin, uint32_t limit, Ctx start, Sink& sink)
      : s_(s), p_(begin), limit_(limit), sink_(sink) {
    stack_[0] = start;
  }

  ScanResult Run() {
    while (p_ < limit_ && !r_.too_deep) {
      if (!Step()) break;
    }
    r_.end = p_;
    if (depth_ > 1 || (depth_ == 1 && stack_[0] != Ctx::kTop && stack_[0] != Ctx::kHereBody)) {
      r_.flags |= kUnterminated;
    }
    return r_;
  }

 private:
  Ctx ctx() const { return stack_[depth_ - 1]; }
  char At(uint32_t i) const { return i < limit_ ? s_[i] : '\0'; }

  void Emit(uint32_t len, Role role, uint16_t effect = 0) {
    if (p_ + len > limit_) len = limit_ - p_;
    sink_(Element{p_, len, role, ctx(), effect});
    if (role == Role::kQuote || role == Role::kEscape) r_.flags |= kQuoted;
    if (role == Role::kLive) {
      if (effect & (kAddsSubstitution | kAddsExpansion)) r_.flags |= kExpands;
      if (effect == kAddsGlob && depth_ == 1) r_.flags |= kGlob;
    }
    p_ += len;
  }
  void Push(Ctx c) {
    if (depth_ == kMaxDepth) {
      r_.too_deep = true;
      return;
    }
    stack_[depth_++] = c;
    word_start_ = true;
  }
  void Pop() {
    if (depth_ > 1) --depth_;
    word_start_ = false;
  }

  // A run of plain bytes from p_ as one literal element: most of a command
  // is plain text, and one element per run keeps the tokenizer fast.
  bool PlainRun(uint8_t plain_bit) {
    uint32_t e = p_;
    while (e < limit_ && (PlainBits(s_[e]) & plain_bit)) ++e;
    if (e == p_) return false;
    Emit(e - p_, Role::kLiteral);
    word_start_ = false;
    return true;
  }

  // One element; false when the word ends here.
  bool Step() {
    const char c = s_[p_];
    switch (ctx()) {
      case Ctx::kSingle: {
        if (c == '\'') return CloseQuote(1);
        // Everything up to the closing quote is literal: memchr finds it.
        const void* q = std::memchr(s_.data() + p_, '\'', limit_ - p_);
        const uint32_t e = q ? static_cast<uint32_t>(static_cast<const char*>(q) - s_.data()) : limit_;
        Emit(e - p_, Role::kLiteral);
        return true;
      }
      case Ctx::kAnsi:
        if (c == '\\' && p_ + 1 < limit_) {
          Emit(2, Role::kEscape);
        } else if (c == '\'') {
          return CloseQuote(1);
        } else {
          Emit(1, Role::kLiteral);
        }
        return true;
      case Ctx::kDouble:
      case Ctx::kHereBody:
        if (PlainRun(kPlainInDouble)) return true;
        return DoubleByte(c);
      case Ctx::kBacktick:
        if (c == '`') return CloseQuote(1);
        if (c == '\\' && p_ + 1 < limit_) {
          Emit(2, Role::kEscape);
          return true;
        }
        return CommandByte(c);
      case Ctx::kTop:
        if (depth_ == 1 && IsWordEnd(c)) return false;
        if (PlainRun(kPlainInTop)) return true;
        return CommandByte(c);
      case Ctx::kSubst:
      case Ctx::kParen:
        if (c == ')') return CloseQuote(1);
        return CommandByte(c);
      case Ctx::kBrace:
        if (c == '}') return CloseQuote(1);
        return ExpansionByte(c);
      case Ctx::kArith:
        if (c == ')' && At(p_ + 1) == ')') return CloseQuote(2);
        return ExpansionByte(c);
    }
    return true;
  }

  bool CloseQuote(uint32_t len) {
    const bool paren = ctx() == Ctx::kParen;
    Emit(len, paren ? Role::kLive : Role::kQuote, paren ? kAddsGroup : 0);
    Pop();
    return true;
  }

  bool DoubleByte(char c) {
    const char n = At(p_ + 1);
    if (c == '"' && ctx() == Ctx::kDouble) return CloseQuote(1);
    if (c == '\\' && p_ + 1 < limit_ &&
        (n == '$' || n == '`' || n == '"' || n == '\\' || n == '\n')) {
      Emit(2, Role::kEscape);
    } else if (c == '$') {
      Dollar(true);
    } else if (c == '`') {
      Emit(1, Role::kLive, kAddsSubstitution);
      Push(Ctx::kBacktick);
    } else {
      Emit(1, Role::kLiteral);
    }
    return true;
  }

  // Inside ${...} and $((...)): everything is part of the expansion, but
  // quotes and substitutions still nest (so that their ends are found).
  bool ExpansionByte(char c) {
    if (c == '\'' || c == '"' || c == '`' || c == '$' || c == '\\') return CommandByte(c);
    if (c == '(' && ctx() == Ctx::kArith) {
      Emit(1, Role::kLive, kAddsExpansion);
      Push(Ctx::kParen);
      return true;
    }
    Emit(1, Role::kLive, kAddsExpansion);
    return true;
  }

  // A byte where the shell reads commands: the word itself (kTop) or the
  // inside of a substitution.
  bool CommandByte(char c) {
    const bool top = ctx() == Ctx::kTop;
    const bool at_start = word_start_;
    word_start_ = false;
    switch (c) {
      case '\'': Emit(1, Role::kQuote); Push(Ctx::kSingle); word_start_ = false; return true;
      case '"': Emit(1, Role::kQuote); Push(Ctx::kDouble); word_start_ = false; return true;
      case '\\': Emit(p_ + 1 < limit_ ? 2 : 1, Role::kEscape); return true;
      case '$': Dollar(false); return true;
      case '`': Emit(1, Role::kLive, kAddsSubstitution); Push(Ctx::kBacktick); return true;
      case '*': case '?': case '[': case '{': case '}':
        Emit(1, Role::kLive, kAddsGlob);
        return true;
      case '~':
        Emit(1, at_start ? Role::kLive : Role::kLiteral, at_start ? kAddsGlob : 0);
        return true;
      default: break;
    }
    if (!top) return InnerCommandByte(c, at_start);
    Emit(1, Role::kLiteral);
    return true;
  }

  // Blanks, operators and comments inside a substitution: they give the
  // inner command its structure.
  bool InnerCommandByte(char c, bool at_start) {
    uint16_t effect = 0;
    switch (c) {
      case ' ': case '\t': effect = kAddsWords; break;
      case '\n': case ';': effect = kAddsSeparator; break;
      case '&': effect = At(p_ + 1) == '&' ? kAddsAndOr : kAddsSeparator; break;
      case '|': effect = At(p_ + 1) == '|' ? kAddsAndOr : kAddsPipe; break;
      case '<': case '>': effect = kAddsRedirection; break;
      case '(':
        Emit(1, Role::kLive, kAddsGroup);
        Push(Ctx::kParen);
        return true;
      case '#':
        if (at_start) {
          uint32_t e = p_;
          while (e < limit_ && s_[e] != '\n') ++e;
          Emit(e - p_, Role::kLive, kAddsComment);
          word_start_ = true;
          return true;
        }
        break;
      default: break;
    }
    if (effect == 0) {
      Emit(1, Role::kLiteral);
      return true;
    }
    Emit(1, Role::kLive, effect);
    word_start_ = true;
    return true;
  }

  // '$' and what follows it. Inside double quotes (and here-document
  // bodies) $1, $@, $$ ... are expanded but add no structure: "costs $5".
  void Dollar(bool quoted) {
    const char n = At(p_ + 1);
    if (n == '(') {
      if (At(p_ + 2) == '(') {
        Emit(3, Role::kLive, kAddsExpansion);
        Push(Ctx::kArith);
      } else {
        Emit(2, Role::kLive, kAddsSubstitution);
        Push(Ctx::kSubst);
      }
    } else if (n == '[') {
      // bash's old arithmetic, $[1+1], expanded inside double quotes too.
      Emit(2, Role::kLive, kAddsExpansion);
    } else if (n == '{') {
      Emit(2, Role::kLive, kAddsExpansion);
      Push(Ctx::kBrace);
    } else if (n == '\'' && !quoted) {
      // $'\x3b': any byte at all, so treat it as live (it hides '-' too).
      Emit(2, Role::kLive, kAddsExpansion);
      Push(Ctx::kAnsi);
    } else if (n == '"' && !quoted) {
      Emit(2, Role::kQuote);
      Push(Ctx::kDouble);
    } else if (IsNameStart(n)) {
      uint32_t e = p_ + 2;
      while (e < limit_ && IsNameChar(s_[e])) ++e;
      Emit(e - p_, Role::kLive, kAddsExpansion);
    } else if (IsDigit(n) || IsSpecialParameter(n)) {
      if (quoted) {
        Emit(2, Role::kLiteral);
      } else {
        Emit(2, Role::kLive, kAddsExpansion);
      }
    } else {
      Emit(1, Role::kLiteral);
    }
  }

  std::string_view s_;
  uint32_t p_;
  uint32_t limit_;
  Sink& sink_;
  Ctx stack_[kMaxDepth];
  uint32_t depth_ = 1;
  bool word_start_ = true;
  ScanResult r_;
};

template <class Sink>
ScanResult ScanWord(std::string_view s, uint32_t begin, uint32_t limit, Ctx start, Sink&& sink) {
  WordScanner<std::remove_reference_t<Sink>> scanner(s, begin, limit, start, sink);
  return scanner.Run();
}

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_WORD_SCAN_H_
