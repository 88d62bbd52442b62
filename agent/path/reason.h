// Copyright Vigil authors.
//
// reason.h: the one-line explanation stored in Finding::reason, written into
// its fixed buffer (never allocating), e.g.
//   input climbs 2 levels above the service's directory (depth 3 to 1)
//   input makes the path absolute; names a sensitive location: /etc
//   input holds a NUL byte at offset 16, where the call cuts the path
#ifndef VIGIL_PATH_REASON_H_
#define VIGIL_PATH_REASON_H_

#include <cstdint>
#include <string_view>

#include "path.h"

namespace vigil::path::internal {

// Appends to Finding::reason, always NUL-terminated, clipping what does not
// fit.
class ReasonWriter {
 public:
  explicit ReasonWriter(Finding* f) : f_(f) {
    f_->reason_size = 0;
    f_->reason[0] = '\0';
  }
  void Append(std::string_view s);
  void AppendNumber(int64_t v);

 private:
  Finding* f_;
};

// Writes the reason for a finding whose flags, depths and (for kNulByte)
// `nul_offset` are set; `sensitive` names the location for kSensitive.
void WriteTraversalReason(std::string_view sensitive, size_t nul_offset, Finding* f) noexcept;

// Writes the reason for a limit verdict.
void WriteLimitReason(Status status, uint64_t actual, uint64_t limit, Finding* f) noexcept;

}  // namespace vigil::path::internal

#endif  // VIGIL_PATH_REASON_H_
