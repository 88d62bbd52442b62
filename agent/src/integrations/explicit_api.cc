// Copyright Vigil authors.
//
// vigil::RequestScope (include/vigil/agent.h): the explicit request API, for
// services built without the plugin or with frameworks Vigil does not wrap.

#include <strings.h>

#include <optional>
#include <string>

#include "integrations/http_integration.h"
#include "vigil/agent.h"

namespace vigil {

using agent::RequestContext;
using agent::ScopedRequest;

struct RequestScope::Impl {
  explicit Impl(const agent::RequestLimits& limits) : ctx(limits) {}

  RequestContext ctx;
  std::optional<ScopedRequest> current;  // makes ctx current on the creating thread
  mutable BlockedResponse response;      // rendered on first use
  mutable bool response_ready = false;
};

namespace {

void Fill(const RequestView& view, const agent::ParsedHttpSettings& settings, RequestContext& ctx) {
  ctx.framework = std::string(view.framework);
  ctx.request_id = agent::NewRequestId();
  ctx.method = std::string(view.method);
  ctx.path = std::string(view.path);
  ctx.route = std::string(view.route);
  std::string xff;
  std::string_view content_type;
  for (const HttpHeader& h : view.headers) {
    if (h.name.size() == 15 && strncasecmp(h.name.data(), "x-forwarded-for", 15) == 0) {
      if (!xff.empty()) xff += ',';
      xff += h.value;
    } else if (h.name.size() == 12 && strncasecmp(h.name.data(), "content-type", 12) == 0) {
      content_type = h.value;
    }
  }
  ctx.client_ip = agent::ClientIp(view.peer, xff, settings.trusted_proxies);
  // Parameters before headers: what max_inputs keeps is what attacks use most.
  ctx.AddQueryString(view.query, agent::InputSource::kQuery);
  ctx.AddBody(content_type, view.body);
  for (const HttpHeader& p : view.path_params) ctx.AddInput(agent::InputSource::kPath, p.name, p.value);
  for (const HttpHeader& h : view.headers) ctx.AddHeader(h.name, h.value);
}

const BlockedResponse& EmptyResponse() {
  static const BlockedResponse* empty = new BlockedResponse();  // never destroyed
  return *empty;
}

}  // namespace

RequestScope::RequestScope(const RequestView& request) noexcept : impl_(nullptr) {
  try {
    const agent::ParsedHttpSettings& settings = agent::CurrentHttpSettings();
    auto impl = std::make_unique<Impl>(settings.limits);
    Fill(request, settings, impl->ctx);
    impl->current.emplace(&impl->ctx, /*finish_at_end=*/false);
    impl_ = impl.release();
  } catch (...) {
    agent::internal::CountInternalError();  // inert scope: the request runs unprotected
  }
}

RequestScope::~RequestScope() {
  if (impl_ == nullptr) return;
  impl_->current.reset();
  if (impl_->ctx.blocked()) agent::internal::CountBlocked();
  agent::FinishRequest(impl_->ctx);
  delete impl_;
}

bool RequestScope::blocked() const noexcept { return impl_ != nullptr && impl_->ctx.blocked(); }

const BlockedResponse& RequestScope::response() const noexcept {
  if (impl_ == nullptr || !impl_->ctx.blocked()) return EmptyResponse();
  if (!impl_->response_ready) {
    try {
      agent::BlockResponse block = agent::CompletedBlockResponse(impl_->ctx);
      impl_->response.status = block.status;
      impl_->response.content_type = std::move(block.content_type);
      impl_->response.body = std::move(block.body);
      impl_->response.location = std::move(block.location);
    } catch (...) {
      impl_->response = BlockedResponse{403, "text/plain; charset=utf-8", "blocked", ""};
    }
    impl_->response_ready = true;
  }
  return impl_->response;
}

std::string_view RequestScope::request_id() const noexcept {
  return impl_ == nullptr ? std::string_view() : std::string_view(impl_->ctx.request_id);
}

void RequestScope::set_status(int status) noexcept {
  if (impl_ != nullptr) impl_->ctx.status = status;
}

void RequestScope::AddBody(std::string_view content_type, std::string_view body) noexcept {
  if (impl_ == nullptr) return;
  try {
    impl_->ctx.AddBody(content_type, body);
  } catch (...) {
    agent::internal::CountInternalError();
  }
}

void RequestScope::AddPathParams(std::span<const HttpHeader> params) noexcept {
  if (impl_ == nullptr) return;
  try {
    for (const HttpHeader& p : params) impl_->ctx.AddInput(agent::InputSource::kPath, p.name, p.value);
  } catch (...) {
    agent::internal::CountInternalError();
  }
}

RequestScope::Activation RequestScope::Activate() const noexcept {
  if (impl_ == nullptr) return Activation(nullptr);
  try {
    return Activation(new ScopedRequest(&impl_->ctx, /*finish_at_end=*/false));
  } catch (...) {
    return Activation(nullptr);
  }
}

RequestScope::Activation::Activation(Activation&& other) noexcept : state_(other.state_) {
  other.state_ = nullptr;
}

RequestScope::Activation::~Activation() { delete static_cast<ScopedRequest*>(state_); }

}  // namespace vigil
