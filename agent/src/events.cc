// Copyright Vigil authors.
#include "events.h"

#include <time.h>

#include <algorithm>

#include "event_json.h"
#include "event_scrub.h"
#include "stack_trace.h"

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

void CutTo(std::string& s, size_t max) {
  if (s.size() > max) s.resize(max);
}

}  // namespace

std::unique_ptr<RequestRecord> RequestRecord::From(RequestContext& ctx) {
  // On the request thread: one allocation and moves; everything that costs
  // (cutting, picking the summary out of the inputs) is Complete()'s job on
  // the agent thread. The context is finished: its contents can be taken.
  auto r = std::make_unique<RequestRecord>();
  r->time_ms = WallClockMs();
  r->request_id = std::move(ctx.request_id);
  r->method = std::move(ctx.method);
  r->path = std::move(ctx.path);
  r->route = std::move(ctx.route);
  r->client_ip = std::move(ctx.client_ip);
  r->user_agent = std::move(ctx.user_agent);
  r->framework = std::move(ctx.framework);
  r->blocked = ctx.blocked();
  r->status = ctx.status != 0 ? ctx.status : (ctx.blocked() ? ctx.block_response().status : 0);
  r->protection_ns = ctx.protection_ns;
  r->checks_skipped = ctx.checks_skipped;
  r->truncated_inputs = ctx.truncated();
  r->findings = ctx.TakeFindings();
  r->findings_total = r->findings.size();
  if (!r->findings.empty()) r->inputs = ctx.TakeInputs();
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

size_t RequestRecord::ApproximateBytes() const {
  size_t n = sizeof(*this) + request_id.size() + method.size() + path.size() + route.size() +
             client_ip.size() + user_agent.size() + framework.size() + query.size();
  for (const auto& [k, v] : headers) n += 64 + k.size() + v.size();
  for (const RequestInput& in : inputs) n += sizeof(RequestInput) + in.key.size() + in.value.size();
  for (const Finding& f : findings) {
    n += sizeof(Finding) + f.rule_id.size() + f.protection.size() + f.hook_point.size() +
         f.input_key.size() + f.input_value.size() + f.sink_value.size() + f.reason.size() +
         f.stack.size() * sizeof(uintptr_t);
  }
  return n;
}

RecordQueue::RecordQueue(size_t capacity) {
  const size_t n = RoundUpPow2(capacity);
  cells_ = new Cell[n];
  for (size_t i = 0; i < n; ++i) {
    cells_[i].sequence.store(i, std::memory_order_relaxed);
    cells_[i].record = nullptr;
  }
  mask_ = n - 1;
}

RecordQueue::~RecordQueue() {
  while (TryPop() != nullptr) {
  }
  delete[] cells_;
}

bool RecordQueue::TryPush(std::unique_ptr<RequestRecord>& record) {
  size_t pos = tail_.load(std::memory_order_relaxed);
  for (;;) {
    Cell& cell = cells_[pos & mask_];
    const size_t seq = cell.sequence.load(std::memory_order_acquire);
    const intptr_t diff = static_cast<intptr_t>(seq) - static_cast<intptr_t>(pos);
    if (diff == 0) {
      if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
        cell.record = record.release();
        cell.sequence.store(pos + 1, std::memory_order_release);
        return true;
      }
    } else if (diff < 0) {
      return false;  // full
    } else {
      pos = tail_.load(std::memory_order_relaxed);
    }
  }
}

std::unique_ptr<RequestRecord> RecordQueue::TryPop() {
  size_t pos = head_.load(std::memory_order_relaxed);
  for (;;) {
    Cell& cell = cells_[pos & mask_];
    const size_t seq = cell.sequence.load(std::memory_order_acquire);
    const intptr_t diff = static_cast<intptr_t>(seq) - static_cast<intptr_t>(pos + 1);
    if (diff == 0) {
      if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
        std::unique_ptr<RequestRecord> r(cell.record);
        cell.record = nullptr;
        cell.sequence.store(pos + mask_ + 1, std::memory_order_release);
        return r;
      }
    } else if (diff < 0) {
      return nullptr;  // empty
    } else {
      pos = head_.load(std::memory_order_relaxed);
    }
  }
}

EventPipeline::EventPipeline(const Config& config, const recorder::Scrubber* scrubber)
    : mode_(config.request_records),
      scrubber_(scrubber),
      queue_(config.events_queue),
      file_(config.events_file, config.events_max_bytes, config.events_keep) {}

EventPipeline::~EventPipeline() { Flush(); }

void EventPipeline::SetConsumer(std::function<void(RequestRecord&)> consumer) {
  consumer_ = std::move(consumer);
  mode_ = RequestRecords::kNone;  // findings only: the rest are metrics
}

void EventPipeline::Submit(RequestContext& ctx) noexcept {
  try {
    const bool has_findings = !ctx.findings().empty();
    if (!has_findings && mode_ != RequestRecords::kAll) return;  // nothing to write
    if (queue_.LooksFull()) {  // drop before building the record: no allocation
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    std::unique_ptr<RequestRecord> record = RequestRecord::From(ctx);
    const size_t bytes = record->ApproximateBytes();
    // The byte bound: reserve first, give back on failure, so concurrent
    // submitters can never overshoot it together.
    if (queued_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes > kMaxQueuedBytes) {
      queued_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (!queue_.TryPush(record)) {
      queued_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    submitted_.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    dropped_.fetch_add(1, std::memory_order_relaxed);  // out of memory: drop, never throw
  }
}

size_t EventPipeline::Drain(size_t max) {
  size_t taken = 0;
  while (taken < max) {
    std::unique_ptr<RequestRecord> r = queue_.TryPop();
    if (r == nullptr) break;
    ++taken;
    queued_bytes_.fetch_sub(r->ApproximateBytes(), std::memory_order_relaxed);
    try {
      // Off the request thread: symbols, then scrubbing, before anything is
      // written or sent.
      r->Complete();
      if (!r->findings.empty()) r->SymbolizeStacks();
      if (scrubber_ != nullptr) ScrubRecord(*scrubber_, r.get());
      if (consumer_) {
        consumer_(*r);
        continue;
      }
      for (const std::string& line : FindingLines(*r)) {
        if (file_.AppendLine(line)) findings_written_.fetch_add(1, std::memory_order_relaxed);
      }
      if (mode_ != RequestRecords::kNone) {
        if (file_.AppendLine(RequestLine(*r))) {
          requests_written_.fetch_add(1, std::memory_order_relaxed);
        }
      }
    } catch (...) {
      // Formatting failed (out of memory): the record is lost, the thread goes on.
    }
  }
  return taken;
}

void EventPipeline::Flush() {
  while (Drain(1024) > 0) {
  }
}

EventStats EventPipeline::stats() const {
  EventStats s;
  s.submitted = submitted_.load(std::memory_order_relaxed);
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
