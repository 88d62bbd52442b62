// Link-time optimisation (-flto, also with lld): functions are inlined and
// internalised across the two translation units at link time.
#include <cstdio>
#include <string>
#include <vector>

#include "lto.h"

int main() {
  std::vector<Shape*> shapes = {make_shape(0, 2.0), make_shape(1, 3.0), make_shape(2, 1.5)};
  double total = 0;
  for (Shape* s : shapes) {
    total += s->area();
    std::printf("%s %.4f\n", s->name().c_str(), s->area());
  }
  std::printf("total=%.4f poly=%ld fold=%u\n", total, poly_eval(7), fold_string("link time optimisation"));
  for (Shape* s : shapes) delete s;
  return 0;
}
