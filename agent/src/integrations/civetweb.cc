// Copyright Vigil authors.
//
// civetweb integration: protects services that use civetweb's C API
// (mg_set_request_handler) with no change to their code.
//
// civetweb differs from cpp-httplib in every way that matters here: handlers
// are plain C function pointers with a `void* cbdata`, a request is an opaque
// connection object, and the handler writes the response straight to the
// socket (there is no response object to replace afterwards). So:
//
//   mg_set_request_handler(ctx, uri, handler, cbdata)
//       the prolog swaps (handler, cbdata) for (Trampoline, &entry), where
//       `entry` in a bounded, never-freed table remembers the original pair.
//       The trampoline builds the RequestContext from mg_get_request_info,
//       makes it current and calls the original handler;
//   a block must be answered *when it happens*: a protection calls
//       ctx.Block() from inside the handler (its SQL call is about to fail),
//       before the handler writes its error page. The block observer writes
//       the complete block response at once (Connection: close) and then
//       shuts the socket down for writing, so whatever the handler writes
//       afterwards -- also through mg_printf, which is variadic and cannot be
//       hooked -- goes nowhere;
//   mg_write, mg_send_http_ok, mg_send_chunk, ... (call sites)
//       are skipped after the block (reporting success to the handler), and
//       tell whether the handler had started its response before it;
//   mg_read (call site, epilog)
//       copies the body as the handler reads it (bounded) and parses it
//       (form, JSON, multipart) once it is complete, without changing what
//       the handler reads.
//
// Limits: output the handler wrote before the block has left the process and
// cannot be recalled (the connection is cut instead; counted as a late
// block); output written with mg_printf before the block is not seen at all.
// Bodies read inside libcivetweb (mg_handle_form_request) are not seen. The
// agent never links libcivetweb: the functions it calls are found with dlsym.

#include "integrations/attachment_group.h"
#include "integrations/http_integration.h"

#if __has_include(<civetweb.h>)
#define VIGIL_HAVE_CIVETWEB 1
#include <civetweb.h>
#else
#define VIGIL_HAVE_CIVETWEB 0
#endif

#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "vigil/hook.h"

namespace vigil::agent {

#if VIGIL_HAVE_CIVETWEB
namespace {

// ---------------------------------------------------------------------------
// civetweb functions the agent calls, found in the running process.
// ---------------------------------------------------------------------------

struct CivetApi {
  const mg_request_info* (*get_request_info)(const mg_connection*) = nullptr;
  int (*write)(mg_connection*, const void*, size_t) = nullptr;
  void (*disable_keep_alive)(mg_connection*) = nullptr;  // civetweb >= 1.12
};

const CivetApi& Api() {
  static const CivetApi api = [] {
    CivetApi a;
    a.get_request_info = reinterpret_cast<decltype(a.get_request_info)>(
        dlsym(RTLD_DEFAULT, "mg_get_request_info"));
    a.write = reinterpret_cast<decltype(a.write)>(dlsym(RTLD_DEFAULT, "mg_write"));
    a.disable_keep_alive = reinterpret_cast<decltype(a.disable_keep_alive)>(
        dlsym(RTLD_DEFAULT, "mg_disable_connection_keep_alive"));
    return a;
  }();
  return api;
}

// ---------------------------------------------------------------------------
// The table of wrapped handlers.
// ---------------------------------------------------------------------------

struct CivetRoute {
  mg_request_handler handler = nullptr;
  void* cbdata = nullptr;
  char uri[128] = {};  // the registered pattern (cut), for RequestContext::route
};

// Entries are handed to civetweb as cbdata and may be used by a request at
// any time, so they are never freed or moved: a fixed array, allocated once.
constexpr size_t kMaxRoutes = 1024;
std::mutex g_routes_mu;
CivetRoute* g_routes = nullptr;  // kMaxRoutes entries; guarded by g_routes_mu
size_t g_route_count = 0;

int Trampoline(mg_connection* conn, void* cbdata);

// The entry for (handler, cbdata, uri), reused if the service registers the
// same handler again. Null when the table is full.
CivetRoute* RouteFor(mg_request_handler handler, void* cbdata, const char* uri) {
  std::lock_guard<std::mutex> lock(g_routes_mu);
  if (g_routes == nullptr) g_routes = new CivetRoute[kMaxRoutes];  // never freed
  char cut[sizeof(CivetRoute::uri)] = {};
  if (uri != nullptr) std::strncpy(cut, uri, sizeof cut - 1);
  for (size_t i = 0; i < g_route_count; ++i) {
    CivetRoute& r = g_routes[i];
    if (r.handler == handler && r.cbdata == cbdata && std::strcmp(r.uri, cut) == 0) return &r;
  }
  if (g_route_count == kMaxRoutes) return nullptr;
  CivetRoute& r = g_routes[g_route_count++];
  r.handler = handler;
  r.cbdata = cbdata;
  std::memcpy(r.uri, cut, sizeof cut);
  return &r;
}

// ---------------------------------------------------------------------------
// The request being served on this thread.
// ---------------------------------------------------------------------------

struct CivetRequest {
  CivetRequest(mg_connection* c, const RequestLimits& limits) : conn(c), ctx(limits) {}

