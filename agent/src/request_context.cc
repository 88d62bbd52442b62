// Copyright Vigil authors.
//
// RequestContext: inputs under limits, the current request of each thread,
// and the hand-off of finished requests to the sink.

#include "request_context.h"

#include <pthread.h>
#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <utility>

#include "http_inputs.h"

namespace vigil::agent {
namespace {

// The agent is a normal shared library (not dlopen'ed late and never
// unloaded), so a plain thread_local pointer is fine here.
thread_local RequestContext* t_current = nullptr;

std::atomic<RequestSink> g_sink{nullptr};

// Findings kept per request; a protection stuck in a loop must not grow a
// request without bound.
constexpr size_t kMaxFindings = 64;

std::string_view Prefix(std::string_view s, size_t n) { return s.substr(0, std::min(n, s.size())); }

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t ProcessKey() {
  static const uint64_t key = [] {
    uint64_t k = 0;
    if (getrandom(&k, sizeof k, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof k)) {
      // No entropy yet (early boot): ids stay unique, only less secret.
      k = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    }
    return k;
  }();
  return key;
}

// getpid() is a system call on every request: the pid is kept, and
// forgotten in forked children (which share the key, so their ids differ by
// pid alone).
std::atomic<uint32_t> g_pid{0};

void ForgetPid() { g_pid.store(0, std::memory_order_relaxed); }

uint32_t Pid() {
  uint32_t pid = g_pid.load(std::memory_order_relaxed);
  if (pid == 0) [[unlikely]] {
    static const int registered = pthread_atfork(nullptr, nullptr, &ForgetPid);
    (void)registered;
    pid = static_cast<uint32_t>(getpid());
    g_pid.store(pid, std::memory_order_relaxed);
  }
  return pid;
}

}  // namespace

std::string_view InputSourceName(InputSource source) {
  switch (source) {
    case InputSource::kQuery: return "query";
    case InputSource::kForm: return "body";
    case InputSource::kJson: return "json";
    case InputSource::kHeader: return "header";
    case InputSource::kCookie: return "cookie";
    case InputSource::kPath: return "path";
  }
  return "unknown";
}

RequestContext::RequestContext(RequestLimits limits) : limits_(limits) {}

bool RequestContext::AddInput(InputSource source, std::string_view name, std::string_view value) {
  if (inputs_.size() >= limits_.max_inputs) {
    ++truncated_;
    return false;
  }
  const std::string_view prefix = InputSourceName(source);
  std::string key;
  key.reserve(std::min(prefix.size() + 1 + name.size(), limits_.max_key_bytes));
  key.append(prefix);
  if (!name.empty()) {
    key += '.';
    // Header names are case-insensitive: one spelling for rules to match.
    key.append(source == InputSource::kHeader ? LowerAscii(Prefix(name, limits_.max_key_bytes))
                                              : std::string(Prefix(name, limits_.max_key_bytes)));
  }
  bool cut = false;
  if (key.size() > limits_.max_key_bytes) {
    key.resize(limits_.max_key_bytes);
    cut = true;
  }
  if (value.size() > limits_.max_value_bytes) {
    value = value.substr(0, limits_.max_value_bytes);
    cut = true;
  }
  if (cut) ++truncated_;
  const size_t bytes = sizeof(RequestInput) + key.size() + value.size();
  inputs_.push_back(RequestInput{source, std::move(key), std::string(value)});
  inputs_bytes_ += bytes;
  return !cut;
}

void RequestContext::AddQueryString(std::string_view query, InputSource source) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  if (query.size() > limits_.max_body_bytes) {
    query = query.substr(0, limits_.max_body_bytes);
    ++truncated_;
  }
  // '+' is a space in query strings too: every framework Vigil supports (and
  // WHATWG URLSearchParams) decodes it so, and the protection must see the
  // value the application sees.
  ForEachFormPair(query, /*plus_as_space=*/true, [&](std::string_view name, std::string_view value) {
    AddInput(source, name, value);
    return true;  // AddInput counts what no longer fits
  });
}

void RequestContext::AddCookieHeader(std::string_view cookie_header) {
  ForEachCookie(cookie_header, [&](std::string_view name, std::string_view value) {
    AddInput(InputSource::kCookie, name, value);
    return true;
  });
}

