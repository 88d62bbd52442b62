// Copyright Vigil authors.
//
// path/path.h: path-traversal and local-file-inclusion detection for the
// Vigil agent.
//
// The agent sees two things at the moment a program is about to touch the
// filesystem (fopen, open, openat, creat, opendir, the stat family, unlink,
// remove, rename, mkdir, rmdir, symlink, link, truncate, C++ streams,
// std::filesystem): the path string and the inputs of the current HTTP
// request, already decoded by the framework. An input is a *traversal* when
// it appears in the path and escapes the place the service put it:
//
//   * its ".." segments climb above the directory the service's own prefix
//     (the bytes before the input) names, or past the root;
//   * it starts the path with '/' (it makes the path absolute);
//   * it is the whole path, or follows nothing but "/", and names a
//     sensitive location (/etc, /proc, /sys, /root, /dev, /var/log);
//   * it contains a NUL byte, so that the C call cuts the path where the
//     input ends (whatever the service appended, ".png", is dropped).
//
// Names the user picked inside the service's directory are not:
// "report.final.pdf", "a..b", "..hidden", "....", "x/../y" (it climbs only
// within what the input itself added). A final path inside one of the
// caller's allowed roots is never a traversal.
//
//   const vigil::path::Input inputs[] = {
//       {"../../etc/passwd", "query.file"},
//   };
//   vigil::path::Finding finding;
//   vigil::path::Verdict v = vigil::path::Detect(
//       "/var/www/uploads/../../etc/passwd", inputs, {}, vigil::path::Limits(),
//       &finding);
//   // v == Verdict::kTraversal, finding.input_index == 0,
//   // finding.begin == 17, finding.end == 33,
//   // finding.Reason() == "input climbs 2 levels above the service's
//   //                      directory (depth 3 to 1)"
//
// Everything is lexical: no system call is made, symbolic links are not
// resolved, '\' is an ordinary byte (as for the Linux kernel), "%2e%2e" is a
// name (the kernel does not decode), "~" is a name (only shells expand it).
// The rules and what is not detected are in docs/path-detection.md.
//
// Guarantees:
//   * Nothing here throws, blocks or allocates. Every function is noexcept,
//     thread-safe and keeps no state between calls. Detect() uses at most
//     about 9 KiB of stack: path-sized buffers (4 KiB each) for comparing
//     the resolved path with the allowed roots and the sensitive locations,
//     which it does only when an input starts an absolute path or before
//     reporting something.
//   * Work is bounded by the Limits: a path longer than max_path_bytes is not
//     read at all, at most max_inputs inputs and max_walks occurrences are
//     examined (each one walk of the path). Whatever a limit left unchecked
//     is reported as Verdict::kLimitExceeded, never as clean (unless the
//     path lies inside an allowed root, where nothing is ever reported).
//   * A path in which no input occurs costs one byte-pair filter and, for
//     the inputs that pass it, one substring search. An occurrence is walked
//     only when it could escape: ".." in it or next to it, at the start of
//     an absolute path or after nothing but "/" and "." there, or with a NUL
//     byte in its input.
#ifndef VIGIL_PATH_PATH_H_
#define VIGIL_PATH_PATH_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::path {

// Limits
//
// Bounds on the work of one call, each clamped to the hard cap beside it.
struct Limits {
  // Longer paths are not looked at (Status::kPathTooLong). The kernel
  // refuses paths of PATH_MAX (4096) bytes or more with ENAMETOOLONG.
  // Hard cap: kMaxPathBytesCap.
  uint32_t max_path_bytes = 4096;
  // Inputs past this many are not looked at (Status::kTooManyInputs).
  uint32_t max_inputs = 256;
  // At most this many occurrences are walked (Status::kTooManyWalks); an
  // occurrence is walked only when it could climb, starts the path or
  // carries a NUL byte.
  uint32_t max_walks = 64;
  // Inputs shorter than this are skipped (and, for an input holding a NUL
  // byte, its part before the NUL). A single byte cannot climb ("..") and is
  // the kind of value that occurs in every path. 0 counts as 1.
  uint32_t min_input_bytes = 2;
};

