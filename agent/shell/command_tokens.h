// Copyright Vigil authors.
//
// command_tokens.h: the tokens of the command under examination, made once
// per DetectShell() call and only when some input occurs in it.
//
// Storage: 128 tokens inside the object (on the caller's stack), then a
// per-thread buffer that grows by doubling up to the token limit and is
// reused by later calls on that thread.
#ifndef VIGIL_SHELL_COMMAND_TOKENS_H_
#define VIGIL_SHELL_COMMAND_TOKENS_H_

#include <cstdint>
#include <string_view>

#include "lexer.h"
#include "shell.h"

namespace vigil::shell::internal {

class CommandTokens final : public TokenOut {
 public:
  static constexpr uint32_t kInlineTokens = 128;

  CommandTokens(std::string_view command, uint32_t max_tokens) noexcept
      : command_(command), max_tokens_(max_tokens) {
    data = inline_.tokens;
    capacity = max_tokens < kInlineTokens ? max_tokens : kInlineTokens;
  }
  CommandTokens(const CommandTokens&) = delete;
  CommandTokens& operator=(const CommandTokens&) = delete;

  // Tokenizes the command on first call; later calls do nothing.
  void Ensure() noexcept {
    if (built_) return;
    built_ = true;
    lex_status_ = Lex(command_, this);
  }

  // kOk when every token of the command is stored; otherwise why not.
  Status lex_status() const { return lex_status_; }
  std::string_view command() const { return command_; }
  const Token& operator[](uint32_t i) const { return data[i]; }

  bool Grow() noexcept override;

 private:
  std::string_view command_;
  uint32_t max_tokens_;
  bool built_ = false;
  Status lex_status_ = Status::kOk;
  // Left uninitialized (Token's member initializers would cost a 1.5 KiB
  // fill per call, even when nothing is tokenized): only written tokens
  // are read.
  union InlineTokens {
    InlineTokens() {}
    Token tokens[kInlineTokens];
  } inline_;
};

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_COMMAND_TOKENS_H_
