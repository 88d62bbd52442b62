// Copyright Vigil authors.
#include "server.h"

#include <cstdio>

#include "retention.h"

namespace vigil::server {

VigilServer::VigilServer(ServerOptions options, std::unique_ptr<Storage> storage, SigningKey key)
    : options_(std::move(options)), storage_(std::move(storage)), key_(key), news_(storage_.get()) {
  int threads = options_.threads;
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_.set_payload_max_length(options_.max_wire_body);
  http_.set_read_timeout(options_.read_timeout_seconds, 0);
  http_.set_write_timeout(options_.write_timeout_seconds, 0);
  // cpp-httplib gives each connection a worker for as long as it is kept
  // alive: a short idle timeout keeps agents that poll news every few
  // seconds from each holding a worker between polls.
  http_.set_keep_alive_max_count(100);
  http_.set_keep_alive_timeout(1);
  http_.set_tcp_nodelay(true);
  http_.set_exception_handler([this](const httplib::Request&, httplib::Response& res,
                                     std::exception_ptr) {
    metrics_.CountError("internal");
    SendError(res, 500, "internal", "internal error");
  });
  http_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // Answers httplib produced itself (no route, body too large, ...).
    if (!res.body.empty()) return;
    if (res.status == 404) {
      SendError(res, 404, "not_found", "no such route: " + req.path.substr(0, 200));
    } else if (res.status == 413) {
      SendError(res, 413, "too_large", "body too large");
    } else if (res.status >= 400) {
      SendError(res, res.status, res.status >= 500 ? "internal" : "bad_request",
                "request refused (" + std::to_string(res.status) + ")");
    }
  });
  http_.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    if (req.path.rfind("/api/", 0) == 0) res.set_header("Cache-Control", "no-store");
  });

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
  if (call.BodyLeftUnread()) call.res.set_header("Connection", "close");
  metrics_.CountRequest(label, call.res.status);
}

void VigilServer::Route(const std::string& method, const std::string& pattern,
                        const std::string& label, size_t body_limit, Handler handler) {
  auto plain = [this, label, body_limit, handler](const httplib::Request& req,
                                                  httplib::Response& res) {
    res.status = 200;
    Call call(req, res, nullptr, body_limit);
    Dispatch(label, call, handler);
  };
  auto with_reader = [this, label, body_limit, handler](const httplib::Request& req,
                                                        httplib::Response& res,
                                                        const httplib::ContentReader& reader) {
    res.status = 200;
    Call call(req, res, &reader, body_limit);
    Dispatch(label, call, handler);
  };
  if (method == "GET") {
    http_.Get(pattern, plain);
  } else if (method == "POST") {
    http_.Post(pattern, plain);
    http_.Post(pattern, httplib::Server::HandlerWithContentReader(with_reader));
  } else if (method == "PUT") {
    http_.Put(pattern, plain);
    http_.Put(pattern, httplib::Server::HandlerWithContentReader(with_reader));
  } else if (method == "PATCH") {
    http_.Patch(pattern, plain);
    http_.Patch(pattern, httplib::Server::HandlerWithContentReader(with_reader));
  } else if (method == "DELETE") {
    http_.Delete(pattern, plain);
    http_.Delete(pattern, httplib::Server::HandlerWithContentReader(with_reader));
  }
}

bool VigilServer::Start(std::string* error) {
  try {
    news_.Refresh();
  } catch (const StorageError& e) {
    *error = e.what();
    return false;
  }
  if (options_.port == 0) {
    port_ = http_.bind_to_any_port(options_.host);
    if (port_ <= 0) {
      *error = "cannot listen on " + options_.host;
      return false;
    }
  } else {
    if (!http_.bind_to_port(options_.host, options_.port)) {
      *error = "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
               " (in use, or not an address of this host)";
      return false;
    }
    port_ = options_.port;
  }
  listen_thread_ = std::thread([this] { http_.listen_after_bind(); });
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
  http_.stop();
  if (listen_thread_.joinable()) listen_thread_.join();
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
