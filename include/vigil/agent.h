// Copyright Vigil authors.
//
// vigil/agent.h: the explicit request API of the Vigil agent
// (libvigil_agent.so), for services built WITHOUT the Vigil compiler plugin
// or with web frameworks Vigil does not integrate automatically.
//
// Services built with vigil-c++ that use cpp-httplib or civetweb need none of
// this: their handlers are protected automatically. Everyone else tells the
// agent where a request starts and ends, and asks it whether to answer:
//
//   void HandleRequest(MyRequest& req, MyResponse& res) {
//     std::vector<vigil::HttpHeader> headers = ...;  // name/value views
//     vigil::RequestScope scope(vigil::RequestView{
//         .method = req.method, .path = req.path, .query = req.query,
//         .headers = headers, .body = req.body, .peer = req.remote_ip});
//     RunApplication(req, res);          // protections run in here
//     if (scope.blocked()) {             // a protection blocked the request:
//       const vigil::BlockedResponse& b = scope.response();
//       res = MyResponse(b.status, b.content_type, b.body);  // send this
//       if (!b.location.empty()) res.headers["Location"] = b.location;
//     }
//     scope.set_status(res.status);
//   }                                    // the request is recorded here
//
// While a RequestScope lives, protections running on the same thread (for
// example the SQL-injection protection inside a database call) see this
// request: its inputs, its client address. When one of them blocks, the
// dangerous call fails the way its library fails, and blocked() turns true:
// send response() instead of what the application produced.
//
// For cpp-httplib without the plugin, one line does the above for a server
// (see ProtectHttplib below):
//
//   httplib::Server svr;
//   vigil::ProtectHttplib(svr);
//
// Thread-safety: a RequestScope belongs to one request. Create and destroy it
// on the same thread; to let another thread work on the request, give that
// thread a RequestScope::Activation. Different scopes are independent.
//
// Vigil's code here never throws (exceptions of the service's own handlers
// pass through unchanged). If the agent cannot record a request (out of
// memory, not started), the scope is inert: blocked() stays false.
//
// Needs C++20 (std::span, designated initializers in the examples). Link with
// libvigil_agent.so.
#ifndef VIGIL_AGENT_H_
#define VIGIL_AGENT_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__GNUC__) || defined(__clang__)
#define VIGIL_AGENT_EXPORT __attribute__((visibility("default")))
#else
#define VIGIL_AGENT_EXPORT
#endif

namespace vigil {

// One header (or one path parameter): views into the caller's storage.
struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

// A request as the agent needs it. All views must stay valid while the
// RequestScope constructor runs (it copies what it keeps).
struct RequestView {
  std::string_view method;  // "GET"
  std::string_view path;    // the decoded path, without the query: "/users/42"
  std::string_view query;   // the raw query string, without '?': "q=a%20b&x=1"
  std::span<const HttpHeader> headers;  // as received; Cookie is parsed too
  // The body, if already read ("" otherwise; see RequestScope::AddBody).
  // Parsed by its Content-Type header: urlencoded forms, JSON, multipart.
  std::string_view body;
  // The address of the TCP peer ("203.0.113.7", "::1"). The client address
  // is the peer unless the peer is a trusted proxy (agent configuration),
  // in which case X-Forwarded-For is followed.
  std::string_view peer;
  // Parameters the router extracted from the path ({"id", "42"}).
  std::span<const HttpHeader> path_params;
  std::string_view route;  // the route pattern that matched, for reports
  std::string_view framework = "explicit";  // for reports
};

// What to send instead of the application's response when a request is
// blocked: set the status, Content-Type, Location (if non-empty) and
// Cache-Control: no-store headers, send `body`, and nothing of the
// application's own response.
struct BlockedResponse {
  int status = 403;
  std::string content_type;
  std::string body;
  std::string location;  // non-empty: a redirect
};

// The agent's view of one request, current on the creating thread for the
// scope's lifetime. Scopes nest (the inner one is current until it ends).
class VIGIL_AGENT_EXPORT RequestScope {
 public:
  explicit RequestScope(const RequestView& request) noexcept;
  // Records the request (status, findings) for the agent's reports.
  ~RequestScope();

  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

  // True once a protection blocked this request.
  bool blocked() const noexcept;

