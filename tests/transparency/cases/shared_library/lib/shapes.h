// A shared library (libshapes.so) exporting C++ classes with virtual
// functions, free functions returning std::string / structs, an exception
// type thrown from inside the library, and a global object constructed when
// the library loads.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace shapes {

struct BBox { double x0, y0, x1, y1; };

class Shape {
 public:
  virtual ~Shape();
  virtual double area() const = 0;
  virtual BBox bbox() const = 0;
  virtual std::string name() const;
};

class ShapeError : public std::invalid_argument {
 public:
  explicit ShapeError(const std::string& m);
};

std::unique_ptr<Shape> make_circle(double cx, double cy, double r);
std::unique_ptr<Shape> make_rect(double x, double y, double w, double h);
std::unique_ptr<Shape> parse(const std::string& spec);  // throws ShapeError
BBox union_box(const std::vector<std::unique_ptr<Shape>>& all);
int library_load_count();
const std::string& library_banner();

}  // namespace shapes
