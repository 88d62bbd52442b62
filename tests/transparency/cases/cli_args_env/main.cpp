// Command-line arguments and the environment as main receives them:
// argc/argv (fixed arguments from the case's `args` file), option parsing
// with getopt_long, and environment variables the runner sets (LC_ALL) and
// that this program sets and reads itself.  argv[0] differs between the two
// builds' paths, so only its last component is printed.
#include <getopt.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv, char** envp) {
  const char* base = std::strrchr(argv[0], '/');
  std::printf("argc=%d prog=%s\n", argc, base ? base + 1 : argv[0]);
  for (int i = 1; i < argc; ++i) std::printf("argv[%d]='%s' len=%zu\n", i, argv[i], std::strlen(argv[i]));
  static option opts[] = {{"verbose", no_argument, nullptr, 'v'},
                          {"level", required_argument, nullptr, 'l'},
                          {"name", required_argument, nullptr, 'n'},
                          {nullptr, 0, nullptr, 0}};
  int verbose = 0, level = -1;
  std::string name = "none";
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "vl:n:x", opts, nullptr)) != -1) {
    switch (c) {
      case 'v': ++verbose; break;
      case 'l': level = std::atoi(optarg); break;
      case 'n': name = optarg; break;
      case 'x': std::printf("flag x\n"); break;
      default: std::printf("unknown option '%c'\n", optopt ? optopt : '?'); break;
    }
  }
  std::vector<std::string> rest(argv + optind, argv + argc);
  std::printf("verbose=%d level=%d name=%s positional=%zu\n", verbose, level, name.c_str(), rest.size());
  for (const auto& r : rest) std::printf("  positional '%s'\n", r.c_str());
  bool saw_lc_all = false;
  for (char** e = envp; *e; ++e)
    if (std::strcmp(*e, "LC_ALL=C") == 0) saw_lc_all = true;
  std::printf("LC_ALL=C in envp: %d getenv=%s\n", saw_lc_all, std::getenv("LC_ALL"));
  setenv("VIGIL_TEST_VAR", "set-by-program", 1);
  std::printf("VIGIL_TEST_VAR=%s\n", std::getenv("VIGIL_TEST_VAR"));
  unsetenv("VIGIL_TEST_VAR");
  std::printf("after unset: %s\n", std::getenv("VIGIL_TEST_VAR") ? "present" : "absent");
  return rest.size() == 3 ? 0 : 1;
}
