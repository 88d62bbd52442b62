// Copyright Vigil authors.
//
// The JSON API for the dashboard and automation (docs/server-api.md):
// session, status, applications, API keys, agents, actions, settings,
// ruleset, attacks and time series. Users, tokens and the audit log are in
// dashboard_admin_api.cc.
#include "actions.h"
#include "api/auth.h"
#include "crypto.h"
#include "protocol/protections.h"
#include "protocol/ruleset_check.h"
#include "protocol/settings_check.h"

namespace vigil::server {
namespace {

constexpr int64_t kLoginWindowMs = 15 * 60 * 1000;
constexpr int64_t kLoginMaxFailures = 5;

store::App RequireApp(Database& db, int64_t id) {
  auto app = store::GetApp(db, id);
  if (!app) throw ApiError(404, "not_found", "no application with id " + std::to_string(id));
  return *app;
}

Json Bad(const InvalidInput& e) { return e.what(); }

std::string Cursor(int64_t a, int64_t b) {
  return Base64UrlEncode(std::to_string(a) + ":" + std::to_string(b));
}

std::optional<std::pair<int64_t, int64_t>> ParseCursor(const std::string& c) {
  if (c.empty()) return std::nullopt;
  std::string text;
  long long a = 0, b = 0;
  char tail = 0;
  if (c.size() > 100 || !Base64UrlDecode(c, &text) ||
      std::sscanf(text.c_str(), "%lld:%lld%c", &a, &b, &tail) != 2) {
    throw ApiError(400, "bad_request", "query parameter \"cursor\": not a cursor from this API");
  }
  return std::make_pair(static_cast<int64_t>(a), static_cast<int64_t>(b));
}

Json SettingsJson(Database& db, const store::App& app, int64_t now) {
  auto a = store::LatestAction(db, app.id, "settings");
  int64_t behind = 0;
  for (const SqlRow& r : db.Query(
           "SELECT COUNT(*) FROM agents WHERE app_id = ? AND settings_version < ? AND "
           "logged_out_at IS NULL AND last_seen_at + heartbeat_seconds * 3000 > ?",
           {app.id, app.settings_version, now})) {
    behind = r.Int(0);
  }
  if (!a) {
    return {{"version", 0}, {"settings", Json::object()}, {"updated_at", nullptr},
            {"updated_by", nullptr}, {"agents_behind", 0}};
  }
  Json payload = Json::parse(a->payload);
  return {{"version", a->version}, {"settings", payload["settings"]}, {"updated_at", a->created_at},
          {"updated_by", a->created_by}, {"agents_behind", behind}};
}

Json RulesetJson(Database& db, const store::App& app, int64_t now) {
  auto a = store::LatestAction(db, app.id, "ruleset");
  if (!a) {
    return {{"source", "builtin"}, {"version", 0}, {"ruleset", BuiltinRuleset()},
            {"updated_at", nullptr}, {"updated_by", nullptr}, {"agents_behind", 0}};
  }
  int64_t behind = db.Query(
                         "SELECT COUNT(*) FROM agents WHERE app_id = ? AND ruleset_version <> ? AND "
                         "logged_out_at IS NULL AND last_seen_at + heartbeat_seconds * 3000 > ?",
                         {app.id, app.ruleset_text_version, now})
                       .at(0)
                       .Int(0);
  Json payload = Json::parse(a->payload);
  return {{"source", a->builtin ? "builtin" : "custom"}, {"version", a->version},
          {"ruleset", payload["ruleset"]}, {"updated_at", a->created_at},
          {"updated_by", a->created_by}, {"agents_behind", behind}};
}

void ValidateRuleset(const Json& ruleset) {
  try {
    CheckRuleset(ruleset);
  } catch (const InvalidInput& e) {
    throw ApiError(400, "invalid_ruleset", e.what());
  }
}

}  // namespace

void RegisterDashboardApi(VigilServer& server) {
  VigilServer* s = &server;
  const size_t limit = server.options().max_api_body;

  // ---- session ----
  server.Route("POST", "/api/v1/session", "/api/v1/session", limit, [s](Call& c) {
    Json body = c.JsonBody();
    RejectUnknownFields(body, {"username", "password"});
    std::string username = GetString(body, "username", 64);
    std::string password = GetString(body, "password", 1024);
    int64_t now = NowMs();
    int64_t window_start = 0;
    int64_t failures = s->storage().Read([&](Database& db) {
      return store::RecentLoginFailures(db, username, now, kLoginWindowMs, &window_start);
    });
    if (failures >= kLoginMaxFailures) {
      ++s->metrics().overload_429;
      int retry = static_cast<int>((window_start + kLoginWindowMs - now) / 1000) + 1;
      throw ApiError(429, "too_many_requests", "too many failed logins for this user; retry later",
                     retry);
    }
    auto user = s->storage().Read([&](Database& db) { return store::GetUserByName(db, username); });
    // Verify against a fixed hash when the user does not exist, so that
    // timing does not tell which usernames exist.
    static const std::string kDummy = HashPassword("vigil-no-such-user");
    bool ok = VerifyPassword(user ? user->password_hash : kDummy, password) && user;
    if (!ok) {
      s->storage().Write([&](Database& db) {
        store::RecordLoginFailure(db, username, now, kLoginWindowMs);
        store::AuditEntry e{username, "session", c.req.remote_addr, "login.failed", "", std::nullopt,
                            Json::object()};
        store::AddAudit(db, e, now);
      });
      throw ApiError(401, "unauthorized", "wrong username or password");
    }
    std::string session_id = RandomToken(32);
    std::string csrf = RandomHex(32);
    int64_t expires = now + s->options().session_hours * 3'600'000;
    s->storage().Write([&](Database& db) {
      store::ClearLoginFailures(db, username);
      store::CreateSession(db, Sha256Hex(session_id), user->id, csrf, now, expires);
      store::AuditEntry e{username, "session", c.req.remote_addr, "login", "", std::nullopt,
                          Json::object()};
      store::AddAudit(db, e, now);
    });
    c.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session_id +
                                       "; Path=/; Max-Age=" +
                                       std::to_string(s->options().session_hours * 3600) +
                                       "; HttpOnly; SameSite=Strict" +
                                       (s->options().secure_cookies ? "; Secure" : ""));
    SendJson(c.res, 200,
             {{"user", store::UserJson(*user)}, {"csrf_token", csrf}, {"expires_at", expires}});
  });