inline constexpr uint32_t kMaxPathBytesCap = 4096;

// Status
//
// Why a path was not (completely) examined.
enum class Status : uint8_t {
  kOk,
  kPathTooLong,      // longer than Limits::max_path_bytes
  kTooManyInputs,    // more than Limits::max_inputs inputs
  kTooManyWalks,     // more than Limits::max_walks occurrences to walk
  kTooManySegments,  // Normalize(): more segments than `out` holds
  kOutputTooSmall,   // NormalizedPath(): `out` cannot hold the result
};

// StatusName()
//
// "ok", "path too long", "too many inputs", "too many walks",
// "too many segments", "output too small".
std::string_view StatusName(Status status) noexcept;

// ---------------------------------------------------------------------------
// The lexical normaliser, usable on its own.
//
// A path is split at '/'. Empty segments ("//", a leading or trailing '/')
// and "." segments change nothing and are dropped. Every other segment is a
// name or "..". The depth after a segment counts the levels below the
// path's start: +1 for a name, -1 for "..". A relative path's depth goes
// negative when it climbs above its start (the directory it is relative
// to, which the normaliser does not know); an absolute path's depth stops at
// 0, since the root is its own parent ("/.." is "/"), and such a ".." is
// marked clamped. Every byte but '/' is part of a name, NUL included.
// ---------------------------------------------------------------------------

enum class SegmentKind : uint8_t {
  kName,    // anything but "", "." and ".."
  kParent,  // ".."
};

// Segment
//
// One name or ".." of a path: the bytes [begin, end), the depth after it.
struct Segment {
  uint32_t begin = 0;
  uint32_t end = 0;
  int32_t depth = 0;
  SegmentKind kind = SegmentKind::kName;
  bool clamped = false;  // a ".." at the root of an absolute path

  std::string_view Text(std::string_view path) const noexcept {
    if (begin > end || end > path.size()) return {};
    return path.substr(begin, end - begin);
  }
};

// NormalizeResult
struct NormalizeResult {
  size_t count = 0;        // segments written to `out`
  Status status = Status::kOk;
  bool absolute = false;   // the path starts with '/'
  int32_t min_depth = 0;   // the lowest depth reached (0 at the start)
  int32_t depth = 0;       // the depth after the last segment
};

// Normalize()
//
// Writes the segments of `path`, in order, to `out`. When more segments
// follow than `out` holds, stops with kTooManySegments (count, min_depth and
// depth then describe the segments written). A path longer than
// limits.max_path_bytes gives kPathTooLong and no segment.
NormalizeResult Normalize(std::string_view path, std::span<Segment> out,
                          const Limits& limits = Limits()) noexcept;

// NormalizedTextResult
struct NormalizedTextResult {
  size_t size = 0;  // bytes written, not counting the NUL
  Status status = Status::kOk;
};

// NormalizedPath()
//
// Writes the lexically resolved form of `path` to `out`, NUL-terminated:
// "/" then the remaining names for an absolute path ("/a/./b//../c/" ->
// "/a/c", "/../etc" -> "/etc"); for a relative path the ".." that climb
// above its start, then the names ("a/../../b" -> "../b"), or "." when
// nothing remains ("a/.." -> "."); "" for "". Normalising the result again
// gives the same text. The result is never longer than max(path.size(), 1):
// an `out` of path.size() + 2 bytes always suffices; a smaller one that
// cannot hold it gives kOutputTooSmall and "". A path longer than
// limits.max_path_bytes gives kPathTooLong and "".
NormalizedTextResult NormalizedPath(std::string_view path, std::span<char> out,
                                    const Limits& limits = Limits()) noexcept;

// ---------------------------------------------------------------------------
// Detection.
// ---------------------------------------------------------------------------

