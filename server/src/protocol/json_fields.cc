// Copyright Vigil authors.
#include "protocol/json_fields.h"

#include <algorithm>

namespace vigil::server {
namespace {

std::string Field(const char* key) { return std::string("field \"") + key + "\""; }

}  // namespace

// Nesting depth of a JSON text, by a linear scan that skips strings. The
// parser itself is iterative, but serialising and comparing values recurse,
// so a hostile document nested a million levels deep is refused up front.
static int MaxNesting(std::string_view text) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') max_depth = std::max(max_depth, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  return max_depth;
}

Json ParseJsonObject(std::string_view text) {
  if (MaxNesting(text) > 64) throw InvalidInput("invalid JSON: nested deeper than 64 levels");
  Json v = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (v.is_discarded()) {
    // Parse again for the error's position: only bad requests pay for it.
    try {
      (void)Json::parse(text.begin(), text.end());
    } catch (const Json::exception& e) {
      throw InvalidInput(std::string("invalid JSON: ") + e.what());
    }
    throw InvalidInput("invalid JSON");
  }
  if (!v.is_object()) throw InvalidInput("invalid JSON: expected an object");
  return v;
}

void RequireObject(const Json& v, const std::string& what) {
  if (!v.is_object()) throw InvalidInput(what + ": expected an object");
}

std::string GetString(const Json& obj, const char* key, size_t max_bytes,
                      std::optional<std::string> fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (fallback) return *fallback;
    throw InvalidInput(Field(key) + ": missing");
  }
  if (!it->is_string()) throw InvalidInput(Field(key) + ": expected a string");
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    throw InvalidInput(Field(key) + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  return s;
}

int64_t GetInt(const Json& obj, const char* key, int64_t min, int64_t max,
               std::optional<int64_t> fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (fallback) return *fallback;
    throw InvalidInput(Field(key) + ": missing");
  }
  int64_t v;
  if (it->is_number_integer()) {
    if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX)) {
      throw InvalidInput(Field(key) + ": out of range");
    }
    v = it->get<int64_t>();
  } else {
    throw InvalidInput(Field(key) + ": expected an integer");
  }
  if (v < min || v > max) {
    throw InvalidInput(Field(key) + ": expected an integer " + std::to_string(min) + ".." +
                       std::to_string(max) + ", got " + std::to_string(v));
  }
  return v;
}

bool GetBool(const Json& obj, const char* key, std::optional<bool> fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (fallback) return *fallback;
    throw InvalidInput(Field(key) + ": missing");
  }
  if (!it->is_boolean()) throw InvalidInput(Field(key) + ": expected true or false");
  return it->get<bool>();
}

void RejectUnknownFields(const Json& obj, std::initializer_list<std::string_view> allowed,
                         const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == it.key();
    if (!known) {
      throw InvalidInput((where.empty() ? "" : where + " ") + "field \"" + it.key() +
                         "\": unknown field");
    }
  }
}

bool IsProtocolId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-')) return false;
  }
  return true;
}

bool IsName(std::string_view s, size_t max, std::string_view extra) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace vigil::server
