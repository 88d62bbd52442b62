// Copyright Vigil authors.
//
// A vigil-server stand-in for fault injection, on loopback: it speaks the
// agent side of docs/protocol.md (login, heartbeat, news, batch, logout),
// stores event ids the way a real server must (dedup by id), and can be
// told to misbehave: refuse connections, answer late, answer 500, 429 with
// Retry-After, garbage, or cut the connection in the middle of an answer.
#ifndef VIGIL_RECORDER_TESTS_FAKE_SERVER_H_
#define VIGIL_RECORDER_TESTS_FAKE_SERVER_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::recorder::testing {

enum class Fault {
  kNone,
  kDown,         // not listening at all
  kSlow,         // answers after `slow_ms` (longer than the client's timeout)
  kError500,
  kTooMany,      // 429 with Retry-After: `retry_after_s`
  kGarbage,      // 200 with a body that is not JSON
  kCutAnswer,    // stores the batch, then cuts the connection mid-answer
  kUnknownAgent, // 404 unknown_agent to everything but login
};

class FakeServer {
 public:
  FakeServer() { Start(0); }
  ~FakeServer() { Stop(); }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Down stops listening (connections are refused); anything else restarts
  // the server on the same port if it was down.
  void SetFault(Fault f) {
    if (f == Fault::kDown) {
      fault_ = f;
      Stop();
      return;
    }
    if (fault_ == Fault::kDown) Start(port_);
    fault_ = f;
  }
  int slow_ms = 3000;
  int retry_after_s = 2;

  // Actions answered to the next login/heartbeat (then forgotten).
  void QueueAction(nlohmann::json action) {
    std::lock_guard<std::mutex> lock(mu_);
    actions_.push_back(std::move(action));
    news_ = true;
  }
  // The answer to the next heartbeat/login sets these timings.
  nlohmann::json timing = {{"heartbeat_seconds", 60}, {"news_seconds", 1}};

