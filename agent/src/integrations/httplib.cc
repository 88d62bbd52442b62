// Copyright Vigil authors.
//
// cpp-httplib integration: protects services that use cpp-httplib's Server
// with no change to their code.
//
// Debian ships cpp-httplib split: the header declares, libcpp-httplib.so
// defines. So the library's internals are not hook points; the service's
// *calls* into it are (call-site hook points, see integrations/httplib.spec):
//
//   svr.Get/Post/Put/Patch/Delete/Options(pattern, handler)
//       the prolog replaces `handler` (a std::function passed by value: the
//       prolog sees the caller's argument object) with a wrapper that builds
//       the RequestContext, makes it current, runs the handler and, if a
//       protection blocked the request, replaces the whole response;
//   svr.set_logger(logger), svr.listen / listen_after_bind / bind_to_port /
//   bind_to_any_port
//       make sure every request's final status is recorded: the service's
//       logger is wrapped, or, if it installs none, Vigil installs one when
//       the server starts;
//   svr.set_error_handler / set_post_routing_handler
//       the service's handlers are skipped for a blocked request, so they
//       cannot rewrite the block response;
//   httplib::Server::Server()
//       forgets what was known about a previous server at the same address.
//
// This file never calls a function defined only in libcpp-httplib.so, so the
// agent does not depend on it: it reads Request/Response fields and uses
// header-defined types. The one call it needs, Server::set_logger, is looked
// up with dlsym in the running process. It only reads the Request fields
// declared before the first configuration-dependent one (`ssl`), so it works
// whichever CPPHTTPLIB_*_SUPPORT macros the service was built with.

#include "integrations/attachment_group.h"
#include "integrations/http_integration.h"

#if __has_include(<httplib.h>)
#define VIGIL_HAVE_HTTPLIB 1
#include <httplib.h>
#else
#define VIGIL_HAVE_HTTPLIB 0
#endif

#include <cxxabi.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "vigil/hook.h"

namespace vigil::agent {

#if VIGIL_HAVE_HTTPLIB
namespace {

using httplib::ContentReader;
using httplib::Logger;
using httplib::Request;
using httplib::Response;
using httplib::Server;
using Handler = Server::Handler;
using ReaderHandler = Server::HandlerWithContentReader;
using ErrorHandler = Server::HandlerWithResponse;

// The hooked functions' types, `this` explicit.
using RouteSig = Server&(Server*, const std::string&, Handler);
using ReaderRouteSig = Server&(Server*, const std::string&, ReaderHandler);
using SetLoggerSig = Server&(Server*, Logger);
using SetHandlerSig = Server&(Server*, Handler);  // set_post_routing_handler, set_error_handler
using SetErrorSig = Server&(Server*, ErrorHandler);
using ListenSig = bool(Server*, const std::string&, int, int);
using BindSig = bool(Server*, const std::string&, int, int);
using BindAnySig = int(Server*, const std::string&, int);
using ListenAfterBindSig = bool(Server*);
using ConstructorSig = void(Server*);

// ---------------------------------------------------------------------------
// The request a wrapped handler is serving on this thread.
// ---------------------------------------------------------------------------

// Created when a wrapped handler starts; kept after it returns until the
// logger sees the response written (same thread: httplib routes and writes a
// request in one call), so the sink gets the final status, and so the error
// and post-routing handlers, which run in between, can tell it was blocked.
struct HttplibRequest {
  explicit HttplibRequest(const RequestLimits& limits) : ctx(limits) {}

  // Identifies the Request: process_request's Request object lives at the
  // same stack address for every request of a thread, so the address alone
  // could match a stale entry.
  bool Matches(const Request& r) const {
    return req == &r && remote_port == r.remote_port && target == r.target;
  }

  const Request* req = nullptr;
  int remote_port = -1;
  std::string target;
  RequestContext ctx;
};

// Finishes a request left pending (its response was never logged: a write
// failed, or the server has no Vigil logger) at the next request of the
// thread or when the thread exits.
struct PendingRequest {
  std::unique_ptr<HttplibRequest> request;

