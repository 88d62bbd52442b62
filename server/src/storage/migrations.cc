// Copyright Vigil authors.
#include "storage/migrations.h"

#include <chrono>
#include <string>

namespace vigil::server {
namespace {

// `%ID%` is the auto-increment primary key, the one spelling that differs
// between the two engines; everything else is common SQL.
const char* const kMigrations[] = {
    // 1: the whole first schema.
    R"sql(
CREATE TABLE apps (
  id %ID%, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL,
  settings_version BIGINT NOT NULL DEFAULT 0, ruleset_version BIGINT NOT NULL DEFAULT 0,
  ruleset_text_version TEXT NOT NULL DEFAULT '');
CREATE TABLE api_keys (
  id %ID%, app_id BIGINT NOT NULL REFERENCES apps(id), name TEXT NOT NULL, prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  last_used_at BIGINT, revoked_at BIGINT);
CREATE TABLE agents (
  agent_id TEXT PRIMARY KEY, app_id BIGINT NOT NULL REFERENCES apps(id),
  host TEXT NOT NULL, pid BIGINT NOT NULL, exe TEXT NOT NULL, agent_version TEXT NOT NULL,
  runtime_version TEXT NOT NULL, started_at BIGINT NOT NULL, logged_in_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL, last_heartbeat_at BIGINT, logged_out_at BIGINT,
  heartbeat_seconds BIGINT NOT NULL, heartbeat_seq BIGINT NOT NULL DEFAULT -1,
  status TEXT NOT NULL DEFAULT 'running', last_error TEXT NOT NULL DEFAULT '',
  mode TEXT NOT NULL, ruleset_version TEXT NOT NULL, settings_version BIGINT NOT NULL,
  delivery TEXT NOT NULL DEFAULT '{}', hook_points_total BIGINT NOT NULL DEFAULT 0,
  refused_ruleset_action TEXT, refused_settings_action TEXT);
CREATE INDEX agents_by_app ON agents (app_id, last_seen_at);
CREATE TABLE hook_points (
  agent_id TEXT NOT NULL REFERENCES agents(agent_id) ON DELETE CASCADE, idx BIGINT NOT NULL,
  name TEXT NOT NULL, symbol TEXT NOT NULL, signature TEXT NOT NULL, kind TEXT NOT NULL,
  file TEXT NOT NULL, line BIGINT NOT NULL, image TEXT NOT NULL, PRIMARY KEY (agent_id, idx));
CREATE TABLE events (
  id %ID%, app_id BIGINT NOT NULL, event_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  time BIGINT NOT NULL, received_at BIGINT NOT NULL, type TEXT NOT NULL,
  protection TEXT NOT NULL, rule TEXT NOT NULL, hook_point TEXT NOT NULL,
  outcome TEXT NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX events_unique ON events (app_id, event_id);
CREATE INDEX events_by_time ON events (time, id);
CREATE INDEX events_by_app_time ON events (app_id, time, id);
CREATE TABLE actions (
  id %ID%, action_id TEXT NOT NULL UNIQUE, app_id BIGINT NOT NULL REFERENCES apps(id),
  type TEXT NOT NULL, version BIGINT NOT NULL, payload TEXT NOT NULL, signature TEXT NOT NULL,
  created_at BIGINT NOT NULL, created_by TEXT NOT NULL, builtin BIGINT NOT NULL DEFAULT 0);
CREATE INDEX actions_by_app ON actions (app_id, type, version);
CREATE TABLE agent_actions (
  agent_id TEXT NOT NULL, action_id TEXT NOT NULL, created_at BIGINT NOT NULL,
  delivered_at BIGINT, PRIMARY KEY (agent_id, action_id));
CREATE INDEX agent_actions_pending ON agent_actions (delivered_at);
CREATE TABLE action_results (
  id %ID%, agent_id TEXT NOT NULL, action_id TEXT NOT NULL, ok BIGINT NOT NULL,
  error TEXT NOT NULL, time BIGINT NOT NULL);
CREATE INDEX action_results_by_agent ON action_results (agent_id, id);
CREATE TABLE metric_counters (
  app_id BIGINT NOT NULL, bucket BIGINT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL,
  value BIGINT NOT NULL, PRIMARY KEY (app_id, bucket, name, label));
CREATE TABLE metric_histograms (
  app_id BIGINT NOT NULL, bucket BIGINT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL,
  count BIGINT NOT NULL, sum BIGINT NOT NULL, max BIGINT NOT NULL, buckets TEXT NOT NULL,
  PRIMARY KEY (app_id, bucket, name, label));
CREATE TABLE users (
  id %ID%, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, role TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE TABLE api_tokens (
  id %ID%, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,
  role TEXT NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL,
  expires_at BIGINT, last_used_at BIGINT);
CREATE TABLE login_failures (
  username TEXT PRIMARY KEY, failures BIGINT NOT NULL, window_start BIGINT NOT NULL);
CREATE TABLE audit_log (
  id %ID%, time BIGINT NOT NULL, actor TEXT NOT NULL, auth TEXT NOT NULL,
  remote_addr TEXT NOT NULL, action TEXT NOT NULL, app_id BIGINT, target TEXT NOT NULL,
  details TEXT NOT NULL);
CREATE INDEX audit_by_app ON audit_log (app_id, id);
)sql",
};

std::string ForDialect(std::string sql, Dialect d) {
  const std::string id = d == Dialect::kSqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY";
  for (size_t p; (p = sql.find("%ID%")) != std::string::npos;) sql.replace(p, 4, id);
  return sql;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int CurrentVersion(Database& db) {
  auto rows = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return static_cast<int>(rows.at(0).Int(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

int Migrate(Database& db) {
  db.LockMigrations();
  int applied = 0;
  try {
    db.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        "applied_at BIGINT NOT NULL)");
    for (int v = CurrentVersion(db) + 1; v <= LatestSchemaVersion(); ++v) {
      InWriteTransaction(db, [&] {
        // Re-checked inside the transaction: another process may have
        // applied it while this one waited (SQLite has no advisory lock).
        if (CurrentVersion(db) >= v) return;
        db.ExecScript(ForDialect(kMigrations[v - 1], db.dialect()));
        db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                {int64_t{v}, NowMs()});
        ++applied;
      });
    }
    if (CurrentVersion(db) > LatestSchemaVersion()) {
      throw StorageError("the database schema (version " + std::to_string(CurrentVersion(db)) +
                         ") is newer than this vigil-server knows (" +
                         std::to_string(LatestSchemaVersion()) + "): upgrade vigil-server");
    }
  } catch (...) {
    try {
      db.UnlockMigrations();
    } catch (...) {
    }
    throw;
  }
  db.UnlockMigrations();
  return applied;
}

}  // namespace vigil::server
