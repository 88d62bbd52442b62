// Copyright Vigil authors.
//
// Recorder: delivers what the agent saw to vigil-server (docs/protocol.md).
//
// The agent hands it scrubbed events (AddEvent, from the agent thread: the
// request threads never get here, they stop at the lock-free record queue).
// The recorder's own thread batches them (1,000 events or 20 s of staleness
// by default), writes each sealed batch to the spool (on disk when a
// directory is configured), and sends the spool oldest first. A batch leaves
// the spool only when the server acknowledged it, and the server drops
// events whose id it already has: within the bounds nothing is lost and
// nothing is delivered twice, across outages and restarts alike. Past the
// bounds the oldest data is dropped and counted, and the counts go to the
// server in every heartbeat.
//
// The same thread logs in, sends heartbeats (metrics, versions, results of
// actions), polls for news so that dashboard changes arrive within seconds,
// and applies the signed actions the server answers with (through the
// RecorderHost the agent implements). Failures back off exponentially with
// jitter and respect Retry-After. An exception inside the thread restarts it
// with backoff; after repeated failures the host is told to give up.
#ifndef VIGIL_RECORDER_RECORDER_H_
#define VIGIL_RECORDER_RECORDER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "signed_action.h"

namespace vigil::recorder {

class HttpClient;
class OtlpExporter;
class Spool;

using Millis = std::chrono::milliseconds;

struct RecorderOptions {
  std::string server_url;  // VIGIL_SERVER
  std::string api_key;     // VIGIL_API_KEY
  PublicKey server_key{};  // VIGIL_SERVER_KEY: verifies actions
  std::string app_name;    // VIGIL_APP_NAME

  std::string spool_dir;                  // VIGIL_SPOOL_DIR; empty: memory
  uint64_t spool_max_bytes = 64ull << 20;  // VIGIL_SPOOL_MAX_BYTES
  // A spool in memory (no directory, or it cannot be used) holds at most
  // this much: it competes with the service for memory.
  uint64_t memory_spool_max_bytes = 8ull << 20;

  uint32_t batch_max_events = 1000;  // VIGIL_BATCH_EVENTS
  Millis batch_max_age{20000};       // VIGIL_BATCH_SECONDS
  size_t batch_max_bytes = 4u << 20;
  // Events waiting to be batched while the thread is busy (a slow server):
  // past these the newest are dropped and counted.
  uint32_t pending_max_events = 10000;
  size_t pending_max_bytes = 8u << 20;

  Millis heartbeat{60000};  // VIGIL_HEARTBEAT_SECONDS; the server may change it
  Millis news{2000};        // the server may change it; zero: no polling
  Millis timeout{10000};    // one exchange with the server
  Millis backoff_min{1000};
  Millis backoff_max{300000};

  std::string otlp_url;  // VIGIL_OTLP_URL: also export events as OTLP logs
  std::string service_name;  // OTLP resource service.name (default app_name)
  std::string user_agent = "vigil-agent";
};

// What the agent provides. Called on the recorder's thread only.
class RecorderHost {
 public:
  virtual ~RecorderHost() = default;
  // Login fields besides protocol/agent_id/app_name (docs/protocol.md 3.1):
  // host, pid, exe, versions, mode, hook_points...
  virtual nlohmann::json LoginFields() = 0;
  // Heartbeat fields besides agent_id/seq/time/delivery/action_results:
  // ruleset_version, settings_version, mode, status, last_error.
  virtual nlohmann::json HeartbeatFields() = 0;
  // The metrics since the last call, in the shape of docs/protocol.md 5.
  virtual nlohmann::json CollectMetrics() = 0;
  // Applies a verified action; false with `error` to refuse it (an older
  // version, an invalid ruleset...).
  virtual bool ApplyAction(const Action& action, std::string* error) = 0;
  // The recorder failed repeatedly and stopped: the agent should stop too.
  virtual void RecorderGaveUp(const std::string& why) = 0;
  // True when the hook-point inventory changed since the last login (an
  // image was loaded): the recorder logs in again to report it.
  virtual bool InventoryChanged() { return false; }
};

struct RecorderStats {
  uint64_t events_queued = 0;       // accepted by AddEvent
  uint64_t events_sent = 0;         // acknowledged by the server
  uint64_t events_duplicates = 0;   // of those, the server had already
  uint64_t dropped_queue_full = 0;  // AddEvent past the pending bound
  uint64_t dropped_spool_full = 0;  // oldest dropped from the spool
  uint64_t rejected = 0;            // refused by the server as malformed
  uint64_t spool_batches = 0, spool_bytes = 0, spool_events = 0;
  bool spool_on_disk = false;
  uint64_t batches_sent = 0;
  uint64_t send_failures = 0;  // exchanges that failed (then retried)
  uint64_t heartbeats = 0;
  uint64_t actions_applied = 0, actions_refused = 0;
  uint64_t thread_restarts = 0;
  uint64_t otlp_sent = 0, otlp_dropped = 0;
  bool logged_in = false;
  bool gave_up = false;
  std::string last_error;
};

class Recorder {
 public:
  Recorder(RecorderOptions options, RecorderHost* host);
  ~Recorder();  // Stop(Millis(0)) if still running
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Opens the spool and starts the thread. False with `error` only when the
  // thread cannot start; a spool problem is a warning (memory spool).
  bool Start(std::string* error, std::string* warning);
  // Seals what is pending, tries for up to `grace` to deliver the spool,
  // logs out and stops the thread. What is still undelivered stays in the
  // on-disk spool for the next run (or is counted as dropped in memory).
  void Stop(Millis grace);

