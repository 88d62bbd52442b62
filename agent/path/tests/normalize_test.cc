// Copyright Vigil authors.
//
// Tests of the lexical normaliser: Normalize() (segments and depths) and
// NormalizedPath() (the resolved text), on their own.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "path/path.h"

namespace vigil::path {
namespace {

std::string Text(std::string_view path) {
  std::vector<char> out(path.size() + 2);
  const NormalizedTextResult r = NormalizedPath(path, out);
  EXPECT_EQ(r.status, Status::kOk) << path;
  return std::string(out.data(), r.size);
}

// "name@depth" for each segment, "..@depth" with a '!' when clamped.
std::string Segments(std::string_view path) {
  Segment segs[64];
  const NormalizeResult r = Normalize(path, segs);
  EXPECT_EQ(r.status, Status::kOk);
  std::string s;
  for (size_t i = 0; i < r.count; ++i) {
    if (!s.empty()) s += ' ';
    s += std::string(segs[i].Text(path)) + "@" + std::to_string(segs[i].depth);
    if (segs[i].clamped) s += '!';
  }
  return s;
}

TEST(NormalizedPath, DropsEmptyAndDotSegmentsAndTrailingSlashes) {
  EXPECT_EQ(Text("/var//www/./html/"), "/var/www/html");
  EXPECT_EQ(Text("uploads/./a//b/"), "uploads/a/b");
  EXPECT_EQ(Text("./a"), "a");
  EXPECT_EQ(Text("a/."), "a");
  EXPECT_EQ(Text("//"), "/");
  EXPECT_EQ(Text("/"), "/");
  EXPECT_EQ(Text("."), ".");
  EXPECT_EQ(Text("./"), ".");
  EXPECT_EQ(Text(""), "");
}

TEST(NormalizedPath, ResolvesParents) {
  EXPECT_EQ(Text("/a/b/../c"), "/a/c");
  EXPECT_EQ(Text("/a/b/../../c"), "/c");
  EXPECT_EQ(Text("a/../b"), "b");
  EXPECT_EQ(Text("a/.."), ".");
  EXPECT_EQ(Text("a/b/.."), "a");
}

TEST(NormalizedPath, RootIsItsOwnParent) {
  EXPECT_EQ(Text("/.."), "/");
  EXPECT_EQ(Text("/../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(Text("/var/www/../../../../etc"), "/etc");
}

TEST(NormalizedPath, RelativePathsKeepTheirLeadingParents) {
  EXPECT_EQ(Text(".."), "..");
  EXPECT_EQ(Text("../"), "..");
  EXPECT_EQ(Text("a/../../b"), "../b");
  EXPECT_EQ(Text("../../x/../y"), "../../y");
  EXPECT_EQ(Text("../a/.."), "..");
}

TEST(NormalizedPath, NamesThatLookLikeDotsAreNames) {
  EXPECT_EQ(Text("a/..../b"), "a/..../b");
  EXPECT_EQ(Text("a/.../b"), "a/.../b");
  EXPECT_EQ(Text("a/..hidden/../b"), "a/b");
  EXPECT_EQ(Text("a/b../c"), "a/b../c");
  EXPECT_EQ(Text("..\\..\\etc"), "..\\..\\etc");   // '\' is not a separator
  EXPECT_EQ(Text("%2e%2e/x"), "%2e%2e/x");          // the kernel does not decode
  EXPECT_EQ(Text("~root/.ssh"), "~root/.ssh");      // nor expand '~'
  EXPECT_EQ(Text(std::string_view("a\0b/..", 6)), ".");  // NUL is a name byte here
}

TEST(NormalizedPath, IsIdempotent) {
  for (std::string_view p : {"/a/./b/../../..//c/", "x/../../y/./z/..", "....//....//etc",
                             "../../", "/", ".", "", "a/b/c", "//x//"}) {
    const std::string once = Text(p);
    EXPECT_EQ(Text(once), once) << p;
  }
}

TEST(NormalizedPath, BufferSizes) {
  char small[4];
  NormalizedTextResult r = NormalizedPath("/abcdef", small);
  EXPECT_EQ(r.status, Status::kOutputTooSmall);
  EXPECT_EQ(small[0], '\0');
  // path.size() + 2 always suffices; the resolved form may use less.
  char exact[3];
  r = NormalizedPath("a/", exact);
  EXPECT_EQ(r.status, Status::kOk);
  EXPECT_EQ(std::string_view(exact, r.size), "a");
  r = NormalizedPath("a", std::span<char>());
  EXPECT_EQ(r.status, Status::kOutputTooSmall);
}

TEST(NormalizedPath, TooLongIsNotRead) {
  const std::string path(5000, 'a');
  std::vector<char> out(path.size() + 2, 'x');
  const NormalizedTextResult r = NormalizedPath(path, out);
  EXPECT_EQ(r.status, Status::kPathTooLong);
  EXPECT_EQ(out[0], '\0');
  Limits limits;
  limits.max_path_bytes = 8;
  EXPECT_EQ(NormalizedPath("/a/b/c/d/e", out, limits).status, Status::kPathTooLong);
  EXPECT_EQ(NormalizedPath("/a/b/c", out, limits).status, Status::kOk);
}

TEST(Normalize, DepthsOfRelativePaths) {
  EXPECT_EQ(Segments("uploads/a/../../../etc"), "uploads@1 a@2 ..@1 ..@0 ..@-1 etc@0");
  EXPECT_EQ(Segments("./x//./y/"), "x@1 y@2");
  EXPECT_EQ(Segments(""), "");
  EXPECT_EQ(Segments("./."), "");
}

TEST(Normalize, DepthsOfAbsolutePathsStopAtTheRoot) {
  EXPECT_EQ(Segments("/var/../../etc"), "var@1 ..@0 ..@0! etc@1");
  EXPECT_EQ(Segments("/.."), "..@0!");
}

TEST(Normalize, ReportsOffsetsAndKinds) {
  Segment segs[4];
  const NormalizeResult r = Normalize("/ab/../c", segs);
  ASSERT_EQ(r.count, 3u);
  EXPECT_TRUE(r.absolute);
  EXPECT_EQ(segs[0].begin, 1u);
  EXPECT_EQ(segs[0].end, 3u);
  EXPECT_EQ(segs[0].kind, SegmentKind::kName);
  EXPECT_EQ(segs[1].kind, SegmentKind::kParent);
  EXPECT_EQ(segs[2].Text("/ab/../c"), "c");
  EXPECT_EQ(r.depth, 1);
  EXPECT_EQ(r.min_depth, 0);
  const NormalizeResult rel = Normalize("../../a", segs);
  EXPECT_FALSE(rel.absolute);
  EXPECT_EQ(rel.min_depth, -2);
  EXPECT_EQ(rel.depth, -1);
}

TEST(Normalize, Limits) {
  Segment segs[2];
  const NormalizeResult r = Normalize("a/b/c", segs);
  EXPECT_EQ(r.status, Status::kTooManySegments);
  EXPECT_EQ(r.count, 2u);
  EXPECT_EQ(r.depth, 2);
  const std::string path(4097, 'a');
  EXPECT_EQ(Normalize(path, segs).status, Status::kPathTooLong);
  EXPECT_EQ(Normalize(path, segs).count, 0u);
}

TEST(Names, Statuses) {
  EXPECT_EQ(StatusName(Status::kOk), "ok");
  EXPECT_EQ(StatusName(Status::kPathTooLong), "path too long");
  EXPECT_EQ(VerdictName(Verdict::kTraversal), "traversal");
}

}  // namespace
}  // namespace vigil::path
