// Copyright Vigil authors.
//
// vigil-bench-path: the cost of the path-traversal check for one path, with
// requests of 5, 20 and 50 inputs, and the detector's rates on the labelled
// cases.
//
// Scenarios, for each request size:
//   absent   no input occurs in the path (a static file the service picked);
//   present  the user's file name occurs in the path, benignly;
//   attack   the last input is "../../../../etc/passwd", and the service put
//            it in the path.
// The other inputs are a typical request's headers, cookies and parameters;
// a few are short values ("1", "en") that the path may well contain.
//
// Defaults: 10 repetitions, aggregates only; the summary at the end gives
// each scenario's median per call. Any Google Benchmark flag overrides them.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "case_file.h"
#include "path/path.h"

namespace {

using vigil::path::Detect;
using vigil::path::Finding;
using vigil::path::Input;
using vigil::path::Limits;
using vigil::path::Verdict;

// Values of a typical request that the service does not put in paths.
const char* const kNoise[][2] = {
    {"header.user-agent",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36"},
    {"header.accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"header.accept-language", "en-US,en;q=0.9,fr;q=0.8"},
    {"header.accept-encoding", "gzip, deflate, br"},
    {"header.referer", "https://files.example.com/account/documents?page=2&sort=date"},
    {"cookie.session", "9f2c4e7a1b3d5f60718293a4b5c6d7e8"},
    {"cookie.csrftoken", "Zx8vQ2mN4pL6rT1yU3wE5sD7fG9hJ0kA"},
    {"cookie._ga", "GA1.2.1234567890.1700000000"},
    {"cookie.theme", "dark"},
    {"query.page", "1"},
    {"query.lang", "en"},
    {"query.utm_source", "newsletter"},
    {"header.x-request-id", "3b1f8e2a-9c4d-4e6f-8a7b-1c2d3e4f5a6b"},
    {"header.x-forwarded-for", "203.0.113.42, 10.0.0.3"},
    {"body.comment", "Quarterly figures, second draft. Please review by Friday!"},
    {"query.download", "true"},
    {"header.sec-ch-ua", "\"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\""},
    {"header.sec-ch-ua-platform", "\"Windows\""},
    {"cookie.prefs", "{\"view\":\"grid\",\"size\":48}"},
    {"query.q", "quarterly report"},
};

struct Scenario {
  std::string name;
  bool attack = false;
  std::string path;
  std::vector<std::string> values;
  std::vector<std::string> sources;
  std::vector<Input> inputs;  // views of values/sources
};

constexpr const char* kDir = "/var/www/app/uploads/alice/";
constexpr const char* kFile = "report-2024-Q3.final.pdf";
constexpr const char* kAttack = "../../../../etc/passwd";

Scenario Make(const std::string& kind, size_t n) {
  Scenario s;
  s.attack = kind == "attack";
  s.name = kind + "/" + std::to_string(n) + "_inputs";
  std::string last = kind == "attack" ? kAttack : kFile;
  s.path = kind == "absent" ? "/var/www/app/static/css/main.min.css" : kDir + last;
  for (size_t k = 0; s.values.size() + 1 < n; ++k) {
    const auto& noise = kNoise[k % (sizeof kNoise / sizeof kNoise[0])];
    const bool again = k >= sizeof kNoise / sizeof kNoise[0];
    s.sources.push_back(std::string(noise[0]) + (again ? "." + std::to_string(k) : ""));
    s.values.push_back(again ? std::string(noise[1]) + "-" + std::to_string(k) : noise[1]);
  }
  s.sources.push_back("query.file");
  s.values.push_back(last);
  for (size_t i = 0; i < s.values.size(); ++i) s.inputs.push_back({s.values[i], s.sources[i]});
  return s;
}

std::vector<Scenario> MakeScenarios() {
  std::vector<Scenario> out;
  for (const char* kind : {"absent", "present", "attack"}) {
    for (size_t n : {5u, 20u, 50u}) out.push_back(Make(kind, n));
  }
  return out;
}

// Set when a scenario got the wrong verdict: main() then fails, so that the
// smoke test proves the verdicts too.
bool g_wrong_verdict = false;

void BM_Detect(benchmark::State& state, const Scenario* s) {
  const Limits limits;
  Finding f;
  Verdict v = Verdict::kClean;
  for (auto _ : state) {
    v = Detect(s->path, s->inputs, {}, limits, &f);
    benchmark::DoNotOptimize(v);
    benchmark::DoNotOptimize(f);
  }
  if ((v == Verdict::kTraversal) != s->attack || v == Verdict::kLimitExceeded) {
    g_wrong_verdict = true;
    static std::string message;  // SkipWithError keeps the pointer
    message = "wrong verdict: " + std::string(f.Reason()) + " in " + s->path;
    state.SkipWithError(message.c_str());
  }
  state.counters["bytes"] = static_cast<double>(s->path.size());
}

void PrintRates() {
  std::vector<vigil::path::testing::LabelledCase> cases;
  std::string error;
  if (!vigil::path::testing::LoadCases(VIGIL_PATH_CASES_FILE, &cases, &error)) {
    std::printf("cases: %s\n", error.c_str());
    return;
  }
  int attacks = 0, detected = 0, benign = 0, flagged = 0;
  for (const auto& c : cases) {
    const Input in[] = {{c.input, "query.file"}};
    const std::vector<std::string_view> roots(c.roots.begin(), c.roots.end());
    const bool hit = Detect(c.path, in, roots, Limits(), nullptr) == Verdict::kTraversal;
    if (c.attack) {
      ++attacks;
      detected += hit;
    } else {
      ++benign;
      flagged += hit;
    }
  }
  std::printf("Labelled cases (%s): %zu\n", VIGIL_PATH_CASES_FILE, cases.size());
  std::printf("  attacks detected %d/%d, benign flagged %d/%d\n\n", detected, attacks, flagged,
              benign);
}

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      const bool single = r.run_type == Run::RT_Iteration && r.repetitions <= 1;
      if (median || single) {
        medians_[r.run_name.str()] = {r.GetAdjustedRealTime(), r.GetAdjustedCPUTime()};
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void PrintSummary(const std::vector<Scenario>& scenarios) const {
    std::printf("\nMedian per call, ns: wall clock (CPU time); target 500\n");
    for (const Scenario& s : scenarios) {
      const auto it = FindRun("path/" + s.name);
      if (!it) continue;
      std::printf("  %-22s %8.0f (%.0f)\n", s.name.c_str(), it->real, it->cpu);
    }
  }

 private:
  struct Times {
    double real = 0, cpu = 0;
  };
  const Times* FindRun(const std::string& name) const {
    for (const auto& [key, value] : medians_) {
      if (key == name || key.rfind(name + "/", 0) == 0) return &value;
    }
    return nullptr;
  }
  std::map<std::string, Times> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  PrintRates();

  static const std::vector<Scenario> scenarios = MakeScenarios();
  for (const Scenario& s : scenarios) {
    benchmark::RegisterBenchmark(("path/" + s.name).c_str(), BM_Detect, &s);
  }

  // Defaults first, so that the caller's flags win.
  std::vector<char*> args = {argv[0]};
  static char reps[] = "--benchmark_repetitions=10";
  static char aggregates[] = "--benchmark_report_aggregates_only=true";
  static char min_time[] = "--benchmark_min_time=" VIGIL_PATH_BENCH_MIN_TIME;
  args.push_back(reps);
  args.push_back(aggregates);
  args.push_back(min_time);
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary(scenarios);
  benchmark::Shutdown();
  return g_wrong_verdict ? 1 : 0;
}