  mg_connection* conn;
  RequestContext ctx;
  std::string content_type;
  long long content_length = -1;
  std::string body;       // captured from mg_read, at most max_body_bytes + 1
  uint64_t body_read = 0; // bytes the handler read
  bool body_done = false;
  bool output_started = false;  // the handler sent something (that Vigil saw)
  bool answered = false;        // the block response went out; suppress writes
  bool head = false;
  int local_port = 0;
  int remote_port = 0;
  std::string remote_addr;
};

// Set by the trampoline for the handler's duration; the hooks compare the
// connection so that writes to other connections are left alone.
thread_local CivetRequest* t_request = nullptr;

CivetRequest* RequestFor(const mg_connection* conn) {
  CivetRequest* r = t_request;
  return (r != nullptr && r->conn == conn) ? r : nullptr;
}

void FillContext(const mg_request_info* info, const CivetRoute* route,
                 const ParsedHttpSettings& settings, CivetRequest& r) {
  RequestContext& ctx = r.ctx;
  ctx.framework = "civetweb";
  ctx.request_id = NewRequestId();
  ctx.route = route->uri;
  if (info->request_method != nullptr) ctx.method = info->request_method;
  const char* path = info->local_uri != nullptr ? info->local_uri : info->request_uri;
  if (path != nullptr) ctx.path = path;
  r.head = ctx.method == "HEAD";

  std::string xff;
  const int headers = std::min(info->num_headers, MG_MAX_HEADERS);
  for (int i = 0; i < headers; ++i) {
    const mg_header& h = info->http_headers[i];
    if (h.name == nullptr || h.value == nullptr) continue;
    if (strcasecmp(h.name, "X-Forwarded-For") == 0) {
      if (!xff.empty()) xff += ',';
      xff += h.value;
    } else if (strcasecmp(h.name, "Content-Type") == 0) {
      r.content_type = h.value;
    }
  }
  ctx.client_ip = ClientIp(info->remote_addr, xff, settings.trusted_proxies);
  // Parameters before headers: what max_inputs keeps is what attacks use most.
  // (The body becomes inputs later, as the handler reads it.)
  if (info->query_string != nullptr) ctx.AddQueryString(info->query_string, InputSource::kQuery);
  for (int i = 0; i < headers; ++i) {
    const mg_header& h = info->http_headers[i];
    if (h.name != nullptr && h.value != nullptr) ctx.AddHeader(h.name, h.value);
  }
  r.content_length = info->content_length;
  r.local_port = info->server_port;
  r.remote_port = info->remote_port;
  r.remote_addr = info->remote_addr;
}

// ---------------------------------------------------------------------------
// Answering a blocked request.
// ---------------------------------------------------------------------------

bool SameAddress(const sockaddr_storage& sa, const std::array<uint8_t, 16>& want, int port) {
  std::array<uint8_t, 16> got{};
  int got_port;
  if (sa.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&sa);
    got[10] = got[11] = 0xff;
    std::memcpy(got.data() + 12, &in->sin_addr, 4);
    got_port = ntohs(in->sin_port);
  } else if (sa.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&sa);
    std::memcpy(got.data(), &in6->sin6_addr, 16);
    got_port = ntohs(in6->sin6_port);
  } else {
    return false;
  }
  return got_port == port && (want == std::array<uint8_t, 16>{} || got == want);
}

