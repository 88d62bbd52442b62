// Copyright Vigil authors.
//
// MarkedText: lifts the injection marks out of a text and writes the
// scrubbed text back with the marks where they were.
#include "scrub_redaction.h"

#include <algorithm>

namespace vigil::recorder::scrub_internal {
namespace {

// Both marks are three bytes long and share their first two.
constexpr size_t kMarkSize = 3;
static_assert(kOpeningMark.size() == kMarkSize && kClosingMark.size() == kMarkSize);

// Sorts and merges touching or overlapping ranges, dropping empty ones, so
// that each stretch of hidden bytes becomes one marker.
std::vector<Redaction> Merge(std::vector<Redaction> redactions) {
  std::erase_if(redactions, [](const Redaction& r) { return r.begin >= r.end; });
  std::sort(redactions.begin(), redactions.end(), [](const Redaction& a, const Redaction& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Redaction> merged;
  for (const Redaction& r : redactions) {
    if (!merged.empty() && r.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, r.end);
      merged.back().as_sql_string = merged.back().as_sql_string || r.as_sql_string;
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace

MarkedText::MarkedText(std::string_view input) : input_(input), clean_(input) {
  // The common case, no mark at all, costs one search and no copy.
  size_t at = input.find(kOpeningMark.substr(0, 2));
  while (at != std::string_view::npos && at + kMarkSize <= input.size()) {
    const std::string_view candidate = input.substr(at, kMarkSize);
    if (candidate == kOpeningMark || candidate == kClosingMark) break;
    at = input.find(kOpeningMark.substr(0, 2), at + 1);
  }
  if (at == std::string_view::npos || at + kMarkSize > input.size()) return;

  clean_storage_.reserve(input.size());
  size_t copied = 0;
  for (size_t i = at; i + kMarkSize <= input.size();) {
    const std::string_view candidate = input.substr(i, kMarkSize);
    const bool opening = candidate == kOpeningMark;
    if (opening || candidate == kClosingMark) {
      clean_storage_.append(input.substr(copied, i - copied));
      marks_.push_back({clean_storage_.size(), opening});
      i += kMarkSize;
      copied = i;
    } else {
      ++i;
    }
  }
  clean_storage_.append(input.substr(copied));
  clean_ = clean_storage_;
}

std::string MarkedText::Render(std::vector<Redaction> redactions, std::string_view marker) const {
  const std::vector<Redaction> merged = Merge(std::move(redactions));
  if (merged.empty()) return std::string(input_);

  std::string out;
  out.reserve(input_.size() + merged.size() * (marker.size() + 2));
  size_t cursor = 0;  // in clean_
  size_t next_mark = 0;
  auto put_mark = [&](const Mark& mark) { out.append(mark.opening ? kOpeningMark : kClosingMark); };
  // Copies clean_ up to `position`, with the marks that stand at or before it.
  auto copy_to = [&](size_t position) {
    while (next_mark < marks_.size() && marks_[next_mark].position <= position) {
      out.append(clean_.substr(cursor, marks_[next_mark].position - cursor));
      cursor = marks_[next_mark].position;
      put_mark(marks_[next_mark++]);
    }
    out.append(clean_.substr(cursor, position - cursor));
    cursor = position;
  };

  for (const Redaction& r : merged) {
    copy_to(r.begin);
    size_t inner_end = next_mark;
    while (inner_end < marks_.size() && marks_[inner_end].position < r.end) ++inner_end;
    // Opening marks that lead the hidden range still open before it: the
    // injected part began inside what is now the marker.
    while (next_mark < inner_end && marks_[next_mark].opening) put_mark(marks_[next_mark++]);
    if (r.as_sql_string) out.push_back('\'');
    out.append(marker);
    if (r.as_sql_string) out.push_back('\'');
    while (next_mark < inner_end) put_mark(marks_[next_mark++]);
    cursor = r.end;
  }
  copy_to(clean_.size());
  return out;
}

}  // namespace vigil::recorder::scrub_internal
