// Copyright Vigil authors.
//
// occurrence.h: the rules applied to one occurrence [begin, end) of an input
// in the path the kernel sees (cut at its first NUL). The service's part is
// the prefix [0, begin); its directory is what the prefix names up to its
// last '/' (a segment the input continues, "img_" in "img_{input}", is the
// file's name, not a directory), and base_depth is that directory's depth.
//
//   kClimbs    a segment overlapping the input reaches a depth below
//              base_depth (climbing within what the input added is fine:
//              "x/../y" stays where the service put it);
//   kPastRoot  a ".." overlapping the input stands at the root of an
//              absolute path;
//   kAbsolute  the input starts the path, with '/';
//   kSensitive the prefix is empty or only "/" and "." segments, the input
//              names more than one segment or reaches the path's end, and
//              the resolved absolute path is a sensitive location.
#ifndef VIGIL_PATH_OCCURRENCE_H_
#define VIGIL_PATH_OCCURRENCE_H_

#include <cstdint>
#include <string_view>

#include "path.h"

namespace vigil::path::internal {

inline constexpr uint8_t kEscapeFlags = kClimbs | kPastRoot | kAbsolute | kSensitive | kNulByte;

struct OccurrenceResult {
  uint8_t flags = 0;  // FindingFlag bits
  int32_t base_depth = 0;
  int32_t min_depth = 0;
  std::string_view sensitive;  // with kSensitive: "/etc", "/proc" ...
};

// Whether the occurrence can be anything but benign, cheaply: ".." at or
// next to it, or a prefix that lets the input start the path.
bool NeedsWalk(std::string_view path, uint32_t begin, uint32_t end) noexcept;

// Applies the rules; one walk of `path`, plus one normalisation of it for
// the sensitive-location rule when the input starts the path.
OccurrenceResult ExamineOccurrence(std::string_view path, uint32_t begin, uint32_t end) noexcept;

}  // namespace vigil::path::internal

#endif  // VIGIL_PATH_OCCURRENCE_H_
