// Copyright Vigil authors.
//
// Signed actions (docs/protocol.md §6): the versioned ruleset and settings
// of each application, and one-off reload/disable/enable actions queued per
// agent.
#include "storage/queries.h"

namespace vigil::server::store {
namespace {

constexpr const char* kActionCols =
    "action_id, type, payload, signature, created_by, app_id, version, created_at, builtin";

Action RowToAction(const SqlRow& r) {
  Action a;
  a.action_id = r.Str(0);
  a.type = r.Str(1);
  a.payload = r.Str(2);
  a.signature = r.Str(3);
  a.created_by = r.Str(4);
  a.app_id = r.Int(5);
  a.version = r.Int(6);
  a.created_at = r.Int(7);
  a.builtin = r.Int(8) != 0;
  return a;
}

}  // namespace

std::optional<Action> LatestAction(Database& db, int64_t app_id, const std::string& type) {
  auto rows = db.Query(std::string("SELECT ") + kActionCols +
                           " FROM actions WHERE app_id = ? AND type = ? ORDER BY version DESC, id "
                           "DESC LIMIT 1",
                       {app_id, type});
  if (rows.empty()) return std::nullopt;
  return RowToAction(rows[0]);
}

int64_t NextVersion(Database& db, int64_t app_id, const std::string& type) {
  const char* sql = type == "ruleset"
                        ? "UPDATE apps SET ruleset_version = ruleset_version + 1 WHERE id = ? "
                          "RETURNING ruleset_version"
                        : "UPDATE apps SET settings_version = settings_version + 1 WHERE id = ? "
                          "RETURNING settings_version";
  auto rows = db.Query(sql, {app_id});
  if (rows.empty()) throw StorageError("unknown application");
  return rows[0].Int(0);
}

void InsertAction(Database& db, const Action& a, const std::string& ruleset_text_version) {
  db.Exec(
      "INSERT INTO actions (action_id, app_id, type, version, payload, signature, created_at, "
      "created_by, builtin) VALUES (?,?,?,?,?,?,?,?,?)",
      {a.action_id, a.app_id, a.type, a.version, a.payload, a.signature, a.created_at,
       a.created_by, int64_t{a.builtin}});
  if (a.type == "ruleset") {
    db.Exec("UPDATE apps SET ruleset_text_version = ? WHERE id = ?", {ruleset_text_version, a.app_id});
  }
}

void QueueAgentAction(Database& db, const std::string& agent_id, const std::string& action_id,
                      int64_t now) {
  db.Exec("INSERT INTO agent_actions (agent_id, action_id, created_at) VALUES (?,?,?)",
          {agent_id, action_id, now});
}

std::vector<Action> TakePendingActions(Database& db, const std::string& agent_id, int64_t now) {
  std::vector<Action> out;
  for (const SqlRow& r : db.Query(
           "SELECT a.action_id, a.type, a.payload, a.signature, a.created_by, a.app_id, a.version, "
           "a.created_at, a.builtin FROM agent_actions q JOIN actions a ON a.action_id = q.action_id "
           "WHERE q.agent_id = ? AND q.delivered_at IS NULL ORDER BY a.id",
           {agent_id})) {
    out.push_back(RowToAction(r));
  }
  if (!out.empty()) {
    db.Exec("UPDATE agent_actions SET delivered_at = ? WHERE agent_id = ? AND delivered_at IS NULL",
            {now, agent_id});
  }
  return out;
}

void RecordRefusal(Database& db, const std::string& agent_id, const std::string& column,
                   const std::string& action_id) {
  // `column` is one of two fixed names chosen by the caller, never input.
  const char* sql = column == "refused_ruleset_action"
                        ? "UPDATE agents SET refused_ruleset_action = ? WHERE agent_id = ?"
                        : "UPDATE agents SET refused_settings_action = ? WHERE agent_id = ?";
  db.Exec(sql, {action_id, agent_id});
}

}  // namespace vigil::server::store
