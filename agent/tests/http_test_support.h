// Copyright Vigil authors.
//
// Shared by the HTTP end-to-end tests: a request sink that keeps what the
// agent reports, and a stand-in protection that blocks database calls whose
// statement contains "attack" (the way the SQL protection blocks an
// injection: it marks the request blocked and fails the call).
#ifndef VIGIL_AGENT_TESTS_HTTP_TEST_SUPPORT_H_
#define VIGIL_AGENT_TESTS_HTTP_TEST_SUPPORT_H_

#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "integrations/http_integration.h"
#include "request_context.h"
#include "vigil/hook.h"

namespace vigil::agent::testing {

using Inputs = std::vector<std::pair<std::string, std::string>>;

inline Inputs InputsOf(const RequestContext& ctx) {
  Inputs out;
  for (const RequestInput& in : ctx.inputs()) out.emplace_back(in.key, in.value);
  return out;
}

// A finished request as the sink saw it.
struct Finished {
  std::string method, path, route, client_ip, request_id, framework, accept;
  int status = 0;
  bool blocked = false;
  uint64_t truncated = 0;
  Inputs inputs;
};

// Everything the agent reported, and what the protection saw at each call.
class HttpTestLog {
 public:
  static void Sink(RequestContext& ctx) {
    Finished f{ctx.method, ctx.path, ctx.route, ctx.client_ip, ctx.request_id, ctx.framework,
               ctx.accept, ctx.status, ctx.blocked(), ctx.truncated(), InputsOf(ctx)};
    std::lock_guard<std::mutex> lock(mu());
    finished().push_back(std::move(f));
  }

  static void RecordSeen(const RequestContext& ctx) {
    std::lock_guard<std::mutex> lock(mu());
    seen()[ctx.path] = InputsOf(ctx);
  }

  static void Clear() {
    std::lock_guard<std::mutex> lock(mu());
    finished().clear();
    seen().clear();
  }

  // The last finished request for `path` (with input `key` = `value`, when
  // given: a request of an earlier test may be reported late); waits for it
  // a little, since some integrations report after the response was sent.
  static std::optional<Finished> WaitFinished(const std::string& path, const std::string& key = "",
                                              const std::string& value = "") {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mu());
        for (auto it = finished().rbegin(); it != finished().rend(); ++it) {
          if (it->path != path) continue;
          if (key.empty()) return *it;
          for (const auto& [k, v] : it->inputs) {
            if (k == key && v == value) return *it;
          }
        }
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  static size_t FinishedCount(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu());
    size_t n = 0;
    for (const Finished& f : finished()) n += f.path == path;
    return n;
  }

  // What the protection saw for the last database call made for `path`.
  static Inputs Seen(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu());
    auto it = seen().find(path);
    return it == seen().end() ? Inputs() : it->second;
  }
  static bool CalledWithoutRequest() { return without_request(); }
  static void SetCalledWithoutRequest() { without_request() = true; }

 private:
  static std::mutex& mu() {
    static std::mutex m;
    return m;
  }
  static std::vector<Finished>& finished() {
    static std::vector<Finished> v;
    return v;
  }
  static std::map<std::string, Inputs>& seen() {
    static std::map<std::string, Inputs> m;
    return m;
  }
  static bool& without_request() {
    static bool b = false;
    return b;
  }
};

// Attaches the stand-in protection to `int name(const char* sql)`.
inline StatusOr<Attachment> AttachTestProtection(const char* name) {
  using DbSig = int(const char*);
  return AttachProlog<DbSig>(name, [](Call<DbSig>& call) {
    RequestContext* ctx = CurrentRequest();
    if (ctx == nullptr) {
      HttpTestLog::SetCalledWithoutRequest();
      return;
    }
    HttpTestLog::RecordSeen(*ctx);
    const char* sql = call.arg<0>();
    if (sql != nullptr && std::strstr(sql, "attack") != nullptr) {
      ctx->Block({});  // the integration renders the configured block page
      call.Abort(-1);  // the driver's error value
    }
  });
}

// What every integration test suite does first: finished requests go to
// HttpTestLog, the integration is installed with the default HTTP settings,
// and the stand-in protection watches `protected_function`.
inline StatusOr<Attachment> InstallIntegrationForTest(bool (*install)(std::string*),
                                                      const char* protected_function) {
  SetRequestSink(&HttpTestLog::Sink);
  std::string error;
  if (!SetHttpSettings(HttpSettings{}, &error) || !install(&error)) {
    return Status(StatusCode::kFailedPrecondition, error);
  }
  return AttachTestProtection(protected_function);
}

}  // namespace vigil::agent::testing

#endif  // VIGIL_AGENT_TESTS_HTTP_TEST_SUPPORT_H_
