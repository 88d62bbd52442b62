// Copyright Vigil authors.
#include "recorder.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>

#include <cinttypes>
#include <cstdio>

#include "backoff.h"
#include "http_client.h"
#include "otlp.h"
#include "spool.h"

namespace vigil::recorder {
namespace {

using json = nlohmann::json;

constexpr const char* kApi = "/api/agent/v1";
// Repeated failures of the thread itself (not of the network) within this
// many rounds of each other make the recorder give up.
constexpr uint32_t kMaxThreadFailures = 5;
// Results of actions waiting for a heartbeat (a server sending thousands of
// actions while unreachable is not a case to buffer without limit).
constexpr size_t kMaxActionResults = 256;

int64_t WallClockMs() {
  return std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Hex16(uint64_t n) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, n);
  return buf;
}

json ParseObject(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  return j.is_object() ? j : json();
}

std::string ErrorCode(const std::string& body) {
  json j = ParseObject(body);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  return "";
}

// Splits a stored batch {"batch_id":..., "events":[...]} in two halves with
// ids derived from the original (so a retry of a half is still recognised).
bool SplitBatch(const std::string& batch, std::string* first, uint32_t* first_n,
                std::string* second, uint32_t* second_n) {
  json b = json::parse(batch, nullptr, false);
  if (!b.is_object() || !b.contains("events") || !b["events"].is_array() ||
      b["events"].size() < 2) {
    return false;
  }
  const std::string id = b.value("batch_id", "");
  json& events = b["events"];
  const size_t half = events.size() / 2;
  json a = {{"batch_id", id + "a"}, {"events", json(events.begin(), events.begin() + half)}};
  json c = {{"batch_id", id + "b"}, {"events", json(events.begin() + half, events.end())}};
  *first = a.dump(-1, ' ', false, json::error_handler_t::replace);
  *second = c.dump(-1, ' ', false, json::error_handler_t::replace);
  *first_n = static_cast<uint32_t>(half);
  *second_n = static_cast<uint32_t>(events.size() - half);
  return true;
}

}  // namespace

struct Recorder::BackoffState {
  explicit BackoffState(const RecorderOptions& o)
      : backoff(o.backoff_min, o.backoff_max, randombytes_random()) {}
  Backoff backoff;
};

std::string RandomId() {
  if (sodium_init() < 0) return Hex16(static_cast<uint64_t>(WallClockMs())) + Hex16(getpid());
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

Recorder::Recorder(RecorderOptions options, RecorderHost* host)
    : options_(std::move(options)),
      host_(host),
      agent_id_(RandomId()),
      heartbeat_every_(options_.heartbeat),
      news_every_(options_.news),
      backoff_(std::make_unique<BackoffState>(options_)) {}

Recorder::~Recorder() { Stop(Millis(0)); }

bool Recorder::Start(std::string* error, std::string* warning) {
  try {
    spool_ = Spool::Open(options_.spool_dir, options_.spool_max_bytes, warning);
    if (!spool_->stats().on_disk && options_.spool_max_bytes > options_.memory_spool_max_bytes) {
      spool_ = Spool::Open("", options_.memory_spool_max_bytes, warning);
    }
    HttpClientOptions http;
    http.base_url = options_.server_url;
    http.timeout = options_.timeout;
    http.connect_timeout = std::min(options_.timeout, Millis(3000));
    http.headers = {"Authorization: Bearer " + options_.api_key, "Vigil-Protocol: 1",
                    "User-Agent: " + options_.user_agent};
    client_ = std::make_unique<HttpClient>(http);
    if (!options_.otlp_url.empty()) {
      otlp_ = std::make_unique<OtlpExporter>(options_.otlp_url, options_.timeout,
                                             options_.service_name.empty() ? options_.app_name
                                                                           : options_.service_name);
    }
    // The thread must not take the host's signals.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    try {
      thread_ = std::thread(&Recorder::ThreadMain, this);
    } catch (const std::exception& e) {
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
      *error = std::string("cannot start the recorder thread: ") + e.what();
      return false;
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return true;
  } catch (const std::exception& e) {
    *error = std::string("recorder: ") + e.what();
  }
  return false;
}

void Recorder::Stop(Millis grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    stop_grace_ = grace;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Recorder::AddEvent(json event) {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t seq = ++next_event_seq_;
    event["id"] = agent_id_ + "-" + Hex16(seq);
    event["agent_id"] = agent_id_;
    std::string text = event.dump(-1, ' ', false, json::error_handler_t::replace);
    if (pending_.size() >= options_.pending_max_events ||
        pending_bytes_ + text.size() > options_.pending_max_bytes) {
      ++stats_.dropped_queue_full;
      return;
    }
    if (pending_.empty()) oldest_pending_ = Clock::now();
    pending_bytes_ += text.size();
    pending_.push_back(std::move(text));
    ++stats_.events_queued;
    if (pending_.size() >= options_.batch_max_events || pending_bytes_ >= options_.batch_max_bytes) {
      wake_.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.dropped_queue_full;  // out of memory: counted, never thrown
  }
}

void Recorder::HeartbeatSoon() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    heartbeat_soon_ = true;
  }
  wake_.notify_all();
}

