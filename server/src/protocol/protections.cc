// Copyright Vigil authors.
#include "protocol/protections.h"

namespace vigil::server {
namespace {

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<ProtectionInfo> Build() {
  std::vector<ProtectionInfo> v;
#define VIGIL_PROTECTION(enumerator, name, label, value, params) \
  v.push_back({name, label, value, Words(params)});
#include "vigil/protections.inc"
  return v;
}

}  // namespace

std::span<const ProtectionInfo> Protections() {
  static const std::vector<ProtectionInfo>* rows = new std::vector<ProtectionInfo>(Build());
  return *rows;
}

const ProtectionInfo* FindProtection(std::string_view name) {
  for (const ProtectionInfo& p : Protections()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Json ProtectionsJson() {
  Json out = Json::array();
  for (const ProtectionInfo& p : Protections()) {
    Json params = Json::array();
    for (std::string_view k : p.params) params.push_back(k);
    out.push_back({{"name", p.name}, {"label", p.label}, {"value", p.value}, {"params", params}});
  }
  return out;
}

}  // namespace vigil::server
