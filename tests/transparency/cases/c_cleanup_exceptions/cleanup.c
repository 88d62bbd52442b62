/* C compiled with -fexceptions: __attribute__((cleanup)) handlers run when a
 * C++ exception unwinds through C frames (here: thrown from a C++ callback
 * called by C code), and on normal scope exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void log_line(const char *s);

static void release_buffer(char **p) {
  if (*p) {
    char msg[64];
    snprintf(msg, sizeof msg, "cleanup releases '%s'", *p);
    log_line(msg);
    free(*p);
    *p = NULL;
  }
}
static void count_exit(int *depth) {
  char msg[48];
  snprintf(msg, sizeof msg, "cleanup leaves depth %d", *depth);
  log_line(msg);
}

typedef int (*visitor)(int);

int c_walk(int depth, visitor v) {
  __attribute__((cleanup(count_exit))) int d = depth;
  __attribute__((cleanup(release_buffer))) char *buf = malloc(32);
  snprintf(buf, 32, "buf-%d", depth);
  if (depth == 0) return v(d);
  return c_walk(depth - 1, v) + 1;
}
