// Copyright Vigil authors.
//
// The settings store and the pieces every HTTP integration shares.

#include "integrations/http_integration.h"

#include <atomic>
#include <memory>
#include <mutex>

namespace vigil::agent {
namespace {

// Settings are read on every request and written rarely. Readers keep a
// per-thread copy of the shared pointer and refresh it when the version
// changes; the refresh only *tries* the lock, so a request never waits for a
// writer.
std::mutex g_settings_mu;
std::shared_ptr<const ParsedHttpSettings> g_settings;  // guarded by g_settings_mu
std::atomic<uint64_t> g_settings_version{0};

struct ThreadSettings {
  uint64_t version = 0;
  std::shared_ptr<const ParsedHttpSettings> settings;
};
thread_local ThreadSettings t_settings;

const ParsedHttpSettings& DefaultSettings() {
  static const ParsedHttpSettings* defaults = new ParsedHttpSettings();  // never destroyed
  return *defaults;
}

std::atomic<uint64_t> g_blocked{0};
std::atomic<uint64_t> g_late_blocks{0};
std::atomic<uint64_t> g_unwrapped{0};
std::atomic<uint64_t> g_internal_errors{0};
std::atomic<bool> g_enabled{false};

}  // namespace

bool SetHttpSettings(const HttpSettings& settings, std::string* error) {
  auto parsed = std::make_shared<ParsedHttpSettings>();
  std::string why;
  if (!ValidateBlockSettings(settings.block, &why)) {
    if (error != nullptr) *error = "http settings: " + why;
    return false;
  }
  parsed->block = settings.block;
  for (const std::string& text : settings.trusted_proxies) {
    IpNetwork net;
    if (!ParseIpNetwork(text, &net, &why)) {
      if (error != nullptr) *error = "http settings: trusted_proxies: " + why;
      return false;
    }
    parsed->trusted_proxies.push_back(net);
  }
  const RequestLimits& l = settings.limits;
  if (l.max_inputs == 0 || l.max_value_bytes == 0 || l.max_key_bytes == 0) {
    if (error != nullptr) *error = "http settings: limits: max_inputs, max_value_bytes and max_key_bytes must be > 0";
    return false;
  }
  parsed->limits = l;
  {
    std::lock_guard<std::mutex> lock(g_settings_mu);
    g_settings = std::move(parsed);
    g_settings_version.fetch_add(1, std::memory_order_release);
  }
  return true;
}

const ParsedHttpSettings& CurrentHttpSettings() {
  ThreadSettings& t = t_settings;
  const uint64_t version = g_settings_version.load(std::memory_order_acquire);
  if (t.version != version) {
    std::unique_lock<std::mutex> lock(g_settings_mu, std::try_to_lock);
    if (lock.owns_lock()) {
      t.settings = g_settings;
      t.version = g_settings_version.load(std::memory_order_relaxed);
    }
  }
  return t.settings ? *t.settings : DefaultSettings();
}

BlockResponse CompletedBlockResponse(const RequestContext& ctx) {
  const BlockResponse& given = ctx.block_response();
  if (!given.body.empty() || !given.location.empty()) {
    BlockResponse response = given;
    if (response.content_type.empty()) response.content_type = "text/plain; charset=utf-8";
    if (response.status < 100 || response.status > 599) response.status = 403;
    return response;
  }
  return MakeBlockResponse(CurrentHttpSettings().block, ctx.accept, ctx.request_id);
}

HttpIntegrationStats GetHttpIntegrationStats() {
  HttpIntegrationStats stats;
  stats.blocked = g_blocked.load(std::memory_order_relaxed);
  stats.late_blocks = g_late_blocks.load(std::memory_order_relaxed);
  stats.unwrapped_handlers = g_unwrapped.load(std::memory_order_relaxed);
  stats.internal_errors = g_internal_errors.load(std::memory_order_relaxed);
  return stats;
}

bool InstallHttpIntegrations(std::string* error) {
  std::string httplib_error, civetweb_error;
  const bool httplib_ok =
      !internal::HttplibCompiledIn() || InstallHttplibIntegration(&httplib_error);
  const bool civetweb_ok =
      !internal::CivetwebCompiledIn() || InstallCivetwebIntegration(&civetweb_error);
  if (httplib_ok && civetweb_ok) return true;
  if (error != nullptr) {
    error->clear();
    if (!httplib_ok) *error += httplib_error;
    if (!civetweb_ok) *error += (error->empty() ? "" : "; ") + civetweb_error;
  }
  return false;
}

void UninstallHttpIntegrations() {
  internal::SetHttpIntegrationsEnabled(false);
  internal::UninstallHttplib();
  internal::UninstallCivetweb();
}

void LockHttpIntegrationsForFork() {
  internal::LockHttplibForFork();
  internal::LockCivetwebForFork();
  g_settings_mu.lock();
}

void UnlockHttpIntegrationsAfterFork() {
  g_settings_mu.unlock();
  internal::UnlockCivetwebAfterFork();
  internal::UnlockHttplibAfterFork();
}

namespace internal {
void CountBlocked() { g_blocked.fetch_add(1, std::memory_order_relaxed); }
void CountLateBlock() { g_late_blocks.fetch_add(1, std::memory_order_relaxed); }
void CountUnwrappedHandler() { g_unwrapped.fetch_add(1, std::memory_order_relaxed); }
void CountInternalError() { g_internal_errors.fetch_add(1, std::memory_order_relaxed); }
bool HttpIntegrationsEnabled() { return g_enabled.load(std::memory_order_relaxed); }
void SetHttpIntegrationsEnabled(bool enabled) { g_enabled.store(enabled, std::memory_order_relaxed); }
}  // namespace internal

}  // namespace vigil::agent
