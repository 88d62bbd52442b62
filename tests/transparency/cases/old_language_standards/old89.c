/* C89 (-std=c89 -pedantic): declarations at block start, no // comments, no
   inline, no long long, implicit int return types are NOT used. */
#include <stdio.h>
#include <string.h>

struct counter {
  int hits;
  char name[16];
};

static int bump(struct counter *c, int by) {
  c->hits += by;
  return c->hits;
}

static unsigned long checksum(const char *s) {
  unsigned long h = 5381;
  size_t i;
  for (i = 0; s[i] != '\0'; i++) h = ((h << 5) + h) + (unsigned char)s[i];
  return h;
}

void c89_report(void) {
  struct counter c;
  int i;
  c.hits = 0;
  strcpy(c.name, "c89");
  for (i = 0; i < 10; i++) bump(&c, i);
  printf("%s hits=%d checksum=%lu\n", c.name, c.hits, checksum("ANSI C 1989"));
}
