// Copyright Vigil authors.
#include "signature.h"

#include <cxxabi.h>

#include <cstdlib>

namespace vigil::rt {
namespace {

std::string_view StripNoexcept(std::string_view s) {
  if (s.size() >= 2 && s[0] == 'D' && s[1] == 'o') s.remove_prefix(2);
  return s;
}

}  // namespace

bool SignaturesMatch(std::string_view a, std::string_view b) {
  return !a.empty() && StripNoexcept(a) == StripNoexcept(b);
}

std::string DemangleType(std::string_view type_name) {
  std::string input(type_name);
  int status = 0;
  char* out = abi::__cxa_demangle(input.c_str(), nullptr, nullptr, &status);
  if (status != 0 || out == nullptr) return input;
  std::string result(out);
  std::free(out);
  return result;
}

}  // namespace vigil::rt
