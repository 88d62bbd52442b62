// Copyright Vigil authors.
//
// occurrence.h: the rules that decide whether one occurrence of an input,
// the bytes [begin, end) of the statement, changes the statement's
// structure. docs/sqli-detection.md states them in prose; in short:
//
//   1. Inside one token (modulo surrounding spaces): not an injection, unless
//      that token is a comment or ';' the input created, or the input is a
//      name compared with itself ("id = id").
//   2. Across tokens: an injection when the tokens the input added contain
//      code (see statement_tokens.h), except a plain list of literals
//      ("1,2,3" in an IN list) and an ORDER BY list ("price DESC, id").
//      Tokens that are only words and literals ("O'Brien", "Rock 'n' Roll"
//      in a literal the application failed to escape) add no code: such a
//      statement is at worst a syntax error, so they are not injections.
#ifndef VIGIL_SQLI_OCCURRENCE_H_
#define VIGIL_SQLI_OCCURRENCE_H_

#include <cstdint>

#include "statement_tokens.h"

namespace vigil::sqli::internal {

enum class OccurrenceVerdict : uint8_t {
  kBenign,
  kInjection,
  kUnchecked,  // beyond the stored tokens (token limit)
};

enum class InjectionRule : uint8_t {
  kAddsCode,       // several tokens, some of them code
  kAddsComment,    // the input opens a comment
  kAddsSeparator,  // the input adds ';'
  kSelfCompare,    // "col = col"
};

struct OccurrenceResult {
  OccurrenceVerdict verdict = OccurrenceVerdict::kBenign;
  InjectionRule rule = InjectionRule::kAddsCode;
  bool leaves = false;      // started inside tokens[first] and left it
  bool opens = false;       // tokens[last] starts inside the input, ends after it
  uint32_t first = 0;       // tokens overlapping the occurrence: [first, last]
  uint32_t last = 0;
  uint32_t first_added = 0; // the tokens the input added: [first_added, last]
  uint32_t other = 0;       // kSelfCompare: the name compared with
};

// Examines the occurrence [begin, end) of an input in tokens.statement().
// `tokens` must be built (Ensure()).
OccurrenceResult ExamineOccurrence(const StatementTokens& tokens, uint32_t begin,
                                   uint32_t end) noexcept;

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_OCCURRENCE_H_
