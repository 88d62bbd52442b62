// Copyright Vigil authors.
//
// Names of the public enumerations, for logs, events and test output.
#include "sqli.h"

namespace vigil::sqli {
namespace {

bool EqualsAsciiCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view DialectName(Dialect dialect) noexcept {
  switch (dialect) {
    case Dialect::kSqlite:
      return "sqlite";
    case Dialect::kPostgres:
      return "postgres";
    case Dialect::kMysql:
      return "mysql";
  }
  return "unknown";
}

bool ParseDialect(std::string_view name, Dialect* out) noexcept {
  Dialect d;
  if (EqualsAsciiCase(name, "sqlite")) {
    d = Dialect::kSqlite;
  } else if (EqualsAsciiCase(name, "postgres") || EqualsAsciiCase(name, "postgresql") ||
             EqualsAsciiCase(name, "pg")) {
    d = Dialect::kPostgres;
  } else if (EqualsAsciiCase(name, "mysql") || EqualsAsciiCase(name, "mariadb")) {
    d = Dialect::kMysql;
  } else {
    return false;
  }
  if (out) *out = d;
  return true;
}

std::string_view StatusName(Status status) noexcept {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kStatementTooLong:
      return "statement too long";
    case Status::kTooManyTokens:
      return "too many tokens";
    case Status::kTooManyInputs:
      return "too many inputs";
    case Status::kOutOfMemory:
      return "out of memory";
  }
  return "unknown";
}

std::string_view TokenKindName(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::kString:
      return "string literal";
    case TokenKind::kBlob:
      return "blob literal";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kIdentifier:
      return "identifier";
    case TokenKind::kQuotedIdentifier:
      return "quoted identifier";
    case TokenKind::kKeyword:
      return "keyword";
    case TokenKind::kOperator:
      return "operator";
    case TokenKind::kComma:
      return "comma";
    case TokenKind::kDot:
      return "dot";
    case TokenKind::kLeftParen:
      return "left parenthesis";
    case TokenKind::kRightParen:
      return "right parenthesis";
    case TokenKind::kSemicolon:
      return "statement separator";
    case TokenKind::kComment:
      return "comment";
    case TokenKind::kParameter:
      return "parameter";
    case TokenKind::kOther:
      return "stray character";
  }
  return "unknown";
}

}  // namespace vigil::sqli
