// Copyright Vigil authors.
//
// Typed, bounded reads of fields from parsed JSON, for request validation.
// Every reader throws InvalidInput with a message naming the field, so a
// handler turns any malformed request into one clear 400.
#ifndef VIGIL_SERVER_PROTOCOL_JSON_FIELDS_H_
#define VIGIL_SERVER_PROTOCOL_JSON_FIELDS_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil::server {

using Json = nlohmann::json;

// A request that does not follow the documented shape.
class InvalidInput : public std::runtime_error {
 public:
  explicit InvalidInput(const std::string& message) : std::runtime_error(message) {}
};

// Parses `text` as JSON; throws InvalidInput (with the parser's position)
// when it is not JSON or not an object. Nesting is limited to 64 levels.
Json ParseJsonObject(std::string_view text);

// Throws unless `v` is an object.
void RequireObject(const Json& v, const std::string& what);

// Reads obj[key]. Absent or null: `fallback` when given, else InvalidInput.
std::string GetString(const Json& obj, const char* key, size_t max_bytes,
                      std::optional<std::string> fallback = std::nullopt);
int64_t GetInt(const Json& obj, const char* key, int64_t min, int64_t max,
               std::optional<int64_t> fallback = std::nullopt);
bool GetBool(const Json& obj, const char* key, std::optional<bool> fallback = std::nullopt);

// Throws when obj has a key outside `allowed` (for the dashboard API, where a
// misspelt field must be an error).
void RejectUnknownFields(const Json& obj, std::initializer_list<std::string_view> allowed,
                         const std::string& where = "");

// True when `s` is 1..64 characters of lowercase hex digits and dashes: the
// protocol's agent and event ids.
bool IsProtocolId(std::string_view s);

// True when `s` is 1..max characters of A-Z a-z 0-9 and `extra`.
bool IsName(std::string_view s, size_t max, std::string_view extra = "._-");

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PROTOCOL_JSON_FIELDS_H_
