// Copyright Vigil authors.
//
// Runs every labelled case of cases/cases.tsv through DetectShell() or
// DetectArgv() with the input among a handful of unrelated request values,
// asserts each label, and prints the detection rate and the false positives
// per sink.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "case_file.h"
#include "shell/shell.h"

namespace vigil::shell {
namespace {

using testing::LabelledCase;
using testing::Sink;

std::vector<LabelledCase> LoadOrFail() {
  std::vector<LabelledCase> cases;
  std::string error;
  EXPECT_TRUE(testing::LoadCases(VIGIL_SHELL_CASES_FILE, &cases, &error)) << error;
  return cases;
}

const char* SinkName(Sink s) { return s == Sink::kShell ? "shell" : "argv"; }

struct Tally {
  int attacks = 0, detected = 0, benign = 0, false_positives = 0;
};

TEST(Cases, FileIsLargeAndCoversTheFamilies) {
  const std::vector<LabelledCase> cases = LoadOrFail();
  EXPECT_GE(cases.size(), 300u);
  std::set<std::string> attack_families, benign_families;
  for (const LabelledCase& c : cases) (c.attack ? attack_families : benign_families).insert(c.family);
  for (const char* f : {"separator", "background", "andor", "pipe", "substitution", "backtick",
                        "ifs", "expansion", "redirection", "newline", "glob", "brace", "tilde",
                        "comment", "subshell", "group", "words", "option", "program", "heredoc",
                        "quote-escape", "argv-shell", "argv-option", "argv-program"}) {
    EXPECT_TRUE(attack_families.count(f)) << "no attack of family " << f;
  }
  for (const char* f : {"name", "dots", "unicode", "prose", "number", "email", "date", "url",
                        "hostname", "identifier", "apostrophe", "dollar-prose", "quoted-payload",
                        "reserved-word", "argv-arg"}) {
    EXPECT_TRUE(benign_families.count(f)) << "no benign case of family " << f;
  }
}

Verdict RunCase(const LabelledCase& c, Finding* f) {
  // The case's input among other values of a typical request, some of which
  // occur in commands too.
  const Input inputs[] = {
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "header.user-agent"},
      {"en-US,en;q=0.9", "header.accept-language"},
      {c.input, "query.q"},
      {"1", "query.page"},
      {"out", "query.format"},
      {"5f3c9a7e-1b2d-4c8e-9f00-aa11bb22cc33", "cookie.session"},
  };
  if (c.sink == Sink::kShell) return DetectShell(c.command, inputs, Limits(), f);
  const std::vector<std::string_view> argv = c.ArgvViews();
  return DetectArgv(argv, inputs, Limits(), f);
}

std::string Shown(const LabelledCase& c) {
  std::string s = c.sink == Sink::kShell ? c.command : std::string();
  for (const std::string& a : c.argv) s += "[" + a + "] ";
  return s;
}

TEST(Cases, EveryLabelHolds) {
  const std::vector<LabelledCase> cases = LoadOrFail();
  ASSERT_FALSE(cases.empty());
  std::map<Sink, Tally> tallies;
  for (const LabelledCase& c : cases) {
    Finding f;
    const Verdict v = RunCase(c, &f);
    ASSERT_NE(v, Verdict::kLimitExceeded) << "line " << c.line;
    const bool flagged = v == Verdict::kInjection;
    EXPECT_EQ(flagged, c.attack)
        << "cases.tsv:" << c.line << " [" << SinkName(c.sink) << ", " << c.family << "] expected "
        << (c.attack ? "attack" : "benign") << "\n  command: " << Shown(c)
        << "\n  input:   " << c.input << "\n  reason:  " << f.Reason();
    if (flagged) {
      EXPECT_EQ(f.input_index, 2u) << "cases.tsv:" << c.line << " blamed " << f.source;
      EXPECT_FALSE(f.Reason().empty());
    }
    Tally& t = tallies[c.sink];
    if (c.attack) {
      ++t.attacks;
      t.detected += flagged;
    } else {
      ++t.benign;
      t.false_positives += flagged;
    }
  }
  Tally all;
  std::printf("\nCommand-injection cases (%zu):\n", cases.size());
  for (const auto& [sink, t] : tallies) {
    std::printf("  %-6s detected %3d/%3d attacks (%.1f%%), false positives %d/%d benign\n",
                SinkName(sink), t.detected, t.attacks,
                100.0 * t.detected / (t.attacks ? t.attacks : 1), t.false_positives, t.benign);
    all.attacks += t.attacks;
    all.detected += t.detected;
    all.benign += t.benign;
    all.false_positives += t.false_positives;
  }
  std::printf("  all    detected %3d/%3d attacks (%.1f%%), false positives %d/%d benign\n\n",
              all.detected, all.attacks, 100.0 * all.detected / (all.attacks ? all.attacks : 1),
              all.false_positives, all.benign);
}

}  // namespace
}  // namespace vigil::shell
