/* C library callbacks: qsort with several comparators (ints, doubles,
 * strings, structs with multi-key ordering, reverse), bsearch, and a
 * comparator that counts its calls (the count is deterministic for a given
 * libc and input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char name[16]; int age; double score; } Person;

static long g_cmp_calls = 0;

static int cmp_int(const void *a, const void *b) {
  ++g_cmp_calls;
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return -cmp_int(a, b); }
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
static int cmp_person(const void *a, const void *b) {
  const Person *p = a, *q = b;
  if (p->age != q->age) return p->age - q->age;
  if (p->score != q->score) return p->score < q->score ? 1 : -1;
  return strcmp(p->name, q->name);
}
static int cmp_key_person(const void *key, const void *elem) {
  return strcmp((const char *)key, ((const Person *)elem)->name);
}
static int cmp_person_name(const void *a, const void *b) {
  return strcmp(((const Person *)a)->name, ((const Person *)b)->name);
}

int main(void) {
  enum { N = 500 };
  int a[N];
  unsigned s = 2024;
  for (int i = 0; i < N; ++i) {
    s = s * 1664525u + 1013904223u;
    a[i] = (int)(s >> 20) % 1000 - 500;
  }
  qsort(a, N, sizeof a[0], cmp_int);
  long checksum = 0;
  for (int i = 0; i < N; ++i) checksum = checksum * 31 + a[i];
  printf("ints min=%d max=%d median=%d checksum=%ld calls=%ld\n", a[0], a[N - 1], a[N / 2], checksum, g_cmp_calls);
  int key = a[123];
  int *found = bsearch(&key, a, N, sizeof a[0], cmp_int);
  int absent = 10000;
  printf("bsearch %d -> %d, %d -> %s\n", key, found ? *found : -1, absent,
         bsearch(&absent, a, N, sizeof a[0], cmp_int) ? "found" : "absent");
  qsort(a, N, sizeof a[0], cmp_int_desc);
  printf("desc first=%d last=%d\n", a[0], a[N - 1]);

  double d[9] = {3.5, -1.25, 1e10, 0.0, -0.0, 2.75, 1e-10, -7.5, 3.5};
  qsort(d, 9, sizeof d[0], cmp_double);
  printf("doubles:");
  for (int i = 0; i < 9; ++i) printf(" %g", d[i]);
  printf("\n");

  const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "apple pie", "Zebra", "grape"};
  qsort(words, 9, sizeof words[0], cmp_str);
  printf("words:");
  for (int i = 0; i < 9; ++i) printf(" %s", words[i]);
  printf("\n");

  Person people[] = {{"alice", 30, 88.5}, {"bob", 25, 92.0}, {"carol", 30, 95.0}, {"dave", 25, 92.0},
                     {"eve", 35, 70.0},   {"frank", 30, 88.5}, {"gina", 20, 99.9}};
  size_t np = sizeof people / sizeof people[0];
  qsort(people, np, sizeof people[0], cmp_person);
  for (size_t i = 0; i < np; ++i) printf("%s/%d/%.1f ", people[i].name, people[i].age, people[i].score);
  printf("\n");
  qsort(people, np, sizeof people[0], cmp_person_name);
  Person *p = bsearch("dave", people, np, sizeof people[0], cmp_key_person);
  printf("found %s age %d\n", p ? p->name : "-", p ? p->age : -1);
  return 0;
}
