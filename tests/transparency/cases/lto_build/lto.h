#pragma once
#include <string>

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const = 0;
};
Shape* make_shape(int kind, double size);
long poly_eval(long x);
unsigned fold_string(const char* s);
