// Copyright Vigil authors.
#include "protections/sink.h"

namespace vigil::agent {

std::string_view ArgKindName(ArgKind k) {
  switch (k) {
    case ArgKind::kCString: return "text (const char*)";
    case ArgKind::kVoidText: return "UTF-16 text (const void*)";
    case ArgKind::kStdString: return "text (std::string)";
    case ArgKind::kInteger: return "an integer";
    case ArgKind::kArgv: return "an argument vector (char* const*)";
    case ArgKind::kOther: return "neither text nor an integer";
  }
  return "?";
}

bool GlobMatch(std::string_view p, std::string_view s) {
  // Iterative matching with one backtrack point per '*': linear in practice.
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<const Sink*> MatchSinks(std::span<const Sink> sinks, std::string_view pattern) {
  std::vector<const Sink*> out;
  for (const Sink& s : sinks) {
    if (GlobMatch(pattern, s.name) || GlobMatch(pattern, s.symbol)) out.push_back(&s);
  }
  return out;
}

}  // namespace vigil::agent
