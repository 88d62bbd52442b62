// Copyright Vigil authors.
//
// Tests of Detect(): each rule of occurrence.h, the Finding it fills, the
// inputs it skips, the allowed roots and the limits. The labelled corpus is
// cases_test.cc.
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "path/path.h"

namespace vigil::path {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

struct Result {
  Verdict verdict;
  Finding finding;
};

Result Check(std::string_view path, std::vector<Input> inputs,
             std::vector<std::string_view> roots = {}, const Limits& limits = Limits()) {
  Result r;
  r.verdict = Detect(path, inputs, roots, limits, &r.finding);
  return r;
}

// The path as the service builds it: `tmpl` with the input for each {},
// cut at a NUL as a C call sees it.
std::string Fill(std::string_view tmpl, std::string_view input) {
  std::string s(tmpl);
  for (size_t at = s.find("{}"); at != std::string::npos; at = s.find("{}", at + input.size())) {
    s.replace(at, 2, input);
  }
  return s.substr(0, s.find('\0'));
}

Verdict Verdict1(std::string_view tmpl, std::string_view input,
                 std::vector<std::string_view> roots = {}) {
  const std::string path = Fill(tmpl, input);
  return Check(path, {{input, "query.file"}}, roots).verdict;
}

bool Escapes(std::string_view tmpl, std::string_view input) {
  return Verdict1(tmpl, input) == Verdict::kTraversal;
}

TEST(Detect, ClimbAboveTheServicesDirectory) {
  const Result r = Check("/var/www/uploads/../../etc/passwd", {{"../../etc/passwd", "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.input_index, 0u);
  EXPECT_EQ(r.finding.source, "query.file");
  EXPECT_EQ(r.finding.begin, 17u);
  EXPECT_EQ(r.finding.end, 33u);
  EXPECT_EQ(r.finding.flags, kClimbs);
  EXPECT_EQ(r.finding.base_depth, 3);
  EXPECT_EQ(r.finding.min_depth, 1);
  EXPECT_EQ(r.finding.Reason(), "input climbs 2 levels above the service's directory (depth 3 to 1)");
  EXPECT_EQ(r.finding.reason[r.finding.reason_size], '\0');
}

TEST(Detect, ClimbVariants) {
  EXPECT_TRUE(Escapes("uploads/{}", ".."));
  EXPECT_TRUE(Escapes("uploads/{}", "../secret"));
  EXPECT_TRUE(Escapes("uploads/{}", "..//..//etc/passwd"));
  EXPECT_TRUE(Escapes("uploads/{}", "./../x"));
  EXPECT_TRUE(Escapes("uploads/{}", "a/../../x"));
  EXPECT_TRUE(Escapes("uploads/{}", "a/b/../../.."));
  EXPECT_TRUE(Escapes("uploads/{}.txt", "../../x"));
  EXPECT_TRUE(Escapes("uploads/img_{}", "/../../x"));     // continues the name, then climbs
  EXPECT_TRUE(Escapes("uploads/{}/thumb.png", "../.."));  // climbs, the suffix is the service's
  EXPECT_TRUE(Escapes("uploads/.{}", "./x"));             // completes the service's "."
  EXPECT_TRUE(Escapes("uploads/{}", "../uploads/x"));     // leaves, even if it comes back
}

TEST(Detect, ClimbingWithinTheInputIsBenign) {
  EXPECT_FALSE(Escapes("uploads/{}", "x/../y"));
  EXPECT_FALSE(Escapes("uploads/{}", "a/b/../../c"));
  EXPECT_FALSE(Escapes("uploads/{}", "x/.."));
  EXPECT_FALSE(Escapes("uploads/img_{}", "x/../y"));  // "img_x" was the input's
  EXPECT_FALSE(Escapes("{}", "a/../b"));
}

TEST(Detect, NamesThatAreNotTraversal) {
  for (std::string_view name : {"report.final.pdf", "a..b", "..hidden", "...", "....",
                                "....//....//etc/passwd", "my file (1).txt", "Zoë Müller.png",
                                "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                "~root/.ssh/id_rsa", "dir/sub/file", ".profile", "a.", ".x."}) {
    EXPECT_FALSE(Escapes("uploads/{}", name)) << name;
  }
}

TEST(Detect, ServicesOwnParentsAreNotBlamed) {
  // The service climbs itself; the input stays where it was put.
  EXPECT_FALSE(Escapes("/srv/app/bin/../data/{}", "report.pdf"));
  EXPECT_FALSE(Escapes("../shared/{}", "a/b"));
  EXPECT_FALSE(Escapes("data/{}/../index.html", "alice"));
  // An input that only ends where the service's ".." starts is not it.
  EXPECT_FALSE(Escapes("data/{}/../x", "ab"));
}

TEST(Detect, AbsolutePaths) {
  Result r = Check("/tmp/x.png", {{"/tmp/x.png", "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kAbsolute | kWholePath);
  EXPECT_EQ(r.finding.Reason(), "input makes the path absolute");
  r = Check("/etc/passwd", {{"/etc/passwd", "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kAbsolute | kSensitive | kWholePath);
  EXPECT_EQ(r.finding.Reason(), "input makes the path absolute; names a sensitive location: /etc");
  EXPECT_TRUE(Escapes("{}/avatar.png", "/home/alice"));
  EXPECT_TRUE(Escapes("{}.txt", "/etc/passwd"));
  // After a separator the kernel reads "//" as "/": not absolute.
  EXPECT_FALSE(Escapes("uploads/{}", "/etc/passwd"));
  EXPECT_FALSE(Escapes("./{}", "/etc/passwd"));
}

TEST(Detect, SensitiveLocationsAfterTheRoot) {
  const Result r = Check("/proc/self/environ", {{"proc/self/environ", "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kSensitive | kWholePath);
  EXPECT_EQ(r.finding.Reason(), "input names a sensitive location: /proc");
  EXPECT_TRUE(Escapes("/{}", "etc/shadow"));
  EXPECT_TRUE(Escapes("/{}", "var/log/auth.log"));
  EXPECT_TRUE(Escapes("/{}", "dev"));
  EXPECT_TRUE(Escapes("/./{}", "sys/kernel"));
  EXPECT_TRUE(Escapes("/{}", "tmp/../root/.ssh/id_rsa"));
  EXPECT_FALSE(Escapes("/{}", "home/alice/notes.txt"));
  EXPECT_FALSE(Escapes("/{}", "etcetera/x"));
  EXPECT_FALSE(Escapes("/{}", "var/logs/x"));
  // One segment that the service continues is the service's choice.
  EXPECT_FALSE(Escapes("/{}/app.conf", "etc"));
  EXPECT_FALSE(Escapes("/proc/{}/status", "self"));
  // Relative: the directory is unknown, nothing is sensitive.
  EXPECT_FALSE(Escapes("{}", "etc/passwd"));
}

TEST(Detect, PastTheRoot) {
  const Result r = Check("/../../etc/hosts", {{"../../etc/hosts", "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_TRUE(r.finding.flags & kPastRoot);
  EXPECT_TRUE(r.finding.flags & kSensitive);
  EXPECT_EQ(r.finding.Reason(), "input climbs past the root; names a sensitive location: /etc");
  EXPECT_TRUE(Escapes("/{}", "../home/alice"));
  EXPECT_TRUE(Escapes("/var/www/{}", "../../../../../../tmp/x"));
}

TEST(Detect, WholeRelativePath) {
  EXPECT_FALSE(Escapes("{}", "report.pdf"));
  EXPECT_FALSE(Escapes("{}", "docs/2024/report.pdf"));
  EXPECT_FALSE(Escapes("{}", "~"));
  EXPECT_FALSE(Escapes("{}", "~root"));
  const Result r = Check("../x", {{"../x", "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kClimbs | kWholePath);
  EXPECT_EQ(r.finding.Reason(), "input climbs 1 level above the start of the relative path (depth 0 to -1)");
  EXPECT_TRUE(Escapes("{}", "a/../../x"));
  EXPECT_TRUE(Escapes("./{}", "../x"));
}

TEST(Detect, NulByteCutsThePath) {
  const std::string_view input = "../../etc/passwd\0.png"sv;
  const std::string path = Fill("uploads/{}.png", input);
  EXPECT_EQ(path, "uploads/../../etc/passwd");
  Result r = Check(path, {{input, "query.file"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kClimbs | kNulByte);
  EXPECT_EQ(r.finding.begin, 8u);
  EXPECT_EQ(r.finding.end, path.size());
  EXPECT_EQ(r.finding.Reason(),
            "input climbs 2 levels above the service's directory (depth 1 to -1); holds a NUL "
            "byte at offset 16, where the call cuts the path");
  // Without traversal, the NUL alone drops the service's extension.
  const std::string_view shell = "shell.php\0"sv;
  r = Check(Fill("uploads/{}.png", shell), {{shell, "body.name"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kNulByte);
  // The path may hold the NUL itself (std::string, std::filesystem::path).
  const std::string with_nul = "uploads/shell.php\0.png"s;
  EXPECT_EQ(Check(with_nul, {{shell, "body.name"}}).verdict, Verdict::kTraversal);
  // An input with a NUL whose head is not the path's end is not there.
  EXPECT_EQ(Check("uploads/shell.php.png", {{shell, "body.name"}}).verdict, Verdict::kClean);
  // A head shorter than min_input_bytes is skipped.
  EXPECT_EQ(Check("uploads/a", {{"a\0xyz"sv, "body.name"}}).verdict, Verdict::kClean);
}

TEST(Detect, InputsAfterThePathsNulAreNotSeenByTheKernel) {
  const std::string path = "uploads/a.png\0/../../etc/passwd"s;
  EXPECT_EQ(Check(path, {{"/../../etc/passwd", "query.x"}}).verdict, Verdict::kClean);
}

TEST(Detect, EveryOccurrenceIsExamined) {
  // The first occurrence is inside the name "b..", the second climbs.
  const Result r = Check("a/b../x/../../x", {{"../x", "query.x"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.begin, 11u);
  // A template with the input twice.
  EXPECT_TRUE(Escapes("cache/{}/{}", ".."));
  EXPECT_FALSE(Escapes("cache/{}/{}", "x"));
}

TEST(Detect, OverlappingAndSeveralInputs) {
  const std::string path = "files/alice/../../etc/passwd";
  const Result r = Check(path, {{"alice", "path.user"},
                                {"files", "query.dir"},
                                {"alice/../../etc/passwd", "query.file"},
                                {"../../etc", "query.other"}});
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.input_index, 2u);
  EXPECT_EQ(r.finding.source, "query.file");
  // Pieces that climb only together: each piece is judged alone, and the
  // one that adds the ".." below the service's directory is found.
  const Result pieces = Check("data/x/../../y", {{"x/..", "query.a"}, {"/../y", "query.b"}});
  ASSERT_EQ(pieces.verdict, Verdict::kTraversal);
  EXPECT_EQ(pieces.finding.input_index, 1u);
}

TEST(Detect, ShortInputsAreSkipped) {
  EXPECT_EQ(Check("/x", {{"/", "query.a"}}).verdict, Verdict::kClean);
  Limits one;
  one.min_input_bytes = 1;
  EXPECT_EQ(Check("/x", {{"/", "query.a"}}, {}, one).verdict, Verdict::kTraversal);
  one.min_input_bytes = 0;  // counts as 1
  EXPECT_EQ(Check("/x", {{"/", "query.a"}}, {}, one).verdict, Verdict::kTraversal);
  EXPECT_EQ(Check("/x", {{"", "query.a"}}, {}, one).verdict, Verdict::kClean);
}

TEST(Detect, InputsNotInThePath) {
  EXPECT_EQ(Check("/var/www/uploads/a.png", {{"../../etc/passwd", "q"}, {"b.png", "q"}}).verdict,
            Verdict::kClean);
  EXPECT_EQ(Check("", {{"..", "q"}}).verdict, Verdict::kClean);
  // Default-constructed views (null data) are empty paths and inputs.
  EXPECT_EQ(Check(std::string_view(), {{std::string_view(), "q"}, {"..", "q"}}).verdict,
            Verdict::kClean);
  EXPECT_EQ(Check("a/../..", {{std::string_view(), "q"}}, {std::string_view()}).verdict,
            Verdict::kClean);
  EXPECT_EQ(Check("/a", {}).verdict, Verdict::kClean);
}

TEST(Detect, AllowedRoots) {
  const std::vector<std::string_view> roots = {"/srv/files", "/var/www/uploads/"};
  EXPECT_EQ(Verdict1("/srv/files/{}", "alice/../bob/x", roots), Verdict::kClean);
  EXPECT_EQ(Verdict1("/var/www/uploads/a/{}", "../b", roots), Verdict::kClean);
  EXPECT_EQ(Verdict1("/var/www/uploads/{}", "../../etc/passwd", roots), Verdict::kTraversal);
  EXPECT_EQ(Verdict1("{}", "/srv/files/report.pdf", roots), Verdict::kClean);
  EXPECT_EQ(Verdict1("{}", "/srv/filesystem/x", roots), Verdict::kTraversal);
  EXPECT_EQ(Verdict1("{}", "/srv/files/../x", roots), Verdict::kTraversal);
  // Relative roots compare with relative paths only.
  EXPECT_EQ(Verdict1("uploads/{}", "../uploads/x", {"uploads"}), Verdict::kClean);
  EXPECT_EQ(Verdict1("uploads/{}", "../x", {"uploads"}), Verdict::kTraversal);
  EXPECT_EQ(Verdict1("uploads/{}", "../x", {"."}), Verdict::kClean);
  EXPECT_EQ(Verdict1("uploads/{}", "../../x", {"."}), Verdict::kTraversal);
  EXPECT_EQ(Verdict1("/{}", "etc/passwd", {"/"}), Verdict::kClean);
  // A NUL-cut path is judged where the kernel cuts it.
  EXPECT_EQ(Verdict1("/srv/other/{}.png", "ab\0"sv, roots), Verdict::kTraversal);
  EXPECT_EQ(Verdict1("/srv/files/{}.png", "ab\0"sv, roots), Verdict::kClean);
}

TEST(Detect, NullFindingGivesTheSameVerdict) {
  const Input in[] = {{"../x", "q"}};
  EXPECT_EQ(Detect("a/../x", in, {}, Limits(), nullptr), Verdict::kTraversal);
  EXPECT_EQ(Detect("a/b/x", in, {}, Limits(), nullptr), Verdict::kClean);
}

TEST(DetectLimits, TooLongIsNeverClean) {
  const std::string path = "uploads/" + std::string(5000, 'a');
  const Result r = Check(path, {{"a", "q"}});
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kPathTooLong);
  EXPECT_EQ(r.finding.Reason(), "not examined: the path has 5008 bytes, more than max_path_bytes (4096)");
  Limits small;
  small.max_path_bytes = 10;
  EXPECT_EQ(Check("uploads/abc", {}, {}, small).verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(Check("uploads/ab", {}, {}, small).verdict, Verdict::kClean);
  small.max_path_bytes = 1u << 30;  // clamped to the cap
  EXPECT_EQ(Check(path, {}, {}, small).verdict, Verdict::kLimitExceeded);
}

TEST(DetectLimits, TooManyInputs) {
  Limits limits;
  limits.max_inputs = 2;
  Result r = Check("a/../../x", {{"zz", "q"}, {"yy", "q"}, {"../../x", "q"}}, {}, limits);
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kTooManyInputs);
  EXPECT_EQ(r.finding.Reason(), "partly examined: 3 inputs, more than max_inputs (2)");
  // A traversal among the examined inputs is still reported.
  r = Check("a/../../x", {{"../../x", "q"}, {"yy", "q"}, {"zz", "q"}}, {}, limits);
  EXPECT_EQ(r.verdict, Verdict::kTraversal);
  // Inside an allowed root nothing is reported, not even a limit.
  r = Check("/srv/a", {{"zz", "q"}, {"yy", "q"}, {"xx", "q"}}, {"/srv"}, limits);
  EXPECT_EQ(r.verdict, Verdict::kClean);
}

TEST(DetectLimits, TooManyWalks) {
  std::string path;
  for (int i = 0; i < 40; ++i) path += "a/b/../";
  Limits limits;
  limits.max_walks = 8;
  const Result r = Check(path, {{"b/..", "q"}}, {}, limits);
  EXPECT_EQ(r.verdict, Verdict::kLimitExceeded);
  EXPECT_EQ(r.finding.status, Status::kTooManyWalks);
  limits.max_walks = 64;
  EXPECT_EQ(Check(path, {{"b/..", "q"}}, {}, limits).verdict, Verdict::kClean);
  limits.max_walks = 0;
  EXPECT_EQ(Check("a/../../x", {{"../../x", "q"}}, {}, limits).verdict, Verdict::kLimitExceeded);
}

TEST(Detect, ManyInputsUseThePrefilter) {
  std::vector<std::string> values;
  std::vector<Input> inputs;
  for (int i = 0; i < 40; ++i) values.push_back("value-" + std::to_string(i));
  values.push_back("../../etc/passwd");
  for (const std::string& v : values) inputs.push_back({v, "q"});
  Result r = Check("/var/www/static/../../etc/passwd", inputs);
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.input_index, 40u);
  r = Check("/var/www/static/value-7.css", inputs);
  EXPECT_EQ(r.verdict, Verdict::kClean);
  // The filter looks only at the part before a NUL byte.
  inputs.back() = {"shell.php\0.png"sv, "q"};
  r = Check("/var/www/static/shell.php", inputs);
  ASSERT_EQ(r.verdict, Verdict::kTraversal);
  EXPECT_EQ(r.finding.flags, kNulByte);
}

TEST(Detect, ThreadSafe) {
  auto work = [] {
    for (int i = 0; i < 2000; ++i) {
      const Input in[] = {{"../../etc/passwd", "q"}, {"x.png", "q"}};
      Finding f;
      if (Detect("/srv/a/../../etc/passwd", in, {}, Limits(), &f) != Verdict::kTraversal) return false;
      if (Detect("/srv/a/x.png", in, {}, Limits(), &f) != Verdict::kClean) return false;
    }
    return true;
  };
  bool a = false, b = false;
  std::thread t1([&] { a = work(); });
  std::thread t2([&] { b = work(); });
  t1.join();
  t2.join();
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
}

TEST(IsSensitiveLocation, Prefixes) {
  EXPECT_TRUE(IsSensitiveLocation("/etc"));
  EXPECT_TRUE(IsSensitiveLocation("/etc/passwd"));
  EXPECT_TRUE(IsSensitiveLocation("/proc/self/environ"));
  EXPECT_TRUE(IsSensitiveLocation("/var/log/nginx/access.log"));
  EXPECT_FALSE(IsSensitiveLocation("/var/logs"));
  EXPECT_FALSE(IsSensitiveLocation("/etcetera"));
  EXPECT_FALSE(IsSensitiveLocation("etc/passwd"));
  EXPECT_FALSE(IsSensitiveLocation("/home/alice"));
  EXPECT_FALSE(IsSensitiveLocation("/"));
}

}  // namespace
}  // namespace vigil::path
