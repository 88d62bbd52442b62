// Copyright Vigil authors.
//
// Runs every labelled case of cases/cases.tsv through Detect() with the
// input among a handful of unrelated request values, asserts each label,
// and prints the detection rate and the false positives per family.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "case_file.h"
#include "path/path.h"

namespace vigil::path {
namespace {

using testing::LabelledCase;

std::vector<LabelledCase> LoadOrFail() {
  std::vector<LabelledCase> cases;
  std::string error;
  EXPECT_TRUE(testing::LoadCases(VIGIL_PATH_CASES_FILE, &cases, &error)) << error;
  return cases;
}

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '\0' ? std::string("\\0") : std::string(1, c);
  return out;
}

struct Tally {
  int attacks = 0, detected = 0, benign = 0, false_positives = 0;
};

TEST(Cases, FileIsLargeAndCoversTheFamilies) {
  const std::vector<LabelledCase> cases = LoadOrFail();
  EXPECT_GE(cases.size(), 300u);
  std::set<std::string> attack_families, benign_families;
  int attacks = 0;
  for (const LabelledCase& c : cases) {
    (c.attack ? attack_families : benign_families).insert(c.family);
    attacks += c.attack;
  }
  EXPECT_GE(attacks, 150);
  EXPECT_GE(static_cast<int>(cases.size()) - attacks, 150);
  for (const char* f : {"dotdot", "dotdot-slashes", "dot-dotdot", "trailing-dotdot", "inner-dotdot",
                        "past-root", "affixes", "absolute", "sensitive", "nul", "whole-relative",
                        "roots"}) {
    EXPECT_TRUE(attack_families.count(f)) << "no attack of family " << f;
  }
  for (const char* f : {"name", "dots", "space", "unicode", "inner-climb", "backslash", "encoded",
                        "tilde", "double-slash", "whole-relative", "service-dotdot", "roots"}) {
    EXPECT_TRUE(benign_families.count(f)) << "no benign case of family " << f;
  }
}

TEST(Cases, EveryLabelHolds) {
  const std::vector<LabelledCase> cases = LoadOrFail();
  ASSERT_FALSE(cases.empty());
  std::map<std::string, Tally> tallies;
  Tally all;
  for (const LabelledCase& c : cases) {
    // The case's input among other values of a typical request, some of
    // which occur in the path too.
    const Input inputs[] = {
        {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "header.user-agent"},
        {"en-US,en;q=0.9", "header.accept-language"},
        {c.input, "query.file"},
        {"1", "query.page"},
        {"uploads", "query.folder"},
        {"5f3c9a7e-1b2d-4c8e-9f00-aa11bb22cc33", "cookie.session"},
    };
    const std::vector<std::string_view> roots(c.roots.begin(), c.roots.end());
    Finding f;
    const Verdict v = Detect(c.path, inputs, roots, Limits(), &f);
    ASSERT_NE(v, Verdict::kLimitExceeded) << "line " << c.line;
    const bool flagged = v == Verdict::kTraversal;
    EXPECT_EQ(flagged, c.attack)
        << "cases.tsv:" << c.line << " [" << c.family << "] expected "
        << (c.attack ? "attack" : "benign") << "\n  path:   " << Printable(c.path)
        << "\n  input:  " << Printable(c.input) << "\n  reason: " << f.Reason();
    if (flagged) {
      EXPECT_EQ(f.input_index, 2u) << "cases.tsv:" << c.line << " blamed " << f.source;
      EXPECT_FALSE(f.Reason().empty());
      EXPECT_LE(f.end, c.path.size());
    }
    for (Tally* t : {&tallies[c.family + (c.attack ? " (attack)" : " (benign)")], &all}) {
      if (c.attack) {
        ++t->attacks;
        t->detected += flagged;
      } else {
        ++t->benign;
        t->false_positives += flagged;
      }
    }
  }
  std::printf("\nPath-traversal cases (%zu):\n", cases.size());
  for (const auto& [family, t] : tallies) {
    if (t.attacks) std::printf("  %-28s detected %3d/%3d\n", family.c_str(), t.detected, t.attacks);
    if (t.benign) std::printf("  %-28s flagged  %3d/%3d\n", family.c_str(), t.false_positives, t.benign);
  }
  std::printf("  all: attacks detected %d/%d, benign flagged %d/%d\n\n", all.detected, all.attacks,
              all.false_positives, all.benign);
}

}  // namespace
}  // namespace vigil::path
