#include <cstdio>
#include <cstring>
#include <string>

#include "plugin_api.h"

namespace {
int g_init_value = 0;

long transform(long v) { return v * v - 3 * v + g_init_value; }
double combine(double a, double b, int mode) { return mode ? a * b : a + b; }
int describe(char* buf, int cap, int value) { return std::snprintf(buf, cap, "plugin-value<%d>", value); }

const plugin_ops kOps = {3, "demo-plugin", transform, combine, describe};

class Reverse : public Filter {
 public:
  std::string apply(const std::string& in) const override { return std::string(in.rbegin(), in.rend()); }
  int priority() const override { return 10; }
};
class Upper : public Filter {
 public:
  std::string apply(const std::string& in) const override {
    std::string s = in;
    for (char& c : s)
      if (c >= 'a' && c <= 'z') c -= 32;
    return s;
  }
  int priority() const override { return 20; }
};

struct Announce {
  Announce() { std::printf("[plugin] constructor\n"); }
  ~Announce() { std::printf("[plugin] destructor\n"); }
} g_announce;
}  // namespace

extern "C" int plugin_init(int v) {
  g_init_value = v;
  return v + 1;
}
extern "C" const plugin_ops* plugin_get_ops(void) { return &kOps; }
extern "C" Filter* plugin_make_filter(const char* kind) {
  if (std::strcmp(kind, "reverse") == 0) return new Reverse;
  if (std::strcmp(kind, "upper") == 0) return new Upper;
  return nullptr;
}
extern "C" int plugin_counter = 5;
