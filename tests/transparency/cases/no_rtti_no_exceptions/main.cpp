// C++ compiled with -fno-rtti -fno-exceptions (common in embedded, games,
// and code bases following such style guides): virtual calls, templates,
// static_cast-based downcasts, error codes instead of exceptions.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

enum class Err { Ok, Empty, TooLong, BadChar };

struct Result {
  Err err;
  long value;
};

class Parser {
 public:
  virtual ~Parser() = default;
  virtual Result parse(const char* s) const = 0;
  virtual const char* name() const = 0;
};

class DecParser final : public Parser {
 public:
  Result parse(const char* s) const override {
    if (!*s) return {Err::Empty, 0};
    if (std::strlen(s) > 18) return {Err::TooLong, 0};
    long v = 0;
    for (; *s; ++s) {
      if (*s < '0' || *s > '9') return {Err::BadChar, v};
      v = v * 10 + (*s - '0');
    }
    return {Err::Ok, v};
  }
  const char* name() const override { return "dec"; }
};

class HexParser final : public Parser {
 public:
  Result parse(const char* s) const override {
    if (!*s) return {Err::Empty, 0};
    if (std::strlen(s) > 15) return {Err::TooLong, 0};
    long v = 0;
    for (; *s; ++s) {
      int d = (*s >= '0' && *s <= '9') ? *s - '0' : (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10 : -1;
      if (d < 0) return {Err::BadChar, v};
      v = v * 16 + d;
    }
    return {Err::Ok, v};
  }
  const char* name() const override { return "hex"; }
};

template <typename T>
T sum_all(const std::vector<T>& v) {
  T s{};
  for (const T& x : v) s += x;
  return s;
}

const char* err_name(Err e) {
  switch (e) {
    case Err::Ok: return "ok";
    case Err::Empty: return "empty";
    case Err::TooLong: return "too-long";
    case Err::BadChar: return "bad-char";
  }
  return "?";
}

int main() {
  std::vector<std::unique_ptr<Parser>> parsers;
  parsers.push_back(std::make_unique<DecParser>());
  parsers.push_back(std::make_unique<HexParser>());
  const char* inputs[] = {"1234", "ff", "", "12z4", "9999999999999999999999", "deadbeef"};
  std::vector<long> oks;
  for (const auto& p : parsers)
    for (const char* in : inputs) {
      Result r = p->parse(in);
      std::printf("%s('%s') -> %s %ld\n", p->name(), in, err_name(r.err), r.value);
      if (r.err == Err::Ok) oks.push_back(r.value);
    }
  const Parser* base = parsers[1].get();
  const HexParser* hp = static_cast<const HexParser*>(base);
  std::printf("sum of oks=%ld via static_cast=%s\n", sum_all(oks), hp->name());
  std::string s = "no-exceptions";
  s.append(3, '!');
  std::printf("%s %zu\n", s.c_str(), s.size());
  return 0;
}
