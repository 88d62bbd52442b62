// Copyright Vigil authors.
//
// statement_tokens.h: the tokens of the statement under examination, made
// once per Detect() call and only when some input occurs in it, annotated
// for the detector:
//
//   * whether each token is *code* (anything but a literal, a name, or a '-'
//     or '.' glued between two words, as in 2024-01-05 or t.col);
//   * prefix counts of code tokens and of tokens that cannot be part of a
//     literal list, so that the detector answers "does [i, j] contain code?"
//     in O(1) however many times an input occurs.
//
// Storage: 128 tokens inside the object (on the caller's stack), then a
// per-thread buffer that grows by doubling up to the token limit and is
// reused by later calls on that thread.
#ifndef VIGIL_SQLI_STATEMENT_TOKENS_H_
#define VIGIL_SQLI_STATEMENT_TOKENS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sqli.h"

namespace vigil::sqli::internal {

// A token as the detector stores it. Trivial, so that the inline array costs
// nothing to construct.
struct Tok {
  uint32_t begin;
  uint32_t end;
  TokenKind kind;
  uint8_t flags;         // TokenFlag bits, plus kCodeBit / kNonValueBit
  uint16_t keyword;
  uint16_t code_before;  // code tokens before this one
  uint16_t nonvalue_before;  // tokens before this one that are not a
                             // number, string, blob or comma
};

inline constexpr uint8_t kCodeBit = 1 << 7;
inline constexpr uint8_t kNonValueBit = 1 << 6;

class StatementTokens {
 public:
  static constexpr size_t kInlineTokens = 128;

  StatementTokens(std::string_view statement, Dialect dialect, uint32_t max_tokens) noexcept
      : statement_(statement), dialect_(dialect), max_tokens_(max_tokens) {}
  StatementTokens(const StatementTokens&) = delete;
  StatementTokens& operator=(const StatementTokens&) = delete;

  // Tokenizes the statement on first call; later calls do nothing.
  void Ensure() noexcept;
  bool built() const { return built_; }

  const Tok* data() const { return data_; }
  uint32_t size() const { return size_; }
  const Tok& operator[](uint32_t i) const { return data_[i]; }

  // kOk when every token of the statement is stored; otherwise why not
  // (kTooManyTokens, kOutOfMemory): tokens past size() were not kept.
  Status status() const { return status_; }
  bool complete() const { return status_ == Status::kOk; }
  // The statement ends inside an unterminated string or quoted identifier.
  bool ends_unterminated() const { return ends_unterminated_; }

  // Code tokens / non-value tokens among tokens [from, to).
  uint32_t CodeIn(uint32_t from, uint32_t to) const;
  uint32_t NonValueIn(uint32_t from, uint32_t to) const;

  std::string_view statement() const { return statement_; }
  std::string_view Text(uint32_t i) const {
    return statement_.substr(data_[i].begin, data_[i].end - data_[i].begin);
  }

 private:
  struct Prefix {
    uint32_t code = 0;
    uint32_t nonvalue = 0;
  };
  bool Grow() noexcept;
  // Sets token k's code and value bits and prefix counts; token k + 1, if
  // any, must be stored already.
  void Annotate(uint32_t k, Prefix* prefix) noexcept;

  std::string_view statement_;
  Dialect dialect_;
  uint32_t max_tokens_;
  bool built_ = false;
  bool ends_unterminated_ = false;
  Status status_ = Status::kOk;
  Tok* data_ = inline_;
  uint32_t size_ = 0;
  uint32_t capacity_ = kInlineTokens;
  Tok inline_[kInlineTokens];
};

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_STATEMENT_TOKENS_H_
