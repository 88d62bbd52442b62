// Copyright Vigil authors.
//
// Validation of protection settings (docs/server-api.md §7; the `settings`
// object of a settings action, docs/protocol.md §6).
#ifndef VIGIL_SERVER_PROTOCOL_SETTINGS_CHECK_H_
#define VIGIL_SERVER_PROTOCOL_SETTINGS_CHECK_H_

#include "protocol/json_fields.h"

namespace vigil::server {

// Throws InvalidInput naming the field when `settings` is not valid.
void CheckSettings(const Json& settings);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PROTOCOL_SETTINGS_CHECK_H_
