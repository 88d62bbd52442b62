// Copyright Vigil authors.
//
// The start-up of libvigil_agent.so: the agent starts with the process (a
// constructor, before main) and stops at exit (a destructor, which writes
// the queued events). Only this library has it; tests start the agent
// themselves. Also the few C entry points the library exports.
#include <cstddef>
#include <cstring>
#include <string>

#include "agent.h"
#include "agent_log.h"

namespace {

__attribute__((constructor)) void VigilAgentStartup() {
  try {
    std::string error;
    if (!vigil::agent::Agent::StartFromEnvironment(&error)) {
      // The one line the service's operators see: the service runs, unprotected.
      vigil::agent::LogError("agent not started: " + error);
    }
  } catch (...) {
    vigil::agent::LogError("agent not started: internal error");
  }
}

__attribute__((destructor)) void VigilAgentShutdown() { vigil::agent::Agent::Stop(); }

void CopyError(const std::string& error, char* out, size_t size) {
  if (out == nullptr || size == 0) return;
  const size_t n = error.size() < size - 1 ? error.size() : size - 1;
  std::memcpy(out, error.data(), n);
  out[n] = '\0';
}

}  // namespace

extern "C" {

// Reloads the ruleset (VIGIL_RULES, or the built-in one) now. Returns 0 on
// success; otherwise -1 with the reason in `error` (NUL-terminated, cut to
// `size`), and the ruleset in force stays.
__attribute__((visibility("default"))) int vigil_agent_reload_rules(char* error, size_t size) {
  try {
    vigil::agent::Agent* agent = vigil::agent::Agent::Current();
    if (agent == nullptr) {
      CopyError("the agent is not running", error, size);
      return -1;
    }
    std::string why;
    if (agent->ReloadRules(&why)) return 0;
    CopyError(why, error, size);
  } catch (...) {
    CopyError("internal error", error, size);
  }
  return -1;
}

// 1 if the agent is running (and not disabled), else 0.
__attribute__((visibility("default"))) int vigil_agent_running(void) {
  vigil::agent::Agent* agent = vigil::agent::Agent::Current();
  return agent != nullptr && !agent->config().disabled ? 1 : 0;
}

}  // extern "C"