  // Adds one scrubbed event object (docs/protocol.md 4) without "id" and
  // "agent_id", which are set here. Never waits for the network.
  void AddEvent(nlohmann::json event);
  // Asks for a heartbeat now (e.g. the mode changed locally).
  void HeartbeatSoon();

  RecorderStats stats() const;
  const std::string& agent_id() const { return agent_id_; }

  // Tests: the next `n` rounds of the thread's loop throw.
  void InjectThreadFailuresForTest(int n) { inject_failures_.store(n); }

 private:
  using Clock = std::chrono::steady_clock;

  void ThreadMain();
  void Loop();
  void Round(Clock::time_point now);
  bool SealPending(bool force, Clock::time_point now);
  bool Login();
  bool Heartbeat();
  bool PollNews();
  bool SendFrontBatch();
  void HandleActions(const nlohmann::json& answer);
  void ApplyTiming(const nlohmann::json& answer);
  // Common handling of a failed exchange: backoff, re-login on unknown_agent.
  void Failed(const std::string& what, int status, const std::string& body, Millis retry_after,
              const std::string& error);
  nlohmann::json Delivery() const;
  void FinalFlush(Millis grace);

  const RecorderOptions options_;
  RecorderHost* const host_;
  const std::string agent_id_;

  // Shared with AddEvent callers.
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::string> pending_;  // serialised events
  size_t pending_bytes_ = 0;
  Clock::time_point oldest_pending_{};
  bool stopping_ = false;
  Millis stop_grace_{0};
  bool heartbeat_soon_ = false;
  uint64_t next_event_seq_ = 0;
  RecorderStats stats_;  // counters below the spool's, guarded by mu_

  // The thread's own state.
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<OtlpExporter> otlp_;
  std::thread thread_;
  bool logged_in_ = false;
  uint64_t batch_seq_ = 0;
  uint64_t heartbeat_seq_ = 0;
  Millis heartbeat_every_;
  Millis news_every_;
  Clock::time_point next_attempt_{};  // backoff gate for every exchange
  Clock::time_point next_heartbeat_{};
  Clock::time_point next_news_{};
  nlohmann::json action_results_ = nlohmann::json::array();
  nlohmann::json unsent_metrics_;  // collected but not yet delivered
  struct BackoffState;
  std::unique_ptr<BackoffState> backoff_;
  std::atomic<int> inject_failures_{0};
};

// Merges two metrics objects of docs/protocol.md 5 (counters summed by name
// and label, histograms by bucket, percentiles recomputed): the metrics of a
// heartbeat that could not be delivered are merged into the next one.
nlohmann::json MergeMetrics(const nlohmann::json& older, const nlohmann::json& newer);

// A random 128-bit id as 32 lowercase hex digits.
std::string RandomId();

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_RECORDER_H_
