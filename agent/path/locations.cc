// Copyright Vigil authors.
#include "locations.h"

#include "path.h"

namespace vigil::path {
namespace internal {

bool IsWithin(std::string_view path, std::string_view dir) noexcept {
  if (dir.empty() || path.empty()) return false;
  if (dir == "/") return path[0] == '/';
  if (dir == ".") {
    // Every relative path but those that climb above their start.
    return path[0] != '/' && !(path == ".." || path.starts_with("../"));
  }
  if (!path.starts_with(dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

bool InsideAllowedRoot(std::string_view path, std::span<const std::string_view> roots) noexcept {
  if (roots.empty()) return false;
  // Both texts are at most the cap long (plus "." and the NUL).
  char resolved[kMaxPathBytesCap + 2];
  char root[kMaxPathBytesCap + 2];
  Limits limits;
  limits.max_path_bytes = kMaxPathBytesCap;
  const NormalizedTextResult p = NormalizedPath(path, resolved, limits);
  if (p.status != Status::kOk || p.size == 0) return false;
  const std::string_view resolved_text(resolved, p.size);
  for (const std::string_view r : roots) {
    const NormalizedTextResult n = NormalizedPath(r, root, limits);
    if (n.status != Status::kOk || n.size == 0) continue;
    if (IsWithin(resolved_text, {root, n.size})) return true;
  }
  return false;
}

std::string_view SensitiveLocationOf(std::string_view normalized) noexcept {
  // Where a service's files never are, and where reading or writing gives
  // away the machine: accounts and configuration, process memory and
  // environment (/proc/self/environ), kernel knobs, root's home, devices,
  // logs (log poisoning for inclusion).
  static constexpr std::string_view kSensitive[] = {"/etc", "/proc", "/sys", "/root",
                                                    "/dev", "/var/log"};
  for (const std::string_view dir : kSensitive) {
    if (IsWithin(normalized, dir)) return dir;
  }
  return {};
}

}  // namespace internal

bool IsSensitiveLocation(std::string_view normalized) noexcept {
  return !internal::SensitiveLocationOf(normalized).empty();
}

}  // namespace vigil::path
