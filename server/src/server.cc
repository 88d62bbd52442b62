// Copyright Vigil authors.
#include "server.h"

#include <cstdio>

#include "retention.h"

namespace vigil::server {

VigilServer::VigilServer(ServerOptions options, std::unique_ptr<Storage> storage, SigningKey key)
    : options_(std::move(options)), storage_(std::move(storage)), key_(key), news_(storage_.get()),
      listener_(router_, Limits(), Hooks(), options_.threads, options_.max_queued_connections) {
  RegisterAgentApi(*this);
  RegisterDashboardApi(*this);
  RegisterAdminApi(*this);
  Route("GET", "/metrics", "/metrics", 0, [this](Call& c) {
    c.res.set_content(metrics_.Render(), "text/plain; version=0.0.4");
  });
  Route("GET", "/healthz", "/healthz", 0, [this](Call& c) {
    try {
      storage_->Read([](Database& db) { db.Query("SELECT 1"); });
      SendJson(c.res, 200, {{"status", "ok"}});
    } catch (const StorageError& e) {
      SendJson(c.res, 503, {{"status", "unavailable"}, {"message", e.what()}});
    }
  });
  RegisterStaticFiles(*this);
}

VigilServer::~VigilServer() { Stop(); }

HttpLimits VigilServer::Limits() const {
  const ServerOptions& o = options_;
  return {o.max_header_bytes,        o.max_header_count,
          o.max_target_bytes,        o.max_wire_body,
          o.read_timeout_seconds * 1000, o.write_timeout_seconds * 1000,
          o.keep_alive_seconds * 1000,   o.keep_alive_max_requests,
          o.drain_max_bytes,         o.drain_timeout_ms};
}

ConnectionHooks VigilServer::Hooks() {
  ConnectionHooks h;
  // Answers the connection gives itself (no route, too large, malformed)
  // have the same JSON shape as the handlers' errors.
  h.refuse = [](Response& res, int status, const std::string& code, const std::string& message) {
    SendError(res, status, code, message);
  };
  h.finish = [](const Request* req, Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    if (req && req->path.rfind("/api/", 0) == 0) res.set_header("Cache-Control", "no-store");
  };
  return h;
}

void VigilServer::Dispatch(const std::string& label, Call& call, const Handler& handler) {
  try {
    handler(call);
  } catch (const ApiError& e) {
    if (e.status() == 400) metrics_.CountError("bad_request");
    SendError(call.res, e.status(), e.code(), e.what(), e.retry_after());
  } catch (const InvalidInput& e) {
    metrics_.CountError("bad_request");
    SendError(call.res, 400, "bad_request", e.what());
  } catch (const StorageError& e) {
    metrics_.CountError("storage");
    std::fprintf(stderr, "vigil-server: storage error on %s: %s\n", label.c_str(), e.what());
    SendError(call.res, 500, "internal", "storage error");
  } catch (const std::exception& e) {
    metrics_.CountError("internal");
    std::fprintf(stderr, "vigil-server: error on %s: %s\n", label.c_str(), e.what());
    SendError(call.res, 500, "internal", "internal error");
  }
  metrics_.CountRequest(label, call.res.status);
}

void VigilServer::Route(const std::string& method, const std::string& pattern,
                        const std::string& label, size_t body_limit, Handler handler) {
  router_.Add(method, pattern, body_limit,
              [this, label, body_limit, handler](Request& req, Response& res, BodySource& body) {
                res.status = 200;
                Call call(req, res, &body, body_limit);
                Dispatch(label, call, handler);
              });
}

bool VigilServer::Start(std::string* error) {
  try {
    news_.Refresh();
  } catch (const StorageError& e) {
    *error = e.what();
    return false;
  }
  std::string bind_error;
  if (!listener_.Bind(options_.host, options_.port, &bind_error)) {
    *error = options_.port == 0 ? "cannot listen on " + options_.host
                                : "cannot listen on " + options_.host + ":" +
                                      std::to_string(options_.port) +
                                      " (in use, or not an address of this host)";
    return false;
  }
  port_ = listener_.port();
  listener_.Start();
  background_thread_ = std::thread([this] { BackgroundLoop(); });
  return true;
}

void VigilServer::Wait() {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait(l, [&] { return stopping_; });
}

void VigilServer::RequestStop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

void VigilServer::Stop() {
  RequestStop();
  listener_.Stop();
  if (background_thread_.joinable()) background_thread_.join();
}

int64_t VigilServer::RunRetentionOnce() {
  return DeleteExpired(*storage_, NowMs() - int64_t{options_.retention_days} * 86'400'000,
                       options_.retention_chunk);
}

void VigilServer::BackgroundLoop() {
  int64_t next_retention = NowMs() + 5000;
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    cv_.wait_for(l, std::chrono::milliseconds(options_.cache_refresh_ms));
    if (stopping_) break;
    l.unlock();
    try {
      news_.Refresh();
      metrics_.agents_online = news_.Get()->agents_online;
      if (options_.retention_days > 0 && NowMs() >= next_retention) {
        RunRetentionOnce();
        next_retention = NowMs() + options_.retention_interval_ms;
      }
    } catch (const std::exception& e) {
      metrics_.CountError("storage");
      std::fprintf(stderr, "vigil-server: background: %s\n", e.what());
    }
    l.lock();
  }
}

}  // namespace vigil::server
