// Global constructors and destructors: dynamic initialisation of globals in
// two translation units (ordered within each TU), initialisation that calls
// functions, __attribute__((constructor/destructor)) with priorities, atexit
// handlers, a .preinit_array entry, and output from destructors after main
// returns.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "registry.h"

static int compute_seed() {
  log_event("compute_seed");
  int s = 1;
  for (int i = 1; i <= 10; ++i) s = s * 3 % 1009;
  return s;
}

struct Global {
  std::string name;
  explicit Global(const char* n) : name(n) { log_event(("ctor " + name).c_str()); }
  ~Global() { std::printf("dtor %s\n", name.c_str()); }
};

Global g_main_a("main_a");
int g_seed = compute_seed();
Global g_main_b("main_b");
static const std::string kGreeting = std::string("hello-") + std::to_string(g_seed);

__attribute__((constructor(101))) static void early_ctor() { log_event("attr ctor 101"); }
__attribute__((constructor(200))) static void later_ctor() { log_event("attr ctor 200"); }
__attribute__((destructor(150))) static void attr_dtor() { std::printf("attr dtor 150\n"); }

// .preinit_array runs before every constructor of the program and of the
// shared libraries it links (a runtime's included).  The atexit handler it
// registers is therefore the first registered and runs last, after all
// static destructors; it calls instrumented code.
static int very_late_sum(int n) {
  int s = 0;
  for (int i = 1; i <= n; ++i) s += i * i;
  return s;
}
static void very_last() { std::printf("last atexit handler (from preinit): %d\n", very_late_sum(12)); }
static void preinit(int, char**, char**) {
  std::atexit(very_last);
  std::printf("preinit: %d\n", very_late_sum(3));
}
__attribute__((section(".preinit_array"), used)) static void (*preinit_entry)(int, char**, char**) = preinit;

static void at_exit_1() { std::printf("atexit 1\n"); }
static void at_exit_2() { std::printf("atexit 2 (registered last, runs first)\n"); }

int main() {
  std::printf("main starts; greeting=%s seed=%d\n", kGreeting.c_str(), g_seed);
  std::printf("other TU: %s value=%d\n", other_name().c_str(), other_value());
  std::printf("init log: %s\n", event_log().c_str());
  std::atexit(at_exit_1);
  std::atexit(at_exit_2);
  std::printf("main returns 0\n");
  return 0;
}
