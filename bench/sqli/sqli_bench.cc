// Copyright Vigil authors.
//
// vigil-bench-sqli: the cost of the SQL-injection check for one statement,
// Vigil's Detect() beside libinjection (input-only detection: every request
// input through libinjection_sqli, the approach of WAFs), and both
// detectors' rates on the labelled cases.
//
// Scenarios: for each dialect, one typical statement (150-250 bytes) built
// from a request of 5, 20 or 50 inputs, some of which the application
// inserted into the statement; "benign" as is, "attack" with the last input
// an injection the application inserted too. Both detectors see the same
// inputs in the same order and stop at their first positive.
//
// Defaults: 10 repetitions, aggregates only; the summary at the end gives
// each scenario's median per statement and the ratio. Any Google Benchmark
// flag overrides the defaults.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "case_file.h"
#include "sqli/sqli.h"

#if VIGIL_SQLI_HAVE_LIBINJECTION
extern "C" int libinjection_sqli(const char* s, size_t slen, char fingerprint[]);
extern "C" const char* libinjection_version(void);
#endif

namespace {

using vigil::sqli::Detect;
using vigil::sqli::Dialect;
using vigil::sqli::DialectName;
using vigil::sqli::Finding;
using vigil::sqli::Input;
using vigil::sqli::Limits;
using vigil::sqli::Verdict;

struct Scenario {
  std::string name;
  Dialect dialect;
  bool attack;
  std::string statement;
  std::vector<std::string> values;
  std::vector<std::string> sources;
  std::vector<Input> inputs;  // views of values/sources
};

// Values of a typical request that the application does not put in SQL:
// headers, cookies, unrelated parameters.
const char* const kNoise[][2] = {
    {"header.user-agent",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36"},
    {"header.accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"header.accept-language", "en-US,en;q=0.9,fr;q=0.8"},
    {"header.accept-encoding", "gzip, deflate, br"},
    {"header.referer", "https://shop.example.com/account/orders?page=2&sort=date"},
    {"cookie.session", "9f2c4e7a1b3d5f60718293a4b5c6d7e8"},
    {"cookie.csrftoken", "Zx8vQ2mN4pL6rT1yU3wE5sD7fG9hJ0kA"},
    {"cookie._ga", "GA1.2.1234567890.1700000000"},
    {"cookie.theme", "dark"},
    {"query.utm_source", "newsletter"},
    {"query.utm_campaign", "spring_sale_2024"},
    {"header.x-request-id", "3b1f8e2a-9c4d-4e6f-8a7b-1c2d3e4f5a6b"},
    {"header.x-forwarded-for", "203.0.113.42, 10.0.0.3"},
    {"body.comment", "Great service, would order again. Delivery was quick!"},
    {"body.newsletter", "true"},
    {"query.lang", "en"},
    {"header.sec-ch-ua", "\"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\""},
    {"header.sec-ch-ua-platform", "\"Windows\""},
    {"cookie.cart", "{\"items\":[{\"sku\":\"A-100\",\"qty\":2}],\"coupon\":null}"},
    {"query.q", "blue cotton shirt"},
};

struct Template {
  Dialect dialect;
  const char* sql;  // {0} {1} ... are the inserted inputs
  std::vector<std::pair<const char*, const char*>> inserted;  // source, value
  const char* attack_source;
  const char* attack_value;  // replaces the last inserted input
};

std::vector<Template> Templates() {
  return {
      {Dialect::kSqlite,
       "SELECT id, name, email, created_at FROM users WHERE org_id = {0} AND status = '{1}' "
       "AND email LIKE '%{4}%' ORDER BY {2} DESC LIMIT {3}",
       {{"path.org", "4711"}, {"query.status", "active"}, {"query.sort", "created_at"},
        {"query.limit", "25"}, {"body.email", "alice.smith@example.com"}},
       "body.email", "x%' UNION SELECT name, sql, 1, 2 FROM sqlite_master -- "},
      {Dialect::kPostgres,
       "SELECT o.id, o.total, o.currency, c.name FROM orders o JOIN customers c ON c.id = "
       "o.customer_id WHERE o.status = '{1}' AND o.created_at >= '{0}' AND c.email = '{4}' "
       "ORDER BY o.{2} LIMIT {3}",
       {{"query.since", "2024-01-05"}, {"query.status", "shipped"}, {"query.sort", "total"},
        {"query.limit", "50"}, {"body.email", "bob@example.org"}},
       "body.email", "x' AND 1=CAST((SELECT version()) AS int) -- "},
      {Dialect::kMysql,
       "UPDATE profiles SET display_name = '{0}', bio = '{1}', updated_at = NOW() WHERE "
       "user_id = {2} AND tenant = '{3}' AND email = '{4}'",
       {{"body.display_name", "Zoë Müller"}, {"body.bio", "I like hiking, coffee and SQL."},
        {"path.user", "1042"}, {"header.x-tenant", "acme"},
        {"body.email", "zoe.mueller@example.net"}},
       "body.email", "x' OR SLEEP(5) OR '"},
  };
}

std::string Build(const Template& t, const std::vector<std::string>& values) {
  std::string s = t.sql;
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string key = "{" + std::to_string(i) + "}";
    const size_t at = s.find(key);
    if (at != std::string::npos) s.replace(at, key.size(), values[i]);
  }
  return s;
}

std::vector<Scenario> MakeScenarios() {
  std::vector<Scenario> out;
  for (const Template& t : Templates()) {
    for (bool attack : {false, true}) {
      for (size_t n : {5u, 20u, 50u}) {
        Scenario s;
        s.dialect = t.dialect;
        s.attack = attack;
        std::vector<std::string> inserted;
        for (const auto& [source, value] : t.inserted) inserted.push_back(value);
        if (attack) inserted.back() = t.attack_value;
        s.statement = Build(t, inserted);
        // The inserted inputs but the last come first, then unrelated
        // values, then the last inserted one (the attack, if any).
        for (size_t i = 0; i + 1 < t.inserted.size(); ++i) {
          s.sources.push_back(t.inserted[i].first);
          s.values.push_back(inserted[i]);
        }
        for (size_t k = 0; s.values.size() + 1 < n; ++k) {
          const auto& noise = kNoise[k % (sizeof kNoise / sizeof kNoise[0])];
          s.sources.push_back(std::string(noise[0]) + (k >= 20 ? "." + std::to_string(k) : ""));
          s.values.push_back(k >= 20 ? std::string(noise[1]) + "-" + std::to_string(k) : noise[1]);
        }
        s.sources.push_back(t.inserted.back().first);
        s.values.push_back(inserted.back());
        for (size_t i = 0; i < s.values.size(); ++i) s.inputs.push_back({s.values[i], s.sources[i]});
        s.name = std::string(DialectName(t.dialect)) + "/" + (attack ? "attack" : "benign") + "/" +
                 std::to_string(n) + "_inputs";
        out.push_back(std::move(s));
      }
    }
  }
  return out;
}

void BM_Vigil(benchmark::State& state, const Scenario* s) {
  const Limits limits;
  Finding f;
  Verdict v = Verdict::kNoInjection;
  for (auto _ : state) {
    v = Detect(s->statement, s->dialect, s->inputs, limits, &f);
    benchmark::DoNotOptimize(v);
    benchmark::DoNotOptimize(f);
  }
  if ((v == Verdict::kInjection) != s->attack) {
    static std::string message;  // SkipWithError keeps the pointer
    message = "wrong verdict: " + std::string(f.Reason()) + " in " + s->statement;
    state.SkipWithError(message.c_str());
  }
  state.counters["bytes"] = static_cast<double>(s->statement.size());
}

#if VIGIL_SQLI_HAVE_LIBINJECTION
bool LibinjectionAny(const std::vector<Input>& inputs) {
  char fingerprint[8];
  for (const Input& in : inputs) {
    if (libinjection_sqli(in.value.data(), in.value.size(), fingerprint)) return true;
  }
  return false;
}

void BM_Libinjection(benchmark::State& state, const Scenario* s) {
  bool found = false;
  for (auto _ : state) {
    found = LibinjectionAny(s->inputs);
    benchmark::DoNotOptimize(found);
  }
  state.counters["found"] = found ? 1 : 0;
}
#endif

// --- Detection rates on the labelled cases ----------------------------------------

void PrintRates() {
  std::vector<vigil::sqli::testing::LabelledCase> cases;
  std::string error;
  if (!vigil::sqli::testing::LoadCases(VIGIL_SQLI_CASES_FILE, &cases, &error)) {
    std::printf("cases: %s\n", error.c_str());
    return;
  }
  struct Counts {
    int attacks = 0, benign = 0, vigil_tp = 0, vigil_fp = 0, li_tp = 0, li_fp = 0;
  };
  std::map<std::string, Counts> by_dialect;
  Counts all;
  for (const auto& c : cases) {
    const Input in[] = {{c.input, "query.q"}};
    const bool vigil = Detect(c.statement, c.dialect, in, Limits(), nullptr) == Verdict::kInjection;
    bool li = false;
#if VIGIL_SQLI_HAVE_LIBINJECTION
    char fp[8];
    li = libinjection_sqli(c.input.data(), c.input.size(), fp) != 0;
#endif
    for (Counts* k : {&by_dialect[std::string(DialectName(c.dialect))], &all}) {
      if (c.attack) {
        ++k->attacks;
        k->vigil_tp += vigil;
        k->li_tp += li;
      } else {
        ++k->benign;
        k->vigil_fp += vigil;
        k->li_fp += li;
      }
    }
  }
  std::printf("Labelled cases (%s): %zu\n", VIGIL_SQLI_CASES_FILE, cases.size());
#if VIGIL_SQLI_HAVE_LIBINJECTION
  std::printf("libinjection %s (from libmodsecurity), input-only\n", libinjection_version());
#else
  std::printf("libinjection: not available (install libmodsecurity-dev)\n");
#endif
  std::printf("  %-9s %-28s %-28s\n", "dialect", "vigil: detected / FP", "libinjection: detected / FP");
  auto row = [](const char* name, const Counts& k) {
    char a[64], b[64];
    std::snprintf(a, sizeof a, "%d/%d (%.1f%%) / %d", k.vigil_tp, k.attacks,
                  100.0 * k.vigil_tp / (k.attacks ? k.attacks : 1), k.vigil_fp);
    std::snprintf(b, sizeof b, "%d/%d (%.1f%%) / %d", k.li_tp, k.attacks,
                  100.0 * k.li_tp / (k.attacks ? k.attacks : 1), k.li_fp);
    std::printf("  %-9s %-28s %-28s (of %d benign)\n", name, a, b, k.benign);
  };
  for (const auto& [name, k] : by_dialect) row(name.c_str(), k);
  row("all", all);
  std::printf("\n");
}

// --- Summary: medians side by side -----------------------------------------------------

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
    std::printf("\nMedian per statement, ns: wall clock (CPU time)\n");
    std::printf("  %-26s %18s %18s %12s\n", "scenario", "vigil", "libinjection", "ratio (CPU)");
    for (const Scenario& s : scenarios) {
      const Times v = Find("vigil/" + s.name);
      const Times l = Find("libinjection/" + s.name);
      char vs[48] = "-", ls[48] = "-", ratio[32] = "-";
      if (v.cpu > 0) std::snprintf(vs, sizeof vs, "%.0f (%.0f)", v.real, v.cpu);
      if (l.cpu > 0) std::snprintf(ls, sizeof ls, "%.0f (%.0f)", l.real, l.cpu);
      if (v.cpu > 0 && l.cpu > 0) std::snprintf(ratio, sizeof ratio, "%.2fx", l.cpu / v.cpu);
      std::printf("  %-26s %18s %18s %12s\n", s.name.c_str(), vs, ls, ratio);
    }
    std::printf("  ratio = libinjection / vigil (above 1: vigil is faster). On a loaded machine\n"
                "  the wall clock includes waiting for a core; CPU time does not.\n");
  }

 private:
  struct Times {
    double real = 0, cpu = 0;
  };
  Times Find(const std::string& name) const {
    for (const auto& [key, value] : medians_) {
      if (key == name || key.rfind(name + "/", 0) == 0) return value;
    }
    return {};
  }
  std::map<std::string, Times> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  PrintRates();

  static const std::vector<Scenario> scenarios = MakeScenarios();
  for (const Scenario& s : scenarios) {
    benchmark::RegisterBenchmark(("vigil/" + s.name).c_str(), BM_Vigil, &s);
#if VIGIL_SQLI_HAVE_LIBINJECTION
    benchmark::RegisterBenchmark(("libinjection/" + s.name).c_str(), BM_Libinjection, &s);
#endif
  }

  // Defaults first, so that the caller's flags win.
  std::vector<char*> args = {argv[0]};
  static char reps[] = "--benchmark_repetitions=10";
  static char aggregates[] = "--benchmark_report_aggregates_only=true";
  static char min_time[] = "--benchmark_min_time=" VIGIL_SQLI_BENCH_MIN_TIME;
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