RecorderStats Recorder::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void Recorder::ThreadMain() {
  pthread_setname_np(pthread_self(), "vigil-recorder");
  Backoff restart_backoff(Millis(100), Millis(10000), randombytes_random());
  uint32_t failures = 0;
  for (;;) {
    try {
      Loop();
      return;  // a normal stop
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.last_error = std::string("recorder thread: ") + e.what();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.last_error = "recorder thread: unknown exception";
    }
    ++failures;
    std::unique_lock<std::mutex> lock(mu_);
    ++stats_.thread_restarts;
    if (failures >= kMaxThreadFailures) {
      stats_.gave_up = true;
      const std::string why = stats_.last_error + " (" + std::to_string(failures) + " times)";
      lock.unlock();
      try {
        host_->RecorderGaveUp(why);
      } catch (...) {
      }
      return;
    }
    if (wake_.wait_for(lock, restart_backoff.Fail(), [this] { return stopping_; })) return;
  }
}

void Recorder::Loop() {
  for (;;) {
    if (inject_failures_.load() > 0) {
      inject_failures_.fetch_sub(1);
      throw std::runtime_error("injected failure");
    }
    Round(Clock::now());
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) break;
    // Sleep until the next thing is due; AddEvent wakes us when a batch is full.
    auto until = Clock::now() + Millis(1000);
    if (!pending_.empty()) until = std::min(until, oldest_pending_ + options_.batch_max_age);
    if (logged_in_) until = std::min(until, next_heartbeat_);
    if (news_every_.count() > 0 && logged_in_) until = std::min(until, next_news_);
    if (!spool_->empty() || !logged_in_) until = std::max(until, next_attempt_);
    wake_.wait_until(lock, until, [this] {
      return stopping_ || heartbeat_soon_ || pending_.size() >= options_.batch_max_events ||
             pending_bytes_ >= options_.batch_max_bytes;
    });
    if (stopping_) break;
  }
  FinalFlush(stop_grace_);
}

void Recorder::Round(Clock::time_point now) {
  SealPending(false, now);
  if (otlp_ != nullptr) {
    otlp_->Pump();
    std::lock_guard<std::mutex> lock(mu_);
    stats_.otlp_sent = otlp_->sent();
    stats_.otlp_dropped = otlp_->dropped();
  }
  if (now < next_attempt_) return;  // backing off
  if (logged_in_ && host_->InventoryChanged()) logged_in_ = false;  // login is idempotent
  if (!logged_in_) {
    if (!Login()) return;
  }
  bool soon;
  {
    std::lock_guard<std::mutex> lock(mu_);
    soon = heartbeat_soon_;
    heartbeat_soon_ = false;
  }
  if (news_every_.count() > 0 && Clock::now() >= next_news_ && !soon) {
    next_news_ = Clock::now() + news_every_;
    if (PollNews()) soon = true;
  }
  if (soon || Clock::now() >= next_heartbeat_) {
    if (!Heartbeat()) return;
  }
  // Deliver the spool oldest first, a bounded number per round so that
  // heartbeats are not starved by a long backlog.
  for (int i = 0; i < 16 && !spool_->empty(); ++i) {
    if (!SendFrontBatch()) break;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;
    }
  }
}

bool Recorder::SealPending(bool force, Clock::time_point now) {
  bool sealed = false;
  for (;;) {
    std::vector<std::string> events;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (pending_.empty()) break;
      const bool full = pending_.size() >= options_.batch_max_events ||
                        pending_bytes_ >= options_.batch_max_bytes;
      const bool stale = now - oldest_pending_ >= options_.batch_max_age;
      if (!force && !full && !stale) break;
      // Take at most one batch's worth, by count and bytes.
      size_t n = 0, bytes = 0;
      while (n < pending_.size() && n < options_.batch_max_events &&
             (n == 0 || bytes + pending_[n].size() <= options_.batch_max_bytes)) {
        bytes += pending_[n].size();
        ++n;
      }
      events.assign(std::make_move_iterator(pending_.begin()),
                    std::make_move_iterator(pending_.begin() + n));
      pending_.erase(pending_.begin(), pending_.begin() + n);
      pending_bytes_ -= bytes;
      oldest_pending_ = now;  // what remains is at most this old as a batch
    }
    std::string batch = "{\"batch_id\":\"" + agent_id_ + "-" + Hex16(++batch_seq_) + "\",\"events\":[";
    for (size_t i = 0; i < events.size(); ++i) {
      if (i > 0) batch += ',';
      batch += events[i];
    }
    batch += "]}";
    if (otlp_ != nullptr) otlp_->Add(events);
    spool_->Push(batch, static_cast<uint32_t>(events.size()));
    sealed = true;
  }
  const SpoolStats s = spool_->stats();
  std::lock_guard<std::mutex> lock(mu_);
  stats_.dropped_spool_full = s.dropped_events;
  stats_.spool_batches = s.batches;
  stats_.spool_bytes = s.bytes;
  stats_.spool_events = s.events;
  stats_.spool_on_disk = s.on_disk;
  if (otlp_ != nullptr) {
    stats_.otlp_sent = otlp_->sent();
    stats_.otlp_dropped = otlp_->dropped();
  }
  return sealed;
}

