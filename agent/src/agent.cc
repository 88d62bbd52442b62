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
#include <new>
#include <optional>

#include "agent_log.h"
#include "agent_metrics.h"
#include "backoff.h"
#include "budget.h"
#include "integrations/http_integration.h"
#include "scrub.h"
#include "server_events.h"
#include "stripe.h"
#include "vigil/hook.h"

extern char** environ;

namespace vigil::agent {
namespace {

constexpr size_t kMaxRulesetBytes = 4u << 20;
constexpr auto kWakeInterval = std::chrono::milliseconds(50);
// Past this many internal errors in the protections (each one failed open),
// something is wrong with the agent itself: detach everything.
constexpr uint64_t kMaxInternalErrors = 1000;
// The agent thread is restarted after an exception this many times, with
// backoff; then the agent gives up (detaches everything, the service runs).
constexpr int kMaxThreadRestarts = 5;
// Hook points reported at login at most (docs/protocol.md, 3.1).
constexpr size_t kMaxInventory = 20000;
// How long stopping waits for the server to take what is left.
constexpr auto kStopGrace = std::chrono::milliseconds(2000);

std::string ProgramPath() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::string ProgramName() {
  const std::string path = ProgramPath();
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const int64_t g_started_at_ms = WallClockMs();

std::mutex g_lifecycle_mu;              // Start / Stop
// Incremented in every forked child (Agent::ForkChild).
std::atomic<uint64_t> g_fork_generation{0};
std::atomic<Agent*> g_agent{nullptr};
// The events pipeline request threads hand off to, and how many of them are
// inside Submit: Stop waits for that to drop to zero before freeing it.
// Counted per metrics stripe, so that a finished request writes a cache line
// only threads of its own stripe write (one shared counter costs every
// request two contended read-modify-writes).
std::atomic<EventPipeline*> g_events{nullptr};
struct alignas(64) EventsUsers {
  std::atomic<int> n{0};
};
EventsUsers g_events_users[recorder::kStripeCount];

int EventsUsersNow() {
  int total = 0;
  for (EventsUsers& u : g_events_users) total += u.n.load();
  return total;
}

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

Agent::Agent(const Config& config) : config_(config) {
  fork_generation_.store(g_fork_generation.load());  // this process's threads
}

bool Agent::Start(const Config& config, std::string* error) {
  try {
    static std::once_flag atfork;
    std::call_once(atfork, [] { pthread_atfork(&ForkPrepare, &ForkParent, &ForkChild); });
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

// In the order every other path takes them: lifecycle (Start, Stop), then
// the ruleset bookkeeping's, the rules engine's (taken under the former by
// loads, and by the recorder thread for heartbeats), the thread's (~Agent
// drains under it), the drainer's and the wake-up's, then the metrics
// collector's (the recorder thread holds it while it asks the hook engine,
// whose own atfork handler runs after this one).
void Agent::ForkPrepare() {
  g_lifecycle_mu.lock();
  if (Agent* a = g_agent.load()) {
    a->mu_.lock();
    if (a->engine_ != nullptr) a->engine_->LockForFork();
    a->thread_mu_.lock();
    a->drain_mu_.lock();
    a->wake_mu_.lock();
  }
  LockHttpIntegrationsForFork();
  AgentMetrics::Get().LockForFork();
}

void Agent::ForkParent() {
  AgentMetrics::Get().UnlockAfterFork();
  UnlockHttpIntegrationsAfterFork();
  if (Agent* a = g_agent.load()) {
    a->wake_mu_.unlock();
    a->drain_mu_.unlock();
    a->thread_mu_.unlock();
    if (a->engine_ != nullptr) a->engine_->UnlockAfterFork();
    a->mu_.unlock();
  }
  g_lifecycle_mu.unlock();
}

void Agent::ForkChild() {
  g_fork_generation.fetch_add(1, std::memory_order_relaxed);
  // Threads counted inside Submit at the fork did not come along (and this
  // one is not in there: it is forking).
  for (EventsUsers& u : g_events_users) u.n.store(0);
  ForkParent();  // the same locks, held by this (the only) thread
}

void Agent::ForgetParentState() {
  // A joinable std::thread cannot be destroyed or assigned to: its handle
  // is overwritten instead.
  new (&thread_) std::thread();
  thread_started_.store(false, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    stopping_ = false;
    // Nor can a condition variable the parent's thread was waiting on: its
    // destructor would wait for that waiter forever.
    new (&wake_) std::condition_variable();
  }
  g_events.store(nullptr);
  (void)events_.release();
  (void)recorder_.release();
}

void Agent::AdoptAfterFork() {
  std::string error;
  {
    std::lock_guard<std::mutex> lock(thread_mu_);
    const uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
    if (fork_generation_.load(std::memory_order_relaxed) == generation) return;
    ForgetParentState();
    if (!config_.events_file.empty() || !config_.server_url.empty()) {
      events_ = std::make_unique<EventPipeline>(config_, scrubber_.get());
      if (config_.server_url.empty() || StartRecorder(&error)) {
        g_events.store(events_.get());
      } else {
        LogError("forked child " + std::to_string(getpid()) + ": no events from it: " + error);
      }
    }
    fork_generation_.store(generation, std::memory_order_relaxed);
  }
  if (config_.rules_file.empty()) return;
  if (!EnsureThread(&error)) LogError(error);  // it watches the rules file
}

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

  // Nothing leaves the process unscrubbed (file, server, OTLP alike).
  recorder::ScrubConfig scrub;
  scrub.enabled = config_.scrub;
  scrub.extra_keys = config_.scrub_keys;
  scrub.extra_patterns = config_.scrub_patterns;
  scrubber_ = recorder::Scrubber::Create(scrub, &why);
  if (scrubber_ == nullptr) {
    *error = "scrubbing (VIGIL_SCRUB_*): " + why;
    return false;
  }

  if (!config_.events_file.empty() || !config_.server_url.empty()) {
    events_ = std::make_unique<EventPipeline>(config_, scrubber_.get());
    if (!config_.server_url.empty() && !StartRecorder(error)) return false;
    g_events.store(events_.get());
  }
  // Every finished request is counted (metrics); those with findings, or
  // all of them with VIGIL_EVENTS_REQUESTS=all, are queued for the events.
  SetRequestSink(&Agent::OnRequestFinished);

  if (!config_.rules_file.empty() && !EnsureThread(error)) return false;

  if (!ReloadRules(error)) return false;
  const auto stats = engine_->Stats();
  LogInfo("agent started: mode " + std::string(ModeName(config_.mode)) + ", ruleset " +
          engine_->version() + " (" + OriginLabel(origin_) + "), " + std::to_string(stats.size()) +
          " rules, " + std::to_string(engine_->attachment_count()) + " attachments, events " +
          (!config_.server_url.empty() ? "to vigil-server " + config_.server_url
           : config_.events_file.empty() ? std::string("off")
                                         : config_.events_file));
  return true;
}

bool Agent::StartRecorder(std::string* error) {
  recorder::RecorderOptions o;
  o.server_url = config_.server_url;
  o.api_key = config_.api_key;
  std::string why;
  if (!recorder::ParsePublicKey(config_.server_key, &o.server_key, &why)) {
    *error = "VIGIL_SERVER_KEY: " + why;
    return false;
  }
  o.app_name = config_.app_name.empty() ? ProgramName() : config_.app_name;
  o.spool_dir = config_.spool_dir;
  o.spool_max_bytes = config_.spool_max_bytes;
  o.batch_max_events = config_.batch_events;
  o.batch_max_age = std::chrono::seconds(config_.batch_seconds);
  o.heartbeat = std::chrono::seconds(config_.heartbeat_seconds);
  o.otlp_url = config_.otlp_url;
  o.user_agent = std::string("vigil-agent/") + VIGIL_VERSION;
  recorder::RecorderHost* host = this;  // a private base: converted here
  recorder_ = std::make_unique<recorder::Recorder>(std::move(o), host);
  std::string warning;
  if (!recorder_->Start(error, &warning)) return false;
  if (!warning.empty()) LogWarn(warning);
  recorder::Recorder* rec = recorder_.get();
  events_->SetConsumer([rec](RequestRecord& record) {
    for (nlohmann::json& e : ServerEvents(record)) rec->AddEvent(std::move(e));
  });
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
    while (EventsUsersNow() != 0 && NowNs() < give_up) usleep(1000);
    std::lock_guard<std::mutex> thread_lock(thread_mu_);
    // A forked child that never finished a request still holds its
    // parent's handles: nothing of that is its to join, flush or stop.
    if (fork_generation_.load() != g_fork_generation.load()) ForgetParentState();
    if (thread_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(wake_mu_);
        stopping_ = true;
      }
      wake_.notify_all();
      thread_.join();
    }
    if (events_ != nullptr) {
      std::lock_guard<std::mutex> drain(drain_mu_);
      events_->Flush();  // into the file, or into the recorder
    }
    // The recorder seals what it has and gives the server a moment to take
    // it; what is left stays in the on-disk spool for the next start.
    if (recorder_ != nullptr) recorder_->Stop(kStopGrace);
    if (engine_ != nullptr) engine_->Clear();
    if (http_installed_) UninstallHttpIntegrations();
    if (events_ != nullptr) {
      // A request thread still inside Submit after a second (it was
      // descheduled): leave the pipeline allocated rather than free it under it.
      if (EventsUsersNow() != 0) (void)events_.release();
    }
  } catch (...) {
  }
}

void Agent::OnRequestFinished(RequestContext& ctx) {
  if (Agent* agent = Current();
      agent != nullptr && agent->fork_generation_.load(std::memory_order_relaxed) !=
                              g_fork_generation.load(std::memory_order_relaxed)) [[unlikely]] {
    agent->AdoptAfterFork();  // the first request of a forked child
  }
  AgentMetrics::Get().CountRequest(ctx);
  // seq_cst on both sides: either ~Agent sees this user, or this user sees
  // the pipeline gone. (The thread keeps its stripe, so the decrement lands
  // on the same counter; the sum is right either way.)
  std::atomic<int>& users = g_events_users[recorder::CurrentStripe()].n;
  users.fetch_add(1);
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
  users.fetch_sub(1);
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
  pthread_setname_np(pthread_self(), "vigil-agent");
  // Whatever this thread calls runs without hooks (the agent must not check
  // itself).
  vigil::ScopedSuppressHooks suppress;
  recorder::Backoff backoff(std::chrono::milliseconds(100), std::chrono::milliseconds(10000),
                            static_cast<uint64_t>(NowNs()));
  std::string why;
  for (int failures = 0;; ++failures) {
    try {
      ThreadLoop();
      return;  // stopping
    } catch (const std::exception& e) {
      why = std::string("agent thread: ") + e.what();
    } catch (...) {
      why = "agent thread: unknown exception";
    }
    if (failures + 1 >= kMaxThreadRestarts) {
      GiveUp(why + " (" + std::to_string(failures + 1) + " times)");
      return;
    }
    LogError(why + "; restarting it");
    std::unique_lock<std::mutex> lock(wake_mu_);
    if (wake_.wait_for(lock, backoff.Fail(), [this] { return stopping_; })) return;
  }
}

void Agent::GiveUp(const std::string& why) {
  if (gave_up_.exchange(true)) return;
  LogError("agent stopped: " + why + "; every hook detached, the service runs unprotected");
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = "stopped";
    last_error_ = why;
  }
  if (engine_ != nullptr) engine_->Clear();
  // The HTTP hooks stay: they only build request contexts (no protection
  // runs any more), and detaching them under running handlers would cut
  // requests in flight.
}

void Agent::RecorderGaveUp(const std::string& why) { GiveUp("recorder: " + why); }

void Agent::ThreadLoop() {
  const uint64_t poll_ns = uint64_t{config_.rules_poll_ms} * 1'000'000;
  uint64_t next_poll = NowNs() + poll_ns;
  for (;;) {
    if (inject_thread_failures_.load() > 0) {
      inject_thread_failures_.fetch_sub(1);
      throw std::runtime_error("injected failure");
    }
    {
      if (events_ != nullptr) {
        std::lock_guard<std::mutex> drain(drain_mu_);
        events_->Drain(4096);
      }
      const uint64_t now = NowNs();
      if (poll_ns != 0 && !config_.rules_file.empty() && now >= next_poll) {
        next_poll = now + poll_ns;
        PollRulesFile();
      }
      if (!gave_up_.load() && engine_ != nullptr) {
        uint64_t errors = 0;
        for (const RuleStats& r : engine_->Stats()) errors += r.errors;
        if (errors > kMaxInternalErrors) {
          GiveUp("too many internal errors in protections (" + std::to_string(errors) + ")");
        }
      }
      std::unique_lock<std::mutex> lock(wake_mu_);
      if (wake_.wait_for(lock, kWakeInterval, [this] { return stopping_; })) break;
    }
  }
  if (events_ != nullptr) {
    std::lock_guard<std::mutex> drain(drain_mu_);
    events_->Flush();
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
  s.server_enabled = recorder_ != nullptr;
  if (recorder_ != nullptr) s.delivery = recorder_->stats();
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.settings_version = settings_version_;
    s.ruleset_action_version = ruleset_action_version_;
    s.status = status_;
  }
  return s;
}

void Agent::FlushEvents() {
  std::lock_guard<std::mutex> lock(drain_mu_);
  if (events_ != nullptr) events_->Flush();
}

// --- recorder::RecorderHost: what the server hears and what it may change ---

nlohmann::json Agent::LoginFields() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  nlohmann::json inventory = nlohmann::json::array();
  const vigil::EngineStats engine = vigil::GetEngineStats();
  reported_images_ = engine.images;
  reported_hook_points_ = engine.hook_points;
  const std::vector<vigil::HookInfo> hooks = vigil::FindHooks("*");
  for (const vigil::HookInfo& h : hooks) {
    if (inventory.size() >= kMaxInventory) break;
    inventory.push_back({{"name", h.name},
                         {"symbol", h.symbol},
                         {"signature", h.signature},
                         {"display", h.display},
                         {"kind", h.kind == vigil::HookKind::kCallSite ? "call" : "definition"},
                         {"file", h.file},
                         {"line", h.line}});
  }
  nlohmann::json j = HeartbeatFields();
  j["host"] = host;
  j["pid"] = getpid();
  j["exe"] = ProgramPath();
  j["started_at"] = g_started_at_ms;
  j["agent_version"] = VIGIL_VERSION;
  j["runtime_version"] = VIGIL_VERSION;
  j["hook_points"] = std::move(inventory);
  j["hook_points_total"] = hooks.size();
  return j;
}

