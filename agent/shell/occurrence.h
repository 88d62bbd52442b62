// Copyright Vigil authors.
//
// occurrence.h: the rules that decide whether one occurrence of an input,
// the bytes [begin, end) of the command, changes the command's structure.
// docs/shell-detection.md states them in prose; in short, it is an
// injection when
//   1. it touches an operator, a redirection or a parenthesis, creates a
//      comment or a reserved word, or ends a here-document;
//   2. it touches two words or more, or its edge blank splits a word of the
//      service's (argument injection) -- unless the command then ends inside
//      an open quote, which the shell rejects before running anything;
//   3. inside a word (or an expanded here-document body) it starts a live
//      element: an expansion, a substitution, glob or brace characters;
//   4. it is the whole value of a command word, or its whole last path
//      component (the program);
//   5. it is the whole value of an argument word and starts with '-' (not a
//      negative number).
// Quotes it opens or closes count only through what they expose: a word
// that stays literal text ("O'Brien" in '...') is benign.
#ifndef VIGIL_SHELL_OCCURRENCE_H_
#define VIGIL_SHELL_OCCURRENCE_H_

#include <cstdint>
#include <string_view>

#include "command_tokens.h"

namespace vigil::shell::internal {

struct OccurrenceResult {
  bool injection = false;
  bool unchecked = false;  // beyond the stored tokens (a limit)
  uint16_t effects = 0;    // Effect bits
  uint8_t flags = 0;       // kLeavesQuote
  uint8_t left_quote = 0;  // with kLeavesQuote: the quote left, ' " or $
  uint32_t words = 0;      // words the occurrence touches
  uint32_t snippet_begin = 0;  // the first thing it added, for the reason
  uint32_t snippet_end = 0;
};

// Examines the occurrence [begin, end) in tokens.command(). `tokens` must be
// built (Ensure()).
OccurrenceResult ExamineOccurrence(const CommandTokens& tokens, uint32_t begin,
                                   uint32_t end) noexcept;

// Whether `v` is option-like: starts with '-' and is not a negative number
// (-5, -0.25).
bool IsOptionLike(std::string_view v) noexcept;

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_OCCURRENCE_H_
