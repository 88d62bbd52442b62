// Tiny self-check helper shared by the header-only library tests: a failed
// CHECK prints where and what on stderr and exits with status 1, so a wrong
// result fails the test even if the plain and the instrumented builds agree.
#pragma once
#include <cstdio>
#include <cstdlib>

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::exit(1);                                                             \
    }                                                                           \
  } while (0)

#define CHECK_EQ(a, b)                                                          \
  do {                                                                          \
    if (!((a) == (b))) {                                                        \
      std::fprintf(stderr, "%s:%d: CHECK_EQ failed: %s != %s\n", __FILE__, __LINE__, #a, #b); \
      std::exit(1);                                                             \
    }                                                                           \
  } while (0)