bool Agent::InventoryChanged() {
  // Cheap: the engine's counts, not the inventory itself. An image that
  // registers (the executable right after start-up, a dlopen later) changes
  // the count of images.
  const vigil::EngineStats engine = vigil::GetEngineStats();
  return engine.images != reported_images_ || engine.hook_points != reported_hook_points_;
}

nlohmann::json Agent::HeartbeatFields() {
  std::shared_ptr<const ProtectionSettings> s = engine_ != nullptr ? engine_->settings() : nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  std::string mode = s == nullptr || s->all_off ? "off" : std::string(ModeName(s->global_mode));
  return {{"ruleset_version", engine_ != nullptr ? engine_->version() : ""},
          {"ruleset_action_version", ruleset_action_version_},
          {"settings_version", settings_version_},
          {"mode", mode},
          {"status", status_},
          {"last_error", last_error_}};
}

nlohmann::json Agent::CollectMetrics() {
  return AgentMetrics::Get().Collect(engine_ != nullptr ? engine_->Stats() : std::vector<RuleStats>{});
}

namespace {

bool ParseModeName(const nlohmann::json& v, const std::string& what, RuleMode* out, std::string* error) {
  const std::string name = v.is_string() ? v.get<std::string>() : "";
  if (name == "off") {
    *out = RuleMode::kOff;
  } else if (name == "monitor") {
    *out = RuleMode::kMonitor;
  } else if (name == "block") {
    *out = RuleMode::kBlock;
  } else {
    *error = std::string(what) + ": expected off, monitor or block, got " + v.dump();
    return false;
  }
  return true;
}

}  // namespace