  void Finish() {
    if (!request) return;
    std::unique_ptr<HttplibRequest> done = std::move(request);
    // -1: the handler left the status to httplib, which then sends 200.
    if (done->ctx.status == -1) done->ctx.status = 200;
    FinishRequest(done->ctx);
  }
  ~PendingRequest() { Finish(); }
};
thread_local PendingRequest t_pending;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// Headers httplib adds to every request itself; not client input.
bool IsLibraryHeader(std::string_view name) {
  return EqualsNoCase(name, "REMOTE_ADDR") || EqualsNoCase(name, "REMOTE_PORT") ||
         EqualsNoCase(name, "LOCAL_ADDR") || EqualsNoCase(name, "LOCAL_PORT");
}

// The protection must see each value exactly as the application does, and
// cpp-httplib versions split parameters differently (0.11 keeps the text
// after the *last* '=' of "a=b=c", later versions after the first). So every
// value of req.params -- what the handler reads -- that the standard parse
// above did not produce is added too.
void AddParamsAsTheApplicationSeesThem(const Request& req, std::string_view query,
                                       std::string_view media_type, RequestContext& ctx) {
  if (req.params.empty()) return;
  std::unordered_set<std::string> have;
  for (const RequestInput& in : ctx.inputs()) {
    if (in.source == InputSource::kQuery || in.source == InputSource::kForm) {
      have.insert(in.key + '\0' + in.value);
    }
  }
  const bool form_body = media_type == "application/x-www-form-urlencoded";
  for (const auto& [name, value] : req.params) {
    if (have.count("query." + name + '\0' + value) != 0 ||
        have.count("body." + name + '\0' + value) != 0) {
      continue;
    }
    // Where it came from, as well as can be told: the body if there is a form
    // body and the query string does not mention the name.
    const bool from_body = form_body && query.find(name) == std::string_view::npos;
    ctx.AddInput(from_body ? InputSource::kForm : InputSource::kQuery, name, value);
  }
}

void FillContext(const Request& req, const ParsedHttpSettings& settings, RequestContext& ctx) {
  ctx.framework = "cpp-httplib";
  ctx.request_id = NewRequestId();
  ctx.method = req.method;
  ctx.path = req.path;

  std::string xff;
  std::string_view content_type;
  for (const auto& [name, value] : req.headers) {
    if (EqualsNoCase(name, "x-forwarded-for")) {
      if (!xff.empty()) xff += ',';
      xff += value;
    } else if (EqualsNoCase(name, "content-type")) {
      content_type = value;
    }
  }
  ctx.client_ip = ClientIp(req.remote_addr, xff, settings.trusted_proxies);

  // Parameters first, headers last: when a request has more inputs than
  // max_inputs, the ones attacks use most are the ones kept.

  // httplib merges query and form parameters into req.params; the query
  // string and the body are parsed separately so each input says where it
  // came from.
  const size_t question = req.target.find('?');
  std::string_view query;
  if (question != std::string::npos) {
    query = std::string_view(req.target).substr(question + 1);
    ctx.AddQueryString(query, InputSource::kQuery);
  }
  const std::string media_type = ParseMediaType(content_type).type;
  if (media_type == "multipart/form-data") {
    // httplib parsed the parts already (the body is not kept).
    for (const auto& [name, part] : req.files) {
      if (part.filename.empty()) {
        ctx.AddInput(InputSource::kForm, name, part.content);
      } else {
        ctx.AddInput(InputSource::kForm, name + ".filename", part.filename);
      }
    }
  } else {
    ctx.AddBody(content_type, req.body);
  }
  AddParamsAsTheApplicationSeesThem(req, query, media_type, ctx);
  // Regex captures of the route: "/users/(\d+)" gives path.1.
  for (size_t i = 1; i < req.matches.size(); ++i) {
    ctx.AddInput(InputSource::kPath, std::to_string(i), req.matches[i].str());
  }
  for (const auto& [name, value] : req.headers) {
    if (!IsLibraryHeader(name)) ctx.AddHeader(name, value);
  }
}

// Starts the request a wrapped handler is about to serve. Null if anything
// fails: the handler then runs unprotected (fail open).
HttplibRequest* BeginRequest(const Request& req, const std::string& route) noexcept {
  try {
    t_pending.Finish();
    const ParsedHttpSettings& settings = CurrentHttpSettings();
    auto state = std::make_unique<HttplibRequest>(settings.limits);
    state->req = &req;
    state->remote_port = req.remote_port;
    state->target = req.target;
    state->ctx.route = route;
    FillContext(req, settings, state->ctx);
    t_pending.request = std::move(state);
    return t_pending.request.get();
  } catch (...) {
    internal::CountInternalError();
    return nullptr;
  }
}

// The pending request of this thread if it is `req` and was blocked.
bool IsBlocked(const Request& req) {
  const HttplibRequest* state = t_pending.request.get();
  return state != nullptr && state->Matches(req) && state->ctx.blocked();
}

// Replaces everything the handler put in `res` with the block response:
// status, headers (all of them), body, and a content provider with its
// resources.
void ApplyBlock(Response& res, const RequestContext& ctx) {
  BlockResponse block = CompletedBlockResponse(ctx);
  if (res.content_provider_resource_releaser_) {
    // Release the handler's streaming resources as httplib does after a
    // failed write: this response never goes out.
    auto releaser = std::move(res.content_provider_resource_releaser_);
    res.content_provider_resource_releaser_ = nullptr;
    try {
      releaser(false);
    } catch (...) {
    }
  }
  res.content_provider_ = nullptr;
  res.content_length_ = 0;
  res.is_chunked_content_provider_ = false;
  res.content_provider_success_ = false;
  res.headers.clear();
  res.reason.clear();
  res.status = block.status;
  res.body = std::move(block.body);
  res.location = block.location;
  res.headers.emplace("Content-Type", block.content_type);
  if (!block.location.empty()) res.headers.emplace("Location", block.location);
  res.headers.emplace("Cache-Control", "no-store");
}

// Runs a handler under Vigil: `invoke(ctx)` calls the original handler (ctx
// is null when the request runs unprotected).
template <typename Invoke>
void RunHandler(const Request& req, Response& res, const std::string& route, Invoke&& invoke) {
  // Already inside a request (the explicit API's ProtectHttplib, or a handler
  // calling another): that scope protects it.
  if (!internal::HttpIntegrationsEnabled() || CurrentRequest() != nullptr) {
    invoke(nullptr);
    return;
  }
  HttplibRequest* state = BeginRequest(req, route);
  if (state == nullptr) {
    invoke(nullptr);
    return;
  }
  RequestContext& ctx = state->ctx;
  try {
    ScopedRequest scope(&ctx, /*finish_at_end=*/false);
    invoke(&ctx);
  } catch (abi::__forced_unwind&) {
    throw;  // thread cancellation must unwind
  } catch (...) {
    ctx.status = 500;
    // Not blocked: the service's exception, unchanged, for httplib (or the
    // service's exception handler) to answer.
    if (!ctx.blocked()) throw;
    // Blocked: the protection failed a call and the handler's error path
    // threw; the block response is the answer.
  }
  if (ctx.blocked()) {
    try {
      ApplyBlock(res, ctx);
      internal::CountBlocked();
    } catch (...) {
      internal::CountInternalError();
      res.status = 500;  // a bare error rather than the handler's response
      res.body.clear();
      res.headers.clear();
    }
  }
  ctx.status = res.status;
}

// Parses a body the handler reads through a ContentReader (Post/Put/Patch/
// Delete with HandlerWithContentReader) as it streams past, so that its
// fields are inputs once the handler has read it, which is before it can use
// them. Bounded by the request limits; never changes what the handler reads.
ContentReader TeeContentReader(const ContentReader& original, RequestContext* ctx,
                               std::string content_type) {
  return ContentReader(
      [&original, ctx, content_type](httplib::ContentReceiver receiver) {
        std::string body;
        // One byte over the limit lets the parsers see, and count, the cut.
        const size_t limit = ctx->limits().max_body_bytes + 1;
        const bool ok = original([&](const char* data, size_t n) {
          try {
            body.append(data, std::min(n, limit - body.size()));
          } catch (...) {
          }
          return receiver(data, n);
        });
        try {
          ctx->AddBody(content_type, body);
        } catch (...) {
          internal::CountInternalError();
        }
        return ok;
      },
      [&original, ctx](httplib::MultipartContentHeader header, httplib::ContentReceiver receiver) {
        std::string field;
        std::string value;
        bool in_field = false;
        auto flush = [&] {
          if (in_field) ctx->AddInput(InputSource::kForm, field, value);
          in_field = false;
          value.clear();
        };
        const size_t limit = ctx->limits().max_value_bytes;
        const bool ok = original(
            [&](const httplib::MultipartFormData& part) {
              try {
                flush();
                if (part.filename.empty()) {
                  in_field = true;
                  field = part.name;
                } else {
                  ctx->AddInput(InputSource::kForm, part.name + ".filename", part.filename);
                }
              } catch (...) {
                in_field = false;
              }
              return header(part);
            },
            [&](const char* data, size_t n) {
              if (in_field && value.size() <= limit) {
                try {
                  // One byte over the limit lets AddInput count the cut.
                  value.append(data, std::min(n, limit + 1 - value.size()));
                } catch (...) {
                  in_field = false;
                }
              }
              return receiver(data, n);
            });
        try {
          flush();
        } catch (...) {
        }
        return ok;
      });
}

std::string HeaderValue(const Request& req, std::string_view name) {
  for (const auto& [key, value] : req.headers) {
    if (EqualsNoCase(key, name)) return value;
  }
  return std::string();
}

Handler WrapHandler(Handler original, std::string route) {
  return [original = std::move(original), route = std::move(route)](const Request& req, Response& res) {
    RunHandler(req, res, route, [&](RequestContext*) { original(req, res); });
  };
}

ReaderHandler WrapReaderHandler(ReaderHandler original, std::string route) {
  return [original = std::move(original), route = std::move(route)](
             const Request& req, Response& res, const ContentReader& reader) {
    RunHandler(req, res, route, [&](RequestContext* ctx) {
      if (ctx == nullptr) {
        original(req, res, reader);
        return;
      }
      ContentReader tee = TeeContentReader(reader, ctx, HeaderValue(req, "Content-Type"));
      original(req, res, tee);
    });
  };
}

// ---------------------------------------------------------------------------
// Final status: the logger.
// ---------------------------------------------------------------------------

// Called (through the logger) after httplib wrote a response.
void OnResponseWritten(const Request& req, const Response& res) noexcept {
  if (!internal::HttpIntegrationsEnabled()) return;
  try {
    HttplibRequest* state = t_pending.request.get();
    if (state != nullptr && state->Matches(req)) {
      state->ctx.status = res.status;
      std::unique_ptr<HttplibRequest> done = std::move(t_pending.request);
      FinishRequest(done->ctx);
      return;
    }
    t_pending.Finish();
    // No handler ran (404, a static file, a pre-routing handler, a request
    // httplib refused): still a request, with its inputs, for the sink.
    const ParsedHttpSettings& settings = CurrentHttpSettings();
    RequestContext ctx(settings.limits);
    FillContext(req, settings, ctx);
    ctx.status = res.status;
    FinishRequest(ctx);
  } catch (...) {
    internal::CountInternalError();
  }
}

Logger WrapLogger(Logger original) {
  return [original = std::move(original)](const Request& req, const Response& res) {
    OnResponseWritten(req, res);
    if (original) original(req, res);
  };
}

// Servers that have a Vigil logger: one set by the service (wrapped by the
// set_logger hook) or one Vigil installed when the server started. Bounded;
// when full, no more loggers are installed (statuses of 404s go unrecorded,
// which is harmless, where replacing a service's logger would not be).
constexpr size_t kMaxServers = 1024;
std::mutex g_servers_mu;
std::unordered_set<const Server*>& ServersWithLogger() {
  static auto* servers = new std::unordered_set<const Server*>();  // never destroyed
  return *servers;
}

// Server::set_logger, found in the running process (the agent must not link
// libcpp-httplib). A non-virtual member function is an ordinary function
// taking `this` first in the Itanium C++ ABI.
using SetLoggerFn = Server& (*)(Server*, Logger);
SetLoggerFn ResolveSetLogger() {
  static SetLoggerFn fn = reinterpret_cast<SetLoggerFn>(
      dlsym(RTLD_DEFAULT, "_ZN7httplib6Server10set_loggerESt8functionIFvRKNS_7RequestERKNS_8ResponseEEE"));
  return fn;
}

// At start-up of a server: install a logger unless it has one of Vigil's.
void EnsureLogger(Server* svr) {
  if (svr == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(g_servers_mu);
    auto& servers = ServersWithLogger();
    if (servers.count(svr) != 0 || servers.size() >= kMaxServers) return;
    servers.insert(svr);
  }
  SetLoggerFn set_logger = ResolveSetLogger();
  if (set_logger != nullptr) set_logger(svr, WrapLogger(nullptr));
}

void RememberLogger(const Server* svr) {
  std::lock_guard<std::mutex> lock(g_servers_mu);
  auto& servers = ServersWithLogger();
  if (servers.size() < kMaxServers) servers.insert(svr);
}

void ForgetServer(const Server* svr) {
  std::lock_guard<std::mutex> lock(g_servers_mu);
  ServersWithLogger().erase(svr);
}

// ---------------------------------------------------------------------------
// Error and post-routing handlers: not for blocked requests.
// ---------------------------------------------------------------------------

ErrorHandler WrapErrorHandler(ErrorHandler original) {
  return [original = std::move(original)](const Request& req, Response& res) {
    if (IsBlocked(req) || !original) return Server::HandlerResponse::Unhandled;
    return original(req, res);
  };
}

Handler WrapPassiveHandler(Handler original) {
  return [original = std::move(original)](const Request& req, Response& res) {
    if (IsBlocked(req) || !original) return;
    original(req, res);
  };
}

// ---------------------------------------------------------------------------
// The hooks.
// ---------------------------------------------------------------------------

// Replaces a std::function argument with Vigil's wrapper; on any failure the
// original stays (fail open) and the miss is counted.
template <typename F, typename Wrap>
void WrapArgument(F& fn, Wrap&& wrap) {
  if (!fn) return;
  try {
    F wrapped = wrap(F(fn));  // copy first: `fn` survives a failure
    fn = std::move(wrapped);
  } catch (...) {
    internal::CountUnwrappedHandler();
  }
}

// Symbol patterns of the route registration overloads: the two overloads of
// Post, Put, Patch and Delete share a name and differ in the handler type,
// which the end of the symbol spells.
std::string RoutePattern(std::string_view method, bool reader) {
  std::string p = "_ZN7httplib6Server" + std::to_string(method.size()) + std::string(method) + "E*";
  p += reader ? "RNS_8ResponseERKNS_13ContentReaderEEE" : "St8functionIFvRKNS_7RequestERNS_8ResponseEEE";
  return p;
}

AttachmentGroup g_group;

}  // namespace

bool InstallHttplibIntegration(std::string* error) {
  std::lock_guard<std::mutex> lock(g_group.mu());
  internal::SetHttpIntegrationsEnabled(true);
  if (g_group.installed()) return true;

  AttachOptions options;
  options.allow_pending = true;  // the service's image registers after the agent starts
  AttachmentGroup::Attempt attempt;
  auto keep = [&](StatusOr<Attachment> result) { attempt.Keep(std::move(result)); };

  for (std::string_view method : {"Get", "Post", "Put", "Patch", "Delete", "Options"}) {
    keep(AttachProlog<RouteSig>(
        RoutePattern(method, /*reader=*/false),
        [](Call<RouteSig>& call) {
          const std::string route = call.arg<1>();
          WrapArgument(call.arg<2>(), [&](Handler h) { return WrapHandler(std::move(h), route); });
        },
        options));
    if (method == "Get" || method == "Options") continue;  // no reader overload
    keep(AttachProlog<ReaderRouteSig>(
        RoutePattern(method, /*reader=*/true),
        [](Call<ReaderRouteSig>& call) {
          const std::string route = call.arg<1>();
          WrapArgument(call.arg<2>(),
                       [&](ReaderHandler h) { return WrapReaderHandler(std::move(h), route); });
        },
        options));
  }
  keep(AttachProlog<SetLoggerSig>(
      "httplib::Server::set_logger",
      [](Call<SetLoggerSig>& call) {
        RememberLogger(call.arg<0>());
        WrapArgument(call.arg<1>(), [](Logger l) { return WrapLogger(std::move(l)); });
      },
      options));
  keep(AttachProlog<SetErrorSig>(
      "_ZN7httplib6Server17set_error_handlerESt8functionIFNS0_15HandlerResponseERKNS_7RequestERNS_8ResponseEEE",
      [](Call<SetErrorSig>& call) {
        WrapArgument(call.arg<1>(), [](ErrorHandler h) { return WrapErrorHandler(std::move(h)); });
      },
      options));
  for (const char* name :
       {"_ZN7httplib6Server17set_error_handlerESt8functionIFvRKNS_7RequestERNS_8ResponseEEE",
        "httplib::Server::set_post_routing_handler"}) {
    keep(AttachProlog<SetHandlerSig>(
        name,
        [](Call<SetHandlerSig>& call) {
          WrapArgument(call.arg<1>(), [](Handler h) { return WrapPassiveHandler(std::move(h)); });
        },
        options));
  }
  keep(AttachProlog<ListenSig>(
      "httplib::Server::listen", [](Call<ListenSig>& call) { EnsureLogger(call.arg<0>()); }, options));
  keep(AttachProlog<BindSig>(
      "httplib::Server::bind_to_port", [](Call<BindSig>& call) { EnsureLogger(call.arg<0>()); },
      options));
  keep(AttachProlog<BindAnySig>(
      "httplib::Server::bind_to_any_port", [](Call<BindAnySig>& call) { EnsureLogger(call.arg<0>()); },
      options));
  keep(AttachProlog<ListenAfterBindSig>(
      "httplib::Server::listen_after_bind",
      [](Call<ListenAfterBindSig>& call) { EnsureLogger(call.arg<0>()); }, options));
  keep(AttachProlog<ConstructorSig>(
      "httplib::Server::Server", [](Call<ConstructorSig>& call) { ForgetServer(call.arg<0>()); },
      options));

  return g_group.Commit(std::move(attempt), "cpp-httplib integration", error);
}

namespace internal {

void UninstallHttplib() { g_group.DetachAll(); }

void LockHttplibForFork() { g_group.LockForFork(g_servers_mu); }
void UnlockHttplibAfterFork() { g_group.UnlockAfterFork(g_servers_mu); }

bool HttplibCompiledIn() { return true; }

}  // namespace internal

#else  // !VIGIL_HAVE_HTTPLIB

bool InstallHttplibIntegration(std::string* error) {
  if (error != nullptr) *error = "cpp-httplib integration: the agent was built without <httplib.h>";
  return false;
}

namespace internal {
void UninstallHttplib() {}
void LockHttplibForFork() {}
void UnlockHttplibAfterFork() {}
bool HttplibCompiledIn() { return false; }
}  // namespace internal

#endif  // VIGIL_HAVE_HTTPLIB

}  // namespace vigil::agent
