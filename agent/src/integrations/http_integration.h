// Copyright Vigil authors.
//
// What the HTTP framework integrations share: their settings (block page,
// trusted proxies, input limits), the switch that installs them, and the
// finishing of a blocked request's response.
//
// The agent calls, at start-up and after each configuration change:
//
//   HttpSettings http;
//   http.block.status = 403;
//   http.trusted_proxies = {"10.0.0.0/8"};
//   std::string error;
//   if (!SetHttpSettings(http, &error)) log(error);   // the last good ones stay
//   if (!InstallHttpIntegrations(&error)) log(error);
//
// Installing attaches *pending* hooks: the service's image registers its hook
// points after the agent starts, and the hooks arm then.
#ifndef VIGIL_AGENT_INTEGRATIONS_HTTP_INTEGRATION_H_
#define VIGIL_AGENT_INTEGRATIONS_HTTP_INTEGRATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "block_response.h"
#include "http_inputs.h"
#include "request_context.h"

namespace vigil::agent {

struct HttpSettings {
  BlockSettings block;
  // Peers whose X-Forwarded-For header is believed: addresses or CIDR
  // networks, IPv4 or IPv6 ("10.0.0.0/8", "::1", "2001:db8::/32").
  std::vector<std::string> trusted_proxies;
  RequestLimits limits;
};

// Validates and publishes `settings` for every request that starts from now
// on. On error returns false, sets *error (one line naming the field) and
// keeps the settings in force.
bool SetHttpSettings(const HttpSettings& settings, std::string* error);

// The settings as the integrations use them, proxies parsed.
struct ParsedHttpSettings {
  BlockSettings block;
  std::vector<IpNetwork> trusted_proxies;
  RequestLimits limits;
};

// The settings in force, as this thread sees them. Never blocks: a thread
// that finds them being replaced keeps its previous view for one more
// request. The reference stays valid until this thread calls it again.
const ParsedHttpSettings& CurrentHttpSettings();

// A blocked request's response, completed: a response with neither body nor
// location (a protection's ctx.Block({})) is rendered from the block settings
// for this request's Accept header and id.
BlockResponse CompletedBlockResponse(const RequestContext& ctx);

// Counters of rare events, for diagnostics and tests.
struct HttpIntegrationStats {
  uint64_t blocked = 0;           // requests answered with a block response
  uint64_t late_blocks = 0;       // blocked after the handler had sent output
  uint64_t unwrapped_handlers = 0;  // handlers left unprotected (table full, error)
  uint64_t internal_errors = 0;   // exceptions caught inside the integrations
};
HttpIntegrationStats GetHttpIntegrationStats();

// Attaches the hooks of the cpp-httplib integration (integrations/httplib.cc).
// Idempotent. False (with *error) if the hooks cannot be attached, or if the
// agent was built without cpp-httplib's header.
bool InstallHttplibIntegration(std::string* error);
// Same for civetweb (integrations/civetweb.cc).
bool InstallCivetwebIntegration(std::string* error);
// Both; *error lists what failed. Frameworks the agent was built without are
// not an error.
bool InstallHttpIntegrations(std::string* error);
// Detaches every integration hook (agent shutdown, tests). Handlers already
// wrapped keep their wrapper, which then only passes requests through.
void UninstallHttpIntegrations();

// fork(): the agent's prepare handler takes every lock of the integrations,
// so that a child never inherits one held by a thread that did not come
// along (a pre-forking server's children install and configure them too);
// the parent and child handlers release them.
void LockHttpIntegrationsForFork();
void UnlockHttpIntegrationsAfterFork();

namespace internal {
// Counters behind GetHttpIntegrationStats (relaxed atomics; rare events).
void CountBlocked();
void CountLateBlock();
void CountUnwrappedHandler();
void CountInternalError();
// True while the integrations are installed: wrappers already in place pass
// requests through unprotected once they are uninstalled.
bool HttpIntegrationsEnabled();
void SetHttpIntegrationsEnabled(bool enabled);
// Detach one integration's hooks (UninstallHttpIntegrations calls both).
void UninstallHttplib();
void UninstallCivetweb();
// One integration's locks, for LockHttpIntegrationsForFork.
void LockHttplibForFork();
void UnlockHttplibAfterFork();
void LockCivetwebForFork();
void UnlockCivetwebAfterFork();
// Whether the agent was built with the framework's header.
bool HttplibCompiledIn();
bool CivetwebCompiledIn();
}  // namespace internal

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_INTEGRATIONS_HTTP_INTEGRATION_H_
