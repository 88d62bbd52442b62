// dlopen/dlsym of a shared library built by build.sh (libplugin.so, beside
// the program): C function-pointer tables, a C++ factory returning objects
// with virtual functions, a data symbol, a missing symbol, and dlclose
// (the plugin's global destructor runs then).
#include <dlfcn.h>

#include <cstdio>
#include <memory>
#include <string>

#include "plugin/plugin_api.h"

int main(int argc, char** argv) {
  (void)argc;
  std::string dir = argv[0];
  dir = dir.substr(0, dir.rfind('/') + 1);
  std::printf("before dlopen\n");
  void* h = dlopen((dir + "libplugin.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::printf("dlopen failed\n");
    return 1;
  }
  auto init = reinterpret_cast<init_fn>(dlsym(h, "plugin_init"));
  auto get_ops = reinterpret_cast<get_ops_fn>(dlsym(h, "plugin_get_ops"));
  auto make_filter = reinterpret_cast<make_filter_fn>(dlsym(h, "plugin_make_filter"));
  int* counter = static_cast<int*>(dlsym(h, "plugin_counter"));
  void* missing = dlsym(h, "plugin_does_not_exist");
  std::printf("symbols: init=%d ops=%d filter=%d counter=%d missing=%d\n", init != nullptr, get_ops != nullptr,
              make_filter != nullptr, counter != nullptr, missing != nullptr);
  std::printf("init -> %d\n", init(40));
  const plugin_ops* ops = get_ops();
  std::printf("ops v%d %s\n", ops->version, ops->name);
  long t = 0;
  for (long i = -5; i <= 5; ++i) t += ops->transform(i);
  std::printf("transform sum=%ld combine=%.3f/%.3f\n", t, ops->combine(1.5, 2.5, 0), ops->combine(1.5, 2.5, 1));
  char buf[64];
  int n = ops->describe(buf, sizeof buf, 77);
  std::printf("describe -> %d '%s'\n", n, buf);
  *counter += 10;
  std::printf("counter=%d\n", *static_cast<int*>(dlsym(h, "plugin_counter")));
  for (const char* kind : {"reverse", "upper", "nothing"}) {
    std::unique_ptr<Filter> f(make_filter(kind));
    if (f)
      std::printf("filter %s prio=%d -> %s\n", kind, f->priority(), f->apply("Hello, plugin!").c_str());
    else
      std::printf("filter %s unavailable\n", kind);
  }
  std::printf("dlclose=%d\n", dlclose(h));
  std::printf("after dlclose\n");
  // Load, use and unload again, many times (images come and go).
  long total = 0;
  int closes = 0;
  for (int round = 0; round < 25; ++round) {
    void* again = dlopen((dir + "libplugin.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!again) return 2;
    auto ini = reinterpret_cast<init_fn>(dlsym(again, "plugin_init"));
    auto ops2 = reinterpret_cast<get_ops_fn>(dlsym(again, "plugin_get_ops"))();
    total += ini(round) + ops2->transform(round);
    closes += dlclose(again) == 0;
  }
  std::printf("reload rounds total=%ld closes=%d\n", total, closes);
  return 0;
}
