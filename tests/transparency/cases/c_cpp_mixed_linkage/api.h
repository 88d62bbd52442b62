/* A C API implemented half in C (engine.c) and half in C++ (bridge.cpp);
   each side calls the other, including callbacks from C into C++ code. */
#ifndef MIXED_API_H
#define MIXED_API_H
#ifdef __cplusplus
extern "C" {
#endif

typedef struct { int id; double weight; char label[12]; } item_t;
typedef int (*item_visitor)(const item_t *item, void *user);

/* engine.c */
int engine_add(const char *label, double weight);
int engine_visit(item_visitor v, void *user);
item_t engine_heaviest(void);
double engine_total(void);

/* bridge.cpp (C++ behind a C interface) */
double bridge_score(const item_t *item);
int bridge_sorted_labels(char *out, int cap);

#ifdef __cplusplus
}
#endif
#endif
