// Copyright Vigil authors.
//
// libFuzzer target over Normalize(), NormalizedPath() and Detect().
//
// Input layout: byte 0 controls the limits (a small max_walks, a
// min_input_bytes of 1, a short max_path_bytes now and then, to exercise the
// limit paths); the rest is the path. Inputs are cut from the path itself (so
// that they occur in it, which is where the interesting paths are), at
// places chosen by the last bytes, plus fixed attacks and a cut slice
// followed by a NUL byte.
//
// Beyond the sanitizers' checks, it asserts the API's promises: segments are
// ordered, inside the path, without '/', with depths that follow from their
// kinds; the resolved text is no longer than the path, resolves to itself
// (idempotence) and keeps the path's final depth; a finding's range lies in
// the path and holds the input it names; the reason is NUL-terminated;
// Detect() is deterministic, gives the same verdict without a Finding,
// allowed roots only ever make a verdict clean, and a path is never reported
// with itself as the allowed root.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "path/path.h"

namespace {

using namespace vigil::path;

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr size_t kMaxSegments = 512;

void CheckSegments(std::string_view path) {
  static Segment segs[kMaxSegments];
  const NormalizeResult r = Normalize(path, segs);
  if (r.status == Status::kPathTooLong) {
    Check(path.size() > kMaxPathBytesCap && r.count == 0);
    return;
  }
  Check(r.count <= kMaxSegments);
  Check(r.absolute == (!path.empty() && path[0] == '/'));
  int32_t depth = 0, min_depth = 0;
  uint32_t prev_end = 0;
  for (size_t i = 0; i < r.count; ++i) {
    const Segment& s = segs[i];
    Check(s.begin < s.end && s.end <= path.size() && (i == 0 || s.begin > prev_end));
    const std::string_view text = s.Text(path);
    Check(text.find('/') == std::string_view::npos && text != ".");
    Check((s.kind == SegmentKind::kParent) == (text == ".."));
    Check(!s.clamped || (r.absolute && s.kind == SegmentKind::kParent && depth == 0));
    depth += s.kind == SegmentKind::kName ? 1 : (s.clamped ? 0 : -1);
    Check(s.depth == depth && (!r.absolute || depth >= 0));
    if (depth < min_depth) min_depth = depth;
    prev_end = s.end;
  }
  Check(r.depth == depth && r.min_depth == min_depth);
}

void CheckNormalizedText(std::string_view path) {
  static char once[kMaxPathBytesCap + 2], twice[kMaxPathBytesCap + 2];
  const NormalizedTextResult a = NormalizedPath(path, {once, path.size() + 2});
  if (path.size() > kMaxPathBytesCap) {
    Check(a.status == Status::kPathTooLong && once[0] == '\0');
    return;
  }
  Check(a.status == Status::kOk && once[a.size] == '\0');
  Check(a.size <= (path.size() > 1 ? path.size() : 1));
  Check(path.empty() == (a.size == 0));
  const std::string_view text(once, a.size);
  const NormalizedTextResult b = NormalizedPath(text, {twice, text.size() + 2});
  Check(b.status == Status::kOk && std::string_view(twice, b.size) == text);
  // The same place: the same final depth, and nothing left to resolve.
  static Segment s1[kMaxSegments], s2[kMaxSegments];
  const NormalizeResult r1 = Normalize(path, s1), r2 = Normalize(text, s2);
  if (r1.status == Status::kOk && r2.status == Status::kOk) {
    Check(r1.depth == r2.depth && r1.absolute == r2.absolute);
    for (size_t i = 0; i < r2.count; ++i) {
      Check(!s2[i].clamped);
      if (s2[i].kind == SegmentKind::kParent) Check(i == 0 || s2[i - 1].kind == SegmentKind::kParent);
    }
  }
  // A buffer too small fails cleanly.
  char tiny[3];
  const NormalizedTextResult c = NormalizedPath(path, tiny);
  Check(c.status == Status::kOk ? c.size < 3 && tiny[c.size] == '\0'
                                : c.status == Status::kOutputTooSmall && tiny[0] == '\0');
}

bool SameFinding(const Finding& a, const Finding& b) {
  return a.verdict == b.verdict && a.status == b.status && a.input_index == b.input_index &&
         a.begin == b.begin && a.end == b.end && a.flags == b.flags &&
         a.base_depth == b.base_depth && a.min_depth == b.min_depth && a.Reason() == b.Reason();
}

void CheckDetect(std::string_view path, const uint8_t* data, size_t size, uint8_t control) {
  Limits limits;
  if (control & 0x80) limits.max_walks = control & 0x07;
  if (control & 0x40) limits.min_input_bytes = 1;
  if (control & 0x20) limits.max_path_bytes = 16 + (control & 0x1F);

  static char with_nul[kMaxPathBytesCap + 8];
  Input inputs[8];
  size_t n = 0;
  const size_t len = path.size();
  for (size_t k = 0; k < 4 && len > 0; ++k) {
    const size_t a = (size > 2 + k ? data[size - 1 - k] : k * 7) % len;
    const size_t b = a + (size > 6 + k ? data[size - 5 - k] : 11) % (len - a + 1);
    inputs[n++] = {path.substr(a, b - a), "fuzz.slice"};
  }
  // The path's tail followed by a NUL and an extension, as "x\0.png".
  const size_t tail = len > 0 ? len - (data[0] % len) : 0;
  if (tail > 0 && tail + 5 <= sizeof with_nul) {
    std::memcpy(with_nul, path.data() + len - tail, tail);
    std::memcpy(with_nul + tail, "\0.png", 5);
    inputs[n++] = {{with_nul, tail + 5}, "fuzz.nul"};
  }
  inputs[n++] = {"../../etc/passwd", "fuzz.attack"};
  inputs[n++] = {"..", "fuzz.dotdot"};
  inputs[n++] = {"report.pdf", "fuzz.word"};

  Finding f;
  const Verdict v = Detect(path, {inputs, n}, {}, limits, &f);
  Check(v == f.verdict);
  Check(f.reason_size < Finding::kMaxReason && f.reason[f.reason_size] == '\0');
  if (v == Verdict::kTraversal) {
    Check(f.input_index < n && f.status == Status::kOk);
    Check(f.begin < f.end && f.end <= len);
    const std::string_view found = path.substr(f.begin, f.end - f.begin);
    const std::string_view value = inputs[f.input_index].value;
    Check(value.substr(0, found.size()) == found);
    Check(found.size() == value.size() || ((f.flags & kNulByte) && value[found.size()] == '\0'));
    Check((f.flags & (kClimbs | kPastRoot | kAbsolute | kSensitive | kNulByte)) != 0);
    Check(!(f.flags & kClimbs) || f.min_depth < f.base_depth);
    Check(f.reason_size > 0 && f.source == inputs[f.input_index].source);
  } else if (v == Verdict::kClean) {
    Check(f.status == Status::kOk && f.reason_size == 0);
  } else {
    Check(f.status != Status::kOk && f.reason_size > 0);
  }
  // Deterministic, and the same verdict without a Finding.
  Finding again;
  Check(Detect(path, {inputs, n}, {}, limits, &again) == v && SameFinding(f, again));
  Check(Detect(path, {inputs, n}, {}, limits, nullptr) == v);

  // Roots only ever turn a verdict into clean: here, a prefix of the path
  // cut at a place the input chose.
  if (len > 0) {
    const std::string_view roots[] = {path.substr(0, data[size - 1] % (len + 1)), "/srv"};
    const Verdict with_roots = Detect(path, {inputs, n}, roots, limits, nullptr);
    Check(with_roots == v || with_roots == Verdict::kClean);
  }

  // The path is inside itself: with it as the allowed root, never reported.
  const std::string_view cut = path.substr(0, path.find('\0'));
  if (!cut.empty() && path.size() <= kMaxPathBytesCap && path.size() <= limits.max_path_bytes) {
    const std::string_view roots[] = {cut};
    Check(Detect(path, {inputs, n}, roots, limits, nullptr) == Verdict::kClean);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckSegments(path);
  CheckNormalizedText(path);
  CheckDetect(path, data, size, data[0]);
  return 0;
}
