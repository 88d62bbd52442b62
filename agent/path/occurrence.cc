// Copyright Vigil authors.
#include "occurrence.h"

#include <cstring>

#include "locations.h"
#include "walker.h"

namespace vigil::path::internal {
namespace {

// The prefix leaves the whole path to the input: it is empty, or made only
// of "/" and "." segments and ends at a segment boundary.
bool PrefixIsNeutral(std::string_view path, uint32_t begin) {
  if (begin == 0) return true;
  if (path[begin - 1] != '/') return false;
  Segment s;
  SegmentWalker walker(path.substr(0, begin));
  return !walker.Next(&s);
}

bool HasDotDot(std::string_view s) { return s.find("..") != std::string_view::npos; }

void CheckSensitive(std::string_view path, uint32_t begin, uint32_t end, OccurrenceResult* r) {
  // One segment that the service continues ("/etc" + "/app.conf" from an
  // input "etc") is the service's choice of location, not the input's.
  const std::string_view input = path.substr(begin, end - begin);
  if (end != path.size() && input.find('/') == std::string_view::npos) return;
  char resolved[kMaxPathBytesCap + 2];
  Limits limits;
  limits.max_path_bytes = kMaxPathBytesCap;
  const NormalizedTextResult n = NormalizedPath(path, resolved, limits);
  if (n.status != Status::kOk) return;
  r->sensitive = SensitiveLocationOf({resolved, n.size});
  if (!r->sensitive.empty()) r->flags |= kSensitive;
}

}  // namespace

bool NeedsWalk(std::string_view path, uint32_t begin, uint32_t end) noexcept {
  // A ".." the input completes with the service's bytes ("." + "./x") lies
  // one byte beyond the occurrence.
  const uint32_t from = begin > 0 ? begin - 1 : 0;
  const uint32_t to = end < path.size() ? end + 1 : end;
  if (HasDotDot(path.substr(from, to - from))) return true;
  if (begin == 0) return path[0] == '/';
  return path[0] == '/' && PrefixIsNeutral(path, begin);
}

OccurrenceResult ExamineOccurrence(std::string_view path, uint32_t begin, uint32_t end) noexcept {
  OccurrenceResult r;
  SegmentWalker walker(path);
  Segment s;
  bool based = false;
  int32_t before = 0;  // depth before the current segment
  while (walker.Next(&s) && s.begin < end) {
    // The first segment that reaches the input is the one the input starts
    // or continues: the service's directory is the depth before it.
    if (!based && s.end >= begin) {
      r.base_depth = r.min_depth = before;
      based = true;
    }
    if (s.end > begin) {
      if (s.depth < r.min_depth) r.min_depth = s.depth;
      if (s.clamped) r.flags |= kPastRoot;
    }
    before = s.depth;
  }
  if (!based) r.base_depth = r.min_depth = before;
  if (r.min_depth < r.base_depth) r.flags |= kClimbs;
  if (begin == 0 && path[0] == '/') r.flags |= kAbsolute;
  if (PrefixIsNeutral(path, begin)) {
    r.flags |= kWholePath;
    if (path[0] == '/') CheckSensitive(path, begin, end, &r);
  }
  return r;
}

}  // namespace vigil::path::internal
