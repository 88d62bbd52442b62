#include <cstdio>

#include "registry.h"

// A leaked heap string: safe to use during static initialisation in any TU
// and during exit.
static std::string& log_storage() {
  static std::string* log = new std::string;
  return *log;
}

void log_event(const char* what) {
  std::string& log = log_storage();
  if (!log.empty()) log += "; ";
  log += what;
  std::printf("event: %s\n", what);
}

std::string event_log() { return log_storage(); }

struct OtherGlobal {
  int value;
  OtherGlobal() : value(0) {
    for (int i = 0; i < 50; ++i) value += i * i;
    log_event("ctor other");
  }
  ~OtherGlobal() { std::printf("dtor other value=%d\n", value); }
};
static OtherGlobal g_other;

std::string other_name() { return "other.cpp"; }
int other_value() { return g_other.value; }
