// Copyright Vigil authors.
#include "protocol/settings_check.h"

#include "protocol/protections.h"

namespace vigil::server {
namespace {

bool IsMode(const Json& v) {
  return v.is_string() && (v == "off" || v == "monitor" || v == "block");
}

}  // namespace

void CheckSettings(const Json& s) {
  RequireObject(s, "settings");
  RejectUnknownFields(s, {"mode", "protections", "block"});
  if (s.contains("mode") && !IsMode(s["mode"])) {
    throw InvalidInput("field \"mode\": expected \"off\", \"monitor\" or \"block\"");
  }
  if (s.contains("protections")) {
    const Json& p = s["protections"];
    RequireObject(p, "field \"protections\"");
    for (auto it = p.begin(); it != p.end(); ++it) {
      if (FindProtection(it.key()) == nullptr) {
        throw InvalidInput("field \"protections." + it.key() + "\": unknown protection");
      }
      if (!IsMode(it.value())) {
        throw InvalidInput("field \"protections." + it.key() +
                           "\": expected \"off\", \"monitor\" or \"block\"");
      }
    }
  }
  if (s.contains("block")) {
    const Json& b = s["block"];
    RequireObject(b, "field \"block\"");
    RejectUnknownFields(b, {"status", "html", "json", "redirect"}, "block");
    if (b.contains("status")) GetInt(b, "status", 100, 599);
    if (b.contains("html")) GetString(b, "html", 65536);
    if (b.contains("json")) GetString(b, "json", 65536);
    if (b.contains("redirect")) {
      std::string r = GetString(b, "redirect", 2048);
      if (!r.empty() && r.rfind("http://", 0) != 0 && r.rfind("https://", 0) != 0) {
        throw InvalidInput("field \"block.redirect\": expected \"\" or an http:// or https:// URL");
      }
      for (char c : r) {
        if (static_cast<unsigned char>(c) < 0x20) {
          throw InvalidInput("field \"block.redirect\": control characters are not allowed");
        }
      }
    }
  }
}

}  // namespace vigil::server
