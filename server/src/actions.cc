// Copyright Vigil authors.
#include "actions.h"

#include "crypto.h"

namespace vigil::server {
namespace {

const char kBuiltinRuleset[] = {
#include "default_ruleset.inc"
};

store::Action Sign(const SigningKey& key, const store::App& app, const std::string& type,
                   int64_t version, const Json* body, const std::string& by, int64_t now) {
  store::Action a;
  a.action_id = "act-" + RandomHex(12);
  a.type = type;
  a.app_id = app.id;
  a.version = version;
  a.created_at = now;
  a.created_by = by;
  Json payload = {{"type", type}, {"id", a.action_id}, {"app", app.name},
                  {"version", version}, {"issued_at", now}};
  if (body) payload[type] = *body;
  // The text is signed and sent as is: neither side re-serialises it.
  a.payload = payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  a.signature = key.Sign(a.payload);
  return a;
}

}  // namespace

const Json& BuiltinRuleset() {
  static const Json ruleset = [] {
    Json j = Json::parse(kBuiltinRuleset, nullptr, false);
    if (j.is_discarded() || !j.is_object()) j = {{"version", "vigil-default"}, {"rules", Json::array()}};
    return j;
  }();
  return ruleset;
}

store::Action CreateVersionedAction(Database& db, const SigningKey& key, const store::App& app,
                                    const std::string& type, const Json& body,
                                    const std::string& by, int64_t now, bool builtin) {
  int64_t version = store::NextVersion(db, app.id, type);
  store::Action a = Sign(key, app, type, version, &body, by, now);
  a.builtin = builtin;
  store::InsertAction(db, a, type == "ruleset" ? body.value("version", "") : "");
  return a;
}

store::Action CreateOneOffAction(Database& db, const SigningKey& key, const store::App& app,
                                 const std::string& type, const std::vector<std::string>& agents,
                                 const std::string& by, int64_t now) {
  store::Action a = Sign(key, app, type, 0, nullptr, by, now);
  store::InsertAction(db, a, "");
  for (const std::string& agent : agents) store::QueueAgentAction(db, agent, a.action_id, now);
  return a;
}

Json ActionEnvelope(const store::Action& a) {
  return {{"id", a.action_id}, {"type", a.type}, {"payload", a.payload}, {"signature", a.signature}};
}

Json ActionsForAgent(Database& db, const store::App& app, const std::string& agent_id,
                     const std::string& ruleset_version, int64_t settings_version,
                     const store::AgentState& state, int64_t now) {
  Json out = Json::array();
  if (app.ruleset_version > 0 && ruleset_version != app.ruleset_text_version) {
    if (auto a = store::LatestAction(db, app.id, "ruleset");
        a && a->action_id != state.refused_ruleset_action) {
      out.push_back(ActionEnvelope(*a));
    }
  }
  if (app.settings_version > settings_version) {
    if (auto a = store::LatestAction(db, app.id, "settings");
        a && a->action_id != state.refused_settings_action) {
      out.push_back(ActionEnvelope(*a));
    }
  }
  for (const store::Action& a : store::TakePendingActions(db, agent_id, now)) {
    out.push_back(ActionEnvelope(a));
  }
  return out;
}

}  // namespace vigil::server
