// Copyright Vigil authors.
#include "http/message.h"

#include <algorithm>
#include <charconv>

namespace vigil::server {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool HasCrLf(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

std::string First(const HeaderMap& h, const std::string& key) {
  auto it = h.find(key);
  return it == h.end() ? std::string() : it->second;
}

}  // namespace

bool CaseLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return Lower(x) < Lower(y); });
}

std::string Request::get_header_value(const std::string& key) const { return First(headers, key); }

template <>
uint64_t Request::get_header_value<uint64_t>(const std::string& key) const {
  std::string s = First(headers, key);
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : 0;
}

std::string Request::get_param_value(const std::string& key) const {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

void Response::set_header(const std::string& key, const std::string& value) {
  if (key.empty() || HasCrLf(key) || HasCrLf(value)) return;
  headers.emplace(key, value);
}

std::string Response::get_header_value(const std::string& key) const { return First(headers, key); }

void Response::set_content(const std::string& b, const std::string& content_type) {
  set_content(b.data(), b.size(), content_type);
}

void Response::set_content(const char* data, size_t size, const std::string& content_type) {
  body.assign(data, size);
  headers.erase("Content-Type");
  set_header("Content-Type", content_type);
}

}  // namespace vigil::server
