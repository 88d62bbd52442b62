// Copyright Vigil authors.
//
// RequestContext: the HTTP request being handled on this thread, as Vigil's
// protections need it. Framework integrations (cpp-httplib, civetweb, the
// explicit API) create one per request with ScopedRequest; protections
// running in hook callbacks on the same thread reach it with
// CurrentRequest(). Everything is bounded: what a bound cut is counted.
//
// This header is the contract between the HTTP side of the agent
// (integrations, block responses) and the protection side (rules engine, SQL
// protection, events). Keep it small.
#ifndef VIGIL_AGENT_REQUEST_CONTEXT_H_
#define VIGIL_AGENT_REQUEST_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::agent {

// Bounds on what a request may hold. Values past them are cut and counted in
// RequestContext::truncated().
struct RequestLimits {
  size_t max_inputs = 256;          // inputs kept (params, headers, cookies, fields)
  size_t max_value_bytes = 4096;    // bytes kept of one value
  size_t max_key_bytes = 256;       // bytes kept of one key path
  size_t max_json_depth = 16;       // JSON nesting followed
  size_t max_body_bytes = 1 << 20;  // body bytes parsed for form / JSON fields
};

// Where an input came from; rendered as the prefix of RequestInput::key.
enum class InputSource : uint8_t {
  kQuery,   // "query.<name>"
  kForm,    // "body.<name>"   application/x-www-form-urlencoded or multipart fields
  kJson,    // "json.<a.b.0.c>" nested keys flattened with their path
  kHeader,  // "header.<lower-case name>"
  kCookie,  // "cookie.<name>"
  kPath,    // "path.<name or index>"
};

std::string_view InputSourceName(InputSource source);

// One value a client controls, already decoded the way the framework delivers
// it to the application (URL-decoding, JSON unescaping).
struct RequestInput {
  InputSource source;
  std::string key;    // "query.id", "json.user.name", "header.user-agent"
  std::string value;
};

// What a protection found. Filled by the protection; carried to the events
// written at the end of the request.
struct Finding {
  std::string rule_id;
  std::string protection;   // "sql_injection"
  std::string hook_point;   // "sqlite3_prepare_v2"
  std::string input_key;    // "query.q"
  std::string input_value;
  std::string sink_value;   // the statement, with the injected part marked
  std::string reason;
  bool blocked = false;
  // Return addresses where the sink was called from (stack_trace.h);
  // symbolized later, off the request thread.
  std::vector<uintptr_t> stack;
};

// The answer sent instead of the application's when a request is blocked.
struct BlockResponse {
  int status = 403;
  std::string content_type;  // "text/html; charset=utf-8" or "application/json"
  std::string body;
  std::string location;      // non-empty: a redirect (status 302/303/307)
};

class RequestContext {
 public:
  explicit RequestContext(RequestLimits limits = {});

  // -- Filled by the integration, before the handler runs. --
  std::string method;
  std::string path;
  std::string client_ip;  // after X-Forwarded-For from trusted proxies
  std::string accept;     // the Accept header, for the block response format
  std::string user_agent;
  std::string request_id;  // unique per request (NewRequestId()); shown on the block page
  std::string route;       // the route pattern that matched ("/users/(\d+)"), if known
  std::string framework;   // "cpp-httplib", "civetweb", "explicit"

  // Adds an input, applying the limits. Returns false when it was cut or
  // dropped (and counts it).
  bool AddInput(InputSource source, std::string_view name, std::string_view value);
  // Parses and adds a query string ("a=1&b=%20x"), a form body, a Cookie
  // header, a JSON body (nested keys flattened with their path).
  void AddQueryString(std::string_view query, InputSource source = InputSource::kQuery);
  void AddCookieHeader(std::string_view cookie_header);
  void AddJsonBody(std::string_view json);
  // A multipart/form-data body: its fields as kForm inputs ("body.<name>"),
  // file parts by their file name ("body.<name>.filename").
  void AddMultipartBody(std::string_view body, std::string_view boundary);
  // Parses a request body by its Content-Type: urlencoded forms, JSON (and
  // +json types), multipart/form-data. Other types are ignored.
  void AddBody(std::string_view content_type, std::string_view body);
  // Adds a request header as "header.<lower-case name>", and also fills
  // `accept` and `user_agent` and parses a Cookie header into cookie inputs.
  void AddHeader(std::string_view name, std::string_view value);

