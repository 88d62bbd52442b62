// Copyright Vigil authors.
//
// locations.h: where a normalised path lies: below an allowed root, in a
// sensitive location. Both compare normalised texts (NormalizedPath()).
#ifndef VIGIL_PATH_LOCATIONS_H_
#define VIGIL_PATH_LOCATIONS_H_

#include <span>
#include <string_view>

#include "path.h"

namespace vigil::path::internal {

// Whether normalised `path` is normalised `dir` or lies below it.
bool IsWithin(std::string_view path, std::string_view dir) noexcept;

// The sensitive location (path.h, IsSensitiveLocation()) normalised
// `normalized` lies in: "/etc", "/proc" ...; "" if none.
std::string_view SensitiveLocationOf(std::string_view normalized) noexcept;

// Whether `path` (any form; cut at its first NUL by the caller) normalises to
// one of `roots` or below one. Roots longer than the path cap never match.
bool InsideAllowedRoot(std::string_view path, std::span<const std::string_view> roots) noexcept;

}  // namespace vigil::path::internal

#endif  // VIGIL_PATH_LOCATIONS_H_
