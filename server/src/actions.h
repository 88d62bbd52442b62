// Copyright Vigil authors.
//
// Creating signed actions (docs/protocol.md §6) and choosing which ones an
// agent gets in a login or heartbeat answer.
#ifndef VIGIL_SERVER_ACTIONS_H_
#define VIGIL_SERVER_ACTIONS_H_

#include <string>
#include <vector>

#include "signing.h"
#include "storage/queries.h"

namespace vigil::server {

// Creates and stores the application's next `ruleset` or `settings` action
// carrying `body` (the ruleset, or the settings object). Call inside a write
// transaction.
store::Action CreateVersionedAction(Database& db, const SigningKey& key, const store::App& app,
                                    const std::string& type, const Json& body,
                                    const std::string& by, int64_t now, bool builtin = false);

// Creates a `reload`, `disable` or `enable` action and queues it for each
// of `agents`.
store::Action CreateOneOffAction(Database& db, const SigningKey& key, const store::App& app,
                                 const std::string& type, const std::vector<std::string>& agents,
                                 const std::string& by, int64_t now);

// The envelope sent to agents.
Json ActionEnvelope(const store::Action& a);

// What an agent reporting `ruleset_version` / `settings_version` should be
// sent now: the current ruleset and settings actions when it is behind (and
// has not refused them), then its queued one-off actions (marked sent).
Json ActionsForAgent(Database& db, const store::App& app, const std::string& agent_id,
                     const std::string& ruleset_version, int64_t settings_version,
                     const store::AgentState& state, int64_t now);

// The built-in ruleset (agent/rules/default.json at build time).
const Json& BuiltinRuleset();

}  // namespace vigil::server

#endif  // VIGIL_SERVER_ACTIONS_H_
