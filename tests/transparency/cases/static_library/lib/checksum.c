#include <string.h>

long stats_checksum(const double* xs, int n) {
  unsigned long h = 5381;
  for (int i = 0; i < n; ++i) {
    unsigned long bits;
    memcpy(&bits, &xs[i], sizeof bits);
    h = h * 33 ^ bits;
  }
  return (long)(h >> 1);
}
