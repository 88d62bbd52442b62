// Copyright Vigil authors.
#include "news_cache.h"

namespace vigil::server {

void NewsCache::Refresh() {
  auto s = std::make_shared<Snapshot>();
  int64_t now = NowMs();
  storage_->Read([&](Database& db) {
    for (const SqlRow& r : db.Query(
             "SELECT a.id, a.name, a.settings_version, a.ruleset_version, a.ruleset_text_version, "
             "(SELECT action_id FROM actions x WHERE x.app_id = a.id AND x.type = 'ruleset' "
             " ORDER BY version DESC, id DESC LIMIT 1), "
             "(SELECT action_id FROM actions x WHERE x.app_id = a.id AND x.type = 'settings' "
             " ORDER BY version DESC, id DESC LIMIT 1) FROM apps a")) {
      s->apps[r.Int(0)] = {r.Str(1), r.Int(2), r.Int(3), r.Str(4), r.Str(5), r.Str(6)};
    }
    for (const SqlRow& r :
         db.Query("SELECT hash, id, app_id FROM api_keys WHERE revoked_at IS NULL")) {
      s->keys[r.Str(0)] = {r.Int(1), r.Int(2)};
    }
    for (const SqlRow& r :
         db.Query("SELECT DISTINCT agent_id FROM agent_actions WHERE delivered_at IS NULL")) {
      s->agents_with_pending.insert(r.Str(0));
    }
    for (const SqlRow& r : db.Query(
             "SELECT agent_id, refused_ruleset_action, refused_settings_action FROM agents WHERE "
             "refused_ruleset_action IS NOT NULL OR refused_settings_action IS NOT NULL")) {
      s->refusals[r.Str(0)] = {r.Str(1), r.Str(2)};
    }
    s->agents_online =
        db.Query(
              "SELECT COUNT(*) FROM agents WHERE logged_out_at IS NULL AND "
              "last_seen_at + heartbeat_seconds * 3000 > ?",
              {now})
            .at(0)
            .Int(0);
  });
  std::lock_guard<std::mutex> l(mu_);
  snap_ = std::move(s);
}

bool NewsCache::HasNews(int64_t app_id, const std::string& agent_id,
                        const std::string& ruleset_version, int64_t settings_version) const {
  auto s = Get();
  if (s->agents_with_pending.count(agent_id)) return true;
  auto app = s->apps.find(app_id);
  if (app == s->apps.end()) return false;
  const AppVersions& v = app->second;
  auto refused = s->refusals.find(agent_id);
  if (v.ruleset_version > 0 && ruleset_version != v.ruleset_text_version &&
      (refused == s->refusals.end() || refused->second.first != v.ruleset_action)) {
    return true;
  }
  if (v.settings_version > settings_version &&
      (refused == s->refusals.end() || refused->second.second != v.settings_action)) {
    return true;
  }
  return false;
}

}  // namespace vigil::server
