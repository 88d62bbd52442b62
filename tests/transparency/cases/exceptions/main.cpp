// Exceptions thrown through several (instrumented) frames and caught at
// different depths: custom hierarchies, rethrow, nested exceptions,
// std::exception_ptr, exceptions from constructors (partial construction
// unwinds members), RAII destructors running during unwinding, function-try
// blocks, exceptions crossing functions returning structs by value, and
// standard-library exceptions (out_of_range, bad_alloc-free ones).
#include <cstdio>
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

static std::string log_;

struct Guard {
  std::string name;
  explicit Guard(std::string n) : name(std::move(n)) { log_ += "+" + name; }
  ~Guard() { log_ += "-" + name; }
};

struct AppError : std::runtime_error {
  int code;
  AppError(const std::string& m, int c) : std::runtime_error(m), code(c) {}
};
struct ParseError : AppError {
  int line;
  ParseError(const std::string& m, int l) : AppError(m, 400), line(l) {}
};

struct Pair { long a, b; };
struct Wide { double v[5]; };

int level3(int x) {
  Guard g("L3");
  if (x == 1) throw ParseError("bad token", 17);
  if (x == 2) throw AppError("app failure", 503);
  if (x == 3) throw 42;
  if (x == 4) throw std::string("string thrown");
  if (x == 5) return std::vector<int>{1, 2, 3}.at(7);
  return x * 10;
}
Pair level2(int x) {
  Guard g("L2");
  int v = level3(x);
  return {v, -v};
}
Wide level1(int x) {
  Guard g("L1");
  Pair p = level2(x);
  return {{double(p.a), double(p.b), 0.5, 0.25, 0.125}};
}

std::string run(int x) {
  log_.clear();
  std::string result;
  try {
    Wide w = level1(x);
    result = "ok " + std::to_string(w.v[0] + w.v[1] + w.v[2] + w.v[3] + w.v[4]);
  } catch (const ParseError& e) {
    result = std::string("ParseError ") + e.what() + " line " + std::to_string(e.line) + " code " +
             std::to_string(e.code);
  } catch (const AppError& e) {
    result = std::string("AppError ") + e.what() + " code " + std::to_string(e.code);
  } catch (const std::out_of_range&) {
    result = "out_of_range";
  } catch (int v) {
    result = "int " + std::to_string(v);
  } catch (...) {
    result = "unknown";
  }
  return result + " trace " + log_;
}

void rethrower(int x) {
  try {
    level3(x);
  } catch (AppError& e) {
    e.code += 1;
    throw;  // same object, modified
  }
}

void nested_thrower() {
  try {
    throw std::runtime_error("inner");
  } catch (...) {
    std::throw_with_nested(std::logic_error("outer"));
  }
}
void print_nested(const std::exception& e, int depth) {
  std::printf("%*s%s\n", depth * 2, "", e.what());
  try {
    std::rethrow_if_nested(e);
  } catch (const std::exception& inner) {
    print_nested(inner, depth + 1);
  }
}

struct Member {
  int id;
  explicit Member(int i) : id(i) {
    if (i == 3) throw std::invalid_argument("member 3");
    log_ += "M" + std::to_string(i);
  }
  ~Member() { log_ += "~M" + std::to_string(id); }
};
struct Holder {
  Member a, b, c;
  Holder(int x, int y, int z) try : a(x), b(y), c(z) {
    log_ += "H";
  } catch (const std::exception& e) {
    log_ += "[ctor caught " + std::string(e.what()) + "]";
    // implicitly rethrown
  }
};

std::exception_ptr capture(int x) {
  try {
    level3(x);
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

int deep_throw(int depth) {
  Guard g("d" + std::to_string(depth));
  if (depth == 0) throw std::overflow_error("bottom");
  return deep_throw(depth - 1) + 1;
}

int main() {
  for (int x = 0; x <= 5; ++x) std::printf("run(%d): %s\n", x, run(x).c_str());

  try {
    rethrower(2);
  } catch (const AppError& e) {
    std::printf("rethrown code=%d what=%s\n", e.code, e.what());
  }

  try {
    nested_thrower();
  } catch (const std::exception& e) {
    print_nested(e, 0);
  }

  log_.clear();
  try {
    Holder h(1, 2, 3);
  } catch (const std::invalid_argument& e) {
    std::printf("holder failed: %s log=%s\n", e.what(), log_.c_str());
  }
  log_.clear();
  {
    Holder ok(4, 5, 6);
  }
  std::printf("holder ok log=%s\n", log_.c_str());

  std::exception_ptr ep = capture(1);
  std::exception_ptr none = capture(0);
  std::printf("captured=%d none=%d\n", ep != nullptr, none == nullptr);
  try {
    std::rethrow_exception(ep);
  } catch (const ParseError& e) {
    std::printf("rethrow_exception: %s line %d\n", e.what(), e.line);
  }

  log_.clear();
  try {
    deep_throw(40);
  } catch (const std::overflow_error& e) {
    std::printf("deep: %s unwound=%zu chars, ends with %s\n", e.what(), log_.size(),
                log_.substr(log_.size() - 8).c_str());
  }

  std::map<std::string, int> m{{"a", 1}};
  int caught = 0;
  for (int i = 0; i < 1000; ++i) {
    try {
      m.at(i % 2 ? "a" : "zz");
    } catch (const std::out_of_range&) {
      ++caught;
    }
  }
  std::printf("caught in loop=%d\n", caught);
  return 0;
}
