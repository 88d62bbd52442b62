/* Common size and hardening flags together: -ffunction-sections
 * -fdata-sections with --gc-sections (unreferenced functions dropped),
 * -fvisibility=hidden, -fno-plt, -fno-semantic-interposition, -fstack-protector-strong,
 * -D_FORTIFY_SOURCE=2, -fcf-protection, -fno-omit-frame-pointer, a
 * non-PIE link and -Wl,-z,now -Wl,-z,relro. */
#include <stdio.h>
#include <string.h>

__attribute__((visibility("default"))) int exported_api(int x) { return x * 3 + 1; }
int hidden_helper(int x) { return x - 7; }
int never_called(int x) { return x * 1000; } /* garbage-collected */
static int table[64];

static int fill(char *dst, size_t cap, const char *src) {
  char tmp[32];
  strncpy(tmp, src, sizeof tmp - 1);
  tmp[sizeof tmp - 1] = 0;
  return snprintf(dst, cap, "[%s]", tmp);
}

int main(void) {
  for (int i = 0; i < 64; ++i) table[i] = hidden_helper(exported_api(i));
  long s = 0;
  for (int i = 0; i < 64; ++i) s += table[i];
  char buf[48];
  int n = fill(buf, sizeof buf, "a string longer than the thirty-two byte buffer");
  printf("sum=%ld fill=%d '%s'\n", s, n, buf);
  return 0;
}
