// Copyright Vigil authors.
//
// The writer side of the hook engine: registered images, hook points,
// attachments, and publication of snapshots into slots. Every operation takes
// one mutex; the call path never does (it reads slots, see dispatch.cc).
//
// The registry is a leaked function-local static: images register from their
// constructors, possibly before our own static initialisers ran, and
// unregister from destructors, possibly after ours would have run.
#ifndef VIGIL_RUNTIME_REGISTRY_H_
#define VIGIL_RUNTIME_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "epoch.h"
#include "hook_point.h"
#include "meta_record.h"
#include "vigil/abi.h"
#include "vigil/hook.h"

namespace vigil::rt {

// One attachment: a pattern and the callbacks it installs.
struct AttachmentRec {
  uint64_t id = 0;
  uint64_t seq = 0;        // attach order, breaks priority ties
  std::string pattern;
  std::string signature;   // empty: untyped (C API)
  int priority = 0;
  uint32_t max_errors = kDefaultMaxErrors;
  Callback* callback = nullptr;  // nullptr once disabled
  bool disabled = false;
  uint64_t errors_at_disable = 0;
  std::vector<HookPoint*> hooks;  // where its callbacks are installed
};

class Registry {
 public:
  static Registry& Get();

  // vigil_register_image / vigil_unregister_image. Never throw.
  void RegisterImage(const vigil_site* begin, const vigil_site* end) noexcept;
  void UnregisterImage(const vigil_site* begin, const vigil_site* end) noexcept;

  StatusOr<Attachment> Attach(std::string_view pattern, const char* signature,
                              const internal::CallbackSpec& spec, const AttachOptions& options);
  Status Replace(Attachment a, const char* signature, const internal::CallbackSpec& spec);
  Status Detach(Attachment a);
  void DetachAll();

  std::vector<HookInfo> Find(std::string_view pattern);
  size_t Count(std::string_view pattern);
  StatusOr<HookStats> Stats(std::string_view pattern);
  StatusOr<AttachmentInfo> Describe(Attachment a);
  EngineStats Engine();
  size_t Reclaim();

  // From the call path, after a callback reached its error limit and was
  // marked disabled: unpublishes it now if the lock is free; else its next
  // failure retries, and the next write sweeps it anyway. Never blocks.
  void OnCallbackDisabled() noexcept;

 private:
  class WriteScope;
  class ReadScope;
  struct Image {
    const vigil_site* end = nullptr;
    int refs = 0;
    std::vector<std::pair<const vigil_site*, HookPoint*>> sites;
  };

  Registry();
  static void ForkPrepare();
  static void ForkParent();
  static void ForkChild();

  // All *Locked functions require mu_.
  HookPoint* FindOrCreateLocked(const MetaRecord& meta, bool* created);
  std::vector<HookPoint*> MatchLocked(std::string_view pattern) const;
  bool DefinitionLoadedLocked(const std::string& symbol) const;
  void StoreSlotsLocked(HookPoint* hp);
  Snapshot* BuildLocked(HookPoint* hp);                // may throw
  void InstallLocked(HookPoint* hp, Snapshot* fresh);  // needs Reserve(1)
  void PublishLocked(HookPoint* hp);                   // Build + Install
  void LinkLocked(AttachmentRec* rec, HookPoint* hp);
  void UnlinkAllLocked(AttachmentRec* rec);
  void SweepDisabledLocked();
  void FillInfoLocked(const HookPoint& hp, HookInfo* info) const;

  std::mutex mu_;
  Reclaimer reclaimer_;
  std::vector<std::unique_ptr<HookPoint>> hooks_;  // by index
  std::unordered_map<std::string, HookPoint*> by_key_;
  std::unordered_map<std::string, std::vector<HookPoint*>> by_symbol_;  // external linkage
  std::unordered_map<std::string, int> loaded_definitions_;  // symbol -> definition slots
  std::map<const vigil_site*, Image> images_;
  std::map<uint64_t, std::unique_ptr<AttachmentRec>> attachments_;
  uint64_t next_id_ = 1;
  uint64_t next_seq_ = 1;
  uint64_t bad_site_records_ = 0;
  std::atomic<bool> pending_disable_{false};
  std::atomic<uint64_t> reclaimed_{0};
};

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_REGISTRY_H_
