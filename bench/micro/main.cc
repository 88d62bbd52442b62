// Copyright Vigil authors.
//
// vigil-bench-micro: what one call through a Vigil hook point costs, measured
// in one run next to a plain call and to the other ways of instrumenting every
// function (LLVM XRay, -finstrument-functions).
//
// Every variant calls the same tiny function (work.cc), compiled once per
// variant into its own object with that variant's compiler and flags. This
// file is compiled plainly: the loops below are identical for all variants but
// for the function they call directly.
//
//   vigil-bench-micro [Google Benchmark flags] [--vbench_summary=FILE]
//       Runs the benchmarks, then prints a table of ns per call, the
//       difference to the plain call and the ratio, against Vigil's targets.
//       FILE receives the same figures as key=value lines (for bench/run.sh).
//
//   valgrind --tool=callgrind vigil-bench-micro --vbench_callgrind=N
//       Instead of timing, runs N calls of each variant between callgrind
//       client requests, dumping one profile per variant (named after it).
//       Instruction counts do not depend on the machine's load, which makes
//       them a noise-free second view (bench/run.sh does the arithmetic).
//
// Exits non-zero if a variant could not run (e.g. attaching failed); the
// bench/smoke test relies on that, and never on a time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "vigil/hook.h"
#include "vigil/vigil.h"
#include "work.h"

#if VBENCH_HAVE_XRAY
#include <xray/xray_interface.h>
#endif
#if VBENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

// -finstrument-functions calls these around every call of WorkCyg. Trivial on
// purpose: the variant measures the mechanism, not a profiler. This file is
// not compiled with -finstrument-functions, so they are not instrumented.
extern "C" {
void __cyg_profile_func_enter(void* fn, void* call_site) {}
void __cyg_profile_func_exit(void* fn, void* call_site) {}
}

