// Copyright Vigil authors.
//
// The agent: the process-wide object that owns the configuration, the rules
// engine and the events pipeline, and the one thread they need.
//
// Lifecycle. libvigil_agent.so calls Agent::StartFromEnvironment() from a
// constructor, before main(). If the configuration is bad the agent does not
// start: nothing is attached, no thread is created, and ONE line goes to
// stderr ("vigil: agent not started: VIGIL_MODE: expected monitor or block,
// got 'blok'"); the service runs unprotected. A destructor stops it at exit
// and flushes the events. Tests call Start and Stop directly.
//
// Threads. One agent thread ("vigil-agent") drains the events queue every
// 50 ms and polls VIGIL_RULES for changes; request threads never wait for it.
//
// Nothing here throws into the host: every entry point catches and reports.
#ifndef VIGIL_AGENT_AGENT_H_
#define VIGIL_AGENT_AGENT_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "config.h"
#include "events.h"
#include "recorder.h"
#include "rule_counters.h"
#include "rules_engine.h"
#include "sql_protection.h"

namespace vigil::recorder {
class Scrubber;
}

namespace vigil::agent {

struct AgentStats {
  bool running = false;
  bool disabled = false;
  std::string mode;               // "monitor" or "block"
  std::string ruleset_version;
  std::string ruleset_origin;     // "built-in" or the file it came from
  uint64_t rulesets_applied = 0;  // successful loads, the first included
  uint64_t ruleset_errors = 0;    // loads refused (the ruleset in force stayed)
  std::string last_ruleset_error;
  size_t attachments = 0;
  bool events_enabled = false;
  EventStats events;
  // Delivery to vigil-server (when VIGIL_SERVER is set).
  bool server_enabled = false;
  recorder::RecorderStats delivery;
  uint64_t settings_version = 0;        // of the last settings action applied
  uint64_t ruleset_action_version = 0;  // of the last ruleset action applied
  std::string status;                   // "running", "disabled", "stopped"
  std::vector<RuleStats> rules;
};

class Agent : private recorder::RecorderHost {
 public:
  // Starts the process-wide agent with `config`. False, with a one-line
  // `error`, if it is already running or the ruleset cannot be loaded; then
  // nothing is attached. With config.disabled it starts but attaches nothing
  // and creates no thread.
  static bool Start(const Config& config, std::string* error);
  // LoadConfig(ProcessEnvironment()) and Start. Warns about unknown VIGIL_*
  // variables.
  static bool StartFromEnvironment(std::string* error);
  // Detaches everything, stops the thread, writes the queued events.
  // Nothing happens if the agent is not running.
  static void Stop();
  // The running agent, or null. Valid until Stop().
  static Agent* Current();

  const Config& config() const { return config_; }

  // Loads VIGIL_RULES again (or the built-in ruleset when it is not set) and
  // swaps it in. On failure the ruleset in force stays and `error` says why.
  bool ReloadRules(std::string* error);
  // Swaps in the ruleset `json` (origin names it in messages and Stats).
  bool LoadRules(std::string_view json, std::string_view origin, std::string* error);

  AgentStats Stats() const;

  // Writes everything queued for the events file now (tests; shutdown).
  void FlushEvents();
  // Tests: the next `n` rounds of the agent thread throw.
  void InjectThreadFailuresForTest(int n) { inject_thread_failures_.store(n); }

  // Applies settings as a server sends them (docs/protocol.md, section 6):
  // mode, per-protection mode, block response. Absent keys keep their value.
  // On failure nothing changes and `error` says why.
  bool ApplySettings(const nlohmann::json& settings, std::string* error);

  ~Agent();

 private:
  explicit Agent(const Config& config);
  bool Init(std::string* error);
  bool StartRecorder(std::string* error);
  // Detaches every protection and HTTP hook for good (internal failures).
  void GiveUp(const std::string& why);
  void ThreadMain();
  void ThreadLoop();

  // recorder::RecorderHost, called on the recorder's thread.
  nlohmann::json LoginFields() override;
  nlohmann::json HeartbeatFields() override;
  nlohmann::json CollectMetrics() override;
  bool ApplyAction(const recorder::Action& action, std::string* error) override;
  void RecorderGaveUp(const std::string& why) override;
  bool InventoryChanged() override;
  // Starts the agent thread unless it runs already. The thread is started
  // only when there is work for it (a rules file to watch, a first finished
  // request whose events must be written), so a process that never serves a
  // request has no extra thread.
  bool EnsureThread(std::string* error);
  void PollRulesFile();
  static void OnRequestFinished(RequestContext& ctx);

  // fork(): the forking thread holds every lock of the agent across it
  // (pthread_atfork), so the child finds none taken by a thread that did
  // not come along. The child then has no agent or recorder thread; on its
  // first finished request it forgets the parent's threads, queue and
  // recorder (those are the parent's to deliver) and starts its own: a new
  // pipeline, a recorder that logs in as a new agent, its agent thread.
  static void ForkPrepare();
  static void ForkParent();
  static void ForkChild();
  void AdoptAfterFork();
  // Drops the handles of the parent's threads and its pipeline and
  // recorder, without touching them (never freed: their threads are gone,
  // and a thread of the child may still be handing off into the pipeline).
  // Called with thread_mu_ held.
  void ForgetParentState();

  const Config config_;
  std::shared_ptr<const ProtectionSettings> settings_;
  std::unique_ptr<RulesEngine> engine_;
  std::unique_ptr<recorder::Scrubber> scrubber_;
  std::unique_ptr<EventPipeline> events_;
  std::unique_ptr<recorder::Recorder> recorder_;
  bool http_installed_ = false;
  size_t reported_hook_points_ = 0;  // the recorder thread's
  size_t reported_images_ = 0;        // the recorder thread's

  mutable std::mutex mu_;  // ruleset bookkeeping below; serialises loads
  std::string origin_;
  uint64_t applied_ = 0;
  uint64_t errors_ = 0;
  std::string last_error_;
  uint64_t settings_version_ = 0;        // guarded by mu_
  uint64_t ruleset_action_version_ = 0;  // guarded by mu_
  std::string status_ = "running";       // guarded by mu_
  std::atomic<bool> gave_up_{false};
  std::atomic<int> inject_thread_failures_{0};
  struct FileStamp {
    bool exists = false;
    long long mtime_ns = 0;
    long long size = 0;
    unsigned long long inode = 0;
    bool operator==(const FileStamp&) const = default;
  } rules_stamp_;

  // The fork generation (see ForkChild) whose threads and pipeline this
  // agent has; behind g_fork_generation in a child that has not adopted yet.
  std::atomic<uint64_t> fork_generation_{0};

  std::mutex drain_mu_;  // one drainer at a time (the file is not shared)
  std::mutex thread_mu_;               // serialises EnsureThread
  std::atomic<bool> thread_started_{false};
  std::thread thread_;
  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by wake_mu_
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_AGENT_H_
