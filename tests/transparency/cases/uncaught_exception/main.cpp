// An exception that nobody catches, thrown through several frames:
// std::terminate runs, the default terminate handler prints the exception
// type and what() on stderr and aborts (SIGABRT, status 134 from the shell's
// point of view).  A custom handler is NOT installed; stdout is flushed
// before the throw so its content is deterministic.
#include <cstdio>
#include <stdexcept>
#include <string>

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int load(int level) {
  if (level == 0) throw ConfigError("missing key 'port' in section [server]");
  return load(level - 1) + 1;
}

int main() {
  std::printf("loading configuration\n");
  std::fflush(stdout);
  int r = load(6);
  std::printf("loaded %d\n", r);
  return 0;
}
