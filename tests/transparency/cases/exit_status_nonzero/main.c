/* main returns a non-zero status on purpose (after computing it); output on
 * both streams, unflushed stdout data at exit must still appear. */
#include <stdio.h>

static int classify(int v) {
  if (v % 15 == 0) return 3;
  if (v % 5 == 0) return 2;
  if (v % 3 == 0) return 1;
  return 0;
}

int main(void) {
  int hist[4] = {0, 0, 0, 0};
  for (int i = 1; i <= 100; ++i) hist[classify(i)]++;
  printf("none=%d fizz=%d buzz=%d fizzbuzz=%d\n", hist[0], hist[1], hist[2], hist[3]);
  fprintf(stderr, "exiting with status %d\n", hist[3] * 7);
  printf("no newline at the end");
  return hist[3] * 7; /* 42 */
}
