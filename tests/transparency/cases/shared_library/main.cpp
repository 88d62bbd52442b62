// Links against a shared library (libshapes.so) built by build.sh; the
// program finds it through an $ORIGIN rpath.  A class derived in the program
// from a class of the library overrides its virtuals.
#include <cstdio>

#include "lib/shapes.h"

class Triangle : public shapes::Shape {
 public:
  Triangle(double b, double h) : b_(b), h_(h) {}
  double area() const override { return b_ * h_ / 2; }
  shapes::BBox bbox() const override { return {0, 0, b_, h_}; }
  std::string name() const override { return "triangle/" + Shape::name(); }

 private:
  double b_, h_;
};

int main() {
  std::printf("banner=%s loads=%d\n", shapes::library_banner().c_str(), shapes::library_load_count());
  std::vector<std::unique_ptr<shapes::Shape>> all;
  const char* specs[] = {"circle 0 0 1.5", "rect -2 1 4 2.5", "hexagon 1", "circle 1 1 -3", "rect 3 3 1 1"};
  for (const char* s : specs) {
    try {
      all.push_back(shapes::parse(s));
      std::printf("parsed '%s' -> %s area=%.4f\n", s, all.back()->name().c_str(), all.back()->area());
    } catch (const shapes::ShapeError& e) {
      std::printf("error: %s\n", e.what());
    } catch (const std::exception& e) {
      std::printf("unexpected: %s\n", e.what());
    }
  }
  all.push_back(std::make_unique<Triangle>(10, 7));
  std::printf("%s area=%.2f\n", all.back()->name().c_str(), all.back()->area());
  shapes::BBox u = shapes::union_box(all);
  std::printf("union=[%.2f %.2f %.2f %.2f]\n", u.x0, u.y0, u.x1, u.y1);
  try {
    shapes::union_box({});
  } catch (const std::out_of_range&) {
    std::printf("empty union throws out_of_range\n");
  }
  return 0;
}
