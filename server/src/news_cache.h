// Copyright Vigil authors.
//
// What `GET /api/agent/v1/news` answers from, and the API-key lookup of
// every agent request: a snapshot of the database refreshed about once a
// second (and at once after a change made through this server), so that
// several servers sharing one database agree within a second and the hot
// paths cost no query.
#ifndef VIGIL_SERVER_NEWS_CACHE_H_
#define VIGIL_SERVER_NEWS_CACHE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "storage/storage.h"

namespace vigil::server {

class NewsCache {
 public:
  struct AppVersions {
    std::string name;
    int64_t settings_version = 0, ruleset_version = 0;
    std::string ruleset_text_version, ruleset_action, settings_action;
  };
  struct Snapshot {
    std::unordered_map<int64_t, AppVersions> apps;
    // API key hash -> (key id, app id), revoked keys excluded.
    std::unordered_map<std::string, std::pair<int64_t, int64_t>> keys;
    std::unordered_set<std::string> agents_with_pending;
    // agent id -> refused (ruleset action, settings action)
    std::unordered_map<std::string, std::pair<std::string, std::string>> refusals;
    int64_t agents_online = 0;
  };

  explicit NewsCache(Storage* storage) : storage_(storage) {}

  // Reloads the snapshot from the database. Throws StorageError.
  void Refresh();
  std::shared_ptr<const Snapshot> Get() const {
    std::lock_guard<std::mutex> l(mu_);
    return snap_;
  }

  // True when the agent has something to fetch with a heartbeat.
  bool HasNews(int64_t app_id, const std::string& agent_id, const std::string& ruleset_version,
               int64_t settings_version) const;

 private:
  Storage* storage_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snap_ = std::make_shared<Snapshot>();
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_NEWS_CACHE_H_