  // The response to send instead of the application's. Meaningful when
  // blocked(); rendered from the agent's block settings (HTML or JSON by the
  // request's Accept header, or a redirect).
  const BlockedResponse& response() const noexcept;

  // The request's id, as shown on the block page and in reports.
  std::string_view request_id() const noexcept;

  // Records the status actually sent (for reports).
  void set_status(int status) noexcept;

  // Adds a body read after the scope started (frameworks that stream it).
  void AddBody(std::string_view content_type, std::string_view body) noexcept;

  // Adds path parameters known only after routing.
  void AddPathParams(std::span<const HttpHeader> params) noexcept;

  // Makes the request current on another thread (a worker the request was
  // handed to) for the Activation's lifetime. Use one thread at a time.
  class VIGIL_AGENT_EXPORT Activation {
   public:
    ~Activation();
    Activation(Activation&& other) noexcept;
    Activation& operator=(Activation&&) = delete;
    Activation(const Activation&) = delete;

   private:
    friend class RequestScope;
    explicit Activation(void* state) noexcept : state_(state) {}
    void* state_;
  };
  Activation Activate() const noexcept;

 private:
  struct Impl;
  Impl* impl_;
};

// ---------------------------------------------------------------------------
// cpp-httplib, header-only.
// ---------------------------------------------------------------------------
//
// ProtectHttplib(svr) protects every request of a cpp-httplib Server built
// without the Vigil plugin. Include <httplib.h> before calling it.
//
// It takes the server's pre-routing and post-routing handlers: the request
// scope opens before routing and closes when the response is about to be
// written; if the request was blocked, the response is replaced entirely
// (status, headers, body). Handlers the service needs there are passed in
// and still run (first, in the post-routing case).
//
// Limits (cpp-httplib 0.11): the pre-routing handler runs before the body is
// read and before the path is matched, so body fields and path captures are
// not inputs. Wrap the handlers that use them with ProtectHandler:
//
//   svr.Post("/login", vigil::ProtectHandler([](const auto& req, auto& res) {...}));
template <typename Server>
void ProtectHttplib(Server& svr,
                    typename Server::HandlerWithResponse pre_routing = nullptr,
                    typename Server::Handler post_routing = nullptr);

// Wraps one cpp-httplib handler (a Server::Handler: request and response)
// so that, inside ProtectHttplib's scope, the request body (already read by
// httplib) and the route's regex captures (path.1, path.2 ...) are inputs
// too. Without ProtectHttplib it opens a scope of its own and applies the
// block response itself when the handler returns (then a service error
// handler, which httplib runs for statuses >= 400, could still rewrite it:
// prefer ProtectHttplib + ProtectHandler).
template <typename Handler>
auto ProtectHandler(Handler handler);

// ---------------------------------------------------------------------------
// Implementation details of the header-only parts. Not API.
// ---------------------------------------------------------------------------
namespace httplib_internal {

template <typename Request>
std::vector<HttpHeader> Headers(const Request& req) {
  std::vector<HttpHeader> headers;
  headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) headers.push_back(HttpHeader{name, value});
  return headers;
}

template <typename Request>
std::string_view Query(const Request& req) {
  std::string_view target = req.target;
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

template <typename Request>
std::string_view HeaderValue(const Request& req, std::string_view name) {
  for (const auto& [key, value] : req.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < key.size() && same; ++i) {
      auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
      same = lower(key[i]) == lower(name[i]);
    }
    if (same) return value;
  }
  return {};
}

// Replaces the response completely. From the post-routing handler
// (`before_write`), httplib has already computed Content-Length, so it is set
// here too, and the connection management headers httplib chose are kept.
template <typename Response>
void ApplyBlock(Response& res, const BlockedResponse& block, bool before_write) {
  std::vector<std::pair<std::string, std::string>> keep;
  for (const auto& [name, value] : res.headers) {
    if (name == "Connection" || name == "Keep-Alive") keep.emplace_back(name, value);
  }
  if constexpr (requires { res.content_provider_resource_releaser_; }) {
    if (res.content_provider_resource_releaser_) {
      auto releaser = std::move(res.content_provider_resource_releaser_);
      res.content_provider_resource_releaser_ = nullptr;
      try {
        releaser(false);
      } catch (...) {
      }
    }
  }
  if constexpr (requires { res.content_provider_; }) res.content_provider_ = nullptr;
  if constexpr (requires { res.content_length_; }) res.content_length_ = 0;
  if constexpr (requires { res.is_chunked_content_provider_; }) res.is_chunked_content_provider_ = false;
  res.headers.clear();
  res.status = block.status;
  res.body = block.body;
  res.headers.emplace("Content-Type", block.content_type);
  res.headers.emplace("Cache-Control", "no-store");
  if (!block.location.empty()) res.headers.emplace("Location", block.location);
  if (!before_write) return;
  res.headers.emplace("Content-Length", std::to_string(block.body.size()));
  for (auto& [name, value] : keep) res.headers.emplace(std::move(name), std::move(value));
}

// The scope ProtectHttplib opened for the request this thread is routing.
struct CurrentScope {
  const void* request = nullptr;
  std::unique_ptr<RequestScope> scope;
};
inline thread_local CurrentScope current_scope;

template <typename Request>
std::unique_ptr<RequestScope> OpenScope(const Request& req) noexcept {
  try {
    const std::vector<HttpHeader> headers = Headers(req);
    RequestView view;
    view.method = req.method;
    view.path = req.path;
    view.query = Query(req);
    view.headers = headers;
    view.body = req.body;
    view.peer = req.remote_addr;
    view.framework = "cpp-httplib";
    return std::make_unique<RequestScope>(view);
  } catch (...) {
    return nullptr;
  }
}

template <typename Request>
void AddRouteInputs(RequestScope& scope, const Request& req) noexcept {
  try {
    std::vector<std::string> names;
    std::vector<std::string> values;
    for (size_t i = 1; i < req.matches.size(); ++i) {
      names.push_back(std::to_string(i));
      values.push_back(req.matches[i].str());
    }
    std::vector<HttpHeader> params;
    for (size_t i = 0; i < names.size(); ++i) params.push_back(HttpHeader{names[i], values[i]});
    scope.AddPathParams(params);
    // A multipart body is not kept in req.body; its fields are in req.files.
    scope.AddBody(HeaderValue(req, "Content-Type"), req.body);
  } catch (...) {
  }
}

}  // namespace httplib_internal

