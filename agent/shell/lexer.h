// Copyright Vigil authors.
//
// lexer.h: splits shell text into Tokens (shell.h describes them). Words are
// read by word_scan.h; here are the operators, comments, here-documents and
// the bookkeeping of where a command word is due (for kCommandWord and the
// reserved words).
#ifndef VIGIL_SHELL_LEXER_H_
#define VIGIL_SHELL_LEXER_H_

#include <cstdint>
#include <string_view>

#include "shell.h"

namespace vigil::shell::internal {

// Where the lexer writes tokens. Grow() is called when `size == capacity`;
// it returns false (with `status` saying why) when no more may be stored.
class TokenOut {
 public:
  virtual bool Grow() noexcept = 0;

  Token* data = nullptr;
  uint32_t size = 0;
  uint32_t capacity = 0;
  Status status = Status::kOk;

 protected:
  ~TokenOut() = default;
};

// Tokenizes all of `s` into `out`. Returns kOk, or the status of the first
// token that could not be stored, or kTooDeep.
Status Lex(std::string_view s, TokenOut* out) noexcept;

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_LEXER_H_
