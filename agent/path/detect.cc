// Copyright Vigil authors.
//
// Detect(): find each input in the path, and walk the path only for the
// occurrences that could escape (occurrence.h). The order of the cheap
// checks is what keeps a benign path well under a microsecond:
//
//   1. length: inputs shorter than the minimum or longer than the path;
//   2. for requests of two inputs or more, the byte-pair prefilter
//      (prefilter.h);
//   3. a substring search (memmem: linear, whatever the input);
//   4. NeedsWalk(): most occurrences have no ".." near them and do not
//      start the path;
//   5. one walk of the path for each remaining occurrence.
//
// The allowed roots are consulted last, only before reporting something:
// a path inside one is never reported, whatever its inputs did.
#include <string.h>  // memmem (GNU)

#include <algorithm>
#include <cstring>

#include "limits_internal.h"
#include "locations.h"
#include "occurrence.h"
#include "path.h"
#include "prefilter.h"
#include "reason.h"

namespace vigil::path {
namespace {

using internal::OccurrenceResult;

// What one call carries from input to input.
struct Scan {
  std::string_view path;  // what the kernel sees: cut at the first NUL
  std::span<const std::string_view> roots;
  uint32_t max_walks = 0;
  uint32_t walks = 0;
  Status unchecked = Status::kOk;
};

bool TakeWalk(Scan& scan) {
  if (scan.walks == scan.max_walks) {
    scan.unchecked = Status::kTooManyWalks;
    return false;
  }
  ++scan.walks;
  return true;
}

void Fill(const OccurrenceResult& r, size_t index, const Input& input, uint32_t begin,
          uint32_t end, size_t nul_offset, Finding* f) {
  f->verdict = Verdict::kTraversal;
  f->status = Status::kOk;
  f->input_index = index;
  f->source = input.source;
  f->begin = begin;
  f->end = end;
  f->flags = r.flags;
  f->base_depth = r.base_depth;
  f->min_depth = r.min_depth;
  internal::WriteTraversalReason(r.sensitive, nul_offset, f);
}

// An input holding a NUL byte: the call cut the path where the NUL stood,
// so the part before the NUL ends the path, or the input is not there.
bool ExamineNulInput(Scan& scan, size_t index, const Input& input, size_t nul,
                     size_t min_len, Finding* f) {
  const std::string_view head = input.value.substr(0, nul);
  if (head.size() < min_len || head.size() > scan.path.size()) return false;
  const auto begin = static_cast<uint32_t>(scan.path.size() - head.size());
  if (std::memcmp(scan.path.data() + begin, head.data(), head.size()) != 0) return false;
  if (!TakeWalk(scan)) return false;
  OccurrenceResult r = internal::ExamineOccurrence(scan.path, begin, scan.path.size());
  r.flags |= kNulByte;
  Fill(r, index, input, begin, static_cast<uint32_t>(scan.path.size()), nul, f);
  return true;
}

// Every occurrence of an input without NUL bytes.
bool ExamineInput(Scan& scan, size_t index, const Input& input, Finding* f) {
  const std::string_view v = input.value;
  const char* const base = scan.path.data();
  const char* at = static_cast<const char*>(memmem(base, scan.path.size(), v.data(), v.size()));
  for (; at != nullptr; at = static_cast<const char*>(memmem(
                            at + 1, scan.path.size() - (at + 1 - base), v.data(), v.size()))) {
    const auto begin = static_cast<uint32_t>(at - base);
    const auto end = static_cast<uint32_t>(begin + v.size());
    if (!internal::NeedsWalk(scan.path, begin, end)) continue;
    if (!TakeWalk(scan)) return false;
    const OccurrenceResult r = internal::ExamineOccurrence(scan.path, begin, end);
    if (r.flags & internal::kEscapeFlags) {
      Fill(r, index, input, begin, end, 0, f);
      return true;
    }
  }
  return false;
}

Verdict LimitExceeded(Status status, uint64_t actual, uint64_t limit, Finding* f) {
  f->verdict = Verdict::kLimitExceeded;
  f->status = status;
  internal::WriteLimitReason(status, actual, limit, f);
  return f->verdict;
}

}  // namespace

Verdict Detect(std::string_view path, std::span<const Input> inputs,
               std::span<const std::string_view> allowed_roots, const Limits& limits,
               Finding* out) noexcept {
  Finding scratch;
  Finding* f = out ? out : &scratch;
  *f = Finding();

  const uint32_t max_bytes = internal::MaxPathBytes(limits);
  if (path.size() > max_bytes) {
    return LimitExceeded(Status::kPathTooLong, path.size(), max_bytes, f);
  }
  Scan scan;
  // (memchr must not see the null pointer of an empty string_view.)
  const void* cut = path.empty() ? nullptr : std::memchr(path.data(), '\0', path.size());
  scan.path = cut ? path.substr(0, static_cast<const char*>(cut) - path.data()) : path;
  scan.roots = allowed_roots;
  scan.max_walks = limits.max_walks;
  const size_t count = std::min<size_t>(inputs.size(), limits.max_inputs);
  const size_t min_len = internal::MinInputBytes(limits);

  internal::PairFilter filter;
  const bool filtered = count >= internal::PairFilter::kMinInputs;
  if (filtered) filter.Build(scan.path);

  bool found = false;
  for (size_t i = 0; i < count && !found && scan.unchecked == Status::kOk; ++i) {
    const std::string_view v = inputs[i].value;
    if (v.size() < min_len) continue;
    // The filter stops at a NUL byte, so it can come first: most inputs of
    // a large request end here.
    if (filtered && !filter.MayContain(v)) continue;
    const void* nul = std::memchr(v.data(), '\0', v.size());
    if (nul) {
      found = ExamineNulInput(scan, i, inputs[i], static_cast<const char*>(nul) - v.data(),
                              min_len, f);
      continue;
    }
    if (v.size() > scan.path.size()) continue;
    found = ExamineInput(scan, i, inputs[i], f);
  }

  const bool partial = scan.unchecked != Status::kOk || inputs.size() > count;
  if ((found || partial) && internal::InsideAllowedRoot(scan.path, allowed_roots)) {
    *f = Finding();
    return Verdict::kClean;
  }
  if (found) return Verdict::kTraversal;
  if (scan.unchecked != Status::kOk) {
    return LimitExceeded(scan.unchecked, scan.walks, limits.max_walks, f);
  }
  if (inputs.size() > count) {
    return LimitExceeded(Status::kTooManyInputs, inputs.size(), limits.max_inputs, f);
  }
  return Verdict::kClean;
}

}  // namespace vigil::path
