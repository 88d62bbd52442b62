// Copyright Vigil authors.
//
// The public tokenizer: the lexer run over a whole statement into the
// caller's buffer.
#include <algorithm>

#include "lexer.h"
#include "limits_internal.h"
#include "sqli.h"

namespace vigil::sqli {

TokenizeResult Tokenize(std::string_view statement, Dialect dialect, std::span<Token> out,
                        const Limits& limits) noexcept {
  TokenizeResult result;
  if (statement.size() > internal::MaxStatementBytes(limits)) {
    result.status = Status::kStatementTooLong;
    return result;
  }
  const size_t cap = std::min<size_t>(out.size(), internal::MaxTokens(limits));
  internal::Lexer lexer(statement, dialect);
  Token t;
  while (lexer.Next(&t)) {
    if (result.count == cap) {
      result.status = Status::kTooManyTokens;
      break;
    }
    out[result.count++] = t;
  }
  return result;
}

}  // namespace vigil::sqli
