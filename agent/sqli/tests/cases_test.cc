// Copyright Vigil authors.
//
// Runs every labelled case of cases/cases.tsv through Detect() with the
// input among a handful of unrelated request values, asserts each label,
// and prints the detection rate and the false positives per dialect.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "case_file.h"
#include "sqli/sqli.h"

namespace vigil::sqli {
namespace {

using testing::LabelledCase;

std::vector<LabelledCase> LoadOrFail() {
  std::vector<LabelledCase> cases;
  std::string error;
  EXPECT_TRUE(testing::LoadCases(VIGIL_SQLI_CASES_FILE, &cases, &error)) << error;
  return cases;
}

struct Tally {
  int attacks = 0, detected = 0, benign = 0, false_positives = 0;
};

TEST(Cases, FileIsLargeAndCoversTheFamilies) {
  const std::vector<LabelledCase> cases = LoadOrFail();
  EXPECT_GE(cases.size(), 300u);
  std::map<Dialect, std::set<std::string>> families;
  std::map<Dialect, int> attacks, benign;
  for (const LabelledCase& c : cases) {
    families[c.dialect].insert(c.family);
    (c.attack ? attacks : benign)[c.dialect]++;
  }
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres, Dialect::kMysql}) {
    EXPECT_GE(attacks[d], 50) << DialectName(d);
    EXPECT_GE(benign[d], 50) << DialectName(d);
    for (const char* f : {"tautology", "union", "stacked", "comment", "time", "error", "oob",
                          "blind", "name", "escaped", "prose", "email", "json", "url", "number",
                          "order", "like", "unicode", "list"}) {
      EXPECT_TRUE(families[d].count(f)) << DialectName(d) << " lacks family " << f;
    }
  }
}

TEST(Cases, EveryLabelHolds) {
  const std::vector<LabelledCase> cases = LoadOrFail();
  ASSERT_FALSE(cases.empty());
  std::map<Dialect, Tally> tallies;
  for (const LabelledCase& c : cases) {
    // The case's input among other values of a typical request, some of
    // which occur in the statement too.
    const Input inputs[] = {
        {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "header.user-agent"},
        {"en-US,en;q=0.9", "header.accept-language"},
        {c.input, "query.q"},
        {"1", "query.page"},
        {"id", "query.sort"},
        {"5f3c9a7e-1b2d-4c8e-9f00-aa11bb22cc33", "cookie.session"},
    };
    Finding f;
    const Verdict v = Detect(c.statement, c.dialect, inputs, Limits(), &f);
    ASSERT_NE(v, Verdict::kLimitExceeded) << "line " << c.line;
    const bool flagged = v == Verdict::kInjection;
    char marked[512];
    RenderMarked(c.statement, f, marked);
    EXPECT_EQ(flagged, c.attack)
        << "cases.tsv:" << c.line << " [" << DialectName(c.dialect) << ", " << c.family
        << "] expected " << (c.attack ? "attack" : "benign") << "\n  statement: " << c.statement
        << "\n  input:     " << c.input << "\n  reason:    " << f.Reason()
        << "\n  marked:    " << marked;
    if (flagged) {
      EXPECT_EQ(f.input_index, 2u) << "cases.tsv:" << c.line << " blamed " << f.source;
      EXPECT_FALSE(f.Reason().empty());
    }
    Tally& t = tallies[c.dialect];
    if (c.attack) {
      ++t.attacks;
      t.detected += flagged;
    } else {
      ++t.benign;
      t.false_positives += flagged;
    }
  }
  Tally all;
  std::printf("\nSQL-injection cases (%zu):\n", cases.size());
  for (const auto& [dialect, t] : tallies) {
    std::printf("  %-9s detected %3d/%3d attacks (%.1f%%), false positives %d/%d benign\n",
                std::string(DialectName(dialect)).c_str(), t.detected, t.attacks,
                100.0 * t.detected / (t.attacks ? t.attacks : 1), t.false_positives, t.benign);
    all.attacks += t.attacks;
    all.detected += t.detected;
    all.benign += t.benign;
    all.false_positives += t.false_positives;
  }
  std::printf("  all       detected %3d/%3d attacks (%.1f%%), false positives %d/%d benign\n\n",
              all.detected, all.attacks, 100.0 * all.detected / (all.attacks ? all.attacks : 1),
              all.false_positives, all.benign);
}

}  // namespace
}  // namespace vigil::sqli
