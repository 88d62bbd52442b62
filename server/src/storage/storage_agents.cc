// Copyright Vigil authors.
//
// Applications, their API keys and their agents.
#include "storage/queries.h"

namespace vigil::server::store {
namespace {

constexpr const char* kOnline = "(logged_out_at IS NULL AND last_seen_at + heartbeat_seconds * 3000 > ?)";

App RowToApp(const SqlRow& r) {
  return {r.Int(0), r.Str(1), r.Int(2), r.Int(3), r.Int(4), r.Str(5)};
}

constexpr const char* kAppCols =
    "id, name, created_at, settings_version, ruleset_version, ruleset_text_version";

Json OptInt(const SqlRow& r, size_t i) {
  auto v = r.OptInt(i);
  return v ? Json(*v) : Json(nullptr);
}

Json KeyJson(const SqlRow& r) {
  return {{"id", r.Int(0)},           {"name", r.Str(1)},        {"prefix", r.Str(2)},
          {"created_at", r.Int(3)},   {"created_by", r.Str(4)},  {"last_used_at", OptInt(r, 5)},
          {"revoked_at", OptInt(r, 6)}};
}
constexpr const char* kKeyCols = "id, name, prefix, created_at, created_by, last_used_at, revoked_at";

constexpr const char* kAgentCols =
    "agent_id, host, pid, exe, agent_version, runtime_version, started_at, logged_in_at, "
    "last_heartbeat_at, logged_out_at, status, last_error, mode, ruleset_version, "
    "settings_version, hook_points_total, delivery, last_seen_at, heartbeat_seconds";

Json AgentJson(const SqlRow& r, const App& app, int64_t now) {
  bool online = r.IsNull(9) && r.Int(17) + OfflineAfterMs(r.Int(18)) > now;
  Json delivery = Json::parse(r.Str(16), nullptr, false);
  if (delivery.is_discarded()) delivery = Json::object();
  bool up_to_date = r.Int(14) >= app.settings_version &&
                    (app.ruleset_version == 0 || r.Str(13) == app.ruleset_text_version);
  return {{"agent_id", r.Str(0)},
          {"online", online},
          {"host", r.Str(1)},
          {"pid", r.Int(2)},
          {"exe", r.Str(3)},
          {"agent_version", r.Str(4)},
          {"runtime_version", r.Str(5)},
          {"started_at", r.Int(6)},
          {"logged_in_at", r.Int(7)},
          {"last_heartbeat_at", OptInt(r, 8)},
          {"logged_out_at", OptInt(r, 9)},
          {"status", r.Str(10)},
          {"last_error", r.Str(11)},
          {"mode", r.Str(12)},
          {"ruleset_version", r.Str(13)},
          {"settings_version", r.Int(14)},
          {"up_to_date", up_to_date},
          {"hook_points_total", r.Int(15)},
          {"delivery", delivery}};
}

}  // namespace

std::optional<App> GetApp(Database& db, int64_t id) {
  auto rows = db.Query(std::string("SELECT ") + kAppCols + " FROM apps WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return RowToApp(rows[0]);
}

std::optional<App> GetAppByName(Database& db, const std::string& name) {
  auto rows = db.Query(std::string("SELECT ") + kAppCols + " FROM apps WHERE name = ?", {name});
  if (rows.empty()) return std::nullopt;
  return RowToApp(rows[0]);
}

App CreateApp(Database& db, const std::string& name, int64_t now) {
  auto rows = db.Query(std::string("INSERT INTO apps (name, created_at) VALUES (?, ?) RETURNING ") +
                           kAppCols,
                       {name, now});
  return RowToApp(rows.at(0));
}

Json AppJson(Database& db, const App& app, int64_t now) {
  auto counts = db.Query(std::string("SELECT COUNT(*), COALESCE(SUM(CASE WHEN ") + kOnline +
                             " THEN 1 ELSE 0 END), 0) FROM agents WHERE app_id = ?",
                         {now, app.id});
  auto last = db.Query("SELECT MAX(time) FROM events WHERE app_id = ?", {app.id});
  return {{"id", app.id},
          {"name", app.name},
          {"created_at", app.created_at},
          {"agents_online", counts.at(0).Int(1)},
          {"agents_total", counts.at(0).Int(0)},
          {"last_event_at", OptInt(last.at(0), 0)},
          {"settings_version", app.settings_version},
          {"ruleset_version", app.ruleset_version}};
}

Json ListApps(Database& db, int64_t now) {
  Json out = Json::array();
  for (const SqlRow& r : db.Query(std::string("SELECT ") + kAppCols + " FROM apps ORDER BY name")) {
    out.push_back(AppJson(db, RowToApp(r), now));
  }
  return out;
}

std::optional<KeyMatch> FindApiKey(Database& db, const std::string& hash) {
  auto rows = db.Query("SELECT id, app_id, hash, revoked_at FROM api_keys WHERE hash = ?", {hash});
  if (rows.empty()) return std::nullopt;
  return KeyMatch{rows[0].Int(0), rows[0].Int(1), rows[0].Str(2), !rows[0].IsNull(3)};
}

Json CreateApiKey(Database& db, int64_t app_id, const std::string& name, const std::string& prefix,
                  const std::string& hash, const std::string& by, int64_t now) {
  auto rows = db.Query(
      std::string("INSERT INTO api_keys (app_id, name, prefix, hash, created_at, created_by) "
                  "VALUES (?, ?, ?, ?, ?, ?) RETURNING ") +
          kKeyCols,
      {app_id, name, prefix, hash, now, by});
  return KeyJson(rows.at(0));
}

Json ListApiKeys(Database& db, int64_t app_id) {
  Json out = Json::array();
  for (const SqlRow& r :
       db.Query(std::string("SELECT ") + kKeyCols + " FROM api_keys WHERE app_id = ? ORDER BY id",
                {app_id})) {
    out.push_back(KeyJson(r));
  }
  return out;
}

Json RevokeApiKey(Database& db, int64_t app_id, int64_t key_id, int64_t now) {
  db.Exec("UPDATE api_keys SET revoked_at = ? WHERE app_id = ? AND id = ? AND revoked_at IS NULL",
          {now, app_id, key_id});
  auto rows = db.Query(std::string("SELECT ") + kKeyCols + " FROM api_keys WHERE app_id = ? AND id = ?",
                       {app_id, key_id});
  return rows.empty() ? Json(nullptr) : KeyJson(rows[0]);
}

void TouchApiKey(Database& db, int64_t key_id, int64_t now) {
  db.Exec("UPDATE api_keys SET last_used_at = ? WHERE id = ?", {now, key_id});
}

void UpsertAgent(Database& db, int64_t app_id, const LoginRequest& r, int64_t heartbeat_seconds,
                 int64_t now) {
  // An agent id is the producer's for the life of its process; one that
  // moves to another application (a key swapped) is re-registered there.
  db.Exec(
      "INSERT INTO agents (agent_id, app_id, host, pid, exe, agent_version, runtime_version, "
      "started_at, logged_in_at, last_seen_at, heartbeat_seconds, mode, ruleset_version, "
      "settings_version, hook_points_total) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (agent_id) DO UPDATE SET app_id = excluded.app_id, host = excluded.host, "
      "pid = excluded.pid, exe = excluded.exe, agent_version = excluded.agent_version, "
      "runtime_version = excluded.runtime_version, started_at = excluded.started_at, "
      "logged_in_at = excluded.logged_in_at, last_seen_at = excluded.last_seen_at, "
      "heartbeat_seconds = excluded.heartbeat_seconds, mode = excluded.mode, "
      "ruleset_version = excluded.ruleset_version, settings_version = excluded.settings_version, "
      "hook_points_total = excluded.hook_points_total, logged_out_at = NULL",
      {r.agent_id, app_id, r.host, r.pid, r.exe, r.agent_version, r.runtime_version, r.started_at,
       now, now, heartbeat_seconds, r.mode, r.ruleset_version, r.settings_version,
       r.hook_points_total});
  db.Exec("DELETE FROM hook_points WHERE agent_id = ?", {r.agent_id});
  db.InsertHookPoints(r.agent_id, r.hook_points);
}

std::optional<AgentState> GetAgentState(Database& db, int64_t app_id, const std::string& agent_id) {
  auto rows = db.Query(
      "SELECT ruleset_version, refused_ruleset_action, refused_settings_action, settings_version, "
      "heartbeat_seq FROM agents WHERE agent_id = ? AND app_id = ?",
      {agent_id, app_id});
  if (rows.empty()) return std::nullopt;
  return AgentState{rows[0].Str(0), rows[0].Str(1), rows[0].Str(2), rows[0].Int(3), rows[0].Int(4)};
}

void RecordHeartbeat(Database& db, int64_t app_id, const HeartbeatRequest& r, const App& app,
                     int64_t now) {
  db.Exec(
      "UPDATE agents SET last_seen_at = ?, last_heartbeat_at = ?, heartbeat_seq = ?, "
      "ruleset_version = ?, settings_version = ?, mode = ?, status = ?, last_error = ?, "
      "delivery = ?, logged_out_at = NULL WHERE agent_id = ? AND app_id = ?",
      {now, now, r.seq, r.ruleset_version, r.settings_version, r.mode, r.status, r.last_error,
       r.delivery_json, r.agent_id, app_id});
  for (const ActionResult& res : r.action_results) {
    db.Exec("INSERT INTO action_results (agent_id, action_id, ok, error, time) VALUES (?,?,?,?,?)",
            {r.agent_id, res.id, int64_t{res.ok}, res.error, now});
    if (res.ok) continue;
    // A refused current ruleset/settings action is not sent again to this
    // agent (it would refuse it again at every heartbeat).
    auto cur = db.Query(
        "SELECT type FROM actions WHERE action_id = ? AND app_id = ? AND "
        "type IN ('ruleset', 'settings')",
        {res.id, app_id});
    if (!cur.empty()) {
      RecordRefusal(db, r.agent_id,
                    cur[0].Str(0) == "ruleset" ? "refused_ruleset_action" : "refused_settings_action",
                    res.id);
    }
  }
  (void)app;
}

void RecordLogout(Database& db, int64_t app_id, const std::string& agent_id, int64_t now) {
  db.Exec("UPDATE agents SET logged_out_at = ?, last_seen_at = ? WHERE agent_id = ? AND app_id = ?",
          {now, now, agent_id, app_id});
}

Json ListAgents(Database& db, const App& app, const std::string& status, int64_t now) {
  std::string sql = std::string("SELECT ") + kAgentCols + " FROM agents WHERE app_id = ?";
  SqlParams params{app.id};
  if (status == "online") {
    sql += std::string(" AND ") + kOnline;
    params.push_back(now);
  } else if (status == "offline") {
    sql += std::string(" AND NOT ") + kOnline;
    params.push_back(now);
  }
  sql += " ORDER BY last_seen_at DESC LIMIT 1000";
  Json online = Json::array(), offline = Json::array();
  for (const SqlRow& r : db.Query(sql, params)) {
    Json a = AgentJson(r, app, now);
    (a["online"].get<bool>() ? online : offline).push_back(std::move(a));
  }
  for (auto& a : offline) online.push_back(std::move(a));
  return online;
}

Json GetAgent(Database& db, const App& app, const std::string& agent_id, int64_t now) {
  auto rows = db.Query(std::string("SELECT ") + kAgentCols + " FROM agents WHERE app_id = ? AND agent_id = ?",
                       {app.id, agent_id});
  if (rows.empty()) return nullptr;
  Json results = Json::array();
  for (const SqlRow& r : db.Query(
           "SELECT action_id, ok, error, time FROM action_results WHERE agent_id = ? "
           "ORDER BY id DESC LIMIT 50",
           {agent_id})) {
    results.push_back(
        {{"action_id", r.Str(0)}, {"ok", r.Int(1) != 0}, {"error", r.Str(2)}, {"time", r.Int(3)}});
  }
  return {{"agent", AgentJson(rows[0], app, now)}, {"action_results", results}};
}

Json ListHookPoints(Database& db, const std::string& agent_id, const std::string& q,
                    int64_t offset, int64_t limit) {
  std::string where = " FROM hook_points WHERE agent_id = ?";
  SqlParams params{agent_id};
  if (!q.empty()) {
    // Substring match, case-insensitive; LIKE wildcards in q are literal.
    std::string pattern = "%";
    for (char c : q) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    pattern += "%";
    where += " AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(symbol) LIKE ? ESCAPE '\\' OR "
             "LOWER(file) LIKE ? ESCAPE '\\')";
    params.insert(params.end(), {pattern, pattern, pattern});
  }
  int64_t total = db.Query("SELECT COUNT(*)" + where, params).at(0).Int(0);
  SqlParams page = params;
  page.push_back(limit);
  page.push_back(offset);
  Json hps = Json::array();
  for (const SqlRow& r :
       db.Query("SELECT name, symbol, signature, kind, file, line, image" + where +
                    " ORDER BY idx LIMIT ? OFFSET ?",
                page)) {
    hps.push_back({{"name", r.Str(0)}, {"symbol", r.Str(1)}, {"signature", r.Str(2)},
                   {"kind", r.Str(3)}, {"file", r.Str(4)}, {"line", r.Int(5)}, {"image", r.Str(6)}});
  }
  Json next = offset + static_cast<int64_t>(hps.size()) < total ? Json(offset + int64_t(hps.size()))
                                                                 : Json(nullptr);
  return {{"hook_points", hps}, {"total", total}, {"next_offset", next}};
}

int64_t DeleteAgentsBefore(Database& db, int64_t cutoff) {
  const char* kOld = "(SELECT agent_id FROM agents WHERE last_seen_at < ?)";
  db.Exec(std::string("DELETE FROM hook_points WHERE agent_id IN ") + kOld, {cutoff});
  db.Exec(std::string("DELETE FROM action_results WHERE agent_id IN ") + kOld, {cutoff});
  db.Exec(std::string("DELETE FROM agent_actions WHERE agent_id IN ") + kOld, {cutoff});
  return db.Exec("DELETE FROM agents WHERE last_seen_at < ?", {cutoff});
}

std::vector<std::string> OnlineAgents(Database& db, int64_t app_id, int64_t now) {
  std::vector<std::string> out;
  for (const SqlRow& r : db.Query(std::string("SELECT agent_id FROM agents WHERE app_id = ? AND ") + kOnline,
                                  {app_id, now})) {
    out.push_back(r.Str(0));
  }
  return out;
}

}  // namespace vigil::server::store