namespace {

using vbench::WorkSig;

// The measured loop. The result of each call feeds the next one, so calls
// cannot overlap and each iteration is one call's latency (plus the loop's
// own increment and branch, the same for all variants).
template <uint32_t (*Work)(uint32_t)>
void TimedLoop(benchmark::State& state) {
  uint32_t x = 1;
  for (auto _ : state) {
    x = Work(x);
    benchmark::DoNotOptimize(x);
  }
}

// The same loop for a fixed number of calls (callgrind mode).
template <uint32_t (*Work)(uint32_t)>
uint32_t CountedLoop(uint64_t calls) {
  uint32_t x = 1;
  for (uint64_t i = 0; i < calls; ++i) {
    x = Work(x);
    benchmark::DoNotOptimize(x);
  }
  return x;
}

// ---------------------------------------------------------------------------
// Setting up each variant. A setup returns "" or why the variant cannot run.
// ---------------------------------------------------------------------------

std::string NoSetup() { return ""; }
void NoTeardown() {}

// Vigil, attached: a no-op prolog through the C++ API (the target), or
// through the C API (for comparison).
vigil::Attachment g_attachment;
vigil_attachment g_c_attachment = 0;

// Proves the hook point is armed: the runtime counts calls that ran callbacks.
std::string CheckVigilArmed() {
  vigil::StatusOr<vigil::HookStats> before = vigil::GetHookStats(vbench::kVigilHookName);
  benchmark::DoNotOptimize(vbench::WorkVigil(7));
  vigil::StatusOr<vigil::HookStats> after = vigil::GetHookStats(vbench::kVigilHookName);
  if (!before.ok()) return before.status().message();
  if (!after.ok()) return after.status().message();
  if (after->calls <= before->calls) return "attached, but a call did not run the prolog";
  return "";
}

std::string AttachNoopCpp() {
  vigil::StatusOr<vigil::Attachment> a = vigil::AttachProlog<WorkSig>(
      vbench::kVigilHookName, [](vigil::Call<WorkSig>&) {});
  if (!a.ok()) return "vigil::AttachProlog: " + a.status().message();
  g_attachment = *a;
  return CheckVigilArmed();
}
void DetachNoopCpp() {
  (void)vigil::Detach(g_attachment);
  g_attachment = vigil::Attachment();
}

void NoopCProlog(vigil_call*, void*) {}
std::string AttachNoopC() {
  vigil_callbacks cb = {};
  cb.prolog = NoopCProlog;
  if (vigil_attach(vbench::kVigilHookName, &cb, &g_c_attachment) != VIGIL_OK)
    return std::string("vigil_attach: ") + vigil_last_error();
  return CheckVigilArmed();
}
void DetachNoopC() {
  (void)vigil_detach(g_c_attachment);
  g_c_attachment = 0;
}

#if VBENCH_HAVE_XRAY
// XRay, patched: every sled of the binary (only WorkXray has them) calls a
// no-op handler.
int g_xray_events = 0;
void CountingXrayHandler(int32_t, XRayEntryType) { ++g_xray_events; }
void NoopXrayHandler(int32_t, XRayEntryType) {}

std::string PatchXray() {
  __xray_set_handler(CountingXrayHandler);
  if (__xray_patch() != XRayPatchingStatus::SUCCESS) return "__xray_patch failed";
  g_xray_events = 0;
  benchmark::DoNotOptimize(vbench::WorkXray(7));
  const int events = g_xray_events;
  __xray_set_handler(NoopXrayHandler);
  if (events != 2) {
    return "XRay patched, but one call raised " + std::to_string(events) +
           " events instead of entry and exit";
  }
  return "";
}
void UnpatchXray() {
  __xray_unpatch();
  __xray_remove_handler();
}
#endif

// ---------------------------------------------------------------------------
// The variants, in the order they are reported.
// ---------------------------------------------------------------------------

struct Variant {
  const char* name;   // benchmark name and summary key
  const char* label;  // what the summary table says
  void (*timed)(benchmark::State&);
  uint32_t (*counted)(uint64_t);
  std::string (*setup)();
  void (*teardown)();
  double target_ns;   // target for the cost over plain; < 0: none
};

const std::vector<Variant>& Variants() {
  static const std::vector<Variant> v = {
      {"plain", "plain call", TimedLoop<vbench::WorkPlain>,
       CountedLoop<vbench::WorkPlain>, NoSetup, NoTeardown, -1},
      {"vigil_detached", "vigil, detached", TimedLoop<vbench::WorkVigil>,
       CountedLoop<vbench::WorkVigil>, NoSetup, NoTeardown, 0.5},
      {"vigil_attached_noop", "vigil, no-op prolog (C++ API)",
       TimedLoop<vbench::WorkVigil>, CountedLoop<vbench::WorkVigil>, AttachNoopCpp,
       DetachNoopCpp, 5.0},
      {"vigil_attached_noop_c", "vigil, no-op prolog (C API)",
       TimedLoop<vbench::WorkVigil>, CountedLoop<vbench::WorkVigil>, AttachNoopC,
       DetachNoopC, -1},
#if VBENCH_HAVE_XRAY
      {"xray_unpatched", "xray, unpatched", TimedLoop<vbench::WorkXray>,
       CountedLoop<vbench::WorkXray>, NoSetup, NoTeardown, -1},
      {"xray_patched", "xray, patched, no-op handler", TimedLoop<vbench::WorkXray>,
       CountedLoop<vbench::WorkXray>, PatchXray, UnpatchXray, -1},
#endif
      {"finstrument_functions", "-finstrument-functions", TimedLoop<vbench::WorkCyg>,
       CountedLoop<vbench::WorkCyg>, NoSetup, NoTeardown, -1},
  };
  return v;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Prints Google Benchmark's usual lines, then the summary table.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  // Google Benchmark applies --benchmark_color only to its own reporter: ours
  // colours a terminal and nothing else.
  explicit SummaryReporter(std::string summary_path)
      : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Color : OO_None),
        summary_path_(std::move(summary_path)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    // With repetitions, show only their aggregates (the summary below uses
    // the repetitions themselves).
    std::vector<Run> shown;
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Aggregate || run.repetitions <= 1 || run.error_occurred)
        shown.push_back(run);
    }
    if (!shown.empty()) ConsoleReporter::ReportRuns(shown);
    for (const Run& run : runs) {
      const std::string& name = run.run_name.function_name;
      if (run.error_occurred) {
        errors_[name] = run.error_message;
        continue;
      }
      if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
      // CPU time, so that waiting for a core on a shared machine does not count.
      ns_per_call_[name].push_back(run.GetAdjustedCPUTime() *
                                   NsPerUnit(run.time_unit));
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::FILE* out = stdout;
    std::fflush(out);
    std::string kv;
    const auto plain_it = ns_per_call_.find("plain");
    const double plain =
        plain_it == ns_per_call_.end() ? 0 : Median(plain_it->second);
    size_t reps = 0;
    for (const auto& [name, v] : ns_per_call_) reps = std::max(reps, v.size());

    std::fprintf(out, "\nPer call (CPU time, median of %zu repetition%s):\n", reps,
                 reps == 1 ? "" : "s");
    std::fprintf(out, "  %-32s %9s %12s %8s   %s\n", "variant", "ns/call", "over plain",
                 "ratio", "target (over plain)");
    for (const Variant& v : Variants()) {
      if (auto e = errors_.find(v.name); e != errors_.end()) {
        std::fprintf(out, "  %-32s  did not run: %s\n", v.label, e->second.c_str());
        kv += std::string("micro.") + v.name + ".error=" + e->second + "\n";
        continue;
      }
      auto it = ns_per_call_.find(v.name);
      if (it == ns_per_call_.end()) continue;  // filtered out
      const double ns = Median(it->second);
      char line[256];
      std::snprintf(line, sizeof line, "micro.%s.ns=%.3f\n", v.name, ns);
      kv += line;
      if (std::strcmp(v.name, "plain") == 0 || plain <= 0) {
        std::fprintf(out, "  %-32s %9.2f %12s %7.2fx\n", v.label, ns, "-", 1.0);
        continue;
      }
      const double over = ns - plain;
      std::snprintf(line, sizeof line, "micro.%s.over_ns=%.3f\nmicro.%s.ratio=%.3f\n",
                    v.name, over, v.name, ns / plain);
      kv += line;
      char target[64] = "";
      if (v.target_ns >= 0) {
        const bool met = over <= v.target_ns;
        std::snprintf(target, sizeof target, "<= +%.1f ns: %s", v.target_ns,
                      met ? "met" : "MISSED");
        std::snprintf(line, sizeof line, "micro.%s.target_ns=%.1f\nmicro.%s.met=%d\n",
                      v.name, v.target_ns, v.name, met ? 1 : 0);
        kv += line;
      }
      std::fprintf(out, "  %-32s %9.2f %+9.2f ns %7.2fx   %s\n", v.label, ns, over,
                   ns / plain, target);
    }
    std::fflush(out);
    if (!summary_path_.empty()) {
      std::ofstream f(summary_path_);
      f << "micro.repetitions=" << reps << "\n" << kv;
      if (!f) std::fprintf(stderr, "cannot write %s\n", summary_path_.c_str());
    }
  }

  bool had_errors() const { return !errors_.empty(); }

 private:
  static double NsPerUnit(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kSecond: return 1e9;
      case benchmark::kMillisecond: return 1e6;
      case benchmark::kMicrosecond: return 1e3;
      default: return 1;
    }
  }

  std::string summary_path_;
  std::map<std::string, std::vector<double>> ns_per_call_;
  std::map<std::string, std::string> errors_;
};

