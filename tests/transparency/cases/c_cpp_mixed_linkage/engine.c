#include <string.h>

#include "api.h"

static item_t g_items[32];
static int g_count;

int engine_add(const char *label, double weight) {
  if (g_count == 32) return -1;
  item_t *it = &g_items[g_count];
  it->id = 100 + g_count;
  it->weight = weight;
  strncpy(it->label, label, sizeof it->label - 1);
  it->label[sizeof it->label - 1] = 0;
  return g_items[g_count++].id;
}

int engine_visit(item_visitor v, void *user) {
  int visited = 0;
  for (int i = 0; i < g_count; ++i) {
    ++visited;
    if (v(&g_items[i], user)) break;
  }
  return visited;
}

item_t engine_heaviest(void) {
  item_t best = g_items[0];
  for (int i = 1; i < g_count; ++i)
    if (g_items[i].weight > best.weight) best = g_items[i];
  return best;
}

double engine_total(void) {
  double t = 0;
  for (int i = 0; i < g_count; ++i) t += bridge_score(&g_items[i]); /* C calls C++ */
  return t;
}
