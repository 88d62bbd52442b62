// Copyright Vigil authors.
//
// The agent protocol, server side (docs/protocol.md §3): login, heartbeat,
// news, batch, logout under /api/agent/v1/.
#include <algorithm>

#include "actions.h"
#include "crypto.h"
#include "protocol/agent_messages.h"
#include "server.h"
#include "storage/queries.h"

namespace vigil::server {
namespace {

constexpr char kPrefix[] = "/api/agent/v1";

struct AgentAuth {
  int64_t app_id = 0, key_id = 0;
};

// The application of the request's API key: 401 when missing or unknown,
// 403 when revoked.
AgentAuth Authenticate(VigilServer& server, Call& call) {
  const std::string& h = call.req.get_header_value("Authorization");
  if (h.size() <= 7 || h.compare(0, 7, "Bearer ") != 0) {
    throw ApiError(401, "unauthorized", "missing API key (Authorization: Bearer <key>)");
  }
  std::string key = h.substr(7);
  if (key.size() > 256) throw ApiError(401, "unauthorized", "unknown API key");
  std::string hash = Sha256Hex(key);
  auto snap = server.news().Get();
  auto it = snap->keys.find(hash);
  if (it != snap->keys.end() && ConstantTimeEquals(it->first, hash)) {
    return {it->second.second, it->second.first};
  }
  // Not in the snapshot: created in the last second (perhaps on another
  // server), revoked, or unknown.
  auto match = server.storage().Read([&](Database& db) { return store::FindApiKey(db, hash); });
  if (!match || !ConstantTimeEquals(match->hash, hash)) {
    throw ApiError(401, "unauthorized", "unknown API key");
  }
  if (match->revoked) throw ApiError(403, "forbidden", "this API key has been revoked");
  return {match->app_id, match->key_id};
}

void CheckProtocolHeader(Call& call) {
  if (call.req.has_header("Vigil-Protocol") && call.req.get_header_value("Vigil-Protocol") != "1") {
    throw ApiError(400, "bad_request", "protocol version not spoken by this server; it speaks: 1");
  }
}

template <typename T, typename F>
T ParseOr400(F&& parse, const std::string& body) {
  try {
    return parse(body);
  } catch (const InvalidInput& e) {
    throw ApiError(400, "bad_request", e.what());
  }
}

// Releases an ingestion slot on every path out of the batch handler.
class InflightSlot {
 public:
  InflightSlot(ServerMetrics& m, int64_t bytes) : m_(m), bytes_(bytes) {
    depth_ = ++m_.queue_depth;
    total_bytes_ = m_.queue_bytes += bytes_;
  }
  // Records an admitted batch in the peak gauge.
  void Admit() {
    int64_t peak = m_.queue_depth_peak.load();
    while (depth_ > peak && !m_.queue_depth_peak.compare_exchange_weak(peak, depth_)) {
    }
  }
  // Gives the slot back early (a refused batch, before its body is drained).
  void Release() {
    if (released_) return;
    released_ = true;
    --m_.queue_depth;
    m_.queue_bytes -= bytes_;
  }
  // Batches and bytes in flight, this one included, when it was admitted.
  int64_t depth() const { return depth_; }
  int64_t bytes() const { return total_bytes_; }
  ~InflightSlot() { Release(); }