int RunUnderCallgrind(uint64_t calls) {
#if VBENCH_HAVE_CALLGRIND
  if (!RUNNING_ON_VALGRIND) {
    std::fprintf(stderr,
                 "--vbench_callgrind: run under valgrind --tool=callgrind; nothing "
                 "is measured otherwise\n");
  }
  int failures = 0;
  for (const Variant& v : Variants()) {
    const std::string error = v.setup();
    if (!error.empty()) {
      std::fprintf(stderr, "%s: did not run: %s\n", v.name, error.c_str());
      ++failures;
      continue;
    }
    v.counted(calls / 100);  // warm up: first calls, lazy binding
    CALLGRIND_ZERO_STATS;
    const uint32_t x = v.counted(calls);
    CALLGRIND_DUMP_STATS_AT(v.name);
    v.teardown();
    std::printf("%s: %" PRIu64 " calls (x=%u)\n", v.name, calls, x);
  }
  return failures == 0 ? 0 : 1;
#else
  std::fprintf(stderr, "built without valgrind/callgrind.h: no callgrind mode\n");
  return 2;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  // Our own flags first; Google Benchmark rejects the ones it does not know.
  std::string summary_path;
  uint64_t callgrind_calls = 0;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--vbench_summary=")) {
      summary_path = std::string(arg.substr(std::strlen("--vbench_summary=")));
    } else if (arg.starts_with("--vbench_callgrind=")) {
      callgrind_calls = std::strtoull(argv[i] + std::strlen("--vbench_callgrind="),
                                      nullptr, 10);
      if (callgrind_calls == 0) {
        std::fprintf(stderr, "--vbench_callgrind=N needs N > 0\n");
        return 2;
      }
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (callgrind_calls > 0) return RunUnderCallgrind(callgrind_calls);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  for (const Variant& v : Variants()) {
    benchmark::RegisterBenchmark(v.name, [&v](benchmark::State& state) {
      const std::string error = v.setup();
      if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
      }
      v.timed(state);
      v.teardown();
    })->Unit(benchmark::kNanosecond);
  }

  SummaryReporter reporter(summary_path);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return reporter.had_errors() ? 1 : 0;
}
