// Copyright Vigil authors.
//
// walker.h: the one lexical walk that Normalize(), NormalizedPath() and
// Detect() share. It yields the names and ".." of a path in order, with the
// depth after each (path.h, "The lexical normaliser"), and touches each byte
// once; it keeps no storage, so that Detect() can walk a path per
// occurrence without a segment buffer.
#ifndef VIGIL_PATH_WALKER_H_
#define VIGIL_PATH_WALKER_H_

#include <cstring>
#include <string_view>

#include "path.h"

namespace vigil::path::internal {

class SegmentWalker {
 public:
  explicit SegmentWalker(std::string_view path) noexcept
      : path_(path), absolute_(!path.empty() && path[0] == '/') {}

  bool absolute() const { return absolute_; }
  int32_t depth() const { return depth_; }

  // The next name or "..", skipping empty and "." segments; false at the end.
  bool Next(Segment* s) noexcept {
    while (pos_ < path_.size()) {
      const size_t begin = pos_;
      const void* slash = std::memchr(path_.data() + begin, '/', path_.size() - begin);
      const size_t end =
          slash ? static_cast<size_t>(static_cast<const char*>(slash) - path_.data())
                : path_.size();
      pos_ = end + 1;
      const size_t len = end - begin;
      if (len == 0 || (len == 1 && path_[begin] == '.')) continue;
      s->begin = static_cast<uint32_t>(begin);
      s->end = static_cast<uint32_t>(end);
      s->clamped = false;
      if (len == 2 && path_[begin] == '.' && path_[begin + 1] == '.') {
        s->kind = SegmentKind::kParent;
        if (absolute_ && depth_ == 0) {
          s->clamped = true;  // "/.." is "/"
        } else {
          --depth_;
        }
      } else {
        s->kind = SegmentKind::kName;
        ++depth_;
      }
      s->depth = depth_;
      return true;
    }
    return false;
  }

 private:
  std::string_view path_;
  size_t pos_ = 0;
  int32_t depth_ = 0;
  bool absolute_;
};

}  // namespace vigil::path::internal

#endif  // VIGIL_PATH_WALKER_H_