void Recorder::Failed(const std::string& what, int status, const std::string& body,
                      Millis retry_after, const std::string& error) {
  std::string message = what + ": ";
  if (status == 0) {
    message += error;
  } else {
    message += "HTTP " + std::to_string(status);
    const std::string code = ErrorCode(body);
    if (!code.empty()) message += " (" + code + ")";
  }
  if (status == 404 && ErrorCode(body) == "unknown_agent") {
    logged_in_ = false;  // log in again at once, then retry
    next_attempt_ = Clock::now();
  } else {
    next_attempt_ = Clock::now() + backoff_->backoff.Fail(retry_after);
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.send_failures;
  stats_.last_error = message;
  stats_.logged_in = logged_in_;
}

void Recorder::ApplyTiming(const json& answer) {
  if (answer.contains("heartbeat_seconds") && answer["heartbeat_seconds"].is_number_integer()) {
    const int64_t s = answer["heartbeat_seconds"].get<int64_t>();
    if (s >= 1 && s <= 3600) heartbeat_every_ = std::chrono::seconds(s);
  }
  if (answer.contains("news_seconds") && answer["news_seconds"].is_number_integer()) {
    const int64_t s = answer["news_seconds"].get<int64_t>();
    if (s >= 0 && s <= 60) news_every_ = std::chrono::seconds(s);
  }
}

bool Recorder::Login() {
  json body = host_->LoginFields();
  body["protocol"] = 1;
  body["agent_id"] = agent_id_;
  body["app_name"] = options_.app_name;
  const HttpResponse r = client_->PostJson(std::string(kApi) + "/login", body.dump(-1, ' ', false, json::error_handler_t::replace));
  json answer = r.status == 200 ? ParseObject(r.body) : json();
  if (r.status != 200 || !answer.is_object()) {
    Failed("login", r.status == 200 ? 0 : r.status, r.body, r.retry_after,
           r.status == 200 ? "answer is not a JSON object" : r.error);
    return false;
  }
  logged_in_ = true;
  backoff_->backoff.Reset();
  ApplyTiming(answer);
  next_heartbeat_ = Clock::now() + heartbeat_every_;
  next_news_ = Clock::now() + news_every_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.logged_in = true;
    stats_.last_error.clear();
  }
  HandleActions(answer);
  return true;
}

json Recorder::Delivery() const {
  std::lock_guard<std::mutex> lock(mu_);
  return json{{"events_queued", stats_.events_queued},
              {"events_sent", stats_.events_sent},
              {"events_spooled", stats_.spool_events},
              {"dropped_queue_full", stats_.dropped_queue_full},
              {"dropped_spool_full", stats_.dropped_spool_full},
              {"rejected", stats_.rejected},
              {"spool_batches", stats_.spool_batches},
              {"spool_bytes", stats_.spool_bytes}};
}

bool Recorder::Heartbeat() {
  json metrics = host_->CollectMetrics();
  if (unsent_metrics_.is_object()) metrics = MergeMetrics(unsent_metrics_, metrics);
  json body = host_->HeartbeatFields();
  body["agent_id"] = agent_id_;
  body["seq"] = ++heartbeat_seq_;
  body["time"] = WallClockMs();
  body["metrics"] = metrics;
  body["delivery"] = Delivery();
  body["action_results"] = action_results_;
  const HttpResponse r = client_->PostJson(std::string(kApi) + "/heartbeat", body.dump(-1, ' ', false, json::error_handler_t::replace));
  json answer = r.status == 200 ? ParseObject(r.body) : json();
  if (r.status != 200 || !answer.is_object()) {
    unsent_metrics_ = std::move(metrics);  // merged into the next attempt
    Failed("heartbeat", r.status == 200 ? 0 : r.status, r.body, r.retry_after,
           r.status == 200 ? "answer is not a JSON object" : r.error);
    return false;
  }
  unsent_metrics_ = json();
  action_results_ = json::array();
  backoff_->backoff.Reset();
  ApplyTiming(answer);
  next_heartbeat_ = Clock::now() + heartbeat_every_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.heartbeats;
    stats_.last_error.clear();
  }
  HandleActions(answer);
  // Results of what was just applied go back soon, not in a minute.
  if (!action_results_.empty()) next_heartbeat_ = Clock::now() + Millis(200);
  return true;
}