bool Agent::ApplySettings(const nlohmann::json& j, std::string* error) {
  if (engine_ == nullptr) {
    *error = "the agent is disabled";
    return false;
  }
  if (!j.is_object()) {
    *error = "settings: expected an object";
    return false;
  }
  ProtectionSettings next = *engine_->settings();
  if (j.contains("mode")) {
    RuleMode m;
    if (!ParseModeName(j["mode"], "mode", &m, error)) return false;
    next.all_off = m == RuleMode::kOff;
    if (m != RuleMode::kOff) next.global_mode = m == RuleMode::kBlock ? Mode::kBlock : Mode::kMonitor;
  }
  if (j.contains("protections")) {
    if (!j["protections"].is_object()) {
      *error = "protections: expected an object";
      return false;
    }
    for (const auto& [name, value] : j["protections"].items()) {
      Protection p;
      if (!ParseProtectionName(name, &p)) continue;  // a protection this agent does not have
      std::optional<RuleMode>& slot = next.protection_mode[static_cast<size_t>(p)];
      if (value.is_null()) {  // back to the global mode
        slot.reset();
        continue;
      }
      RuleMode m;
      if (!ParseModeName(value, "protections." + name, &m, error)) return false;
      slot = m;
    }
  }
  if (j.contains("block")) {
    const nlohmann::json& b = j["block"];
    if (!b.is_object()) {
      *error = "block: expected an object";
      return false;
    }
    auto text = [&](const char* key, std::string* out) {
      if (!b.contains(key)) return true;
      if (!b[key].is_string()) {
        *error = std::string("block.") + key + ": expected a string";
        return false;
      }
      *out = b[key].get<std::string>();
      return true;
    };
    if (b.contains("status")) {
      if (!b["status"].is_number_integer()) {
        *error = "block.status: expected an integer";
        return false;
      }
      next.block.status = b["status"].get<int>();
    }
    if (!text("html", &next.block.html_template) || !text("json", &next.block.json_template) ||
        !text("redirect", &next.block.redirect_url)) {
      return false;
    }
    std::string why;
    if (!ValidateBlockSettings(next.block, &why)) {
      *error = "block: " + why;
      return false;
    }
  }
  HttpSettings http;
  http.block = next.block;
  http.trusted_proxies = config_.trusted_proxies;
  std::string why;
  if (!engine_->UpdateSettings(std::make_shared<const ProtectionSettings>(next), &why) ||
      !SetHttpSettings(http, &why)) {
    *error = why;
    return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  status_ = gave_up_.load() ? "stopped" : next.all_off ? "disabled" : "running";
  return true;
}

bool Agent::ApplyAction(const recorder::Action& action, std::string* error) {
  if (gave_up_.load()) {
    *error = "the agent stopped after internal failures";
    return false;
  }
  auto newer = [&](uint64_t have) {
    if (action.version > have) return true;
    *error = action.type + " version " + std::to_string(action.version) + " is not newer than " +
             std::to_string(have) + " (in force)";
    return false;
  };
  if (action.type == "ruleset") {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!newer(ruleset_action_version_)) return false;
    }
    if (!LoadRules(action.payload.dump(), "server (version " + std::to_string(action.version) + ")", error)) {
      return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    ruleset_action_version_ = action.version;
    return true;
  }
  if (action.type == "settings") {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!newer(settings_version_)) return false;
    }
    if (!ApplySettings(action.payload, error)) return false;
    LogInfo("settings version " + std::to_string(action.version) + " from the server applied");
    std::lock_guard<std::mutex> lock(mu_);
    settings_version_ = action.version;
    return true;
  }
  if (action.type == "reload") return ReloadRules(error);
  if (action.type == "disable" || action.type == "enable") {
    return ApplySettings({{"mode", action.type == "disable" ? "off"
                                   : ModeName(engine_->settings()->global_mode)}},
                         error);
  }
  *error = "unknown action type " + action.type;
  return false;
}

}  // namespace vigil::agent
