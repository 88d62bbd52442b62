// Copyright Vigil authors.
//
// A simulated HTTP request for the protections' end-to-end tests: a
// RequestContext with one query input, made current on the calling thread
// for the object's lifetime, as the HTTP integrations do.
#ifndef VIGIL_AGENT_TESTS_FAKE_REQUEST_H_
#define VIGIL_AGENT_TESTS_FAKE_REQUEST_H_

#include <optional>
#include <string_view>

#include "request_context.h"

namespace vigil::agent::testing {

class FakeRequest {
 public:
  // A GET whose query parameter `name` is `value`.
  explicit FakeRequest(std::string_view value, std::string_view name = "name") {
    ctx.method = "GET";
    ctx.path = "/users";
    ctx.client_ip = "203.0.113.9";
    ctx.accept = "text/html";
    ctx.request_id = NewRequestId();
    ctx.AddInput(InputSource::kQuery, name, value);
    scope_.emplace(&ctx);
  }
  RequestContext ctx;

 private:
  std::optional<ScopedRequest> scope_;
};

}  // namespace vigil::agent::testing

#endif  // VIGIL_AGENT_TESTS_FAKE_REQUEST_H_
