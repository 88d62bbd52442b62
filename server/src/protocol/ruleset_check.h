// Copyright Vigil authors.
//
// Shape check of an uploaded ruleset (docs/ruleset.md, "Schema"): what the
// server can know without the agent's hook points. The agent checks the rest
// and reports a refusal in its action results.
#ifndef VIGIL_SERVER_PROTOCOL_RULESET_CHECK_H_
#define VIGIL_SERVER_PROTOCOL_RULESET_CHECK_H_

#include "protocol/json_fields.h"

namespace vigil::server {

// Throws InvalidInput with one line naming the rule, the field and the reason.
void CheckRuleset(const Json& ruleset);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PROTOCOL_RULESET_CHECK_H_