  const std::vector<RequestInput>& inputs() const { return inputs_; }
  // For the request sink, once the request is finished: moves them out.
  std::vector<RequestInput> TakeInputs() {
    inputs_bytes_ = 0;
    return std::move(inputs_);
  }
  std::vector<Finding> TakeFindings() {
    findings_bytes_ = 0;
    return std::move(findings_);
  }
  // Approximate bytes the inputs and the findings hold, added up as they
  // are added: the request sink weighs a finished request without walking
  // them (by then they have usually left the CPU's cache).
  size_t inputs_bytes() const { return inputs_bytes_; }
  size_t findings_bytes() const { return findings_bytes_; }
  uint64_t truncated() const { return truncated_; }
  const RequestLimits& limits() const { return limits_; }

  // -- Used by protections, on the request's thread. --
  void AddFinding(Finding finding);
  const std::vector<Finding>& findings() const { return findings_; }
  // Marks the request blocked: the integration answers with `response`
  // instead of whatever the handler produces. The first call wins (a request
  // is answered once). A response with neither body nor location is rendered
  // by the integration from the block settings in force (block_response.h).
  void Block(BlockResponse response);
  bool blocked() const { return blocked_; }
  const BlockResponse& block_response() const { return block_response_; }

  // Called once, on the blocking thread, right after the first Block(): for
  // integrations that must answer at that moment (civetweb writes the block
  // response before the handler can write anything). Must not throw.
  using BlockObserver = void (*)(RequestContext& ctx, void* arg);
  void SetBlockObserver(BlockObserver observer, void* arg) {
    block_observer_ = observer;
    block_observer_arg_ = arg;
  }

  // Time spent in protections for this request (per-request budget).
  uint64_t protection_ns = 0;
  uint64_t checks_skipped = 0;  // checks skipped because a budget ran out

  // -- Set by the integration when the response is known. --
  int status = 0;

 private:
  RequestLimits limits_;
  std::vector<RequestInput> inputs_;
  std::vector<Finding> findings_;
  size_t inputs_bytes_ = 0;
  size_t findings_bytes_ = 0;
  uint64_t truncated_ = 0;
  bool blocked_ = false;
  BlockResponse block_response_;
  BlockObserver block_observer_ = nullptr;
  void* block_observer_arg_ = nullptr;
};

// A new request id: 16 hex digits, unique in the process and hard to guess
// (a random per-process key mixed with a counter).
std::string NewRequestId();

// The request on this thread, or null outside a request.
RequestContext* CurrentRequest();

// Makes `ctx` the current request of this thread for its lifetime (restoring
// the previous one after, so nested scopes work). At the end it hands the
// finished request to the request sink (events, metrics).
//
// With `finish_at_end` false the scope only makes the request current; the
// integration calls FinishRequest later, when the response is known (e.g.
// cpp-httplib's logger runs after the handler's scope has ended).
class ScopedRequest {
 public:
  explicit ScopedRequest(RequestContext* ctx, bool finish_at_end = true);
  ~ScopedRequest();
  ScopedRequest(const ScopedRequest&) = delete;
  ScopedRequest& operator=(const ScopedRequest&) = delete;

 private:
  RequestContext* ctx_;
  RequestContext* previous_;
  bool finish_at_end_;
};

// Hands a finished request to the request sink. Never throws. The sink may
// take the request's inputs and findings (TakeInputs, TakeFindings): the
// context must not be used for protection after this.
void FinishRequest(RequestContext& finished);

// Called with every finished request (on the request's thread; must not
// block: hand off and return). Set once by the agent at start-up.
using RequestSink = void (*)(RequestContext& finished);
void SetRequestSink(RequestSink sink);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_REQUEST_CONTEXT_H_
