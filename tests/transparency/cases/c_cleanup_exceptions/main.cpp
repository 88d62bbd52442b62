#include <cstdio>
#include <stdexcept>
#include <string>

extern "C" {
int c_walk(int depth, int (*v)(int));
void log_line(const char* s) { std::printf("  %s\n", s); }
}

static int ok_visitor(int d) { return 100 + d; }
static int throwing_visitor(int d) { throw std::runtime_error("thrown at depth " + std::to_string(d)); }

int main() {
  std::printf("normal walk:\n");
  int r = c_walk(3, ok_visitor);
  std::printf("result %d\n", r);
  std::printf("throwing walk:\n");
  try {
    c_walk(3, throwing_visitor);
  } catch (const std::exception& e) {
    std::printf("caught: %s\n", e.what());
  }
  return 0;
}
