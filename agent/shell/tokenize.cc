// Copyright Vigil authors.
//
// Tokenize(): the lexer writing straight into the caller's span.
#include <algorithm>

#include "lexer.h"
#include "limits_internal.h"
#include "shell.h"

namespace vigil::shell {
namespace {

class SpanOut final : public internal::TokenOut {
 public:
  SpanOut(Token* d, uint32_t cap) {
    data = d;
    capacity = cap;
  }
  // The span (or max_tokens) is all there is.
  bool Grow() noexcept override {
    status = Status::kTooManyTokens;
    return false;
  }
};

}  // namespace

TokenizeResult Tokenize(std::string_view command, std::span<Token> out,
                        const Limits& limits) noexcept {
  TokenizeResult r;
  if (command.size() > internal::MaxCommandBytes(limits)) {
    r.status = Status::kCommandTooLong;
    return r;
  }
  const uint32_t max = internal::MaxTokens(limits);
  const auto cap = static_cast<uint32_t>(std::min<size_t>(out.size(), max));
  SpanOut sink(out.data(), cap);
  r.status = internal::Lex(command, &sink);
  r.count = sink.size;
  return r;
}

}  // namespace vigil::shell
