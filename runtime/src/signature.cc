// Copyright Vigil authors.
#include "signature.h"

#include <cxxabi.h>

#include <cstdlib>
#include <vector>

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

namespace {

// The components of a qualified name, split at "::" outside <...> and (...).
std::vector<std::string_view> SplitScopes(std::string_view name) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '<' || c == '(') ++depth;
    if ((c == '>' || c == ')') && depth > 0) --depth;
    if (depth == 0 && c == ':' && i + 1 < name.size() && name[i + 1] == ':') {
      parts.push_back(name.substr(start, i - start));
      start = i + 2;
      ++i;
    }
  }
  parts.push_back(name.substr(start));
  return parts;
}

std::string_view WithoutTemplateArgs(std::string_view s) {
  return s.substr(0, s.find('<'));
}

}  // namespace

bool IsConstructorName(std::string_view qualified_name) {
  std::vector<std::string_view> parts = SplitScopes(qualified_name);
  if (parts.size() < 2) return false;
  std::string_view cls = WithoutTemplateArgs(parts[parts.size() - 2]);
  std::string_view fn = WithoutTemplateArgs(parts.back());
  return !cls.empty() && cls == fn;
}

}  // namespace vigil::rt