void RequestContext::AddJsonBody(std::string_view json) {
  if (json.size() > limits_.max_body_bytes) {
    // The parse of the prefix ends in a syntax error; what came before it is
    // kept.
    json = json.substr(0, limits_.max_body_bytes);
    ++truncated_;
  }
  JsonFlattenResult result =
      FlattenJson(json, limits_.max_json_depth, [&](std::string_view path, std::string_view value) {
        AddInput(InputSource::kJson, path, value);
        return inputs_.size() < limits_.max_inputs;
      });
  truncated_ += result.depth_cut;
  if (result.stopped) ++truncated_;  // the rest of the document was not read
}

void RequestContext::AddMultipartBody(std::string_view body, std::string_view boundary) {
  if (body.size() > limits_.max_body_bytes) {
    body = body.substr(0, limits_.max_body_bytes);
    ++truncated_;
  }
  ForEachMultipartPart(body, boundary, [&](const MultipartPart& part) {
    if (part.filename.empty()) {
      AddInput(InputSource::kForm, part.name, part.data);
    } else {
      // File contents are data, not parameters; their names reach file
      // systems and SQL often enough to be inputs.
      AddInput(InputSource::kForm, std::string(part.name) + ".filename", part.filename);
    }
    return inputs_.size() < limits_.max_inputs;
  });
}

void RequestContext::AddBody(std::string_view content_type, std::string_view body) {
  if (body.empty()) return;
  const MediaType media = ParseMediaType(content_type);
  if (media.type == "application/x-www-form-urlencoded") {
    AddQueryString(body, InputSource::kForm);
  } else if (IsJsonMediaType(media.type)) {
    AddJsonBody(body);
  } else if (media.type == "multipart/form-data") {
    AddMultipartBody(body, media.boundary);
  }
}

void RequestContext::AddHeader(std::string_view name, std::string_view value) {
  const std::string lower = LowerAscii(Prefix(name, limits_.max_key_bytes));
  if (lower == "cookie") {
    AddCookieHeader(value);
    return;
  }
  if (lower == "accept") accept = std::string(Prefix(value, limits_.max_value_bytes));
  if (lower == "user-agent") user_agent = std::string(Prefix(value, limits_.max_value_bytes));
  AddInput(InputSource::kHeader, lower, value);
}

void RequestContext::AddFinding(Finding finding) {
  if (findings_.size() >= kMaxFindings) {
    ++truncated_;
    return;
  }
  const size_t bytes = sizeof(Finding) + finding.rule_id.size() + finding.protection.size() +
                       finding.hook_point.size() + finding.input_key.size() +
                       finding.input_value.size() + finding.sink_value.size() +
                       finding.reason.size() + finding.stack.size() * sizeof(uintptr_t);
  findings_.push_back(std::move(finding));
  findings_bytes_ += bytes;
}

void RequestContext::Block(BlockResponse response) {
  if (blocked_) return;
  blocked_ = true;
  block_response_ = std::move(response);
  if (block_observer_ != nullptr) {
    try {
      block_observer_(*this, block_observer_arg_);
    } catch (...) {
      // An integration failing to answer early still answers at the end.
    }
  }
}

std::string NewRequestId() {
  static std::atomic<uint64_t> counter{0};
  // The pid keeps ids of forked workers apart (they share the key); the
  // counter keeps ids of one process apart (SplitMix64 is a bijection).
  const uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
  const uint64_t id =
      SplitMix64(ProcessKey() ^ (static_cast<uint64_t>(Pid()) << 40) ^ (n & ((1ull << 40) - 1)));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15, shift = 0; i >= 0; --i, shift += 4) out[i] = kHex[(id >> shift) & 0xf];
  return out;
}

RequestContext* CurrentRequest() { return t_current; }

ScopedRequest::ScopedRequest(RequestContext* ctx, bool finish_at_end)
    : ctx_(ctx), previous_(t_current), finish_at_end_(finish_at_end) {
  t_current = ctx;
}

ScopedRequest::~ScopedRequest() {
  t_current = previous_;
  if (finish_at_end_ && ctx_ != nullptr) FinishRequest(*ctx_);
}

void SetRequestSink(RequestSink sink) { g_sink.store(sink, std::memory_order_release); }

void FinishRequest(RequestContext& finished) {
  RequestSink sink = g_sink.load(std::memory_order_acquire);
  if (sink == nullptr) return;
  try {
    sink(finished);
  } catch (...) {
    // The sink is the agent's; a failure there must not reach the service.
  }
}

}  // namespace vigil::agent