 private:
  ServerMetrics& m_;
  int64_t bytes_;
  int64_t depth_ = 0, total_bytes_ = 0;
  bool released_ = false;
};

}  // namespace

void RegisterAgentApi(VigilServer& server) {
  VigilServer* s = &server;
  const size_t limit = server.options().max_agent_body;

  server.Route("POST", std::string(kPrefix) + "/login", "/api/agent/v1/login", limit, [s](Call& c) {
    CheckProtocolHeader(c);
    AgentAuth auth = Authenticate(*s, c);
    auto r = ParseOr400<LoginRequest>(ParseLogin, c.Body());
    int64_t now = NowMs();
    const int hb = s->options().heartbeat_seconds;
    Json actions = s->storage().Write([&](Database& db) {
      auto app = store::GetApp(db, auth.app_id);
      if (!app) throw ApiError(403, "forbidden", "the application of this key no longer exists");
      store::UpsertAgent(db, app->id, r, hb, now);
      store::TouchApiKey(db, auth.key_id, now);
      auto state = store::GetAgentState(db, app->id, r.agent_id);
      return ActionsForAgent(db, *app, r.agent_id, r.ruleset_version, r.settings_version, *state,
                             now);
    });
    SendJson(c.res, 200,
             {{"agent_id", r.agent_id},
              {"app_id", auth.app_id},
              {"heartbeat_seconds", hb},
              {"news_seconds", s->options().news_seconds},
              {"server_time", now},
              {"actions", actions}});
  });

  server.Route("POST", std::string(kPrefix) + "/heartbeat", "/api/agent/v1/heartbeat", limit,
               [s](Call& c) {
    CheckProtocolHeader(c);
    AgentAuth auth = Authenticate(*s, c);
    auto r = ParseOr400<HeartbeatRequest>(ParseHeartbeat, c.Body());
    int64_t now = NowMs();
    Json actions = s->storage().Write([&](Database& db) {
      auto app = store::GetApp(db, auth.app_id);
      if (!app) throw ApiError(403, "forbidden", "the application of this key no longer exists");
      auto before = store::GetAgentState(db, app->id, r.agent_id);
      if (!before) throw ApiError(404, "unknown_agent", "unknown agent_id: log in again");
      bool replay = r.seq > 0 && r.seq <= before->heartbeat_seq;
      store::RecordHeartbeat(db, app->id, r, *app, now);
      // A heartbeat seen twice (a retry after a lost answer) is not
      // counted twice in the charts.
      if (!replay) store::AddMetrics(db, app->id, now / 60000 * 60000, r);
      auto state = store::GetAgentState(db, app->id, r.agent_id);
      return ActionsForAgent(db, *app, r.agent_id, r.ruleset_version, r.settings_version, *state,
                             now);
    });
    SendJson(c.res, 200,
             {{"heartbeat_seconds", s->options().heartbeat_seconds},
              {"news_seconds", s->options().news_seconds},
              {"server_time", now},
              {"actions", actions}});
  });

  server.Route("GET", std::string(kPrefix) + "/news", "/api/agent/v1/news", 0, [s](Call& c) {
    CheckProtocolHeader(c);
    AgentAuth auth = Authenticate(*s, c);
    std::string agent_id = c.Param("agent_id");
    if (!IsProtocolId(agent_id)) {
      throw ApiError(400, "bad_request", "query parameter \"agent_id\": expected a protocol id");
    }
    std::string ruleset_version = c.Param("ruleset_version");
    int64_t settings_version = c.IntParam("settings_version", 0, INT64_MAX).value_or(0);
    bool news = s->news().HasNews(auth.app_id, agent_id, ruleset_version, settings_version);
    SendJson(c.res, 200, {{"news", news}});
  });

  server.Route("POST", std::string(kPrefix) + "/batch", "/api/agent/v1/batch", limit, [s](Call& c) {
    CheckProtocolHeader(c);
    ServerMetrics& m = s->metrics();
    // Admission before reading the body: beyond the in-flight bounds the
    // batch is refused at once, so memory stays bounded under overload and
    // the agent retries later (it spools meanwhile).
    int64_t wire = static_cast<int64_t>(
        std::min<uint64_t>(c.req.get_header_value<uint64_t>("Content-Length"), s->options().max_wire_body));
    // The slot is taken first and checked after, so that two batches
    // arriving together cannot both pass a check made before either counts.
    InflightSlot slot(m, wire);
    if (slot.depth() > s->options().max_inflight_batches ||
        slot.bytes() > static_cast<int64_t>(s->options().max_inflight_bytes)) {
      ++m.overload_503;
      slot.Release();
      c.DiscardBody();
      c.res.set_header("Connection", "close");
      throw ApiError(503, "overloaded", "the server is busy; retry later",
                     s->options().retry_after_seconds);
    }
    slot.Admit();
    AgentAuth auth = Authenticate(*s, c);
    auto r = ParseOr400<BatchRequest>(ParseBatch, c.Body());
    int64_t now = NowMs();
    int64_t stored = s->storage().Write([&](Database& db) {
      if (!store::GetAgentState(db, auth.app_id, r.agent_id)) {
        throw ApiError(404, "unknown_agent", "unknown agent_id: log in again");
      }
      return store::InsertEvents(db, auth.app_id, now, r.events);
    });
    int64_t dups = static_cast<int64_t>(r.events.size()) - stored;
    m.CountIngested(stored, dups);
    SendJson(c.res, 200, {{"accepted", stored}, {"duplicates", dups}});
  });

  server.Route("POST", std::string(kPrefix) + "/logout", "/api/agent/v1/logout", limit, [s](Call& c) {
    CheckProtocolHeader(c);
    AgentAuth auth = Authenticate(*s, c);
    auto r = ParseOr400<LogoutRequest>(ParseLogout, c.Body());
    s->storage().Write([&](Database& db) { store::RecordLogout(db, auth.app_id, r.agent_id, NowMs()); });
    SendJson(c.res, 200, Json::object());
  });
}

}  // namespace vigil::server
