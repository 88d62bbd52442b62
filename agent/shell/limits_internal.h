// Copyright Vigil authors.
//
// limits_internal.h: the Limits a call really applies, clamped to the hard
// caps (offsets are 32-bit).
#ifndef VIGIL_SHELL_LIMITS_INTERNAL_H_
#define VIGIL_SHELL_LIMITS_INTERNAL_H_

#include <algorithm>
#include <cstdint>

#include "shell.h"

namespace vigil::shell::internal {

inline uint32_t MaxCommandBytes(const Limits& l) {
  return std::min(l.max_command_bytes, kMaxCommandBytesCap);
}
inline uint32_t MaxTokens(const Limits& l) { return std::min(l.max_tokens, kMaxTokensCap); }
inline uint32_t MinInputBytes(const Limits& l) { return std::max<uint32_t>(l.min_input_bytes, 1); }

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_LIMITS_INTERNAL_H_