  size_t unique_events() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.size();
  }
  size_t duplicates() {
    std::lock_guard<std::mutex> lock(mu_);
    return duplicates_;
  }
  std::set<std::string> event_ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_;
  }
  std::vector<nlohmann::json> heartbeats() {
    std::lock_guard<std::mutex> lock(mu_);
    return heartbeats_;
  }
  std::vector<nlohmann::json> logins() {
    std::lock_guard<std::mutex> lock(mu_);
    return logins_;
  }
  std::vector<nlohmann::json> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }
  std::vector<nlohmann::json> otlp() {
    std::lock_guard<std::mutex> lock(mu_);
    return otlp_;
  }
  int logouts() {
    std::lock_guard<std::mutex> lock(mu_);
    return logouts_;
  }
  // Steady-clock times of requests answered with 429 and of the request
  // after each of them.
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  // Batches larger than this many events are answered 413.
  std::atomic<size_t> max_batch_events{1u << 30};

 private:
  void Start(int port) {
    server_ = std::make_unique<httplib::Server>();
    Routes();
    if (port == 0) {
      port_ = server_->bind_to_any_port("127.0.0.1");
    } else {
      for (int i = 0; i < 100 && !server_->bind_to_port("127.0.0.1", port); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void Stop() {
    if (server_ != nullptr) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  // Applies the current fault; true when the handler must not go on.
  bool Misbehave(httplib::Response& res) {
    switch (fault_.load()) {
      case Fault::kSlow:
        std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms));
        res.status = 503;
        return true;
      case Fault::kError500:
        res.status = 500;
        res.set_content(R"({"error":"internal","message":"injected"})", "application/json");
        return true;
      case Fault::kTooMany:
        res.status = 429;
        res.set_header("Retry-After", std::to_string(retry_after_s));
        res.set_content(R"({"error":"overloaded","message":"injected"})", "application/json");
        return true;
      case Fault::kGarbage:
        res.status = 200;
        res.set_content("<html>proxy error</html>", "text/html");
        return true;
      default:
        return false;
    }
  }

  void Note(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.emplace_back(std::chrono::steady_clock::now(), req.path);
  }

  nlohmann::json Answer() {
    nlohmann::json a = timing;
    a["server_time"] = 0;
    a["actions"] = nlohmann::json::array();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& action : actions_) a["actions"].push_back(action);
    actions_.clear();
    news_ = false;
    return a;
  }

  void Routes() {
    using httplib::Request;
    using httplib::Response;
    server_->Post("/api/agent/v1/login", [this](const Request& req, Response& res) {
      Note(req);
      if (Misbehave(res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || req.get_header_value("Authorization").rfind("Bearer ", 0) != 0) {
        res.status = 400;
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        logins_.push_back(body);
        known_agents_.insert(body.value("agent_id", ""));
      }
      res.set_content(Answer().dump(), "application/json");
    });
    server_->Post("/api/agent/v1/heartbeat", [this](const Request& req, Response& res) {
      Note(req);
      if (Misbehave(res) || UnknownAgent(req, res)) return;
      {
        std::lock_guard<std::mutex> lock(mu_);
        heartbeats_.push_back(nlohmann::json::parse(req.body, nullptr, false));
      }
      res.set_content(Answer().dump(), "application/json");
    });
    server_->Get("/api/agent/v1/news", [this](const Request& req, Response& res) {
      if (Misbehave(res)) return;
      std::lock_guard<std::mutex> lock(mu_);
      (void)req;
      res.set_content(news_ ? R"({"news":true})" : R"({"news":false})", "application/json");
    });
    server_->Post("/api/agent/v1/logout", [this](const Request& req, Response& res) {
      Note(req);
      std::lock_guard<std::mutex> lock(mu_);
      ++logouts_;
      res.set_content("{}", "application/json");
    });
    server_->Post("/api/agent/v1/batch", [this](const Request& req, Response& res) {
      Note(req);
      if (Misbehave(res) || UnknownAgent(req, res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("events") || !body["events"].is_array()) {
        res.status = 400;
        res.set_content(R"({"error":"bad_request","message":"no events"})", "application/json");
        return;
      }
      if (body["events"].size() > max_batch_events.load()) {
        res.status = 413;
        res.set_content(R"({"error":"too_large"})", "application/json");
        return;
      }
      size_t accepted = 0, dup = 0;
      {
        std::lock_guard<std::mutex> lock(mu_);
        batches_.push_back(body);
        for (const auto& e : body["events"]) {
          if (ids_.insert(e.value("id", "")).second) {
            ++accepted;
          } else {
            ++dup;
            ++duplicates_;
          }
        }
      }
      const std::string answer = nlohmann::json{{"accepted", accepted}, {"duplicates", dup}}.dump();
      if (fault_.load() == Fault::kCutAnswer) {
        // Stored, but the agent never learns it: it must retry, and the
        // retry must not create duplicates.
        res.set_content_provider(answer.size() + 100, "application/json",
                                 [answer](size_t, size_t, httplib::DataSink& sink) {
                                   sink.write(answer.data(), 3);
                                   return false;
                                 });
        return;
      }
      res.set_content(answer, "application/json");
    });
    server_->Post("/v1/logs", [this](const Request& req, Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      otlp_.push_back(nlohmann::json::parse(req.body, nullptr, false));
      res.set_content("{}", "application/json");
    });
  }

  bool UnknownAgent(const httplib::Request& req, httplib::Response& res) {
    bool unknown = fault_.load() == Fault::kUnknownAgent;
    if (unknown) {
      std::lock_guard<std::mutex> lock(mu_);
      known_agents_.clear();
      fault_ = Fault::kNone;  // once: the re-login must then succeed
    } else {
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard<std::mutex> lock(mu_);
      unknown = body.is_object() && !known_agents_.count(body.value("agent_id", ""));
    }
    if (unknown) {
      res.status = 404;
      res.set_content(R"({"error":"unknown_agent","message":"log in again"})", "application/json");
    }
    return unknown;
  }

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<Fault> fault_{Fault::kNone};
  std::mutex mu_;
  std::set<std::string> ids_;
  std::set<std::string> known_agents_;
  size_t duplicates_ = 0;
  std::vector<nlohmann::json> heartbeats_, logins_, batches_, otlp_;
  std::vector<nlohmann::json> actions_;
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> requests_;
  bool news_ = false;
  int logouts_ = 0;
};

}  // namespace vigil::recorder::testing

#endif  // VIGIL_RECORDER_TESTS_FAKE_SERVER_H_
