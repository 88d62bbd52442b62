// Copyright Vigil authors.
//
// bench/shape: what the shape of the attached call path costs on this
// machine, apart from Vigil's own work (see main.cc).
#ifndef VIGIL_BENCH_SHAPE_SHAPE_H_
#define VIGIL_BENCH_SHAPE_SHAPE_H_

struct ShapeSite {
  void (*callback)(void** argv, void* user);
  void* user;
};

extern "C" int shape_enter_dso(const ShapeSite* site, void** argv);
extern "C" int shape_enter_local(const ShapeSite* site, void** argv);

#endif  // VIGIL_BENCH_SHAPE_SHAPE_H_
