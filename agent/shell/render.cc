// Copyright Vigil authors.
//
// RenderMarked(): the command with the injected bytes between ⟦ and ⟧, cut
// down around the mark when the buffer is small.
#include <algorithm>
#include <cstring>

#include "shell.h"

namespace vigil::shell {
namespace {

constexpr std::string_view kOpen = "⟦";
constexpr std::string_view kClose = "⟧";
constexpr std::string_view kCut = "…";

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Appends to a buffer, NUL-terminated, control bytes shown as '?' so that
// the rendering stays one printable line.
class Out {
 public:
  explicit Out(std::span<char> buf) : buf_(buf) {}
  void Put(std::string_view s, bool raw = false) {
    if (raw && n_ + s.size() >= buf_.size()) return;  // a mark whole or not at all
    for (char c : s) {
      if (n_ + 1 >= buf_.size()) return;
      buf_[n_++] = !raw && (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
    }
  }
  size_t Finish() {
    buf_[n_] = '\0';
    return n_;
  }

 private:
  std::span<char> buf_;
  size_t n_ = 0;
};

// At most `max` bytes of the end of `s` (cut at a character boundary).
std::string_view Tail(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t from = s.size() - max;
  while (from < s.size() && IsContinuation(s[from])) ++from;
  return s.substr(from);
}

// At most `max` bytes of the start of `s` (cut at a character boundary).
std::string_view Head(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && IsContinuation(s[max])) --max;
  return s.substr(0, max);
}

}  // namespace

size_t RenderMarked(std::string_view text, const Finding& finding, std::span<char> out) noexcept {
  if (out.empty()) return 0;
  Out w(out);
  const size_t room = out.size() - 1;
  const bool marked = finding.verdict == Verdict::kInjection && finding.begin <= finding.end &&
                      finding.end <= text.size();
  if (!marked) {
    const std::string_view head = Head(text, text.size() <= room ? room : room - std::min(room, kCut.size()));
    w.Put(head);
    if (head.size() < text.size()) w.Put(kCut, true);
    return w.Finish();
  }
  const std::string_view pre = text.substr(0, finding.begin);
  const std::string_view mid = text.substr(finding.begin, finding.end - finding.begin);
  const std::string_view post = text.substr(finding.end);
  const size_t marks = kOpen.size() + kClose.size();
  if (pre.size() + mid.size() + post.size() + marks <= room) {
    w.Put(pre);
    w.Put(kOpen, true);
    w.Put(mid);
    w.Put(kClose, true);
    w.Put(post);
    return w.Finish();
  }
  // Keep the marks and as much of the injected bytes as fit, then share
  // what is left between the text before and after them.
  const size_t cuts = 3 * kCut.size();
  const size_t budget = room > marks + cuts ? room - marks - cuts : 0;
  const std::string_view mid_kept = Head(mid, budget);
  const size_t left = budget - mid_kept.size();
  const std::string_view pre_kept = Tail(pre, left / 2);
  const std::string_view post_kept = Head(post, left - pre_kept.size());
  if (pre_kept.size() < pre.size()) w.Put(kCut, true);
  w.Put(pre_kept);
  w.Put(kOpen, true);
  w.Put(mid_kept);
  if (mid_kept.size() < mid.size()) w.Put(kCut, true);
  w.Put(kClose, true);
  w.Put(post_kept);
  if (post_kept.size() < post.size()) w.Put(kCut, true);
  return w.Finish();
}

}  // namespace vigil::shell
