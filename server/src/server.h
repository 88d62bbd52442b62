// Copyright Vigil authors.
//
// VigilServer: one vigil-server process. Owns the HTTP listener (agent
// protocol, JSON API, dashboard files, /metrics, /healthz), the storage,
// the news cache and the background work (cache refresh, retention).
//
//   VigilServer server(options, Storage::Open(url), key);
//   if (!server.Start(&error)) ...;   // listens on options.port (0: any)
//   ... server.port() ...
//   server.Stop();
#ifndef VIGIL_SERVER_SERVER_H_
#define VIGIL_SERVER_SERVER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/http_util.h"
#include "http/listener.h"
#include "http/router.h"
#include "metrics_text.h"
#include "news_cache.h"
#include "signing.h"
#include "storage/storage.h"

namespace vigil::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8420;  // 0: any free port
  int threads = 32;
  // Agent bodies after decompression; the protocol requires at least 8 MiB.
  size_t max_agent_body = 8u << 20;
  // A compressed body's bytes on the wire, any route (a plain body is
  // bounded by its route's limit itself).
  size_t max_wire_body = 16u << 20;
  size_t max_api_body = 1u << 20;
  size_t max_ruleset_body = 4u << 20;
  // Ingestion admission: batches being read or stored at once, and their
  // bytes on the wire. Beyond either, a batch is answered 503 + Retry-After.
  int max_inflight_batches = 4;
  size_t max_inflight_bytes = 64u << 20;
  int retry_after_seconds = 2;
  int heartbeat_seconds = 60;
  int news_seconds = 2;
  int retention_days = 30;
  int64_t retention_interval_ms = 60'000;
  int64_t retention_chunk = 5000;
  int64_t cache_refresh_ms = 1000;
  int64_t session_hours = 12;
  bool secure_cookies = false;  // set behind TLS (reverse proxy)
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;

  // HTTP bounds that hold for every request, routed or not, before any
  // credentials are checked (docs/server.md, "Bounds").
  size_t max_header_bytes = 32u << 10;  // request line + header fields: 431 beyond
  size_t max_header_count = 100;        // header fields: 431 beyond
  size_t max_target_bytes = 8u << 10;   // path + query: 414 beyond
  // Connections accepted but not yet taken by a worker; more are closed.
  size_t max_queued_connections = 1024;
  int keep_alive_seconds = 1;  // idle wait for a connection's next request
  int keep_alive_max_requests = 100;
  // After a refusal with bytes unread: read and dropped (never parsed) so
  // that the client sees the answer, then the connection closes.
  size_t drain_max_bytes = 16u << 20;
  int drain_timeout_ms = 2000;
};

class VigilServer {
 public:
  VigilServer(ServerOptions options, std::unique_ptr<Storage> storage, SigningKey key);
  ~VigilServer();

  // Binds and starts serving on background threads.
  bool Start(std::string* error);
  // Blocks until RequestStop() or Stop() is called from another thread.
  void Wait();
  // Wakes Wait() (safe from a signal-handling thread); the waiter then
  // calls Stop().
  void RequestStop();
  // Stops listening and joins the server's threads. Call from one thread.
  void Stop();
  int port() const { return port_; }

  Storage& storage() { return *storage_; }
  NewsCache& news() { return news_; }
  ServerMetrics& metrics() { return metrics_; }
  const SigningKey& key() const { return key_; }
  const ServerOptions& options() const { return options_; }

  // Registers a route. `label` names it in /metrics; `body_limit` bounds
  // the decompressed body. Exceptions become JSON errors.
  using Handler = std::function<void(Call&)>;
  void Route(const std::string& method, const std::string& pattern, const std::string& label,
             size_t body_limit, Handler handler);

  // Runs one retention pass now (tests); returns events deleted.
  int64_t RunRetentionOnce();

 private:
  void Dispatch(const std::string& label, Call& call, const Handler& handler);
  void BackgroundLoop();
  HttpLimits Limits() const;
  ConnectionHooks Hooks();

  ServerOptions options_;
  std::unique_ptr<Storage> storage_;
  SigningKey key_;
  NewsCache news_;
  ServerMetrics metrics_;
  Router router_;        // filled by the constructor, read-only once serving
  HttpListener listener_;
  int port_ = 0;
  std::thread background_thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

// The handlers, one file per area.
void RegisterAgentApi(VigilServer& server);
void RegisterDashboardApi(VigilServer& server);
void RegisterAdminApi(VigilServer& server);
void RegisterStaticFiles(VigilServer& server);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_SERVER_H_
