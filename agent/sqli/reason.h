// Copyright Vigil authors.
//
// reason.h: the one-line explanation stored in Finding::reason, written into
// its fixed buffer (never allocating), e.g.
//   input leaves a string literal and adds: OR, =, --
//   input adds: UNION, SELECT, FROM, --
//   input adds a statement separator: ;
#ifndef VIGIL_SQLI_REASON_H_
#define VIGIL_SQLI_REASON_H_

#include <string_view>

#include "occurrence.h"
#include "sqli.h"
#include "statement_tokens.h"

namespace vigil::sqli::internal {

// Appends to a fixed character buffer, always NUL-terminated, silently
// clipping (at a UTF-8 character boundary) what does not fit.
class ReasonWriter {
 public:
  explicit ReasonWriter(Finding* f) : f_(f) { Terminate(); }
  void Append(std::string_view s);
  // Appends at most `max` bytes of `s`, with "…" when clipped.
  void AppendClipped(std::string_view s, size_t max);
  void AppendNumber(uint64_t v);
  size_t room() const { return Finding::kMaxReason - 1 - f_->reason_size; }

 private:
  void Terminate() { f_->reason[f_->reason_size] = '\0'; }
  Finding* f_;
};

// Writes the reason for an injection found by ExamineOccurrence().
void WriteInjectionReason(const StatementTokens& ts, const OccurrenceResult& r,
                          Finding* f) noexcept;

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_REASON_H_
