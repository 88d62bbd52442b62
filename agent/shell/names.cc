// Copyright Vigil authors.
//
// The English names of the public enums.
#include "shell.h"

namespace vigil::shell {

std::string_view StatusName(Status status) noexcept {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kCommandTooLong: return "command too long";
    case Status::kTooManyTokens: return "too many tokens";
    case Status::kTooManyInputs: return "too many inputs";
    case Status::kTooManyArguments: return "too many arguments";
    case Status::kTooDeep: return "nesting too deep";
    case Status::kOutOfMemory: return "out of memory";
  }
  return "unknown";
}

std::string_view TokenKindName(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kReservedWord: return "reserved word";
    case TokenKind::kSeparator: return "command separator";
    case TokenKind::kAndOr: return "and-or operator";
    case TokenKind::kPipe: return "pipe";
    case TokenKind::kRedirection: return "redirection";
    case TokenKind::kLeftParen: return "left parenthesis";
    case TokenKind::kRightParen: return "right parenthesis";
    case TokenKind::kComment: return "comment";
    case TokenKind::kHereDoc: return "here-document";
  }
  return "unknown";
}

}  // namespace vigil::shell
