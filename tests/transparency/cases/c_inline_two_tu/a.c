#include <stdio.h>

#include "inl.h"

/* The external definitions live here. */
extern inline uint32_t inl_hash(const char *s);
extern inline int inl_clamp(int v, int lo, int hi);

int g_shared_total = 0;

int main(void) {
  uint32_t h = 0;
  const char *words[] = {"alpha", "beta", "gamma", "", "a much longer word to hash"};
  for (int i = 0; i < 5; ++i) {
    h ^= inl_hash(words[i]);
    g_shared_total += inl_clamp(sinl_twice(i * 37) - 50, 0, 100);
  }
  printf("a: h=%08x total=%d\n", h, g_shared_total);
  printf("b: %08x total=%d\n", b_work(40), g_shared_total);
  hash_fn mine = inl_hash;
  printf("same function address across TUs: %d\n", mine == b_hash_ptr());
  printf("via pointer: %08x\n", b_hash_ptr()("pointer"));
  return 0;
}
