/* errno after failing library calls must be exactly what the library set:
 * nothing between the failing call and the read of errno may change it
 * (call-site hooks around declared-only functions, for example).  Each
 * failure is deterministic. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *what, long result) {
  int e = errno;
  printf("%-28s -> %ld errno=%d (%s)\n", what, result, e, strerror(e));
}

static int checked_open(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -errno;
  close(fd);
  return 0;
}

int main(void) {
  errno = 0;
  long r = open("/nonexistent-vigil-dir/file", O_RDONLY);
  report("open missing", r);
  errno = 0;
  r = close(-1);
  report("close(-1)", r);
  errno = 0;
  r = strtol("99999999999999999999999", NULL, 10);
  report("strtol overflow", r);
  errno = 0;
  r = (long)strtoul("-", NULL, 10);
  report("strtoul no digits", r);
  errno = 0;
  r = chdir("/etc/hostname/sub");
  report("chdir through a file", r);
  errno = 0;
  double l = log(-1.0);
  report("log(-1) isnan", isnan(l));
  errno = 0;
  double p = pow(10.0, 1e6);
  report("pow overflow isinf", isinf(p));
  errno = 0;
  r = mkdir("/proc/vigil-cannot-create", 0700);
  report("mkdir in /proc", r);
  errno = 0;
  double huge = strtod("1e999", NULL);
  report("strtod overflow isinf", isinf(huge));
  errno = 0;
  r = write(-5, "x", 1);
  report("write(-5)", r);
  errno = 0;
  r = lseek(0, 0, 99);
  report("lseek bad whence", r);
  errno = 0;
  FILE *f = fopen("/nonexistent-vigil-dir/f", "r");
  report("fopen missing", f == NULL);
  printf("checked_open=%d\n", checked_open("/nonexistent-vigil-dir/x"));
  errno = 1234;
  printf("user errno kept=%d\n", errno);
  return 0;
}
