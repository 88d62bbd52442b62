// Copyright Vigil authors.
#include "agent.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "agent_log.h"
#include "budget.h"
#include "integrations/http_integration.h"
#include "vigil/hook.h"

extern char** environ;

namespace vigil::agent {
namespace {

constexpr size_t kMaxRulesetBytes = 4u << 20;
constexpr auto kWakeInterval = std::chrono::milliseconds(50);
// Past this many internal errors in the protections (each one failed open),
// something is wrong with the agent itself: detach everything.
constexpr uint64_t kMaxInternalErrors = 1000;

std::mutex g_lifecycle_mu;              // Start / Stop
std::atomic<Agent*> g_agent{nullptr};
// The events pipeline request threads hand off to, and how many of them are
// inside Submit: Stop waits for that to drop to zero before freeing it.
std::atomic<EventPipeline*> g_events{nullptr};
std::atomic<int> g_events_users{0};

bool ReadRulesFile(const std::string& path, std::string* out, std::string* error) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::string("cannot read: ") + (errno ? std::strerror(errno) : "open failed");
    return false;
  }
  std::string data;
  char buf[16384];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxRulesetBytes) {
      *error = "larger than " + std::to_string(kMaxRulesetBytes) + " bytes";
      return false;
    }
  }
  *out = std::move(data);
  return true;
}

// Relative paths are taken from the working directory at start-up, so a
// program that changes directory later keeps writing to the same place.
std::string Absolute(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

std::string OriginLabel(std::string_view origin) {
  return origin == "built-in" ? "built-in ruleset" : "VIGIL_RULES " + std::string(origin);
}

}  // namespace

Agent::Agent(const Config& config) : config_(config) {}

bool Agent::Start(const Config& config, std::string* error) {
  try {
    std::lock_guard<std::mutex> lock(g_lifecycle_mu);
    if (g_agent.load() != nullptr) {
      *error = "already running";
      return false;
    }
    SetLogLevel(config.log_level);
    Config resolved = config;
    resolved.events_file = Absolute(config.events_file);
    resolved.rules_file = Absolute(config.rules_file);
    std::unique_ptr<Agent> agent(new Agent(resolved));
    if (!agent->Init(error)) return false;  // ~Agent undoes what Init did
    g_agent.store(agent.release(), std::memory_order_release);
    return true;
  } catch (const std::exception& e) {
    *error = std::string("internal error: ") + e.what();
  } catch (...) {
    *error = "internal error";
  }
  return false;
}

bool Agent::StartFromEnvironment(std::string* error) {
  try {
    Config config;
    if (!LoadConfig(ProcessEnvironment(), &config, error)) return false;
    SetLogLevel(config.log_level);
    // A misspelt variable would silently do nothing: say so.
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string_view var(*e);
      if (var.substr(0, 6) != "VIGIL_") continue;
      std::string_view name = var.substr(0, var.find('='));
      if (!IsKnownVariable(name)) {
        LogWarn("unknown variable " + std::string(name) + " ignored (docs/agent.md lists them)");
      }
    }
    return Start(config, error);
  } catch (...) {
    *error = "internal error";
    return false;
  }
}

void Agent::Stop() {
  try {
    std::lock_guard<std::mutex> lock(g_lifecycle_mu);
    Agent* a = g_agent.exchange(nullptr);
    delete a;
  } catch (...) {
  }
}

Agent* Agent::Current() { return g_agent.load(std::memory_order_acquire); }