  server.Route("DELETE", "/api/v1/session", "/api/v1/session", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    if (p.auth == "session") {
      s->storage().Write([&](Database& db) { store::DeleteSession(db, p.session_hash); });
    }
    c.res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                       "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    SendJson(c.res, 200, Json::object());
  });

  server.Route("GET", "/api/v1/me", "/api/v1/me", 0, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    Json out = {{"user", store::UserJson(p.user)}, {"auth", p.auth}};
    if (p.auth == "session") {
      out["csrf_token"] = p.csrf_token;
      out["expires_at"] = p.expires_at;
    }
    SendJson(c.res, 200, out);
  });

  // ---- server ----
  server.Route("GET", "/api/v1/status", "/api/v1/status", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t now = NowMs();
    Json counts = s->storage().Read([&](Database& db) { return store::StatusCounts(db, now); });
    SendJson(c.res, 200,
             {{"version", VIGIL_SERVER_VERSION},
              {"server_time", now},
              {"storage", s->storage().dialect() == Dialect::kSqlite ? "sqlite" : "postgresql"},
              {"counts", counts}});
  });

  // The protections table (include/vigil/protections.inc): what the
  // dashboard lists, labels and filters by.
  server.Route("GET", "/api/v1/protections", "/api/v1/protections", 0, [s](Call& c) {
    Authenticate(*s, c);
    SendJson(c.res, 200, {{"protections", ProtectionsJson()}});
  });

  server.Route("GET", "/api/v1/signing-key", "/api/v1/signing-key", 0, [s](Call& c) {
    SendJson(c.res, 200, {{"algorithm", "ed25519"}, {"public_key", s->key().PublicKeyBase64()}});
  });

  // ---- applications ----
  server.Route("GET", "/api/v1/apps", "/api/v1/apps", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t now = NowMs();
    SendJson(c.res, 200, {{"apps", s->storage().Read([&](Database& db) { return store::ListApps(db, now); })}});
  });

  server.Route("POST", "/api/v1/apps", "/api/v1/apps", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    Json body = c.JsonBody();
    RejectUnknownFields(body, {"name"});
    std::string name = GetString(body, "name", 64);
    if (!IsName(name, 64)) {
      throw ApiError(400, "bad_request",
                     "field \"name\": expected 1..64 letters, digits, '.', '_' or '-'");
    }
    int64_t now = NowMs();
    try {
      Json app = s->storage().Write([&](Database& db) {
        store::App a = store::CreateApp(db, name, now);
        Audit(db, p, c, "app.create", a.id, name);
        return store::AppJson(db, a, now);
      });
      SendJson(c.res, 201, {{"app", app}});
    } catch (const StorageError& e) {
      if (!e.unique_violation()) throw;
      throw ApiError(409, "conflict", "an application named \"" + name + "\" exists");
    }
    s->news().Refresh();
  });

  server.Route("GET", R"(/api/v1/apps/([^/]+))", "/api/v1/apps/{id}", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1), now = NowMs();
    Json app = s->storage().Read([&](Database& db) { return store::AppJson(db, RequireApp(db, id), now); });
    SendJson(c.res, 200, {{"app", app}});
  });

  // ---- API keys ----
  server.Route("GET", R"(/api/v1/apps/([^/]+)/keys)", "/api/v1/apps/{id}/keys", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1);
    Json keys = s->storage().Read([&](Database& db) {
      RequireApp(db, id);
      return store::ListApiKeys(db, id);
    });
    SendJson(c.res, 200, {{"keys", keys}});
  });

  server.Route("POST", R"(/api/v1/apps/([^/]+)/keys)", "/api/v1/apps/{id}/keys", limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1);
    Json body = c.Body().empty() ? Json::object() : c.JsonBody();
    RejectUnknownFields(body, {"name"});
    std::string name = GetString(body, "name", 128, "");
    std::string secret = "vgk_" + RandomToken(32);
    int64_t now = NowMs();
    Json key = s->storage().Write([&](Database& db) {
      store::App app = RequireApp(db, id);
      Json k = store::CreateApiKey(db, id, name, secret.substr(0, 8), Sha256Hex(secret),
                                   p.user.username, now);
      Audit(db, p, c, "key.create", id, app.name, {{"key_id", k["id"]}, {"name", name}});
      return k;
    });
    s->news().Refresh();
    SendJson(c.res, 201, {{"key", key}, {"secret", secret}});
  });

  server.Route("DELETE", R"(/api/v1/apps/([^/]+)/keys/([^/]+))", "/api/v1/apps/{id}/keys/{key}",
               limit, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1), key_id = c.PathId(2), now = NowMs();
    Json key = s->storage().Write([&](Database& db) {
      store::App app = RequireApp(db, id);
      Json k = store::RevokeApiKey(db, id, key_id, now);
      if (k.is_null()) throw ApiError(404, "not_found", "no such key in this application");
      Audit(db, p, c, "key.revoke", id, app.name, {{"key_id", key_id}});
      return k;
    });
    s->news().Refresh();
    SendJson(c.res, 200, {{"key", key}});
  });

  // ---- agents ----
  server.Route("GET", R"(/api/v1/apps/([^/]+)/agents)", "/api/v1/apps/{id}/agents", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1), now = NowMs();
    std::string status = c.Param("status");
    if (status.empty()) status = "all";
    if (status != "all" && status != "online" && status != "offline") {
      throw ApiError(400, "bad_request", "query parameter \"status\": expected online, offline or all");
    }
    Json agents = s->storage().Read(
        [&](Database& db) { return store::ListAgents(db, RequireApp(db, id), status, now); });
    SendJson(c.res, 200, {{"agents", agents}});
  });

  server.Route("GET", R"(/api/v1/apps/([^/]+)/agents/([^/]+))", "/api/v1/apps/{id}/agents/{agent}", 0,
               [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1), now = NowMs();
    std::string agent = c.PathString(2);
    Json out = s->storage().Read(
        [&](Database& db) { return store::GetAgent(db, RequireApp(db, id), agent, now); });
    if (out.is_null()) throw ApiError(404, "not_found", "no such agent in this application");
    SendJson(c.res, 200, out);
  });

  server.Route("GET", R"(/api/v1/apps/([^/]+)/agents/([^/]+)/hook-points)",
               "/api/v1/apps/{id}/agents/{agent}/hook-points", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1);
    std::string agent = c.PathString(2);
    std::string q = c.Param("q");
    if (q.size() > 256) throw ApiError(400, "bad_request", "query parameter \"q\": longer than 256 bytes");
    int64_t offset = c.IntParam("offset", 0, 1'000'000).value_or(0);
    int64_t lim = c.IntParam("limit", 1, 1000).value_or(100);
    Json out = s->storage().Read([&](Database& db) {
      RequireApp(db, id);
      auto rows = db.Query("SELECT hook_points_total FROM agents WHERE agent_id = ? AND app_id = ?",
                           {agent, id});
      if (rows.empty()) throw ApiError(404, "not_found", "no such agent in this application");
      Json j = store::ListHookPoints(db, agent, q, offset, lim);
      j["hook_points_total"] = rows[0].Int(0);
      return j;
    });
    SendJson(c.res, 200, out);
  });

  server.Route("POST", R"(/api/v1/apps/([^/]+)/actions)", "/api/v1/apps/{id}/actions", limit,
               [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1), now = NowMs();
    Json body = c.JsonBody();
    RejectUnknownFields(body, {"type", "agent_id"});
    std::string type = GetString(body, "type", 16);
    if (type != "reload" && type != "disable" && type != "enable") {
      throw ApiError(400, "bad_request", "field \"type\": expected reload, disable or enable");
    }
    std::string agent = GetString(body, "agent_id", 64, "");
    Json out = s->storage().Write([&](Database& db) {
      store::App app = RequireApp(db, id);
      std::vector<std::string> agents;
      if (!agent.empty()) {
        if (!store::GetAgentState(db, id, agent)) {
          throw ApiError(404, "not_found", "no such agent in this application");
        }
        agents.push_back(agent);
      } else {
        agents = store::OnlineAgents(db, id, now);
      }
      store::Action a = CreateOneOffAction(db, s->key(), app, type, agents, p.user.username, now);
      Audit(db, p, c, "action." + type, id, app.name, {{"action_id", a.action_id}, {"agents", agents}});
      return Json{{"id", a.action_id}, {"type", type}, {"created_at", now}, {"agents", agents}};
    });
    s->news().Refresh();
    SendJson(c.res, 201, {{"action", out}});
  });

  // ---- settings ----
  server.Route("GET", R"(/api/v1/apps/([^/]+)/settings)", "/api/v1/apps/{id}/settings", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1), now = NowMs();
    SendJson(c.res, 200, s->storage().Read([&](Database& db) { return SettingsJson(db, RequireApp(db, id), now); }));
  });

  server.Route("PUT", R"(/api/v1/apps/([^/]+)/settings)", "/api/v1/apps/{id}/settings", limit,
               [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1), now = NowMs();
    Json settings = c.JsonBody();
    CheckSettings(settings);
    Json out = s->storage().Write([&](Database& db) {
      store::App app = RequireApp(db, id);
      store::Action a = CreateVersionedAction(db, s->key(), app, "settings", settings, p.user.username, now);
      Audit(db, p, c, "settings.update", id, app.name, {{"version", a.version}, {"settings", settings}});
      return SettingsJson(db, *store::GetApp(db, id), now);
    });
    s->news().Refresh();
    SendJson(c.res, 200, out);
  });

  // ---- ruleset ----
  server.Route("GET", R"(/api/v1/apps/([^/]+)/ruleset)", "/api/v1/apps/{id}/ruleset", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1), now = NowMs();
    SendJson(c.res, 200, s->storage().Read([&](Database& db) { return RulesetJson(db, RequireApp(db, id), now); }));
  });

  server.Route("PUT", R"(/api/v1/apps/([^/]+)/ruleset)", "/api/v1/apps/{id}/ruleset",
               server.options().max_ruleset_body, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1), now = NowMs();
    Json ruleset = c.JsonBody();
    ValidateRuleset(ruleset);
    Json out = s->storage().Write([&](Database& db) {
      store::App app = RequireApp(db, id);
      store::Action a = CreateVersionedAction(db, s->key(), app, "ruleset", ruleset, p.user.username, now);
      Audit(db, p, c, "ruleset.update", id, app.name,
            {{"version", a.version}, {"ruleset_version", ruleset["version"]}});
      return RulesetJson(db, *store::GetApp(db, id), now);
    });
    s->news().Refresh();
    SendJson(c.res, 200, out);
  });

  server.Route("POST", R"(/api/v1/apps/([^/]+)/ruleset/validate)", "/api/v1/apps/{id}/ruleset/validate",
               server.options().max_ruleset_body, [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1);
    s->storage().Read([&](Database& db) { RequireApp(db, id); });
    Json ruleset;
    try {
      ruleset = ParseJsonObject(c.Body());
      CheckRuleset(ruleset);
    } catch (const InvalidInput& e) {
      SendJson(c.res, 200, {{"valid", false}, {"message", e.what()}});
      return;
    }
    SendJson(c.res, 200, {{"valid", true}});
  });

  server.Route("DELETE", R"(/api/v1/apps/([^/]+)/ruleset)", "/api/v1/apps/{id}/ruleset", limit,
               [s](Call& c) {
    Principal p = Authenticate(*s, c);
    RequireAdmin(p);
    int64_t id = c.PathId(1), now = NowMs();
    Json out = s->storage().Write([&](Database& db) {
      store::App app = RequireApp(db, id);
      store::Action a = CreateVersionedAction(db, s->key(), app, "ruleset", BuiltinRuleset(),
                                              p.user.username, now, /*builtin=*/true);
      Audit(db, p, c, "ruleset.reset", id, app.name, {{"version", a.version}});
      return RulesetJson(db, *store::GetApp(db, id), now);
    });
    s->news().Refresh();
    SendJson(c.res, 200, out);
  });

  // ---- attacks ----
  server.Route("GET", "/api/v1/attacks", "/api/v1/attacks", 0, [s](Call& c) {
    Authenticate(*s, c);
    store::EventFilter f;
    f.app_id = c.IntParam("app", 1, INT64_MAX);
    f.from = c.IntParam("from", 0, INT64_MAX);
    f.to = c.IntParam("to", 0, INT64_MAX);
    f.limit = c.IntParam("limit", 1, 200).value_or(50);
    f.type = c.Param("type");
    f.protection = c.Param("protection");
    f.outcome = c.Param("outcome");
    f.agent_id = c.Param("agent_id");
    for (const std::string* v : {&f.type, &f.protection, &f.outcome, &f.agent_id}) {
      if (v->size() > 128) throw ApiError(400, "bad_request", "query parameter longer than 128 bytes");
    }
    f.after = ParseCursor(c.Param("cursor"));
    std::optional<std::pair<int64_t, int64_t>> last;
    Json attacks = s->storage().Read([&](Database& db) {
      if (f.app_id) RequireApp(db, *f.app_id);
      return store::ListEvents(db, f, &last);
    });
    SendJson(c.res, 200,
             {{"attacks", attacks},
              {"next_cursor", last ? Json(Cursor(last->first, last->second)) : Json(nullptr)}});
  });

  server.Route("GET", R"(/api/v1/attacks/([^/]+))", "/api/v1/attacks/{id}", 0, [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1);
    Json a = s->storage().Read([&](Database& db) { return store::GetEvent(db, id); });
    if (a.is_null()) throw ApiError(404, "not_found", "no such attack");
    SendJson(c.res, 200, {{"attack", a}});
  });

  // ---- time series ----
  server.Route("GET", R"(/api/v1/apps/([^/]+)/timeseries)", "/api/v1/apps/{id}/timeseries", 0,
               [s](Call& c) {
    Authenticate(*s, c);
    int64_t id = c.PathId(1), now = NowMs();
    int64_t bucket = c.IntParam("bucket", 60, 86400).value_or(60);
    if (bucket % 60 != 0) throw ApiError(400, "bad_request", "query parameter \"bucket\": a multiple of 60");
    int64_t bucket_ms = bucket * 1000;
    int64_t to = c.IntParam("to", 0, INT64_MAX / 2).value_or(now);
    int64_t from = c.IntParam("from", 0, INT64_MAX / 2).value_or(to - 3'600'000);
    from = from / bucket_ms * bucket_ms;
    to = (to + bucket_ms - 1) / bucket_ms * bucket_ms;
    if (from >= to) throw ApiError(400, "bad_request", "\"from\" must be before \"to\"");
    if ((to - from) / bucket_ms > 1000) {
      throw ApiError(400, "bad_request", "more than 1000 buckets: use a larger \"bucket\"");
    }
    Json out = s->storage().Read([&](Database& db) {
      RequireApp(db, id);
      return store::Timeseries(db, id, from, to, bucket_ms);
    });
    SendJson(c.res, 200, out);
  });
  (void)Bad;
}

}  // namespace vigil::server
