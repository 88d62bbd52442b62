#include <stdio.h>

#include "inl.h"

hash_fn b_hash_ptr(void) { return inl_hash; }

uint32_t b_work(int n) {
  char buf[32];
  uint32_t h = 0;
  for (int i = 0; i < n; ++i) {
    snprintf(buf, sizeof buf, "item-%d", i);
    h += inl_hash(buf) >> (i % 5);
    g_shared_total += inl_clamp(sinl_twice(i) - 30, -10, 10);
  }
  return h;
}
