// Copyright Vigil authors.
//
// bench/shape: the cost of the attached call path's *shape*, without Vigil's
// work. A function whose entry tests a slot enters a model of the runtime's
// shortcut, which tests a thread-local gate and calls a no-op callback; the
// function then goes on with its argument as the callback left it. Variants,
// side by side in one run:
//
//   plain               the function alone
//   thunk, library      ABI 3: a cold hook thunk spills the argument, builds
//                       argv and calls the entry in a shared library (where
//                       libvigil_rt.so is)
//   thunk, program      the same entry compiled into the program
//   direct, library     ABI 4's direct entry (arguments in registers, spilled
//                       by the entry), in a shared library
//   direct, program     ABI 4: the direct entry linked into the program, its
//                       thread state in the shared library (libvigil_entry.a)
//   ..., agent's case   the same with the callback in a shared library, where
//                       the agent's are
//
// The loop feeds each result into the next call, as bench/micro does. Prints
// CPU ns per call (median of interleaved rounds) and the cost over plain.
// Code placement moves these figures by up to a nanosecond from one build to
// the next; compare variants within a run.
//
//   build/bench/vigil-bench-shape [rounds]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "shape.h"

namespace {

void NoopCallback(void**, void*) { asm volatile(""); }
const ShapeSite g_site{&NoopCallback, nullptr};
const ShapeSite g_site_dso_callback{&shape_noop_in_dso, nullptr};
void* volatile g_slot = const_cast<ShapeSite*>(&g_site);

struct Answer {
  bool done;
  uint32_t arg;
};

template <int (*Enter)(const ShapeSite*, void**)>
[[gnu::noinline, gnu::cold]] Answer Thunk(uint32_t x) {
  uint32_t spill = x;
  void* argv[1] = {&spill};
  const int proceed = Enter(static_cast<const ShapeSite*>(g_slot), argv);
  asm volatile("" ::: "memory");
  return Answer{proceed == 0, spill};
}

[[gnu::noinline, gnu::aligned(64)]] uint32_t Plain(uint32_t x) { return x * 2654435761u + 1; }

template <int (*Enter)(const ShapeSite*, void**)>
[[gnu::noinline, gnu::aligned(64)]] uint32_t ThroughThunk(uint32_t x) {
  if (g_slot != nullptr) [[unlikely]] {
    Answer a = Thunk<Enter>(x);
    if (a.done) return 0;
    x = a.arg;
  }
  return x * 2654435761u + 1;
}

using EnterRegs = ShapeRegs(__attribute__((swiftcall)) *)(uint64_t, uint64_t, uint64_t,
                                                           const ShapeSite*);
template <EnterRegs Enter, const ShapeSite* kSite>
[[gnu::noinline, gnu::aligned(64)]] uint32_t Direct(uint32_t x) {
  if (g_slot != nullptr) [[unlikely]] {
    ShapeRegs r = Enter(x, 0, 0, kSite);
    if (r.done) return 0;
    x = static_cast<uint32_t>(r.x0);
  }
  return x * 2654435761u + 1;
}

using Fn = uint32_t (*)(uint32_t);
struct Variant {
  const char* name;
  Fn fn;
  std::vector<double> ns;
};

// CPU time of the calling thread, as the other benchmarks report: time spent
// waiting for a core on a loaded machine does not count.
double CpuNs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double TimeNs(Fn fn, long calls) {
  uint32_t x = 1;
  const double t0 = CpuNs();
  for (long i = 0; i < calls; ++i) x = fn(x);
  const double t1 = CpuNs();
  if (x == 42) std::puts("");  // keeps the chain alive
  return (t1 - t0) / static_cast<double>(calls);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  const long calls = rounds < 3 ? 100000 : 20000000;
  std::vector<Variant> variants = {
      {"plain", &Plain, {}},
      {"thunk, entry in a shared library", &ThroughThunk<shape_enter_dso>, {}},
      {"thunk, entry in the program", &ThroughThunk<shape_enter_local>, {}},
      {"direct, entry in a shared library", &Direct<shape_enter_dso_regs, &g_site>, {}},
      {"direct, entry in the program", &Direct<shape_enter_copy_regs, &g_site>, {}},
      {"direct, program, agent's case",
       &Direct<shape_enter_copy_regs, &g_site_dso_callback>,
       {}}};
  for (int r = 0; r < rounds; ++r) {
    for (size_t k = 0; k < variants.size(); ++k) {
      Variant& v = variants[(k + r) % variants.size()];  // rotating order
      v.ns.push_back(TimeNs(v.fn, calls));
    }
  }
  const double plain = Median(variants[0].ns);
  std::printf("%-36s %8s %10s\n", "variant", "ns/call", "over plain");
  for (const Variant& v : variants) {
    const double m = Median(v.ns);
    std::printf("%-36s %8.2f %+10.2f\n", v.name, m, m - plain);
  }
  return 0;
}
