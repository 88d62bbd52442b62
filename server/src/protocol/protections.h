// Copyright Vigil authors.
//
// The protections Vigil has, as the server knows them: read from the one
// table the agent reads too (include/vigil/protections.inc). The validators
// take names and parameters from here, and GET /api/protections gives the
// same rows to the dashboard, which keeps no list of its own.
#ifndef VIGIL_SERVER_PROTOCOL_PROTECTIONS_H_
#define VIGIL_SERVER_PROTOCOL_PROTECTIONS_H_

#include <span>
#include <string_view>
#include <vector>

#include "protocol/json_fields.h"

namespace vigil::server {

struct ProtectionInfo {
  std::string_view name;    // "sql_injection"
  std::string_view label;   // "SQL injection"
  std::string_view value;   // what an event's sink value is: "statement"
  std::vector<std::string_view> params;  // the keys a rule's "params" may have
};

// Every protection, in the table's order.
std::span<const ProtectionInfo> Protections();

// The protection called `name`, or null.
const ProtectionInfo* FindProtection(std::string_view name);

// [{"name": ..., "label": ..., "value": ..., "params": [...]}, ...]
Json ProtectionsJson();

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PROTOCOL_PROTECTIONS_H_
