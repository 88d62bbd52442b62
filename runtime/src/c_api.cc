// Copyright Vigil authors.
//
// The C API (vigil/vigil.h). Callbacks attached here are "untyped": every
// access to arguments and results is checked against the hook point's
// metadata instead of its C++ type.
#include <cstring>
#include <string>

#include "hook_point.h"
#include "registry.h"
#include "vigil/hook.h"
#include "vigil/vigil.h"

namespace {

using vigil::rt::HookPoint;

std::string& LastError() {
  thread_local std::string error;
  return error;
}

vigil_status Report(const vigil::Status& status) {
  LastError() = status.message();
  return static_cast<vigil_status>(status.code());
}

vigil_status Fail(vigil_status code, const char* message) {
  LastError() = message;
  return code;
}

const HookPoint& HookOf(const vigil_call* call) {
  return *static_cast<const HookPoint*>(call->hook);
}

bool ReturnsVoid(const HookPoint& hp) {
  return (hp.flags & VIGIL_META_RETURNS_VOID) != 0 || hp.ret_size == 0;
}

}  // namespace

extern "C" {

vigil_status vigil_attach(const char* pattern, const vigil_callbacks* callbacks,
                          vigil_attachment* out) {
  if (pattern == nullptr || callbacks == nullptr || out == nullptr) {
    return Fail(VIGIL_ERR_INVALID_ARGUMENT, "vigil_attach: NULL argument");
  }
  vigil::internal::CallbackSpec spec;
  spec.prolog = callbacks->prolog;
  spec.epilog = callbacks->epilog;
  spec.user = callbacks->user_data;
  spec.destroy = callbacks->destroy;
  vigil::AttachOptions options;
  options.priority = callbacks->priority;
  options.max_errors = callbacks->max_errors;
  options.allow_pending = callbacks->allow_pending != 0;
  auto result = vigil::rt::Registry::Get().Attach(pattern, nullptr, spec, options);
  if (!result.ok()) return Report(result.status());
  *out = result->id();
  LastError().clear();
  return VIGIL_OK;
}

vigil_status vigil_detach(vigil_attachment attachment) {
  vigil::Status s = vigil::rt::Registry::Get().Detach(vigil::Attachment(attachment));
  if (!s.ok()) return Report(s);
  return VIGIL_OK;
}

void vigil_detach_all(void) { vigil::rt::Registry::Get().DetachAll(); }

const char* vigil_last_error(void) { return LastError().c_str(); }

size_t vigil_call_arg_count(const vigil_call* call) { return HookOf(call).arg_count; }

void* vigil_call_arg(const vigil_call* call, size_t i) {
  if (i >= HookOf(call).arg_count) return nullptr;
  return call->argv[i];
}

size_t vigil_call_result_size(const vigil_call* call) {
  const HookPoint& hp = HookOf(call);
  return ReturnsVoid(hp) ? 0 : hp.ret_size;
}

void* vigil_call_result(const vigil_call* call) {
  bool has_value = call->returned || (call->aborted && call->exception == nullptr);
  if (ReturnsVoid(HookOf(call)) || !has_value) return nullptr;
  return call->ret;
}

vigil_status vigil_call_abort(vigil_call* call, const void* value, size_t size) {
  if (call->in_epilog) {
    return Fail(VIGIL_ERR_FAILED_PRECONDITION,
                "vigil_call_abort: the call already ran (use vigil_call_set_result in an epilog)");
  }
  if ((call->hook_flags & vigil::internal::kHookConstructor) != 0) {
    return Fail(VIGIL_ERR_FAILED_PRECONDITION,
                "vigil_call_abort: a constructor cannot be aborted (the object would not exist)");
  }
  size_t want = vigil_call_result_size(call);
  if (size != want || (want != 0 && value == nullptr)) {
    LastError() = "vigil_call_abort: " + HookOf(call).name + " returns " +
                  std::to_string(want) + " bytes, " + std::to_string(size) + " given";
    return VIGIL_ERR_INVALID_ARGUMENT;
  }
  if (want != 0) std::memcpy(call->ret, value, want);
  if (call->exception != nullptr) vigil::internal::ClearPendingException(call);
  call->aborted = true;
  return VIGIL_OK;
}

vigil_status vigil_call_set_result(vigil_call* call, const void* value, size_t size) {
  size_t want = vigil_call_result_size(call);
  if (!call->in_epilog || want == 0 || call->exception != nullptr) {
    return Fail(VIGIL_ERR_FAILED_PRECONDITION,
                "vigil_call_set_result: only from an epilog of a non-void function "
                "whose call has a result");
  }
  if (size != want || value == nullptr) {
    LastError() = "vigil_call_set_result: " + HookOf(call).name + " returns " +
                  std::to_string(want) + " bytes, " + std::to_string(size) + " given";
    return VIGIL_ERR_INVALID_ARGUMENT;
  }
  std::memcpy(call->ret, value, want);
  return VIGIL_OK;
}

int vigil_call_aborted(const vigil_call* call) { return call->aborted ? 1 : 0; }

const char* vigil_call_hook_name(const vigil_call* call) { return HookOf(call).name.c_str(); }

const char* vigil_call_hook_symbol(const vigil_call* call) {
  return HookOf(call).symbol.c_str();
}

vigil_status vigil_hook_stats_get(const char* pattern, vigil_hook_stats* out) {
  if (pattern == nullptr || out == nullptr) {
    return Fail(VIGIL_ERR_INVALID_ARGUMENT, "vigil_hook_stats_get: NULL argument");
  }
  auto stats = vigil::rt::Registry::Get().Stats(pattern);
  if (!stats.ok()) return Report(stats.status());
  out->calls = stats->calls;
  out->aborts = stats->aborts;
  out->callback_errors = stats->callback_errors;
  out->sampled_calls = stats->sampled_calls;
  out->callback_ns = stats->EstimatedCallbackNs();
  return VIGIL_OK;
}

size_t vigil_hook_count(const char* pattern) {
  return vigil::rt::Registry::Get().Count(pattern == nullptr ? "" : pattern);
}

}  // extern "C"
