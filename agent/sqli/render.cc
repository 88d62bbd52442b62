// Copyright Vigil authors.
//
// RenderMarked(): the statement with the injected part between ⟦ and ⟧, for
// events and logs, into a caller's buffer. When the buffer is short, the
// mark wins: context is dropped from both ends first, then the injected text
// is clipped.
#include <algorithm>
#include <cstring>

#include "sqli.h"

namespace vigil::sqli {
namespace {

constexpr std::string_view kOpen = "\u27E6";      // ⟦
constexpr std::string_view kClose = "\u27E7";     // ⟧
constexpr std::string_view kEllipsis = "\u2026";  // …

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The longest prefix of `s` of at most `max` bytes ending at a character
// boundary.
std::string_view Head(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && IsContinuation(s[n])) --n;
  return s.substr(0, n);
}

// The longest suffix of `s` of at most `max` bytes starting at a character
// boundary.
std::string_view Tail(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t from = s.size() - max;
  while (from < s.size() && IsContinuation(s[from])) ++from;
  return s.substr(from);
}

class Writer {
 public:
  explicit Writer(std::span<char> out) : out_(out) {}
  void Put(std::string_view s) {
    const size_t n = std::min(s.size(), out_.size() - 1 - size_);
    std::memcpy(out_.data() + size_, s.data(), n);
    size_ += n;
  }
  size_t Finish() {
    out_[size_] = '\0';
    return size_;
  }

 private:
  std::span<char> out_;
  size_t size_ = 0;
};

}  // namespace

size_t RenderMarked(std::string_view statement, const Finding& finding,
                    std::span<char> out) noexcept {
  if (out.empty()) return 0;
  Writer w(out);
  const size_t cap = out.size() - 1;
  const bool marked = finding.verdict == Verdict::kInjection && finding.begin <= finding.end &&
                      finding.end <= statement.size();
  if (!marked) {
    if (statement.size() <= cap) {
      w.Put(statement);
    } else if (cap >= kEllipsis.size()) {
      w.Put(Head(statement, cap - kEllipsis.size()));
      w.Put(kEllipsis);
    }
    return w.Finish();
  }

  std::string_view before = statement.substr(0, finding.begin);
  std::string_view mark = statement.substr(finding.begin, finding.end - finding.begin);
  std::string_view after = statement.substr(finding.end);
  const size_t frame = kOpen.size() + kClose.size();
  if (before.size() + mark.size() + after.size() + frame <= cap) {
    w.Put(before);
    w.Put(kOpen);
    w.Put(mark);
    w.Put(kClose);
    w.Put(after);
    return w.Finish();
  }

  // Too long: keep the mark (clipped if it must be) and as much context on
  // each side as fits, each cut shown by an ellipsis.
  const size_t e = kEllipsis.size();
  const size_t context_cost = (before.empty() ? 0 : e) + (after.empty() ? 0 : e);
  if (mark.size() + frame + context_cost > cap) {
    // Only the mark, clipped, between the ellipses that stand for the rest
    // (or, in a tiny buffer, "⟦…⟧" alone).
    const bool context = cap >= frame + context_cost + e;
    if (!context && cap < frame + e) return w.Finish();
    const size_t room = cap - frame - e - (context ? context_cost : 0);
    if (context && !before.empty()) w.Put(kEllipsis);
    w.Put(kOpen);
    w.Put(Head(mark, room));
    w.Put(kEllipsis);
    w.Put(kClose);
    if (context && !after.empty()) w.Put(kEllipsis);
    return w.Finish();
  }
  const size_t budget = cap - frame - mark.size();
  // Share what is left between the two sides, each side's ellipsis included.
  size_t left_room = budget / 2, right_room = budget - budget / 2;
  auto fit = [&](std::string_view s, size_t room) -> size_t {
    return s.size() <= room ? s.size() : (room > e ? room - e : 0);
  };
  if (before.size() <= left_room) right_room += left_room - before.size();
  if (after.size() <= right_room) left_room += right_room - after.size();
  const std::string_view left = Tail(before, fit(before, left_room));
  const std::string_view right = Head(after, fit(after, right_room));

  if (left.size() < before.size()) w.Put(kEllipsis);
  w.Put(left);
  w.Put(kOpen);
  w.Put(mark);
  w.Put(kClose);
  w.Put(right);
  if (right.size() < after.size()) w.Put(kEllipsis);
  return w.Finish();
}

}  // namespace vigil::sqli
