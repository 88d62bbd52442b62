// Copyright Vigil authors.
//
// Events: idempotent ingestion (unique (app_id, event_id)), the attacks feed
// and retention.
#include "storage/queries.h"

namespace vigil::server::store {
namespace {

constexpr const char* kSummaryCols =
    "e.id, e.event_id, e.app_id, a.name, e.agent_id, e.time, e.received_at, e.type, "
    "e.protection, e.rule, e.hook_point, e.outcome, e.body";

Json Summary(const SqlRow& r, Json* whole) {
  Json body = Json::parse(r.Str(12), nullptr, false);
  if (body.is_discarded()) body = Json::object();
  Json request = Json::object();
  if (body.contains("request") && body["request"].is_object()) {
    for (const char* k : {"method", "path", "route", "client_ip"}) {
      if (body["request"].contains(k)) request[k] = body["request"][k];
    }
  }
  Json s = {{"id", r.Int(0)},           {"event_id", r.Str(1)},   {"app_id", r.Int(2)},
            {"app_name", r.Str(3)},     {"agent_id", r.Str(4)},   {"time", r.Int(5)},
            {"received_at", r.Int(6)},  {"type", r.Str(7)},       {"protection", r.Str(8)},
            {"rule", r.Str(9)},         {"hook_point", r.Str(10)}, {"outcome", r.Str(11)},
            {"reason", body.value("reason", Json(""))},
            {"input", body.value("input", Json(nullptr))},
            {"request", request}};
  if (whole) *whole = std::move(body);
  return s;
}

}  // namespace

int64_t InsertEvents(Database& db, int64_t app_id, int64_t now,
                     const std::vector<EventRecord>& events) {
  return db.InsertEvents(app_id, now, events);
}

Json ListEvents(Database& db, const EventFilter& f, std::optional<std::pair<int64_t, int64_t>>* last) {
  std::string sql = std::string("SELECT ") + kSummaryCols +
                    " FROM events e JOIN apps a ON a.id = e.app_id WHERE 1 = 1";
  SqlParams p;
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    sql += std::string(" AND ") + col + " = ?";
    p.push_back(v);
  };
  if (f.app_id) {
    sql += " AND e.app_id = ?";
    p.push_back(*f.app_id);
  }
  eq("e.type", f.type);
  eq("e.protection", f.protection);
  eq("e.outcome", f.outcome);
  eq("e.agent_id", f.agent_id);
  if (f.from) {
    sql += " AND e.time >= ?";
    p.push_back(*f.from);
  }
  if (f.to) {
    sql += " AND e.time < ?";
    p.push_back(*f.to);
  }
  if (f.after) {
    sql += " AND (e.time < ? OR (e.time = ? AND e.id < ?))";
    p.insert(p.end(), {f.after->first, f.after->first, f.after->second});
  }
  sql += " ORDER BY e.time DESC, e.id DESC LIMIT ?";
  p.push_back(f.limit);
  Json out = Json::array();
  auto rows = db.Query(sql, p);
  for (const SqlRow& r : rows) out.push_back(Summary(r, nullptr));
  last->reset();
  if (static_cast<int64_t>(rows.size()) == f.limit && !rows.empty()) {
    *last = std::make_pair(rows.back().Int(5), rows.back().Int(0));
  }
  return out;
}

Json GetEvent(Database& db, int64_t id) {
  auto rows = db.Query(std::string("SELECT ") + kSummaryCols +
                           " FROM events e JOIN apps a ON a.id = e.app_id WHERE e.id = ?",
                       {id});
  if (rows.empty()) return nullptr;
  Json whole;
  Json s = Summary(rows[0], &whole);
  s["event"] = std::move(whole);
  return s;
}

int64_t DeleteEventsBefore(Database& db, int64_t cutoff, int64_t limit) {
  return db.Exec(
      "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? ORDER BY time LIMIT ?)",
      {cutoff, limit});
}

int64_t CountEvents(Database& db) { return db.Query("SELECT COUNT(*) FROM events").at(0).Int(0); }

}  // namespace vigil::server::store
