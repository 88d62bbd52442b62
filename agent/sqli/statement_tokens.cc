// Copyright Vigil authors.
#include "statement_tokens.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "lexer.h"

namespace vigil::sqli::internal {
namespace {

// The per-thread overflow buffer. Tok is trivial, so malloc/free suffice and
// nothing can throw. Freed when the thread exits.
struct ThreadBuffer {
  Tok* data = nullptr;
  uint32_t capacity = 0;
  ~ThreadBuffer() { std::free(data); }
};

thread_local ThreadBuffer tls_buffer;

bool IsWordKind(TokenKind k) {
  return k == TokenKind::kIdentifier || k == TokenKind::kNumber;
}

bool IsNameKind(TokenKind k) {
  return IsWordKind(k) || k == TokenKind::kQuotedIdentifier;
}

}  // namespace

bool StatementTokens::Grow() noexcept {
  if (capacity_ >= max_tokens_) {
    status_ = Status::kTooManyTokens;
    return false;
  }
  const uint32_t wanted = std::min<uint32_t>(std::max<uint32_t>(capacity_ * 2, 256), max_tokens_);
  ThreadBuffer& tb = tls_buffer;
  if (data_ != tb.data && tb.capacity >= wanted) {
    // A previous call on this thread already grew the buffer: reuse it.
    std::memcpy(tb.data, data_, size_ * sizeof(Tok));
    data_ = tb.data;
    capacity_ = std::min(tb.capacity, max_tokens_);
    return true;
  }
  Tok* p = static_cast<Tok*>(std::malloc(size_t{wanted} * sizeof(Tok)));
  if (p == nullptr) {
    status_ = Status::kOutOfMemory;
    return false;
  }
  std::memcpy(p, data_, size_ * sizeof(Tok));
  std::free(tb.data);  // either data_ (now copied) or a smaller, unused one
  tb.data = p;
  tb.capacity = wanted;
  data_ = p;
  capacity_ = wanted;
  return true;
}

inline void StatementTokens::Annotate(uint32_t k, Prefix* prefix) noexcept {
  Tok& t = data_[k];
  bool is_code;
  switch (t.kind) {
    case TokenKind::kString:
    case TokenKind::kBlob:
    case TokenKind::kNumber:
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier:
      is_code = false;
      break;
    case TokenKind::kOperator:
    case TokenKind::kDot: {
      // A '-' or '.' glued between two words joins them (O'Brien-Smith,
      // 2024-01-05, 1.2.3, t.col): it builds no expression worth the name.
      // Without a stored successor (token limit) it counts as code.
      const bool dot = t.kind == TokenKind::kDot;
      const bool joiner = dot || (t.end - t.begin == 1 && statement_[t.begin] == '-');
      auto word = [dot](TokenKind kind) { return dot ? IsNameKind(kind) : IsWordKind(kind); };
      is_code = !(joiner && k > 0 && k + 1 < size_ && word(data_[k - 1].kind) &&
                  word(data_[k + 1].kind) && data_[k - 1].end == t.begin &&
                  t.end == data_[k + 1].begin);
      break;
    }
    default:
      is_code = true;
      break;
  }
  const bool is_value = (t.kind == TokenKind::kNumber || t.kind == TokenKind::kString ||
                         t.kind == TokenKind::kBlob || t.kind == TokenKind::kComma) &&
                        !(t.flags & kUnterminated);
  t.code_before = static_cast<uint16_t>(prefix->code);
  t.nonvalue_before = static_cast<uint16_t>(prefix->nonvalue);
  if (is_code) {
    t.flags |= kCodeBit;
    ++prefix->code;
  }
  if (!is_value) {
    t.flags |= kNonValueBit;
    ++prefix->nonvalue;
  }
}

void StatementTokens::Ensure() noexcept {
  if (built_) return;
  built_ = true;
  capacity_ = std::min<uint32_t>(kInlineTokens, max_tokens_);
  Lexer lexer(statement_, dialect_);
  Token t;
  bool last_unterminated = false;
  Prefix prefix;
  while (lexer.Next(&t)) {
    if (size_ == capacity_ && !Grow()) break;
    Tok& s = data_[size_++];
    s.begin = t.begin;
    s.end = t.end;
    s.kind = t.kind;
    s.flags = t.flags;
    s.keyword = t.keyword;
    last_unterminated = (t.flags & kUnterminated) != 0 &&
                        (t.kind == TokenKind::kString || t.kind == TokenKind::kQuotedIdentifier ||
                         t.kind == TokenKind::kBlob);
    // A token's annotations depend on its successor: settle the one before.
    if (size_ >= 2) Annotate(size_ - 2, &prefix);
  }
  if (size_ >= 1) Annotate(size_ - 1, &prefix);
  ends_unterminated_ = complete() && last_unterminated;
}

uint32_t StatementTokens::CodeIn(uint32_t from, uint32_t to) const {
  if (from >= to) return 0;
  const Tok& last = data_[to - 1];
  const uint32_t upto = last.code_before + ((last.flags & kCodeBit) ? 1 : 0);
  return upto - data_[from].code_before;
}

uint32_t StatementTokens::NonValueIn(uint32_t from, uint32_t to) const {
  if (from >= to) return 0;
  const Tok& last = data_[to - 1];
  const uint32_t upto = last.nonvalue_before + ((last.flags & kNonValueBit) ? 1 : 0);
  return upto - data_[from].nonvalue_before;
}

}  // namespace vigil::sqli::internal
