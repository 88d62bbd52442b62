// Copyright Vigil authors.
//
// The exported functions of vigil/hook.h: thin forwarding to the registry.
#include "registry.h"
#include "thread_state.h"
#include "vigil/hook.h"

namespace vigil {

std::vector<HookInfo> FindHooks(std::string_view pattern) {
  return rt::Registry::Get().Find(pattern);
}

Status Detach(Attachment attachment) { return rt::Registry::Get().Detach(attachment); }

void DetachAll() { rt::Registry::Get().DetachAll(); }

StatusOr<AttachmentInfo> Describe(Attachment attachment) {
  return rt::Registry::Get().Describe(attachment);
}

StatusOr<HookStats> GetHookStats(std::string_view pattern) {
  return rt::Registry::Get().Stats(pattern);
}

EngineStats GetEngineStats() { return rt::Registry::Get().Engine(); }

size_t Reclaim() { return rt::Registry::Get().Reclaim(); }

namespace internal {

StatusOr<Attachment> AttachErased(std::string_view pattern, const char* signature,
                                  const CallbackSpec& spec, const AttachOptions& options) {
  return rt::Registry::Get().Attach(pattern, signature, spec, options);
}

Status ReplaceErased(Attachment attachment, const char* signature, const CallbackSpec& spec) {
  return rt::Registry::Get().Replace(attachment, signature, spec);
}

void SuppressHooks(int delta) { rt::t_state.gate -= delta * rt::kSuppressUnit; }

void SetPendingException(vigil_call* frame, std::exception_ptr e) {
  auto* fresh = new std::exception_ptr(std::move(e));
  ClearPendingException(frame);
  frame->exception = fresh;
}

void ClearPendingException(vigil_call* frame) {
  delete static_cast<std::exception_ptr*>(frame->exception);
  frame->exception = nullptr;
}

}  // namespace internal
}  // namespace vigil
