// Copyright Vigil authors.
//
// finding_internal.h: filling a Finding, shared by the shell-text and the
// argv detectors.
#ifndef VIGIL_SHELL_FINDING_INTERNAL_H_
#define VIGIL_SHELL_FINDING_INTERNAL_H_

#include <cstddef>
#include <cstdint>

#include "reason.h"
#include "shell.h"

namespace vigil::shell::internal {

inline void SetInjection(size_t index, const Input& input, uint32_t begin, uint32_t end,
                         uint16_t effects, Finding* f) {
  f->verdict = Verdict::kInjection;
  f->status = Status::kOk;
  f->input_index = index;
  f->source = input.source;
  f->begin = begin;
  f->end = end;
  f->effects = effects;
}

inline Verdict LimitExceeded(Status status, uint64_t actual, uint64_t limit, Finding* f) {
  f->verdict = Verdict::kLimitExceeded;
  f->status = status;
  WriteLimitReason(status, actual, limit, f);
  return f->verdict;
}

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_FINDING_INTERNAL_H_