bool Recorder::PollNews() {
  const HttpResponse r = client_->Get(std::string(kApi) + "/news?agent_id=" + agent_id_);
  if (r.status != 200) {
    Failed("news", r.status, r.body, r.retry_after, r.error);
    return false;
  }
  json answer = ParseObject(r.body);
  return answer.is_object() && answer.value("news", false) == true;
}

void Recorder::HandleActions(const json& answer) {
  if (!answer.contains("actions") || !answer["actions"].is_array()) return;
  for (const json& envelope : answer["actions"]) {
    const std::string id =
        envelope.is_object() && envelope.contains("id") && envelope["id"].is_string()
            ? envelope["id"].get<std::string>()
            : "";
    Action action;
    std::string error;
    bool ok = VerifyAction(envelope, options_.server_key, options_.app_name, &action, &error);
    if (ok) {
      try {
        ok = host_->ApplyAction(action, &error);
      } catch (...) {
        ok = false;
        error = "internal error while applying the action";
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++(ok ? stats_.actions_applied : stats_.actions_refused);
    }
    if (action_results_.size() < kMaxActionResults) {
      action_results_.push_back({{"id", id}, {"ok", ok}, {"error", ok ? "" : error}});
    }
  }
}

bool Recorder::SendFrontBatch() {
  std::string batch;
  uint32_t events = 0;
  if (!spool_->Front(&batch, &events)) return false;
  // Stored batches start with '{"batch_id"'; the sender's id goes in front.
  const std::string body = "{\"agent_id\":\"" + agent_id_ + "\"," + batch.substr(1);
  const HttpResponse r = client_->PostJson(std::string(kApi) + "/batch", body);
  json answer = r.status == 200 ? ParseObject(r.body) : json();
  if (r.status == 200 && !(answer.is_object() && answer.contains("accepted"))) {
    // A 200 that is not the server's answer (a proxy's page): nothing says
    // the batch was stored, so it stays and is sent again.
    Failed("batch", 0, r.body, r.retry_after, "answer is not a batch acknowledgement");
    return false;
  }
  if (r.status == 200) {
    spool_->PopFront();
    backoff_->backoff.Reset();
    std::lock_guard<std::mutex> lock(mu_);
    stats_.events_sent += events;
    ++stats_.batches_sent;
    if (answer.is_object() && answer.contains("duplicates") && answer["duplicates"].is_number_integer() &&
        answer["duplicates"].get<int64_t>() > 0) {
      stats_.events_duplicates += static_cast<uint64_t>(answer["duplicates"].get<int64_t>());
    }
    stats_.spool_batches = spool_->stats().batches;
    stats_.spool_events = spool_->stats().events;
    stats_.spool_bytes = spool_->stats().bytes;
    return true;
  }
  if (r.status == 400) {
    // Retrying a batch the server calls malformed cannot help.
    spool_->PopFront();
    std::lock_guard<std::mutex> lock(mu_);
    stats_.rejected += events;
    stats_.last_error = "batch rejected by the server: " + r.body.substr(0, 200);
    return true;
  }
  if (r.status == 413) {
    std::string a, b;
    uint32_t na = 0, nb = 0;
    if (SplitBatch(batch, &a, &na, &b, &nb)) {
      spool_->SplitFront(a, na, b, nb);
    } else {
      spool_->PopFront();
      std::lock_guard<std::mutex> lock(mu_);
      stats_.rejected += events;
    }
    return true;
  }
  Failed("batch", r.status, r.body, r.retry_after, r.error);
  return false;
}

void Recorder::FinalFlush(Millis grace) {
  SealPending(true, Clock::now());
  const auto deadline = Clock::now() + grace;
  if (!logged_in_ && grace.count() > 0 && Clock::now() >= next_attempt_) Login();
  if (logged_in_) {
    while (!spool_->empty() && Clock::now() < deadline && Clock::now() >= next_attempt_) {
      if (!SendFrontBatch()) break;
    }
    if (Clock::now() < deadline) {
      json body = {{"agent_id", agent_id_}, {"reason", "exit"}};
      client_->PostJson(std::string(kApi) + "/logout", body.dump());
    }
  }
  if (otlp_ != nullptr) otlp_->Pump();
  const SpoolStats s = spool_->stats();
  std::lock_guard<std::mutex> lock(mu_);
  stats_.spool_batches = s.batches;
  stats_.spool_events = s.events;
  stats_.spool_bytes = s.bytes;
  stats_.dropped_spool_full = s.dropped_events;
}

}  // namespace vigil::recorder
