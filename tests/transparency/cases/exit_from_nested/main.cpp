// std::exit called deep inside nested (instrumented) calls: static and
// global destructors and atexit handlers still run, automatic objects of the
// active frames are NOT destroyed, and the status is the one passed to exit.
// Expected: "destroy" lines only for the finished block and the local
// static, none for frame0..frame5.
#include <cstdio>
#include <cstdlib>
#include <string>

struct Scoped {
  std::string name;
  explicit Scoped(std::string n) : name(std::move(n)) { std::printf("enter %s\n", name.c_str()); }
  ~Scoped() { std::printf("destroy %s\n", name.c_str()); }
};

struct GlobalThing {
  ~GlobalThing() { std::printf("global destructor runs\n"); }
} g_thing;

static void handler() { std::printf("atexit handler runs\n"); }

int validate(int depth, int limit) {
  Scoped s("frame" + std::to_string(depth));
  if (depth == limit) {
    static Scoped local_static("local-static");
    std::printf("limit reached at %d, calling exit(%d)\n", depth, depth + 10);
    std::fflush(stdout);
    std::fprintf(stderr, "fatal: validation depth %d\n", depth);
    std::exit(depth + 10);
  }
  return validate(depth + 1, limit) + 1;
}

int main(int argc, char**) {
  std::atexit(handler);
  { Scoped ok("scoped-block"); }
  if (argc > 5) std::_Exit(99);
  int r = validate(0, 5);
  std::printf("unreachable %d\n", r);
  return 0;
}
