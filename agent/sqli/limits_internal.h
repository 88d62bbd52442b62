// Copyright Vigil authors.
//
// limits_internal.h: the Limits a call really applies, clamped to the hard
// caps (offsets are 32-bit and token prefix counts 16-bit).
#ifndef VIGIL_SQLI_LIMITS_INTERNAL_H_
#define VIGIL_SQLI_LIMITS_INTERNAL_H_

#include <algorithm>
#include <cstdint>

#include "sqli.h"

namespace vigil::sqli::internal {

inline uint32_t MaxStatementBytes(const Limits& l) {
  return std::min(l.max_statement_bytes, kMaxStatementBytesCap);
}
inline uint32_t MaxTokens(const Limits& l) { return std::min(l.max_tokens, kMaxTokensCap); }
inline uint32_t MinInputBytes(const Limits& l) { return std::max<uint32_t>(l.min_input_bytes, 1); }

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_LIMITS_INTERNAL_H_
