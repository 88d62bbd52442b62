// Copyright Vigil authors.
//
// Events: what the agent writes about finished requests and their findings.
//
// The request thread only copies what is needed into a RequestRecord and
// pushes it into a bounded lock-free queue; when the queue is full (by count
// or by bytes) the record is dropped and counted, never waited for. The
// agent thread drains the queue, formats JSON lines (event_json.h) and
// appends them to a size-bounded, rotated file (event_file.h). When a server
// is configured (later), the recorder takes the place of the file.
#ifndef VIGIL_AGENT_EVENTS_H_
#define VIGIL_AGENT_EVENTS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <functional>

#include "config.h"
#include "event_file.h"
#include "request_context.h"

namespace vigil::recorder {
class Scrubber;
}

namespace vigil::agent {

// A finished request, copied off the request thread.
struct RequestRecord {
  int64_t time_ms = 0;  // wall clock when it finished, Unix milliseconds
  std::string request_id, method, path, route, client_ip, user_agent, framework;
  std::string query;  // the query parameters, decoded ("q=' OR 1=1 --&page=2")
  std::vector<std::pair<std::string, std::string>> headers;  // at most kMaxHeaders
  int status = 0;
  bool blocked = false;
  uint64_t protection_ns = 0;
  uint64_t checks_skipped = 0;
  uint64_t truncated_inputs = 0;
  uint64_t findings_total = 0;    // findings the request had (more than kept)
  std::vector<Finding> findings;  // at most kMaxFindingsPerRecord
  // findings[i]'s stack, symbolized on the agent thread (SymbolizeStacks).
  std::vector<std::vector<std::string>> stacks;
  // The request's inputs, until Complete() (only for requests with findings).
  std::vector<RequestInput> inputs;

  static constexpr size_t kMaxFindingsPerRecord = 8;
  static constexpr size_t kMaxHeaders = 32;

  // Fills `stacks` from the findings' return addresses.
  void SymbolizeStacks();

  // Takes what events need from the finished `ctx` (moves: the request
  // thread only allocates the record). Complete() must run before use.
  static std::unique_ptr<RequestRecord> From(RequestContext& ctx);
  // On the agent thread: cuts long values, picks the query and headers out
  // of the inputs, keeps at most kMaxFindingsPerRecord findings.
  void Complete();
  // Approximate heap bytes, for the queue's byte bound.
  size_t ApproximateBytes() const;
};

// A bounded multi-producer multi-consumer queue (D. Vyukov's array queue):
// push and pop are lock-free and never wait; push fails when full.
class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity);  // rounded up to a power of two
  ~RecordQueue();
  RecordQueue(const RecordQueue&) = delete;
  RecordQueue& operator=(const RecordQueue&) = delete;

  // Takes ownership on success; on failure `record` is left untouched.
  bool TryPush(std::unique_ptr<RequestRecord>& record);
  std::unique_ptr<RequestRecord> TryPop();
  size_t capacity() const { return mask_ + 1; }
  // Whether the queue looks full now (a racy estimate: callers use it to
  // skip building a record that would almost surely be dropped).
  bool LooksFull() const {
    // Head first: the tail read after it is at least as large (both only
    // grow), so the difference cannot wrap around.
    const size_t head = head_.load(std::memory_order_acquire);
    const size_t tail = tail_.load(std::memory_order_acquire);
    return tail - head >= mask_ + 1;
  }

 private:
  struct Cell {
    std::atomic<size_t> sequence;
    RequestRecord* record;
  };
  Cell* cells_;
  size_t mask_;
  alignas(64) std::atomic<size_t> head_{0};  // next pop
  alignas(64) std::atomic<size_t> tail_{0};  // next push
};

struct EventStats {
  uint64_t submitted = 0;          // records queued
  uint64_t dropped = 0;            // records dropped: queue full (count or bytes)
  uint64_t findings_written = 0;   // "finding" lines written
  uint64_t requests_written = 0;   // "request" lines written
  uint64_t lines_dropped = 0;      // lines lost to write errors or size
  uint64_t write_errors = 0;
  uint64_t rotations = 0;
  uint64_t bytes_written = 0;
};

// The queue and the file writer. Submit is for request threads; Drain and
// Flush for the agent thread (one at a time).
class EventPipeline {
 public:
  // `scrubber` (may be null: nothing scrubbed) must outlive the pipeline.
  EventPipeline(const Config& config, const recorder::Scrubber* scrubber);

  // Records go to `consumer` (the recorder, on the agent thread) instead of
  // the events file. Only requests with findings are queued then: the others
  // are counted in the metrics. Set before the first Submit.
  void SetConsumer(std::function<void(RequestRecord&)> consumer);
  ~EventPipeline();

  // Hands a finished request off. Never blocks, never throws.
  void Submit(RequestContext& ctx) noexcept;
  // Writes up to `max` queued records. Returns how many were taken.
  size_t Drain(size_t max);
  // Writes everything queued and flushes the file.
  void Flush();

  EventStats stats() const;

  // The most bytes records may hold in the queue together.
  static constexpr size_t kMaxQueuedBytes = 32u << 20;

 private:
  RequestRecords mode_;
  const recorder::Scrubber* scrubber_;
  std::function<void(RequestRecord&)> consumer_;
  RecordQueue queue_;
  RotatingFile file_;
  std::atomic<size_t> queued_bytes_{0};
  std::atomic<uint64_t> submitted_{0}, dropped_{0};
  std::atomic<uint64_t> findings_written_{0}, requests_written_{0};
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_EVENTS_H_
