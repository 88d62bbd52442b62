// Copyright Vigil authors.
#include "events.h"

#include <time.h>

#include <algorithm>

#include "event_json.h"
#include "event_scrub.h"
#include "stack_trace.h"
#include "stripe.h"

namespace vigil::agent {
namespace {

std::string Cut(std::string_view s, size_t max) {
  return std::string(s.substr(0, std::min(s.size(), max)));
}

int64_t WallClockMs() {
  timespec ts;
  // Not CLOCK_REALTIME_COARSE, although cheaper: it lags by up to a tick,
  // and an event stamped before the request that caused it confuses people
  // and queries alike.
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

size_t RoundUpPow2(size_t n) {
  size_t p = 16;
  while (p < n) p <<= 1;
  return p;
}

size_t RoundDownPow2(size_t n) {
  size_t p = 1;
  while (p * 2 <= n) p <<= 1;
  return p;
}

void CutTo(std::string& s, size_t max) {
  if (s.size() > max) s.resize(max);
}

}  // namespace

void RequestRecord::TakeFrom(RequestContext& ctx) noexcept {
  // On the request thread: moves only; everything that costs (cutting,
  // picking the summary out of the inputs) is Complete()'s job on the agent
  // thread. The context is finished: its contents can be taken.
  time_ms = WallClockMs();
  request_id = std::move(ctx.request_id);
  method = std::move(ctx.method);
  path = std::move(ctx.path);
  route = std::move(ctx.route);
  client_ip = std::move(ctx.client_ip);
  user_agent = std::move(ctx.user_agent);
  framework = std::move(ctx.framework);
  query.clear();
  headers.clear();
  blocked = ctx.blocked();
  status = ctx.status != 0 ? ctx.status : (ctx.blocked() ? ctx.block_response().status : 0);
  protection_ns = ctx.protection_ns;
  checks_skipped = ctx.checks_skipped;
  truncated_inputs = ctx.truncated();
  findings = ctx.TakeFindings();
  findings_total = findings.size();
  stacks.clear();
  if (findings.empty()) {
    inputs.clear();
  } else {
    inputs = ctx.TakeInputs();
  }
}

std::unique_ptr<RequestRecord> RequestRecord::From(RequestContext& ctx) {
  auto r = std::make_unique<RequestRecord>();
  r->TakeFrom(ctx);
  return r;
}

void RequestRecord::Complete() {
  CutTo(request_id, 64);
  CutTo(method, 32);
  CutTo(path, 2048);
  CutTo(route, 256);
  CutTo(client_ip, 64);
  CutTo(user_agent, 512);
  CutTo(framework, 32);
  // The request summary of an event: the query parameters and headers as
  // the protections saw them (decoded), bounded.
  for (const RequestInput& in : inputs) {
    if (in.source == InputSource::kQuery && query.size() < 2048) {
      if (!query.empty()) query += '&';
      query += Cut(std::string_view(in.key).substr(6), 256) + "=" + Cut(in.value, 512);
    } else if (in.source == InputSource::kHeader && headers.size() < kMaxHeaders) {
      headers.emplace_back(Cut(std::string_view(in.key).substr(7), 128), Cut(in.value, 512));
    }
  }
  CutTo(query, 2048);
  inputs.clear();
  if (findings.size() > kMaxFindingsPerRecord) findings.resize(kMaxFindingsPerRecord);
  for (Finding& f : findings) {
    CutTo(f.rule_id, 64);
    CutTo(f.protection, 32);
    CutTo(f.hook_point, 256);
    CutTo(f.input_key, 256);
    CutTo(f.input_value, 1024);
    CutTo(f.sink_value, 4096);
    CutTo(f.reason, 256);
    if (f.stack.size() > kMaxStackFrames + 8) f.stack.resize(kMaxStackFrames + 8);
  }
}

void RequestRecord::SymbolizeStacks() {
  stacks.clear();
  for (const Finding& f : findings) stacks.push_back(SymbolizeStack(f.stack));
}

size_t RequestRecord::ApproximateBytes(const RequestContext& ctx) noexcept {
  // What TakeFrom moves, read from the context object only: the inputs and
  // findings were weighed as they were added.
  const size_t n = sizeof(RequestRecord) + ctx.request_id.size() + ctx.method.size() +
                   ctx.path.size() + ctx.route.size() + ctx.client_ip.size() +
                   ctx.user_agent.size() + ctx.framework.size() + ctx.findings_bytes();
  return ctx.findings().empty() ? n : n + ctx.inputs_bytes();
}

RecordRing::RecordRing(size_t cells, size_t max_bytes)
    : cells_(new Cell[cells]), mask_(cells - 1), max_bytes_(max_bytes) {
  for (size_t i = 0; i < cells; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
}

bool RecordRing::Claim(std::atomic<size_t>& index, size_t lag, size_t* pos) noexcept {
  size_t p = index.load(std::memory_order_relaxed);
  for (;;) {
    const size_t seq = cells_[p & mask_].sequence.load(std::memory_order_acquire);
    const intptr_t diff = static_cast<intptr_t>(seq - (p + lag));
    if (diff == 0) {
      if (index.compare_exchange_weak(p, p + 1, std::memory_order_relaxed)) {
        *pos = p;
        return true;
      }
    } else if (diff < 0) {
      return false;  // a lap behind: full (push) or empty (pop)
    } else {
      p = index.load(std::memory_order_relaxed);  // another thread took p
    }
  }
}

bool RecordRing::LooksFull() const noexcept {
  const size_t tail = tail_.load(std::memory_order_relaxed);
  const size_t seq = cells_[tail & mask_].sequence.load(std::memory_order_relaxed);
  return static_cast<intptr_t>(seq - tail) < 0;
}

bool RecordRing::ReserveBytes(size_t bytes) noexcept {
  // `out` must be read before the fetch_add: every record it counts was
  // reserved before, so `in - out` cannot wrap around and is at least what
  // the ring holds (ours included). Acquire pairs with the consumer's
  // release, so the reservations of the records `out` counts are seen.
  size_t out = bytes_out_seen_.load(std::memory_order_acquire);
  if (bytes_in_.load(std::memory_order_relaxed) + bytes - out > max_bytes_) {
    out = bytes_out_.load(std::memory_order_acquire);  // looks full: look again
    bytes_out_seen_.store(out, std::memory_order_release);
  }
  const size_t in = bytes_in_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (in - out <= max_bytes_) return true;
  // Given back: concurrent producers reserving together never overshoot.
  bytes_in_.fetch_sub(bytes, std::memory_order_relaxed);
  return false;
}

bool RecordRing::TryPush(RequestContext& ctx, size_t bytes) noexcept {
  if (LooksFull() || !ReserveBytes(bytes)) return false;
  size_t pos;
  if (!Claim(tail_, 0, &pos)) {
    bytes_in_.fetch_sub(bytes, std::memory_order_relaxed);
    return false;
  }
  Cell& cell = cells_[pos & mask_];
  cell.record.TakeFrom(ctx);
  cell.bytes = bytes;
  cell.sequence.store(pos + 1, std::memory_order_release);
  return true;
}

bool RecordRing::TryPop(RequestRecord* out) noexcept {
  size_t pos;
  if (!Claim(head_, 1, &pos)) return false;
  Cell& cell = cells_[pos & mask_];
  // Moved out, not swapped: the cell is left empty, so the producer that
  // fills it next frees nothing, and what the record holds is freed here.
  *out = std::move(cell.record);
  const size_t bytes = cell.bytes;
  cell.sequence.store(pos + mask_ + 1, std::memory_order_release);
  bytes_out_.fetch_add(bytes, std::memory_order_release);
  return true;
}

size_t RecordRing::queued_bytes() const {
  const size_t out = bytes_out_.load(std::memory_order_acquire);
  return bytes_in_.load(std::memory_order_relaxed) - out;
}

size_t RecordQueue::CellsPerStripe(size_t capacity, size_t max_bytes) {
  const size_t wanted = RoundUpPow2(capacity) / recorder::kStripeCount;
  // Every record counts at least its own size against the byte bound, so a
  // stripe can never hold more than this many: cells past it would be
  // preallocated for nothing (VIGIL_EVENTS_QUEUE goes up to 2^20).
  const size_t reachable = max_bytes / recorder::kStripeCount / sizeof(RequestRecord);
  return std::max<size_t>(2, std::min(wanted, RoundDownPow2(reachable)));
}

RecordQueue::RecordQueue(size_t capacity, size_t max_bytes) {
  const size_t cells = CellsPerStripe(capacity, max_bytes);
  for (uint32_t s = 0; s < recorder::kStripeCount; ++s) {
    rings_.push_back(std::make_unique<RecordRing>(cells, max_bytes / recorder::kStripeCount));
  }
}

bool RecordQueue::TryPush(RequestContext& ctx) noexcept {
  const size_t bytes = RequestRecord::ApproximateBytes(ctx);
  const uint32_t own = recorder::CurrentStripe();
  if (rings_[own]->TryPush(ctx, bytes)) return true;
  // Cold: this thread's stripe is full. Another may have room.
  for (uint32_t i = 1; i < recorder::kStripeCount; ++i) {
    if (rings_[(own + i) % recorder::kStripeCount]->TryPush(ctx, bytes)) return true;
  }
  return false;
}

bool RecordQueue::TryPop(RequestRecord* out) noexcept {
  // In turn, one record per stripe: a busy stripe cannot starve the others.
  const uint32_t first = next_pop_.load(std::memory_order_relaxed);
  for (uint32_t i = 0; i < recorder::kStripeCount; ++i) {
    const uint32_t s = (first + i) % recorder::kStripeCount;
    if (rings_[s]->TryPop(out)) {
      next_pop_.store((s + 1) % recorder::kStripeCount, std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

size_t RecordQueue::capacity() const { return rings_.size() * rings_[0]->capacity(); }

uint64_t RecordQueue::pushed() const {
  uint64_t n = 0;
  for (const auto& ring : rings_) n += ring->pushed();
  return n;
}

size_t RecordQueue::queued_bytes() const {
  size_t n = 0;
  for (const auto& ring : rings_) n += ring->queued_bytes();
  return n;
}

EventPipeline::EventPipeline(const Config& config, const recorder::Scrubber* scrubber)
    : mode_(config.request_records),
      scrubber_(scrubber),
      queue_(config.events_queue, kMaxQueuedBytes),
      file_(config.events_file, config.events_max_bytes, config.events_keep) {}

EventPipeline::~EventPipeline() { Flush(); }

void EventPipeline::SetConsumer(std::function<void(RequestRecord&)> consumer) {
  consumer_ = std::move(consumer);
  mode_ = RequestRecords::kNone;  // findings only: the rest are metrics
}

void EventPipeline::Submit(RequestContext& ctx) noexcept {
  // Nothing here can throw: no allocation, only moves into a claimed cell.
  const bool has_findings = !ctx.findings().empty();
  if (!has_findings && mode_ != RequestRecords::kAll) return;  // nothing to write
  if (!queue_.TryPush(ctx)) dropped_.fetch_add(1, std::memory_order_relaxed);
}

size_t EventPipeline::Drain(size_t max) {
  size_t taken = 0;
  RequestRecord r;
  while (taken < max && queue_.TryPop(&r)) {
    ++taken;
    Deliver(r);
  }
  return taken;
}

void EventPipeline::Deliver(RequestRecord& r) {
  try {
    // Off the request thread: symbols, then scrubbing, before anything is
    // written or sent.
    r.Complete();
    if (!r.findings.empty()) r.SymbolizeStacks();
    if (scrubber_ != nullptr) ScrubRecord(*scrubber_, &r);
    if (consumer_) {
      consumer_(r);
      return;
    }
    for (const std::string& line : FindingLines(r)) {
      if (file_.AppendLine(line)) findings_written_.fetch_add(1, std::memory_order_relaxed);
    }
    if (mode_ != RequestRecords::kNone) {
      if (file_.AppendLine(RequestLine(r))) requests_written_.fetch_add(1, std::memory_order_relaxed);
    }
  } catch (...) {
    // Formatting failed (out of memory): the record is lost, the thread goes on.
  }
}

void EventPipeline::Flush() {
  while (Drain(1024) > 0) {
  }
}

EventStats EventPipeline::stats() const {
  EventStats s;
  s.submitted = queue_.pushed();
  s.dropped = dropped_.load(std::memory_order_relaxed);
  s.findings_written = findings_written_.load(std::memory_order_relaxed);
  s.requests_written = requests_written_.load(std::memory_order_relaxed);
  s.lines_dropped = file_.lines_dropped();
  s.write_errors = file_.write_errors();
  s.rotations = file_.rotations();
  s.bytes_written = file_.bytes_written();
  return s;
}

}  // namespace vigil::agent
