// Copyright Vigil authors.
//
// limits_internal.h: the Limits a call really applies, clamped to the caps.
#ifndef VIGIL_PATH_LIMITS_INTERNAL_H_
#define VIGIL_PATH_LIMITS_INTERNAL_H_

#include <algorithm>
#include <cstdint>

#include "path.h"

namespace vigil::path::internal {

inline uint32_t MaxPathBytes(const Limits& l) {
  return std::min(l.max_path_bytes, kMaxPathBytesCap);
}
inline uint32_t MinInputBytes(const Limits& l) { return std::max<uint32_t>(l.min_input_bytes, 1); }

}  // namespace vigil::path::internal

#endif  // VIGIL_PATH_LIMITS_INTERNAL_H_