bool Agent::Init(std::string* error) {
  if (config_.disabled) {
    LogInfo("agent disabled by VIGIL_DISABLED: nothing attached");
    return true;
  }
  auto settings = std::make_shared<ProtectionSettings>();
  settings->global_mode = config_.mode;
  settings->budgets.check_ns = uint64_t{config_.check_budget_us} * 1000;
  settings->budgets.request_ns = uint64_t{config_.request_budget_us} * 1000;
  settings->block = config_.block;
  settings_ = settings;
  engine_ = std::make_unique<RulesEngine>(settings_);

  // The HTTP side: block page, trusted proxies, then the framework hooks
  // that create the request contexts the protections compare against.
  HttpSettings http;
  http.block = config_.block;
  http.trusted_proxies = config_.trusted_proxies;
  std::string why;
  if (!SetHttpSettings(http, &why)) {
    *error = "HTTP settings (VIGIL_BLOCK_*, VIGIL_TRUSTED_PROXIES): " + why;
    return false;
  }
  if (!InstallHttpIntegrations(&why)) {
    LogWarn("HTTP integrations: " + why + " (requests there are not seen)");
  }
  http_installed_ = true;

  if (!config_.events_file.empty()) {
    events_ = std::make_unique<EventPipeline>(config_);
    g_events.store(events_.get());
    SetRequestSink(&Agent::OnRequestFinished);
  }

  if (!config_.rules_file.empty() && !EnsureThread(error)) return false;

  if (!ReloadRules(error)) return false;
  const auto stats = engine_->Stats();
  LogInfo("agent started: mode " + std::string(ModeName(config_.mode)) + ", ruleset " +
          engine_->version() + " (" + OriginLabel(origin_) + "), " + std::to_string(stats.size()) +
          " rules, " + std::to_string(engine_->attachment_count()) + " attachments, events " +
          (config_.events_file.empty() ? std::string("off") : config_.events_file));
  return true;
}

bool Agent::EnsureThread(std::string* error) {
  if (thread_started_.load(std::memory_order_acquire)) return true;
  std::lock_guard<std::mutex> lock(thread_mu_);
  if (thread_started_.load(std::memory_order_relaxed)) return true;
  // The agent thread must not take the host's signals (SIGINT, SIGTERM,
  // SIGCHLD ... belong to the program): it starts with all of them blocked.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    thread_ = std::thread(&Agent::ThreadMain, this);
  } catch (const std::exception& e) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (error != nullptr) *error = std::string("cannot start the agent thread: ") + e.what();
    return false;
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  thread_started_.store(true, std::memory_order_release);
  return true;
}

Agent::~Agent() {
  try {
    // Stop handing off: new requests find no pipeline, and those already in
    // Submit are waited for (they never block, so this is short).
    if (events_ != nullptr) {
      g_events.store(nullptr);
      SetRequestSink(nullptr);
    }
    const uint64_t give_up = NowNs() + 1'000'000'000ull;
    while (g_events_users.load() != 0 && NowNs() < give_up) usleep(1000);
    std::lock_guard<std::mutex> thread_lock(thread_mu_);
    if (thread_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(wake_mu_);
        stopping_ = true;
      }
      wake_.notify_all();
      thread_.join();
    }
    if (engine_ != nullptr) engine_->Clear();
    if (http_installed_) UninstallHttpIntegrations();
    if (events_ != nullptr) {
      events_->Flush();
      // A request thread still inside Submit after a second (it was
      // descheduled): leave the pipeline allocated rather than free it under it.
      if (g_events_users.load() != 0) (void)events_.release();
    }
  } catch (...) {
  }
}

void Agent::OnRequestFinished(const RequestContext& ctx) {
  // seq_cst on both sides: either ~Agent sees this user, or this user sees
  // the pipeline gone.
  g_events_users.fetch_add(1);
  if (EventPipeline* p = g_events.load()) {
    p->Submit(ctx);
    // The first finished request starts the thread that writes the events
    // (a failure leaves them queued, bounded, and is logged once).
    if (Agent* agent = Current()) {
      std::string error;
      static std::atomic<bool> logged{false};
      if (!agent->EnsureThread(&error) && !logged.exchange(true)) LogError(error);
    }
  }
  g_events_users.fetch_sub(1);
}

bool Agent::ReloadRules(std::string* error) {
  try {
    if (engine_ == nullptr) {
      *error = "the agent is disabled";
      return false;
    }
    if (config_.rules_file.empty()) {
      return LoadRules(DefaultRulesetJson(), "built-in", error);
    }
    // The stamp is taken before reading: a change while reading triggers one
    // more reload rather than being missed.
    {
      struct stat st;
      FileStamp stamp;
      if (::stat(config_.rules_file.c_str(), &st) == 0) {
        stamp = {true, static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                 static_cast<long long>(st.st_size), static_cast<unsigned long long>(st.st_ino)};
      }
      std::lock_guard<std::mutex> lock(mu_);
      rules_stamp_ = stamp;
    }
    std::string text, why;
    if (!ReadRulesFile(config_.rules_file, &text, &why)) {
      std::lock_guard<std::mutex> lock(mu_);
      ++errors_;
      *error = OriginLabel(config_.rules_file) + ": " + why;
      last_error_ = *error;
      return false;
    }
    return LoadRules(text, config_.rules_file, error);
  } catch (const std::exception& e) {
    *error = std::string("internal error: ") + e.what();
  } catch (...) {
    *error = "internal error";
  }
  return false;
}

