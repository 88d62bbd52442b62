// Writing to stderr in every usual way (fprintf, fputs, perror with a set
// errno, std::cerr, std::clog, write(2)) interleaved with stdout output.  The
// two streams are compared separately, byte for byte.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

int checks(int n) {
  int bad = 0;
  for (int i = 1; i <= n; ++i) {
    if (i % 7 == 0) {
      std::fprintf(stderr, "warning: item %d is a multiple of 7\n", i);
      ++bad;
    } else if (i % 11 == 0) {
      std::cerr << "error: item " << i << " rejected (code " << i * 3 << ")" << std::endl;
      ++bad;
    } else {
      std::printf("item %d ok\n", i);
    }
  }
  return bad;
}

int main() {
  std::ios::sync_with_stdio(true);
  int bad = checks(30);
  std::fputs("fputs to stderr\n", stderr);
  errno = ENOENT;
  std::perror("open config");
  errno = EACCES;
  std::fprintf(stderr, "strerror: %s\n", std::strerror(errno));
  std::clog << "clog: " << bad << " problems" << '\n';
  std::cerr << "cerr without newline at end of chunk;";
  std::cerr << " continued\n";
  std::fflush(stdout);
  const char raw[] = "raw write(2) bytes\n";
  ssize_t w = write(2, raw, sizeof raw - 1);
  std::cout << "summary: " << bad << " bad, write returned " << w << std::endl;
  std::fprintf(stderr, "%s\n", std::string(100, '=').c_str());
  return 0;
}
