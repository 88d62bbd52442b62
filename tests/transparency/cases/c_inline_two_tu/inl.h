/* C99 inline semantics across two translation units: an inline definition
   in the header, with the external definition emitted by exactly one TU
   (extern declaration in a.c); static inline helpers; a function whose
   address is taken in both TUs must compare equal. */
#ifndef INL_H
#define INL_H
#include <stdint.h>

inline uint32_t inl_hash(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}
inline int inl_clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int sinl_twice(int v) { return v * 2; }

extern int g_shared_total;
typedef uint32_t (*hash_fn)(const char *);
hash_fn b_hash_ptr(void);
uint32_t b_work(int n);
#endif