bool Agent::LoadRules(std::string_view json, std::string_view origin, std::string* error) {
  try {
    if (engine_ == nullptr) {
      *error = "the agent is disabled";
      return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    Ruleset ruleset;
    std::string why;
    if (!ParseRuleset(json, &ruleset, &why) || !engine_->Apply(ruleset, &why)) {
      ++errors_;
      *error = OriginLabel(origin) + ": " + why;
      last_error_ = *error;
      return false;
    }
    ++applied_;
    origin_ = std::string(origin);
    if (applied_ > 1) {
      LogInfo("ruleset " + ruleset.version + " (" + OriginLabel(origin) + ") in force: " +
              std::to_string(ruleset.rules.size()) + " rules");
    }
    return true;
  } catch (const std::exception& e) {
    *error = std::string("internal error: ") + e.what();
  } catch (...) {
    *error = "internal error";
  }
  return false;
}

void Agent::PollRulesFile() {
  struct stat st;
  FileStamp now;
  if (::stat(config_.rules_file.c_str(), &st) == 0) {
    now = {true, static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
           static_cast<long long>(st.st_size), static_cast<unsigned long long>(st.st_ino)};
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (now == rules_stamp_) return;
    if (!now.exists) {
      // Removed (or being replaced): keep the ruleset in force, say it once.
      rules_stamp_ = now;
      LogWarn(OriginLabel(config_.rules_file) + ": file gone; the ruleset in force stays");
      return;
    }
  }
  std::string error;
  if (!ReloadRules(&error)) LogError("ruleset not reloaded: " + error);
}

void Agent::ThreadMain() {
  try {
    pthread_setname_np(pthread_self(), "vigil-agent");
    // Whatever this thread calls runs without hooks (the agent must not
    // check itself).
    vigil::ScopedSuppressHooks suppress;
    const uint64_t poll_ns = uint64_t{config_.rules_poll_ms} * 1'000'000;
    uint64_t next_poll = NowNs() + poll_ns;
    bool gave_up = false;
    for (;;) {
      if (events_ != nullptr) {
        std::lock_guard<std::mutex> drain(drain_mu_);
        events_->Drain(4096);
      }
      const uint64_t now = NowNs();
      if (poll_ns != 0 && !config_.rules_file.empty() && now >= next_poll) {
        next_poll = now + poll_ns;
        PollRulesFile();
      }
      if (!gave_up && engine_ != nullptr) {
        uint64_t errors = 0;
        for (const RuleStats& r : engine_->Stats()) errors += r.errors;
        if (errors > kMaxInternalErrors) {
          gave_up = true;
          engine_->Clear();
          LogError("too many internal errors in protections (" + std::to_string(errors) +
                   "): everything detached, the service runs unprotected");
        }
      }
      std::unique_lock<std::mutex> lock(wake_mu_);
      if (wake_.wait_for(lock, kWakeInterval, [this] { return stopping_; })) break;
    }
    if (events_ != nullptr) {
      std::lock_guard<std::mutex> drain(drain_mu_);
      events_->Flush();
    }
  } catch (...) {
    // Never let an exception end the process (std::thread would terminate).
    LogError("agent thread stopped after an internal error; protections stay attached");
  }
}

AgentStats Agent::Stats() const {
  AgentStats s;
  s.running = true;
  s.disabled = config_.disabled;
  s.mode = std::string(ModeName(config_.mode));
  if (engine_ != nullptr) {
    s.ruleset_version = engine_->version();
    s.rules = engine_->Stats();
    s.attachments = engine_->attachment_count();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.ruleset_origin = origin_;
    s.rulesets_applied = applied_;
    s.ruleset_errors = errors_;
    s.last_ruleset_error = last_error_;
  }
  s.events_enabled = events_ != nullptr;
  if (events_ != nullptr) s.events = events_->stats();
  return s;
}

void Agent::FlushEvents() {
  std::lock_guard<std::mutex> lock(drain_mu_);
  if (events_ != nullptr) events_->Flush();
}

}  // namespace vigil::agent