// The socket of the request's connection: civetweb does not expose it, so
// it is found by its address pair among the process's descriptors. Only done
// when a request is blocked. -1 if not found.
int FindConnectionSocket(const CivetRequest& r) {
  std::array<uint8_t, 16> remote{};
  if (!ParseIpAddress(r.remote_addr, &remote)) return -1;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    sockaddr_storage peer{}, local{};
    socklen_t peer_len = sizeof peer, local_len = sizeof local;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    if (!SameAddress(peer, remote, r.remote_port)) continue;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0) continue;
    if (!SameAddress(local, {}, r.local_port)) continue;
    found = static_cast<int>(fd);
    break;
  }
  closedir(dir);
  return found;
}

// Ends the response: nothing the handler writes from now on reaches the
// client (civetweb's later writes fail quietly: it sends with MSG_NOSIGNAL).
void CutConnection(CivetRequest& r) {
  if (Api().disable_keep_alive != nullptr) Api().disable_keep_alive(r.conn);
  const int fd = FindConnectionSocket(r);
  if (fd >= 0) shutdown(fd, SHUT_WR);
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 406: return "Not Acceptable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return status < 400 ? "OK" : "Error";
  }
}

void SendBlockResponse(CivetRequest& r) {
  if (r.answered) return;
  r.answered = true;
  if (r.output_started) {
    // Too late to answer: the status line is gone. Cut the rest.
    internal::CountLateBlock();
    CutConnection(r);
    return;
  }
  const BlockResponse block = CompletedBlockResponse(r.ctx);
  std::string out = "HTTP/1.1 " + std::to_string(block.status) + " " +
                    std::string(ReasonPhrase(block.status)) + "\r\n";
  out += "Content-Type: " + block.content_type + "\r\n";
  if (!block.location.empty()) out += "Location: " + block.location + "\r\n";
  out += "Content-Length: " + std::to_string(block.body.size()) + "\r\n";
  out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
  if (!r.head) out += block.body;
  if (Api().write != nullptr) Api().write(r.conn, out.data(), out.size());
  CutConnection(r);
  internal::CountBlocked();
}

// RequestContext's block observer: runs inside the protection's callback,
// before the handler sees its call fail.
void OnBlock(RequestContext& /*ctx*/, void* arg) {
  try {
    SendBlockResponse(*static_cast<CivetRequest*>(arg));
  } catch (...) {
    internal::CountInternalError();
  }
}

// ---------------------------------------------------------------------------
// The trampoline.
// ---------------------------------------------------------------------------

