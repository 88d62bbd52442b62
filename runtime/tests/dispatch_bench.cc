// Copyright Vigil authors.
//
// Per-call cost of a hook point declared with fake_site.h: plain call,
// detached (the entry check only), and attached with trivial callbacks.
// Prints nanoseconds per call (best of several runs). Not a test: timings on a
// shared machine are noisy; run it by hand on a quiet one.
//
// Note the attached figures include the fake hook/invoke thunks (argument
// spill and reload), which the plugin's thunks also pay.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "fake_site.h"
#include "vigil/hook.h"
#include "vigil/vigil.h"

namespace {

using vigil::testing::FakeHook;
using vigil::testing::FakeImage;

volatile int g_sink;

[[gnu::noinline]] int Plain(int x) {
  asm volatile("");
  return x + 1;
}

int Hooked(int x);
FakeHook<&Hooked> hooked_hook({.name = "bench::hooked", .symbol = "_ZN5bench6hookedEi"});
[[gnu::noinline]] int Hooked(int x) {
  VIGIL_FAKE_ENTRY(hooked_hook, x);
  asm volatile("");
  return x + 1;
}

template <typename F>
double NsPerCall(F f) {
  constexpr int kCalls = 5'000'000;
  double best = 1e9;
  for (int run = 0; run < 7; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    int acc = 0;
    for (int i = 0; i < kCalls; ++i) acc += f(i);
    auto t1 = std::chrono::steady_clock::now();
    g_sink = acc;
    best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / kCalls);
  }
  return best;
}

}  // namespace

int main() {
  FakeImage image({&hooked_hook});
  image.Register();
  double plain = NsPerCall(Plain);
  double detached = NsPerCall(Hooked);
  std::printf("%-40s %6.2f ns\n", "plain call", plain);
  std::printf("%-40s %6.2f ns  (+%.2f)\n", "detached hook point", detached, detached - plain);

  auto a = vigil::AttachProlog<int(int)>("bench::hooked", [](vigil::Call<int(int)>&) {});
  double one = NsPerCall(Hooked);
  std::printf("%-40s %6.2f ns  (+%.2f)\n", "attached, one no-op prolog", one, one - plain);
  {
    // Same path up to __vigil_dispatch, which then only calls invoke: the
    // cost of the thunks and the re-entry, without the engine.
    vigil::ScopedSuppressHooks quiet;
    double thunks = NsPerCall(Hooked);
    std::printf("%-40s %6.2f ns  (+%.2f)\n", "attached but suppressed (thunks only)", thunks,
                thunks - plain);
  }
  (void)vigil::Detach(*a);

  auto b = vigil::Attach<int(int)>("bench::hooked", [](vigil::Call<int(int)>&) {},
                                   [](vigil::Call<int(int)>&) {});
  double both = NsPerCall(Hooked);
  std::printf("%-40s %6.2f ns  (+%.2f)\n", "attached, no-op prolog + epilog", both, both - plain);
  (void)vigil::Detach(*b);

  auto c = vigil::AttachProlog<int(int)>("bench::hooked", [](vigil::Call<int(int)>& call) {
    if (call.arg<0>() < 0) call.Abort(0);
  });
  double check = NsPerCall(Hooked);
  std::printf("%-40s %6.2f ns  (+%.2f)\n", "attached, argument check", check, check - plain);
  (void)vigil::Detach(*c);

  vigil_callbacks cb = {};
  cb.prolog = [](vigil_call*, void*) {};
  vigil_attachment d = 0;
  vigil_attach("bench::hooked", &cb, &d);
  double capi = NsPerCall(Hooked);
  std::printf("%-40s %6.2f ns  (+%.2f)\n", "attached, C no-op prolog", capi, capi - plain);
  vigil_detach(d);
  return 0;
}
