/* The interface between the host program and plugins it loads at run time
   with dlopen: a C table of function pointers plus a C++ factory. */
#pragma once
#ifdef __cplusplus
#include <string>
extern "C" {
#endif

typedef struct {
  int version;
  const char* name;
  long (*transform)(long);
  double (*combine)(double, double, int);
  int (*describe)(char* buf, int cap, int value);
} plugin_ops;

typedef const plugin_ops* (*get_ops_fn)(void);
typedef int (*init_fn)(int);

#ifdef __cplusplus
}

struct Filter {
  virtual ~Filter() = default;
  virtual std::string apply(const std::string& in) const = 0;
  virtual int priority() const = 0;
};
typedef Filter* (*make_filter_fn)(const char* kind);
#endif