int Trampoline(mg_connection* conn, void* cbdata) {
  const CivetRoute* route = static_cast<const CivetRoute*>(cbdata);
  if (!internal::HttpIntegrationsEnabled() || CurrentRequest() != nullptr || t_request != nullptr ||
      Api().get_request_info == nullptr) {
    return route->handler(conn, route->cbdata);
  }
  std::optional<CivetRequest> state;
  try {
    const mg_request_info* info = Api().get_request_info(conn);
    if (info == nullptr) return route->handler(conn, route->cbdata);
    const ParsedHttpSettings& settings = CurrentHttpSettings();
    state.emplace(conn, settings.limits);
    FillContext(info, route, settings, *state);
  } catch (...) {
    internal::CountInternalError();
    return route->handler(conn, route->cbdata);  // fail open
  }
  CivetRequest& r = *state;
  r.ctx.SetBlockObserver(&OnBlock, &r);
  t_request = &r;
  int rc = 0;
  try {
    ScopedRequest scope(&r.ctx, /*finish_at_end=*/false);
    rc = route->handler(conn, route->cbdata);
  } catch (...) {
    // A C++ handler throwing through civetweb: not Vigil's to change.
    t_request = nullptr;
    FinishRequest(r.ctx);
    throw;
  }
  t_request = nullptr;
  if (r.ctx.blocked()) {
    try {
      SendBlockResponse(r);  // normally done already, by the observer
    } catch (...) {
      internal::CountInternalError();
    }
    // Handled, whatever the handler said: civetweb must not go on to serve
    // the request another way. The value is the status for its access log.
    rc = CompletedBlockResponse(r.ctx).status;
  }
  r.ctx.status = rc;
  FinishRequest(r.ctx);
  return rc;
}

// ---------------------------------------------------------------------------
// Hooks.
// ---------------------------------------------------------------------------

using SetHandlerSig = void(mg_context*, const char*, mg_request_handler, void*);
using ReadSig = int(mg_connection*, void*, size_t);
using WriteSig = int(mg_connection*, const void*, size_t);
using ChunkSig = int(mg_connection*, const char*, unsigned int);
using OkSig = int(mg_connection*, const char*, long long);
using RedirectSig = int(mg_connection*, const char*, int);
using FileSig = void(mg_connection*, const char*);
using FileBodySig = int(mg_connection*, const char*);
using MimeFileSig = void(mg_connection*, const char*, const char*);
using MimeFile2Sig = void(mg_connection*, const char*, const char*, const char*);
using HeaderStartSig = int(mg_connection*, int);
using HeaderAddSig = int(mg_connection*, const char*, const char*, int);
using HeaderLinesSig = int(mg_connection*, const char*);
using HeaderSendSig = int(mg_connection*);

void WrapRegistration(Call<SetHandlerSig>& call) {
  mg_request_handler& handler = call.arg<2>();
  void*& cbdata = call.arg<3>();
  if (handler == nullptr || handler == &Trampoline) return;  // removal, or already ours
  CivetRoute* route = RouteFor(handler, cbdata, call.arg<1>());
  if (route == nullptr) {
    internal::CountUnwrappedHandler();
    return;
  }
  handler = &Trampoline;
  cbdata = route;
}

// Output hooks: `sends` says whether the call puts bytes on the wire (header
// start/add only buffer). After the block response, the call is skipped and
// the handler told it succeeded, `ok` being that value.
template <typename Sig, bool kSends, typename OkFn>
auto OutputProlog(OkFn ok) {
  return [ok](Call<Sig>& call) {
    CivetRequest* r = RequestFor(call.template arg<0>());
    if (r == nullptr) return;
    if (r->answered) {
      if constexpr (std::is_void_v<typename Call<Sig>::Result>) {
        (void)ok;
        call.Abort();
      } else {
        call.Abort(ok(call));
      }
    } else if (kSends) {
      r->output_started = true;
    }
  };
}

void CaptureBody(Call<ReadSig>& call) {
  CivetRequest* r = RequestFor(call.arg<0>());
  if (r == nullptr || r->body_done || !call.has_result()) return;
  const int n = call.result();
  try {
    if (n > 0) {
      r->body_read += static_cast<uint64_t>(n);
      // One byte over the limit lets the parsers see, and count, the cut.
      const size_t limit = r->ctx.limits().max_body_bytes + 1;
      const size_t room = limit - std::min(limit, r->body.size());
      r->body.append(static_cast<const char*>(call.arg<1>()), std::min(room, static_cast<size_t>(n)));
    }
    const bool complete = n <= 0 || (r->content_length >= 0 &&
                                     r->body_read >= static_cast<uint64_t>(r->content_length));
    if (complete) {
      r->body_done = true;
      r->ctx.AddBody(r->content_type, r->body);
      std::string().swap(r->body);
    }
  } catch (...) {
    r->body_done = true;
    internal::CountInternalError();
  }
}