template <typename Server>
void ProtectHttplib(Server& svr, typename Server::HandlerWithResponse pre_routing,
                    typename Server::Handler post_routing) {
  using HandlerResponse = typename Server::HandlerResponse;
  svr.set_pre_routing_handler(
      [pre_routing = std::move(pre_routing)](const auto& req, auto& res) -> HandlerResponse {
        auto& current = httplib_internal::current_scope;
        current.scope.reset();  // a request whose response was never written
        current.scope = httplib_internal::OpenScope(req);
        current.request = &req;
        return pre_routing ? pre_routing(req, res) : HandlerResponse::Unhandled;
      });
  svr.set_post_routing_handler([post_routing = std::move(post_routing)](const auto& req, auto& res) {
    if (post_routing) post_routing(req, res);
    auto& current = httplib_internal::current_scope;
    if (current.request != &req || !current.scope) return;
    std::unique_ptr<RequestScope> scope = std::move(current.scope);
    current.request = nullptr;
    if (scope->blocked()) httplib_internal::ApplyBlock(res, scope->response(), /*before_write=*/true);
    scope->set_status(res.status);
  });
}

template <typename Handler>
auto ProtectHandler(Handler handler) {
  // Exactly two parameters, so that Post/Put/... pick their Handler overload
  // (a variadic lambda would fit the ContentReader one too: ambiguous).
  return [handler = std::move(handler)](const auto& req, auto& res) {
    auto& current = httplib_internal::current_scope;
    if (current.request == &req && current.scope) {
      httplib_internal::AddRouteInputs(*current.scope, req);
      handler(req, res);
      return;  // ProtectHttplib's post-routing handler answers
    }
    std::unique_ptr<RequestScope> scope = httplib_internal::OpenScope(req);
    if (!scope) {
      handler(req, res);
      return;
    }
    httplib_internal::AddRouteInputs(*scope, req);
    try {
      handler(req, res);
    } catch (...) {
      if (!scope->blocked()) throw;
    }
    if (scope->blocked()) httplib_internal::ApplyBlock(res, scope->response(), /*before_write=*/false);
    scope->set_status(res.status);
  };
}

}  // namespace vigil

#endif  // VIGIL_AGENT_H_
