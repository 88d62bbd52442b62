// Copyright Vigil authors.
//
// reason.h: the one-line explanation stored in Finding::reason, written into
// its fixed buffer (never allocating), e.g.
//   input leaves a single-quoted string, adds a command separator, splits
//   into 3 words (first: ";")
//   input is the program
//   partly examined: 300 inputs, more than max_inputs (256)
#ifndef VIGIL_SHELL_REASON_H_
#define VIGIL_SHELL_REASON_H_

#include <cstdint>
#include <string_view>

#include "shell.h"

namespace vigil::shell::internal {

// Appends to a fixed character buffer, always NUL-terminated, silently
// clipping (at a UTF-8 character boundary) what does not fit.
class ReasonWriter {
 public:
  explicit ReasonWriter(Finding* f) : f_(f) { Terminate(); }
  void Append(std::string_view s);
  // Appends at most `max` bytes of `s`, with "…" when clipped; control
  // bytes are written as '?' so that the reason stays one printable line.
  void AppendClipped(std::string_view s, size_t max);
  void AppendNumber(uint64_t v);

 private:
  size_t room() const { return Finding::kMaxReason - 1 - f_->reason_size; }
  void Terminate() { f_->reason[f_->reason_size] = '\0'; }
  Finding* f_;
};

// Writes the reason for an injection: `effects` and `flags` as in the
// Finding, `left_quote` the quote left (' " or $), `words` the words
// touched, `snippet` the first thing added.
void WriteInjectionReason(uint16_t effects, uint8_t flags, char left_quote, uint32_t words,
                          std::string_view snippet, Finding* f) noexcept;

// Writes the reason for Verdict::kLimitExceeded.
void WriteLimitReason(Status status, uint64_t actual, uint64_t limit, Finding* f) noexcept;

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_REASON_H_
