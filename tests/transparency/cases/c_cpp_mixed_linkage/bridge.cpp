#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "api.h"

extern "C" double bridge_score(const item_t* item) {
  return item->weight * (double)std::strlen(item->label) + item->id % 7;
}

namespace {
struct Collector {
  std::vector<std::string> labels;
  double limit;
};
int collect(const item_t* item, void* user) {  // C++ function used as a C callback
  auto* c = static_cast<Collector*>(user);
  c->labels.emplace_back(item->label);
  return item->weight > c->limit;  // stop after the first heavy one
}
}  // namespace

extern "C" int bridge_sorted_labels(char* out, int cap) {
  Collector c{{}, 1e9};
  engine_visit(collect, &c);
  std::sort(c.labels.begin(), c.labels.end());
  std::string joined;
  for (const auto& l : c.labels) joined += l + " ";
  return std::snprintf(out, cap, "%s", joined.c_str());
}

int main() {
  const char* names[] = {"delta", "alpha", "echo", "charlie", "bravo", "a-very-long-label-cut"};
  double weights[] = {2.5, 10.0, 0.75, 33.25, 7.0, 1.0};
  for (int i = 0; i < 6; ++i) std::printf("add %s -> %d\n", names[i], engine_add(names[i], weights[i]));
  Collector partial{{}, 5.0};
  int visited = engine_visit(collect, &partial);
  std::printf("visited until heavy: %d (last %s)\n", visited, partial.labels.back().c_str());
  item_t h = engine_heaviest();
  std::printf("heaviest %d %s %.2f\n", h.id, h.label, h.weight);
  std::printf("total score %.4f\n", engine_total());
  char buf[128];
  int n = bridge_sorted_labels(buf, sizeof buf);
  std::printf("sorted (%d): %s\n", n, buf);
  return 0;
}
