// Copyright Vigil authors.
#include "reason.h"

#include <cstring>

namespace vigil::path::internal {

void ReasonWriter::Append(std::string_view s) {
  const size_t room = Finding::kMaxReason - 1 - f_->reason_size;
  const size_t n = s.size() < room ? s.size() : room;
  std::memcpy(f_->reason + f_->reason_size, s.data(), n);
  f_->reason_size = static_cast<uint8_t>(f_->reason_size + n);
  f_->reason[f_->reason_size] = '\0';
}

void ReasonWriter::AppendNumber(int64_t v) {
  char digits[24];
  size_t n = 0;
  const bool negative = v < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (negative) digits[n++] = '-';
  char text[24];
  for (size_t i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
  Append({text, n});
}

namespace {

// "input climbs 2 levels above the service's directory (depth 3 to 1)",
// without its first word.
void AppendClimb(const Finding& f, ReasonWriter& w) {
  const int64_t levels = static_cast<int64_t>(f.base_depth) - f.min_depth;
  w.Append("climbs ");
  w.AppendNumber(levels);
  w.Append(levels == 1 ? " level above " : " levels above ");
  w.Append((f.flags & kWholePath) ? "the start of the relative path" : "the service's directory");
  w.Append(" (depth ");
  w.AppendNumber(f.base_depth);
  w.Append(" to ");
  w.AppendNumber(f.min_depth);
  w.Append(")");
}

}  // namespace

void WriteTraversalReason(std::string_view sensitive, size_t nul_offset, Finding* f) noexcept {
  ReasonWriter w(f);
  bool first = true;
  // Each clause starts "input ..." the first time, "; ..." after.
  auto clause = [&](std::string_view text) {
    w.Append(first ? "input " : "; ");
    w.Append(text);
    first = false;
  };
  if (f->flags & kClimbs) {
    clause("");
    AppendClimb(*f, w);
  }
  if (f->flags & kPastRoot) clause("climbs past the root");
  if (f->flags & kAbsolute) clause("makes the path absolute");
  if (f->flags & kSensitive) {
    clause("names a sensitive location: ");
    w.Append(sensitive);
  }
  if (f->flags & kNulByte) {
    clause("holds a NUL byte at offset ");
    w.AppendNumber(static_cast<int64_t>(nul_offset));
    w.Append(", where the call cuts the path");
  }
}

void WriteLimitReason(Status status, uint64_t actual, uint64_t limit, Finding* f) noexcept {
  ReasonWriter w(f);
  switch (status) {
    case Status::kPathTooLong:
      w.Append("not examined: the path has ");
      w.AppendNumber(static_cast<int64_t>(actual));
      w.Append(" bytes, more than max_path_bytes (");
      break;
    case Status::kTooManyInputs:
      w.Append("partly examined: ");
      w.AppendNumber(static_cast<int64_t>(actual));
      w.Append(" inputs, more than max_inputs (");
      break;
    case Status::kTooManyWalks:
      w.Append("partly examined: more occurrences to walk than max_walks (");
      break;
    default:
      return;
  }
  w.AppendNumber(static_cast<int64_t>(limit));
  w.Append(")");
}

}  // namespace vigil::path::internal
