// Copyright Vigil authors.
#include "http/target.h"

namespace vigil::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "a=1&b=2&a=3": every pair, in order; a key without '=' has an empty value.
void ParseQuery(std::string_view query, ParamMap* params) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    params->emplace(DecodeUrl(key, true), DecodeUrl(value, true));
  }
}

}  // namespace

std::string DecodeUrl(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

bool ParseTarget(std::string_view target, std::string* path, ParamMap* params) {
  if (target.empty() || target[0] != '/') return false;
  size_t q = target.find('?');
  *path = DecodeUrl(target.substr(0, q), false);
  params->clear();
  if (q != std::string_view::npos) ParseQuery(target.substr(q + 1), params);
  return true;
}

}  // namespace vigil::server