AttachmentGroup g_group;

}  // namespace

bool InstallCivetwebIntegration(std::string* error) {
  std::lock_guard<std::mutex> lock(g_group.mu());
  internal::SetHttpIntegrationsEnabled(true);
  if (g_group.installed()) return true;

  AttachOptions options;
  options.allow_pending = true;
  AttachmentGroup::Attempt attempt;
  auto keep = [&](StatusOr<Attachment> result) { attempt.Keep(std::move(result)); };
  auto zero = [](auto&) { return 0; };

  keep(AttachProlog<SetHandlerSig>("mg_set_request_handler", &WrapRegistration, options));
  keep(AttachEpilog<ReadSig>("mg_read", &CaptureBody, options));
  keep(AttachProlog<WriteSig>(
      "mg_write",
      OutputProlog<WriteSig, true>([](Call<WriteSig>& c) { return static_cast<int>(c.arg<2>()); }),
      options));
  keep(AttachProlog<ChunkSig>(
      "mg_send_chunk",
      OutputProlog<ChunkSig, true>([](Call<ChunkSig>& c) { return static_cast<int>(c.arg<2>()); }),
      options));
  keep(AttachProlog<OkSig>("mg_send_http_ok", OutputProlog<OkSig, true>(zero), options));
  keep(AttachProlog<RedirectSig>("mg_send_http_redirect", OutputProlog<RedirectSig, true>(zero),
                                 options));
  keep(AttachProlog<FileSig>("mg_send_file", OutputProlog<FileSig, true>(zero), options));
  keep(AttachProlog<FileBodySig>("mg_send_file_body", OutputProlog<FileBodySig, true>(zero), options));
  keep(AttachProlog<MimeFileSig>("mg_send_mime_file", OutputProlog<MimeFileSig, true>(zero), options));
  keep(AttachProlog<MimeFile2Sig>("mg_send_mime_file2", OutputProlog<MimeFile2Sig, true>(zero),
                                  options));
  keep(AttachProlog<HeaderStartSig>("mg_response_header_start",
                                    OutputProlog<HeaderStartSig, false>(zero), options));
  keep(AttachProlog<HeaderAddSig>("mg_response_header_add", OutputProlog<HeaderAddSig, false>(zero),
                                  options));
  keep(AttachProlog<HeaderLinesSig>("mg_response_header_add_lines",
                                    OutputProlog<HeaderLinesSig, false>(zero), options));
  keep(AttachProlog<HeaderSendSig>("mg_response_header_send", OutputProlog<HeaderSendSig, true>(zero),
                                   options));

  return g_group.Commit(std::move(attempt), "civetweb integration", error);
}

namespace internal {

void UninstallCivetweb() { g_group.DetachAll(); }

void LockCivetwebForFork() { g_group.LockForFork(g_routes_mu); }
void UnlockCivetwebAfterFork() { g_group.UnlockAfterFork(g_routes_mu); }

bool CivetwebCompiledIn() { return true; }

}  // namespace internal

#else  // !VIGIL_HAVE_CIVETWEB

bool InstallCivetwebIntegration(std::string* error) {
  if (error != nullptr) *error = "civetweb integration: the agent was built without <civetweb.h>";
  return false;
}

namespace internal {
void UninstallCivetweb() {}
void LockCivetwebForFork() {}
void UnlockCivetwebAfterFork() {}
bool CivetwebCompiledIn() { return false; }
}  // namespace internal

#endif  // VIGIL_HAVE_CIVETWEB

}  // namespace vigil::agent