// Input
//
// One value of the current request, as the application received it (after
// the framework's decoding), and where it came from. `value` is a pointer
// and a length: it may hold NUL bytes, which is the point of the NUL rule.
struct Input {
  std::string_view value;   // e.g. "../../etc/passwd"
  std::string_view source;  // e.g. "query.file", "path.name", "body.avatar"
};

// Verdict
enum class Verdict : uint8_t {
  kClean,          // every input was examined; none escapes
  kTraversal,      // an input escapes; the Finding says which and how
  kLimitExceeded,  // no traversal found, but a limit left something
                   // unchecked (Finding::status says which); the caller decides
};

// VerdictName()
//
// "clean", "traversal", "limit exceeded".
std::string_view VerdictName(Verdict verdict) noexcept;

// FindingFlag
//
// Bits of Finding::flags: what the input did. One finding may carry several.
enum FindingFlag : uint8_t {
  kClimbs = 1 << 0,     // ".." below the service's directory (base_depth)
  kPastRoot = 1 << 1,   // ".." at the root of an absolute path
  kAbsolute = 1 << 2,   // the input starts the path with '/'
  kSensitive = 1 << 3,  // the input names a sensitive location
  kNulByte = 1 << 4,    // the input holds a NUL byte that cuts the path
  kWholePath = 1 << 5,  // the service's prefix is empty, "/" or only "." and
                        // "/" (the input is, in effect, the whole path)
};

// Finding
//
// What Detect() found. Plain data, no allocation; `source` points into the
// caller's inputs.
struct Finding {
  static constexpr size_t kMaxReason = 160;

  Verdict verdict = Verdict::kClean;
  Status status = Status::kOk;  // for kLimitExceeded: the limit reached
  size_t input_index = 0;       // index into `inputs` of the escaping input
  std::string_view source;      // inputs[input_index].source
  uint32_t begin = 0;           // the input's bytes in the path: [begin, end)
  uint32_t end = 0;             //   (for kNulByte, its part before the NUL)
  uint8_t flags = 0;            // FindingFlag bits
  int32_t base_depth = 0;       // depth of the service's directory
  int32_t min_depth = 0;        // lowest depth the input's segments reach
  uint8_t reason_size = 0;
  // E.g. "input climbs 2 levels above the service's directory (depth 3
  // to 1)". NUL-terminated.
  char reason[kMaxReason] = {};

  std::string_view Reason() const noexcept { return {reason, reason_size}; }
};

// Detect()
//
// Decides whether one of `inputs` escapes in `path`, looking at the inputs
// in order and at every occurrence of each; the first traversal found is
// reported in `*out` (which may be null). Inputs are matched byte for byte.
// `path` is what the sink received: for a C string, its strlen() bytes; it
// may hold NUL bytes (std::string, std::filesystem::path), in which case
// only the bytes before the first NUL are the path the kernel sees.
//
// `allowed_roots` are directories (absolute or relative, normalised like
// the path; relative ones compare only with relative paths, since the
// directory a relative path is resolved from is not known): when the path,
// normalised, is one of them or lies below one, nothing is reported.
//
// Returns kTraversal when an input escapes, kClean when none does, and
// kLimitExceeded when none was found but a limit stopped the examination
// early (`out->status` and `out->Reason()` say which). There is no other
// error: any bytes are a valid path and valid inputs. `path`, `inputs` and
// `allowed_roots` are only read during the call; `*out` is overwritten
// (reset to a default Finding when clean), and its `source` views the
// caller's inputs[].source, valid as long as they are.
Verdict Detect(std::string_view path, std::span<const Input> inputs,
               std::span<const std::string_view> allowed_roots, const Limits& limits,
               Finding* out) noexcept;

// IsSensitiveLocation()
//
// Whether the normalised absolute `normalized` (as NormalizedPath() writes
// it) is /etc, /proc, /sys, /root, /dev or /var/log, or lies below one.
bool IsSensitiveLocation(std::string_view normalized) noexcept;

}  // namespace vigil::path

#endif  // VIGIL_PATH_PATH_H_
