// Copyright Vigil authors.
//
// The queries vigil-server runs, as free functions on one connection. Each
// is a few parameterised statements; the caller chooses the transaction
// (Storage::Write) or none (Storage::Read). Lists for the JSON API come back
// as JSON in the shapes of docs/server-api.md.
#ifndef VIGIL_SERVER_STORAGE_QUERIES_H_
#define VIGIL_SERVER_STORAGE_QUERIES_H_

#include <optional>
#include <string>
#include <vector>

#include "protocol/agent_messages.h"
#include "storage/database.h"

namespace vigil::server::store {

// ---- applications and API keys (storage_agents.cc) ----
struct App {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0, settings_version = 0, ruleset_version = 0;
  std::string ruleset_text_version;
};
std::optional<App> GetApp(Database& db, int64_t id);
std::optional<App> GetAppByName(Database& db, const std::string& name);
// Throws StorageError(unique_violation) when the name is taken.
App CreateApp(Database& db, const std::string& name, int64_t now);
Json AppJson(Database& db, const App& app, int64_t now);
Json ListApps(Database& db, int64_t now);

struct KeyMatch {
  int64_t key_id = 0, app_id = 0;
  std::string hash;
  bool revoked = false;
};
std::optional<KeyMatch> FindApiKey(Database& db, const std::string& hash);
Json CreateApiKey(Database& db, int64_t app_id, const std::string& name, const std::string& prefix,
                  const std::string& hash, const std::string& by, int64_t now);
Json ListApiKeys(Database& db, int64_t app_id);
// Returns the key's JSON, or null when the app has no such key.
Json RevokeApiKey(Database& db, int64_t app_id, int64_t key_id, int64_t now);
void TouchApiKey(Database& db, int64_t key_id, int64_t now);

// ---- agents ----
// How long an agent stays online without a heartbeat: three intervals.
inline int64_t OfflineAfterMs(int64_t heartbeat_seconds) { return heartbeat_seconds * 3000; }
void UpsertAgent(Database& db, int64_t app_id, const LoginRequest& r, int64_t heartbeat_seconds,
                 int64_t now);
struct AgentState {
  std::string ruleset_version, refused_ruleset_action, refused_settings_action;
  int64_t settings_version = 0, heartbeat_seq = -1;
};
// The agent's state when it belongs to `app_id`.
std::optional<AgentState> GetAgentState(Database& db, int64_t app_id, const std::string& agent_id);
void RecordHeartbeat(Database& db, int64_t app_id, const HeartbeatRequest& r,
                     const App& app, int64_t now);
void RecordLogout(Database& db, int64_t app_id, const std::string& agent_id, int64_t now);
Json ListAgents(Database& db, const App& app, const std::string& status, int64_t now);
Json GetAgent(Database& db, const App& app, const std::string& agent_id, int64_t now);
Json ListHookPoints(Database& db, const std::string& agent_id, const std::string& q,
                    int64_t offset, int64_t limit);
// Forgets agents not seen since `cutoff` (restarted services leave one
// behind each time), with their inventories and action records.
int64_t DeleteAgentsBefore(Database& db, int64_t cutoff);
std::vector<std::string> OnlineAgents(Database& db, int64_t app_id, int64_t now);

// ---- actions (storage_actions.cc) ----
struct Action {
  std::string action_id, type, payload, signature, created_by;
  int64_t app_id = 0, version = 0, created_at = 0;
  bool builtin = false;
};
std::optional<Action> LatestAction(Database& db, int64_t app_id, const std::string& type);
// Takes the application's next version number for `type` (ruleset or
// settings); the row lock serialises concurrent changes across servers.
int64_t NextVersion(Database& db, int64_t app_id, const std::string& type);
void InsertAction(Database& db, const Action& a, const std::string& ruleset_text_version);
void QueueAgentAction(Database& db, const std::string& agent_id, const std::string& action_id,
                      int64_t now);
// One-off actions queued for the agent and not yet sent; marks them sent.
std::vector<Action> TakePendingActions(Database& db, const std::string& agent_id, int64_t now);
void RecordRefusal(Database& db, const std::string& agent_id, const std::string& column,
                   const std::string& action_id);

// ---- events (storage_events.cc) ----
int64_t InsertEvents(Database& db, int64_t app_id, int64_t now,
                     const std::vector<EventRecord>& events);
struct EventFilter {
  std::optional<int64_t> app_id, from, to;
  std::string type, protection, outcome, agent_id;
  // Cursor: continue after (time, id), newest first.
  std::optional<std::pair<int64_t, int64_t>> after;
  int64_t limit = 50;
};
// Returns {"attacks": [...]} plus the last (time, id) when the page is full.
Json ListEvents(Database& db, const EventFilter& f, std::optional<std::pair<int64_t, int64_t>>* last);
Json GetEvent(Database& db, int64_t id);
// Deletes at most `limit` events older than `cutoff`; returns how many.
int64_t DeleteEventsBefore(Database& db, int64_t cutoff, int64_t limit);
int64_t CountEvents(Database& db);

// ---- metrics (storage_metrics.cc) ----
void AddMetrics(Database& db, int64_t app_id, int64_t bucket, const HeartbeatRequest& r);
Json Timeseries(Database& db, int64_t app_id, int64_t from, int64_t to, int64_t bucket_ms);
int64_t DeleteMetricsBefore(Database& db, int64_t cutoff);

// ---- users, sessions, tokens, throttling, audit (storage_users.cc) ----
struct User {
  int64_t id = 0;
  std::string username, role, password_hash;
  int64_t created_at = 0;
};
Json UserJson(const User& u);
int64_t CountUsers(Database& db);
int64_t CountAdmins(Database& db);
std::optional<User> GetUser(Database& db, int64_t id);
std::optional<User> GetUserByName(Database& db, const std::string& username);
User CreateUser(Database& db, const std::string& username, const std::string& password_hash,
                const std::string& role, int64_t now);
Json ListUsers(Database& db);
void SetUserRole(Database& db, int64_t id, const std::string& role);
void SetUserPassword(Database& db, int64_t id, const std::string& hash);
void DeleteUser(Database& db, int64_t id);

struct Session {
  User user;
  std::string csrf_token;
  int64_t expires_at = 0;
};
void CreateSession(Database& db, const std::string& id_hash, int64_t user_id,
                   const std::string& csrf, int64_t now, int64_t expires_at);
std::optional<Session> GetSession(Database& db, const std::string& id_hash, int64_t now);
void DeleteSession(Database& db, const std::string& id_hash);
void DeleteUserSessions(Database& db, int64_t user_id);

struct Token {
  int64_t id = 0;
  User user;  // role is the token's
  std::optional<int64_t> expires_at;
};
Json CreateToken(Database& db, int64_t user_id, const std::string& name, const std::string& role,
                 const std::string& prefix, const std::string& hash, int64_t now,
                 std::optional<int64_t> expires_at);
std::optional<Token> FindToken(Database& db, const std::string& hash, int64_t now);
Json ListTokens(Database& db, std::optional<int64_t> user_id);
// The token's owner, when it exists.
std::optional<int64_t> TokenOwner(Database& db, int64_t id);
void DeleteToken(Database& db, int64_t id);

// Login throttling: failures of `username` within the window.
int64_t RecentLoginFailures(Database& db, const std::string& username, int64_t now,
                            int64_t window_ms, int64_t* window_start);
void RecordLoginFailure(Database& db, const std::string& username, int64_t now, int64_t window_ms);
void ClearLoginFailures(Database& db, const std::string& username);

struct AuditEntry {
  std::string actor, auth, remote_addr, action, target;
  std::optional<int64_t> app_id;
  Json details = Json::object();
};
void AddAudit(Database& db, const AuditEntry& e, int64_t now);
Json ListAudit(Database& db, std::optional<int64_t> app_id, std::optional<int64_t> before_id,
               int64_t limit, std::optional<int64_t>* last_id);

Json StatusCounts(Database& db, int64_t now);

}  // namespace vigil::server::store

#endif  // VIGIL_SERVER_STORAGE_QUERIES_H_
