#include "shapes.h"

#include <cstdio>
#include <sstream>

namespace shapes {

namespace {
int g_loads = 0;
struct LoadMarker {
  std::string banner;
  LoadMarker() : banner("shapes v1") { ++g_loads; std::printf("[libshapes] loaded\n"); }
  ~LoadMarker() { std::printf("[libshapes] unloaded\n"); }
} g_marker;

class Circle : public Shape {
 public:
  Circle(double cx, double cy, double r) : cx_(cx), cy_(cy), r_(r) {}
  double area() const override { return 3.141592653589793 * r_ * r_; }
  BBox bbox() const override { return {cx_ - r_, cy_ - r_, cx_ + r_, cy_ + r_}; }
  std::string name() const override { return "circle(r=" + std::to_string(r_) + ")"; }

 private:
  double cx_, cy_, r_;
};

class Rect : public Shape {
 public:
  Rect(double x, double y, double w, double h) : x_(x), y_(y), w_(w), h_(h) {}
  double area() const override { return w_ * h_; }
  BBox bbox() const override { return {x_, y_, x_ + w_, y_ + h_}; }

 private:
  double x_, y_, w_, h_;
};
}  // namespace

Shape::~Shape() = default;
std::string Shape::name() const { return "shape"; }
ShapeError::ShapeError(const std::string& m) : std::invalid_argument("shape error: " + m) {}

std::unique_ptr<Shape> make_circle(double cx, double cy, double r) {
  if (r <= 0) throw ShapeError("radius must be positive");
  return std::make_unique<Circle>(cx, cy, r);
}
std::unique_ptr<Shape> make_rect(double x, double y, double w, double h) {
  if (w < 0 || h < 0) throw ShapeError("negative size");
  return std::make_unique<Rect>(x, y, w, h);
}
std::unique_ptr<Shape> parse(const std::string& spec) {
  std::istringstream in(spec);
  std::string kind;
  in >> kind;
  double a, b, c, d;
  if (kind == "circle" && in >> a >> b >> c) return make_circle(a, b, c);
  if (kind == "rect" && in >> a >> b >> c >> d) return make_rect(a, b, c, d);
  throw ShapeError("cannot parse '" + spec + "'");
}
BBox union_box(const std::vector<std::unique_ptr<Shape>>& all) {
  BBox u = all.at(0)->bbox();
  for (const auto& s : all) {
    BBox b = s->bbox();
    if (b.x0 < u.x0) u.x0 = b.x0;
    if (b.y0 < u.y0) u.y0 = b.y0;
    if (b.x1 > u.x1) u.x1 = b.x1;
    if (b.y1 > u.y1) u.y1 = b.y1;
  }
  return u;
}
int library_load_count() { return g_loads; }
const std::string& library_banner() { return g_marker.banner; }

}  // namespace shapes
