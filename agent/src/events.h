// Copyright Vigil authors.
//
// Events: what the agent writes about finished requests and their findings.
//
// The request thread hands its finished request off in a few tens of
// nanoseconds and never waits: it claims a cell of a bounded lock-free
// queue and moves the context's strings and vectors into the record that
// cell already holds, so nothing is allocated or freed on its side. The
// queue is striped like the metrics (recorder/metrics/stripe.h): a thread
// pushes to its own stripe, whose counters live on cache lines no other
// stripe's producers write, and only when that stripe is full does it try
// the others. When the whole queue is full (by count or by bytes) the
// record is dropped and counted. The agent thread drains the stripes in
// turn, formats JSON lines (event_json.h) and appends them to a
// size-bounded, rotated file (event_file.h), or hands the records to the
// recorder.
#ifndef VIGIL_AGENT_EVENTS_H_
#define VIGIL_AGENT_EVENTS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "event_file.h"
#include "request_context.h"

namespace vigil::recorder {
class Scrubber;
}

namespace vigil::agent {

// A finished request, taken off the request thread.
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

  // Replaces this record's contents with what events need from the
  // finished `ctx`, by moves only. Into a record whose strings and vectors
  // are empty (a queue cell after the consumer took its record), that
  // allocates nothing and frees nothing. Complete() must run before use.
  void TakeFrom(RequestContext& ctx) noexcept;
  // A new record taken from `ctx` (for tests and the benchmark's baseline:
  // the queue allocates none).
  static std::unique_ptr<RequestRecord> From(RequestContext& ctx);
  // On the agent thread: cuts long values, picks the query and headers out
  // of the inputs, keeps at most kMaxFindingsPerRecord findings.
  void Complete();
  // Fills `stacks` from the findings' return addresses.
  void SymbolizeStacks();

  // Approximate bytes a record taken from `ctx` holds (its own size and its
  // heap), for the queue's byte bound. Counted before TakeFrom, so that a
  // record that does not fit is never taken out of the context.
  static size_t ApproximateBytes(const RequestContext& ctx) noexcept;
};

// One stripe of the record queue: a bounded multi-producer multi-consumer
// ring (D. Vyukov's array queue) whose cells hold preallocated records.
// Push and pop are lock-free and never wait; push fails when the ring is
// full by count or by bytes.
class RecordRing {
 public:
  RecordRing(size_t cells, size_t max_bytes);  // cells: a power of two, >= 2
  RecordRing(const RecordRing&) = delete;
  RecordRing& operator=(const RecordRing&) = delete;

  // Moves `ctx` into a free cell, counting `bytes`
  // (RequestRecord::ApproximateBytes). On failure `ctx` is left untouched.
  bool TryPush(RequestContext& ctx, size_t bytes) noexcept;
  // Moves the oldest record into `out`, emptying its cell.
  bool TryPop(RequestRecord* out) noexcept;

  size_t capacity() const { return mask_ + 1; }
  // Records ever pushed (every claimed cell is filled).
  uint64_t pushed() const { return tail_.load(std::memory_order_relaxed); }
  // Bytes of the records in the ring now (a racy sum, for tests and stats).
  size_t queued_bytes() const;

 private:
  // Aligned so that a producer filling one cell and the consumer emptying
  // the one before it never share a cache line.
  struct alignas(64) Cell {
    std::atomic<size_t> sequence;
    size_t bytes = 0;
    RequestRecord record;
  };

  // Vyukov's claim on `index` (tail_ or head_): the cell at position p is
  // ready when its sequence is p + lag (0 to fill it, 1 to empty it).
  bool Claim(std::atomic<size_t>& index, size_t lag, size_t* pos) noexcept;
  // Whether the ring looks full now (racy; lets a push skip the byte
  // reservation when it would fail anyway, as on a flooded queue).
  bool LooksFull() const noexcept;
  bool ReserveBytes(size_t bytes) noexcept;

  // Read-only after construction.
  std::unique_ptr<Cell[]> cells_;
  size_t mask_;
  size_t max_bytes_;

  // The producers' line. Bytes are counted as bytes_in_ (producers, here)
  // minus bytes_out_ (the consumer, on its own line), so a push writes no
  // line the consumer writes. bytes_out_seen_ is the last bytes_out_ a
  // producer read: a smaller value than the real one only overestimates
  // what is queued, so it is refreshed only when the ring looks full of
  // bytes.
  alignas(64) std::atomic<size_t> tail_{0};  // next push
  std::atomic<size_t> bytes_in_{0};
  std::atomic<size_t> bytes_out_seen_{0};

  // The consumer's line.
  alignas(64) std::atomic<size_t> head_{0};  // next pop
  std::atomic<size_t> bytes_out_{0};
};

// The record queue: one RecordRing per metrics stripe, each with an equal
// share of the capacity and of the byte bound, so the bounds hold over the
// whole queue. A producer pushes to its thread's stripe; when that one is
// full it tries the others before giving up, so one busy thread can still
// fill the whole queue. The consumer takes from the stripes in turn: each
// stripe is FIFO, the queue as a whole is not. (A record bigger than one
// stripe's share of the byte bound is always dropped: 4 MiB by default,
// over twice what the default request limits let a record hold.)
class RecordQueue {
 public:
  // `capacity` is rounded up to a power of two, at least 16, and capped
  // where the byte bound could never fill the cells (CellsPerStripe).
  RecordQueue(size_t capacity, size_t max_bytes);

  // Takes `ctx`'s contents on success; on failure leaves them.
  bool TryPush(RequestContext& ctx) noexcept;
  // One consumer at a time.
  bool TryPop(RequestRecord* out) noexcept;

  size_t capacity() const;
  uint64_t pushed() const;
  size_t queued_bytes() const;
  // The cells of one stripe for a queue of `capacity` records and
  // `max_bytes`.
  static size_t CellsPerStripe(size_t capacity, size_t max_bytes);

 private:
  std::vector<std::unique_ptr<RecordRing>> rings_;
  std::atomic<uint32_t> next_pop_{0};  // the stripe the consumer tries first
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

  // Hands a finished request off. Never blocks, never throws, never
  // allocates.
  void Submit(RequestContext& ctx) noexcept;
  // Writes up to `max` queued records. Returns how many were taken.
  size_t Drain(size_t max);
  // Writes everything queued and flushes the file.
  void Flush();

  EventStats stats() const;

  // The most bytes records may hold in the queue together.
  static constexpr size_t kMaxQueuedBytes = 32u << 20;

 private:
  // Completes, symbolizes and scrubs `r`, then writes or hands it on.
  void Deliver(RequestRecord& r);

  RequestRecords mode_;
  const recorder::Scrubber* scrubber_;
  std::function<void(RequestRecord&)> consumer_;
  RecordQueue queue_;
  RotatingFile file_;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> findings_written_{0}, requests_written_{0};
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_EVENTS_H_
