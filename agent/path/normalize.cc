// Copyright Vigil authors.
//
// Normalize() and NormalizedPath(): the walk of walker.h, stored as segments
// or resolved into text.
#include <cstring>

#include "limits_internal.h"
#include "path.h"
#include "walker.h"

namespace vigil::path {
namespace {

// The resolved path, built in the caller's buffer used as a stack: a name is
// pushed as "/name" (no '/' before the first of a relative path), popped by
// cutting back to the '/' before it. Names hold no '/', so the last '/' of
// the text is always where the last name starts.
class TextStack {
 public:
  TextStack(std::span<char> out, bool absolute) : out_(out), absolute_(absolute) {
    if (absolute_) ok_ = Put("/", 1);
  }

  void Name(std::string_view name) {
    const bool sep = absolute_ ? size_ > 1 : size_ > 0;
    if (sep) ok_ = ok_ && Put("/", 1);
    ok_ = ok_ && Put(name.data(), name.size());
    ++names_;
  }

  // A ".." that the walker did not clamp.
  void Parent() {
    if (names_ > 0) {
      size_t cut = size_;
      while (cut > 0 && out_[cut - 1] != '/') --cut;
      // Drop the '/' too, except the root's own.
      size_ = cut > 1 || (cut == 1 && !absolute_) ? cut - 1 : cut;
      --names_;
      return;
    }
    Name("..");
    --names_;  // a leading ".." of a relative path cannot be popped
  }

  // Ends the text; "." for a relative path that resolved to nothing.
  NormalizedTextResult Finish(bool empty_input) {
    if (ok_ && size_ == 0 && !empty_input) ok_ = Put(".", 1);
    if (!ok_ || out_.empty() || size_ >= out_.size()) {
      if (!out_.empty()) out_[0] = '\0';
      return {0, Status::kOutputTooSmall};
    }
    out_[size_] = '\0';
    return {size_, Status::kOk};
  }

 private:
  bool Put(const char* p, size_t n) {
    if (size_ + n + 1 > out_.size()) return false;  // room for the NUL too
    std::memcpy(out_.data() + size_, p, n);
    size_ += n;
    return true;
  }

  std::span<char> out_;
  size_t size_ = 0;
  int names_ = 0;  // names on the stack that a ".." may pop
  bool absolute_;
  bool ok_ = true;
};

}  // namespace

NormalizeResult Normalize(std::string_view path, std::span<Segment> out,
                          const Limits& limits) noexcept {
  NormalizeResult r;
  if (path.size() > internal::MaxPathBytes(limits)) {
    r.status = Status::kPathTooLong;
    return r;
  }
  internal::SegmentWalker walker(path);
  r.absolute = walker.absolute();
  Segment s;
  while (walker.Next(&s)) {
    if (r.count == out.size()) {
      r.status = Status::kTooManySegments;
      return r;
    }
    out[r.count++] = s;
    r.depth = s.depth;
    if (s.depth < r.min_depth) r.min_depth = s.depth;
  }
  return r;
}

NormalizedTextResult NormalizedPath(std::string_view path, std::span<char> out,
                                    const Limits& limits) noexcept {
  if (path.size() > internal::MaxPathBytes(limits)) {
    if (!out.empty()) out[0] = '\0';
    return {0, Status::kPathTooLong};
  }
  internal::SegmentWalker walker(path);
  TextStack text(out, walker.absolute());
  Segment s;
  while (walker.Next(&s)) {
    if (s.kind == SegmentKind::kName) {
      text.Name(s.Text(path));
    } else if (!s.clamped) {
      text.Parent();
    }
  }
  return text.Finish(path.empty());
}

}  // namespace vigil::path
