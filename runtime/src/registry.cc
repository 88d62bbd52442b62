// Copyright Vigil authors.
#include "registry.h"

#include <pthread.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>

#include "cycle_clock.h"
#include "glob.h"
#include "signature.h"
#include "thread_state.h"

namespace vigil::rt {
namespace {

constexpr uint32_t kSiteMagicVersion = VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION;
// A metadata record larger than this is taken as corrupt rather than read.
constexpr uint32_t kMaxMetaRecordSize = 1u << 20;

// Hook points are keyed by what makes them "the same function": the symbol
// and exact type for external linkage (so an inline function or a call-site
// wrapper present in several images is one hook point), plus the source
// location for internal linkage (a `static` function per TU, or the same
// `static inline` function from a header, which is one function to a user).
std::string HookKey(const MetaRecord& m) {
  std::string key;
  bool internal = (m.flags & VIGIL_META_INTERNAL) != 0;
  key += internal ? 'I' : 'E';
  key.append(m.symbol).push_back('\0');
  key.append(m.signature);
  if (internal) {
    key.push_back('\0');
    key.append(m.file).push_back('\0');
    key.append(std::to_string(m.line));
  }
  return key;
}

bool Matches(std::string_view pattern, const HookPoint& hp) {
  return GlobMatch(pattern, hp.name) || GlobMatch(pattern, hp.symbol);
}

std::string TypeForPeople(const HookPoint& hp) {
  std::string s = hp.display.empty() ? DemangleType(hp.signature) : hp.display;
  return s + " [" + hp.signature + "]";
}

std::string TypeForPeople(std::string_view signature) {
  return DemangleType(signature) + " [" + std::string(signature) + "]";
}

uint32_t NormalizeMaxErrors(uint32_t n) { return n == 0 ? kDefaultMaxErrors : n; }

std::vector<std::string> SplitParams(const HookPoint& hp) {
  std::vector<std::string> names;
  if (hp.arg_count == 0) return names;
  std::string_view rest = hp.params;
  while (true) {
    size_t comma = rest.find(',');
    names.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return names;
}

Status OutOfMemory() { return Status(StatusCode::kInternal, "vigil: out of memory; nothing changed"); }

}  // namespace

// Holds the registry mutex for one write. On the way out it advances the epoch
// and frees what no reader can hold any more; the frees run after unlocking,
// since they run user destructors, which may call back into Vigil.
class Registry::WriteScope {
 public:
  explicit WriteScope(Registry& r, size_t* freed = nullptr)
      : r_(r), lock_(r.mu_), freed_(freed) {
    r_.SweepDisabledLocked();
  }
  WriteScope(Registry& r, std::try_to_lock_t) : r_(r), lock_(r.mu_, std::try_to_lock) {
    if (lock_.owns_lock()) r_.SweepDisabledLocked();
  }
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  ~WriteScope() {
    if (!lock_.owns_lock()) return;
    std::vector<Reclaimer::Item> garbage;
    try {
      r_.SweepDisabledLocked();  // a callback may have failed meanwhile
      r_.reclaimer_.Advance();
      r_.reclaimer_.Collect(&garbage);
    } catch (...) {
      // Out of memory while collecting: the items stay retired, freed later.
    }
    lock_.unlock();
    for (const Reclaimer::Item& item : garbage) item.free_fn(item.object);
    r_.reclaimed_.fetch_add(garbage.size(), std::memory_order_relaxed);
    if (freed_ != nullptr) *freed_ = garbage.size();
  }

 private:
  QuietScope quiet_;  // first: no callback runs on a thread holding mu_
  Registry& r_;
  std::unique_lock<std::mutex> lock_;
  size_t* freed_ = nullptr;
};

// Holds the registry mutex to read.
class Registry::ReadScope {
 public:
  explicit ReadScope(Registry& r) : lock_(r.mu_) {}

 private:
  QuietScope quiet_;
  std::lock_guard<std::mutex> lock_;
};

Registry& Registry::Get() {
  // Leaked on purpose: image destructors may unregister after static
  // destruction, and a running call may still reach hook points.
  static Registry* const registry = new Registry();
  return *registry;
}

Registry::Registry() {
  Reclaimer::Init();
  InitCycleClock();  // before any slot is armed: sampled calls read it
  pthread_atfork(&Registry::ForkPrepare, &Registry::ForkParent, &Registry::ForkChild);
}

// A child forked while another thread held mu_ would deadlock on its first
// attach (pre-forking servers attach in the children), so fork waits for it.
void Registry::ForkPrepare() {
  t_state.gate -= kSuppressUnit;
  Get().mu_.lock();
}
void Registry::ForkParent() {
  Get().mu_.unlock();
  t_state.gate += kSuppressUnit;
}
void Registry::ForkChild() {
  Reclaimer::AfterForkInChild();
  Get().mu_.unlock();
  t_state.gate += kSuppressUnit;
}

// --- Images -----------------------------------------------------------------

void Registry::RegisterImage(const vigil_site* begin, const vigil_site* end) noexcept {
  if (begin == nullptr || end == nullptr || end <= begin) return;
  try {
    WriteScope w(*this);
    auto existing = images_.find(begin);
    if (existing != images_.end()) {
      ++existing->second.refs;
      return;
    }
    Image image;
    image.end = end;
    image.refs = 1;
    std::vector<HookPoint*> touched;
    std::vector<HookPoint*> fresh;
    std::vector<std::string> newly_defined;

    // Records are 32 bytes, 8-aligned; the linker may pad between input
    // sections with zeros, so a zero word is skipped 8 bytes at a time.
    const char* p = reinterpret_cast<const char*>(begin);
    const char* const stop = reinterpret_cast<const char*>(end);
    while (p + sizeof(vigil_site) <= stop) {
      const auto* site = reinterpret_cast<const vigil_site*>(p);
      if (site->magic_version == 0) {
        p += 8;
        continue;
      }
      if (site->magic_version != kSiteMagicVersion) {
        ++bad_site_records_;  // unknown layout: the rest cannot be walked
        break;
      }
      p += sizeof(vigil_site);
      if ((site->kind != VIGIL_KIND_DEFINITION && site->kind != VIGIL_KIND_CALL_SITE) ||
          site->slot == nullptr || site->meta == nullptr) {
        ++bad_site_records_;
        continue;
      }
      const auto* meta = reinterpret_cast<const uint8_t*>(site->meta);
      uint32_t meta_size = 0;
      std::memcpy(&meta_size, meta + offsetof(vigil_meta_header, size), sizeof meta_size);
      MetaRecord record;
      size_t used = 0;
      std::string error;
      if (meta_size > kMaxMetaRecordSize ||
          !DecodeMetaRecord(meta, meta_size, &record, &used, &error) ||
          record.kind != site->kind) {
        ++bad_site_records_;
        continue;
      }
      bool created = false;
      HookPoint* hp = FindOrCreateLocked(record, &created);
      if (created) fresh.push_back(hp);
      touched.push_back(hp);
      if (site->kind == VIGIL_KIND_DEFINITION) {
        hp->definition_sites.push_back(site);
        if (!hp->internal() && loaded_definitions_[hp->symbol]++ == 0) {
          newly_defined.push_back(hp->symbol);
        }
      } else {
        hp->call_sites.push_back(site);
      }
      image.sites.emplace_back(site, hp);
    }
    images_.emplace(begin, std::move(image));

    // Attachments made by pattern (or pending on an exact name) cover hook
    // points that appear later.
    std::vector<HookPoint*> republish;
    for (HookPoint* hp : fresh) {
      bool linked = false;
      for (auto& [id, rec] : attachments_) {
        if (rec->disabled || !Matches(rec->pattern, *hp)) continue;
        if (!rec->signature.empty() && !SignaturesMatch(rec->signature, hp->signature)) continue;
        LinkLocked(rec.get(), hp);
        linked = true;
      }
      if (linked) republish.push_back(hp);
    }
    for (HookPoint* hp : republish) PublishLocked(hp);
    // New slots get the current snapshot (existing hook points keep theirs).
    for (HookPoint* hp : touched) StoreSlotsLocked(hp);
    // A definition now loaded disarms the call-site slots of its symbol.
    for (const std::string& symbol : newly_defined) {
      for (HookPoint* hp : by_symbol_[symbol]) StoreSlotsLocked(hp);
    }
  } catch (...) {
    // Out of memory: the image (or part of it) stays unhooked. Never throw
    // into an image constructor.
  }
}

void Registry::UnregisterImage(const vigil_site* begin, const vigil_site* end) noexcept {
  (void)end;
  try {
    WriteScope w(*this);
    auto it = images_.find(begin);
    if (it == images_.end() || --it->second.refs > 0) return;
    std::vector<std::string> undefined;
    // The image's slots are about to be unmapped: never write them again.
    for (auto& [site, hp] : it->second.sites) {
      auto& list = site->kind == VIGIL_KIND_DEFINITION ? hp->definition_sites : hp->call_sites;
      list.erase(std::remove(list.begin(), list.end(), site), list.end());
      if (site->kind == VIGIL_KIND_DEFINITION && !hp->internal() &&
          --loaded_definitions_[hp->symbol] == 0) {
        loaded_definitions_.erase(hp->symbol);
        undefined.push_back(hp->symbol);
      }
    }
    images_.erase(it);
    // The last definition is gone: call sites of its symbol are armed again.
    for (const std::string& symbol : undefined) {
      for (HookPoint* hp : by_symbol_[symbol]) StoreSlotsLocked(hp);
    }
  } catch (...) {
  }
}

HookPoint* Registry::FindOrCreateLocked(const MetaRecord& m, bool* created) {
  std::string key = HookKey(m);
  auto it = by_key_.find(key);
  if (it != by_key_.end()) {
    *created = false;
    return it->second;
  }
  auto hp = std::make_unique<HookPoint>();
  hp->index = static_cast<uint32_t>(hooks_.size());
  hp->name = m.name;
  hp->symbol = m.symbol;
  hp->signature = m.signature;
  hp->display = m.display;
  hp->params = m.params;
  hp->file = m.file;
  hp->line = m.line;
  hp->flags = m.flags;
  hp->ret_size = m.ret_size;
  hp->arg_count = m.arg_count;
  hp->first_kind = m.kind;
  if (IsConstructorName(hp->name)) hp->frame_flags |= internal::kHookConstructor;
  if ((m.flags & (VIGIL_META_NOEXCEPT | VIGIL_META_C_LINKAGE)) != 0) {
    hp->frame_flags |= internal::kHookNoThrow;
  }
  HookPoint* raw = hp.get();
  hooks_.reserve(hooks_.size() + 1);
  by_key_.emplace(std::move(key), raw);
  if (!raw->internal()) by_symbol_[raw->symbol].push_back(raw);
  hooks_.push_back(std::move(hp));
  *created = true;
  return raw;
}

// --- Publication --------------------------------------------------------------

bool Registry::DefinitionLoadedLocked(const std::string& symbol) const {
  auto it = loaded_definitions_.find(symbol);
  return it != loaded_definitions_.end() && it->second > 0;
}

void Registry::StoreSlotsLocked(HookPoint* hp) {
  void* value = SlotValue(hp->current);
  // A call-site slot stays unarmed while a definition of the same symbol is
  // loaded anywhere: the call reaches the definition's hook point, and arming
  // both would run every callback twice.
  void* call_value = (!hp->internal() && DefinitionLoadedLocked(hp->symbol)) ? nullptr : value;
  for (const vigil_site* s : hp->definition_sites) {
    if (LoadSlot(s->slot) != value) StoreSlot(s->slot, value);
  }
  for (const vigil_site* s : hp->call_sites) {
    if (LoadSlot(s->slot) != call_value) StoreSlot(s->slot, call_value);
  }
}

Snapshot* Registry::BuildLocked(HookPoint* hp) {
  std::vector<Entry> entries;
  entries.reserve(hp->attachments.size());
  for (AttachmentRec* rec : hp->attachments) {
    Callback* cb = rec->callback;
    if (cb == nullptr || cb->disabled.load(std::memory_order_relaxed)) continue;
    entries.push_back(Entry{cb->prolog, cb->epilog, cb->user, cb});
  }
  return Snapshot::Create(hp, hp->index, hp->frame_flags, entries);
}

void Registry::InstallLocked(HookPoint* hp, Snapshot* fresh) {
  Snapshot* old = hp->current;
  hp->current = fresh;
  StoreSlotsLocked(hp);
  if (old != nullptr) reclaimer_.Retire(old, &Snapshot::Free);
}

void Registry::PublishLocked(HookPoint* hp) {
  reclaimer_.Reserve(1);
  InstallLocked(hp, BuildLocked(hp));
}

void Registry::LinkLocked(AttachmentRec* rec, HookPoint* hp) {
  auto& list = hp->attachments;
  auto pos = std::upper_bound(list.begin(), list.end(), rec,
                              [](const AttachmentRec* a, const AttachmentRec* b) {
                                if (a->priority != b->priority) return a->priority < b->priority;
                                return a->seq < b->seq;
                              });
  list.insert(pos, rec);
  rec->hooks.push_back(hp);
}

void Registry::UnlinkAllLocked(AttachmentRec* rec) {
  for (HookPoint* hp : rec->hooks) {
    auto& list = hp->attachments;
    list.erase(std::remove(list.begin(), list.end(), rec), list.end());
    PublishLocked(hp);
  }
  rec->hooks.clear();
  // Retired after every snapshot that referenced it, so it outlives them.
  if (rec->callback != nullptr) {
    reclaimer_.Retire(rec->callback, &Callback::Free);
    rec->callback = nullptr;
  }
}

void Registry::SweepDisabledLocked() {
  if (!pending_disable_.exchange(false, std::memory_order_acq_rel)) return;
  for (auto& [id, rec] : attachments_) {
    Callback* cb = rec->callback;
    if (cb == nullptr || !cb->disabled.load(std::memory_order_acquire)) continue;
    rec->disabled = true;
    rec->errors_at_disable = cb->errors.load(std::memory_order_relaxed);
    UnlinkAllLocked(rec.get());
  }
}

void Registry::OnCallbackDisabled() noexcept {
  pending_disable_.store(true, std::memory_order_release);
  try {
    WriteScope w(*this, std::try_to_lock);  // sweeps if it got the lock
  } catch (...) {
  }
}

// --- Attachments ----------------------------------------------------------------

std::vector<HookPoint*> Registry::MatchLocked(std::string_view pattern) const {
  std::vector<HookPoint*> out;
  for (const auto& hp : hooks_) {
    if (pattern.empty() || pattern == "*" || Matches(pattern, *hp)) out.push_back(hp.get());
  }
  return out;
}

StatusOr<Attachment> Registry::Attach(std::string_view pattern, const char* signature,
                                      const internal::CallbackSpec& spec,
                                      const AttachOptions& options) {
  if (pattern.empty()) {
    return Status(StatusCode::kInvalidArgument, "vigil: empty hook-point pattern");
  }
  if (spec.prolog == nullptr && spec.epilog == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "vigil: nothing to attach to '" + std::string(pattern) +
                      "': neither a prolog nor an epilog");
  }
  AttachmentRec* rec = nullptr;
  try {
    WriteScope w(*this);
    std::vector<HookPoint*> matches = MatchLocked(pattern);
    if (signature != nullptr) {
      std::vector<HookPoint*> wrong;
      for (HookPoint* hp : matches) {
        if (!SignaturesMatch(signature, hp->signature)) wrong.push_back(hp);
      }
      if (!wrong.empty()) {
        std::string msg = "vigil: type mismatch attaching to '" + wrong[0]->name +
                          "': the hook point's type is " + TypeForPeople(*wrong[0]) +
                          ", the callback's is " + TypeForPeople(signature);
        if (wrong.size() > 1) {
          msg += " (and " + std::to_string(wrong.size() - 1) + " more hook points matching '" +
                 std::string(pattern) + "' differ)";
        }
        return Status(StatusCode::kTypeMismatch, msg + "; nothing attached");
      }
    }
    if (matches.empty() && !options.allow_pending) {
      return Status(StatusCode::kNotFound,
                    "vigil: no hook point matches '" + std::string(pattern) + "' (" +
                        std::to_string(hooks_.size()) +
                        " known); nothing attached (allow_pending attaches it when an image "
                        "providing it is loaded)");
    }
    auto owned = std::make_unique<AttachmentRec>();
    owned->id = next_id_++;
    owned->seq = next_seq_++;
    owned->pattern = std::string(pattern);
    owned->signature = signature != nullptr ? signature : "";
    owned->priority = options.priority;
    owned->max_errors = NormalizeMaxErrors(options.max_errors);
    owned->hooks.reserve(matches.size());
    auto cb = std::make_unique<Callback>();
    cb->prolog = spec.prolog;
    cb->epilog = spec.epilog;
    cb->user = spec.user;
    cb->destroy = spec.destroy;
    cb->max_errors = owned->max_errors;
    rec = owned.get();
    attachments_.emplace(rec->id, std::move(owned));
    rec->callback = cb.release();
    for (HookPoint* hp : matches) {
      LinkLocked(rec, hp);
      PublishLocked(hp);
    }
    return Attachment(rec->id);
  } catch (...) {
    if (rec != nullptr) {
      // Half attached: undo, leaving the user object to the caller as promised.
      try {
        WriteScope w(*this);
        if (rec->callback != nullptr) rec->callback->destroy = nullptr;
        UnlinkAllLocked(rec);
        attachments_.erase(rec->id);
      } catch (...) {
      }
    }
    return OutOfMemory();
  }
}

Status Registry::Replace(Attachment a, const char* signature, const internal::CallbackSpec& spec) {
  if (spec.prolog == nullptr && spec.epilog == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "vigil: nothing to replace with: neither a prolog nor an epilog");
  }
  try {
    WriteScope w(*this);
    auto it = attachments_.find(a.id());
    if (it == attachments_.end()) {
      return Status(StatusCode::kNotFound,
                    "vigil: no attachment #" + std::to_string(a.id()) + " to replace");
    }
    AttachmentRec* rec = it->second.get();
    bool typed = signature != nullptr;
    if (typed != !rec->signature.empty() ||
        (typed && !SignaturesMatch(signature, rec->signature))) {
      std::string was = rec->signature.empty() ? "untyped (C) callbacks" : TypeForPeople(rec->signature);
      std::string now = typed ? TypeForPeople(signature) : "untyped (C) callbacks";
      return Status(StatusCode::kTypeMismatch, "vigil: type mismatch replacing attachment #" +
                                                   std::to_string(a.id()) + " ('" + rec->pattern +
                                                   "'): it was made for " + was +
                                                   ", the new callbacks are for " + now);
    }
    if (rec->disabled) {
      return Status(StatusCode::kFailedPrecondition,
                    "vigil: attachment #" + std::to_string(a.id()) + " was disabled after " +
                        std::to_string(rec->errors_at_disable) +
                        " callback errors; detach it and attach again");
    }
    auto cb = std::make_unique<Callback>();
    cb->prolog = spec.prolog;
    cb->epilog = spec.epilog;
    cb->user = spec.user;
    cb->destroy = spec.destroy;
    cb->max_errors = rec->max_errors;
    // Build every new snapshot first, so that a failure changes nothing and
    // leaves spec.user with the caller; installing them cannot fail.
    Callback* old = rec->callback;
    std::vector<Snapshot*> built;
    try {
      built.reserve(rec->hooks.size());
      reclaimer_.Reserve(rec->hooks.size() + 1);
      rec->callback = cb.get();
      for (HookPoint* hp : rec->hooks) built.push_back(BuildLocked(hp));
    } catch (...) {
      rec->callback = old;
      for (Snapshot* s : built) Snapshot::Free(s);
      throw;
    }
    cb.release();
    for (size_t i = 0; i < built.size(); ++i) InstallLocked(rec->hooks[i], built[i]);
    if (old != nullptr) reclaimer_.Retire(old, &Callback::Free);
    return Status();
  } catch (...) {
    return OutOfMemory();
  }
}

Status Registry::Detach(Attachment a) {
  try {
    WriteScope w(*this);
    auto it = attachments_.find(a.id());
    if (it == attachments_.end()) {
      return Status(StatusCode::kNotFound,
                    "vigil: no attachment #" + std::to_string(a.id()) + " to detach");
    }
    UnlinkAllLocked(it->second.get());
    attachments_.erase(it);
    return Status();
  } catch (...) {
    return OutOfMemory();
  }
}

void Registry::DetachAll() {
  try {
    WriteScope w(*this);
    for (auto& [id, rec] : attachments_) UnlinkAllLocked(rec.get());
    attachments_.clear();
  } catch (...) {
  }
}

// --- Inspection -------------------------------------------------------------------

void Registry::FillInfoLocked(const HookPoint& hp, HookInfo* info) const {
  info->name = hp.name;
  info->symbol = hp.symbol;
  info->signature = hp.signature;
  info->display = hp.display;
  info->param_names = SplitParams(hp);
  info->file = hp.file;
  info->line = hp.line;
  info->flags = hp.flags;
  info->ret_size = hp.ret_size;
  info->arg_count = hp.arg_count;
  info->kind = static_cast<HookKind>(hp.first_kind);
  info->definition_sites = hp.definition_sites.size();
  info->call_sites = hp.call_sites.size();
  info->callbacks = hp.current != nullptr ? hp.current->count : 0;
  bool call_sites_armed = !hp.call_sites.empty() &&
                          (hp.internal() || !DefinitionLoadedLocked(hp.symbol));
  info->armed = hp.current != nullptr && (!hp.definition_sites.empty() || call_sites_armed);
}

std::vector<HookInfo> Registry::Find(std::string_view pattern) {
  std::vector<HookInfo> out;
  try {
    ReadScope lock(*this);
    for (HookPoint* hp : MatchLocked(pattern)) {
      FillInfoLocked(*hp, &out.emplace_back());
    }
  } catch (...) {
  }
  return out;
}

size_t Registry::Count(std::string_view pattern) {
  ReadScope lock(*this);
  size_t n = 0;
  for (const auto& hp : hooks_) {
    if (pattern.empty() || pattern == "*" || Matches(pattern, *hp)) ++n;
  }
  return n;
}

StatusOr<HookStats> Registry::Stats(std::string_view pattern) {
  try {
    ReadScope lock(*this);
    std::vector<HookPoint*> matches = MatchLocked(pattern);
    if (matches.empty()) {
      return Status(StatusCode::kNotFound,
                    "vigil: no hook point matches '" + std::string(pattern) + "'");
    }
    CounterTotals t;
    HookStats stats;
    for (HookPoint* hp : matches) {
      SumCells(hp->index, hp->shared, &t);
      stats.callback_errors += hp->callback_errors.load(std::memory_order_relaxed);
    }
    stats.calls = t.calls;
    stats.aborts = t.aborts;
    stats.sampled_calls = t.sampled_calls;
    stats.sampled_callback_ns = CycleClockToNs(t.sampled_ticks);
    return stats;
  } catch (...) {
    return OutOfMemory();
  }
}

StatusOr<AttachmentInfo> Registry::Describe(Attachment a) {
  try {
    ReadScope lock(*this);
    auto it = attachments_.find(a.id());
    if (it == attachments_.end()) {
      return Status(StatusCode::kNotFound, "vigil: no attachment #" + std::to_string(a.id()));
    }
    const AttachmentRec& rec = *it->second;
    AttachmentInfo info;
    info.pattern = rec.pattern;
    info.signature = rec.signature;
    info.priority = rec.priority;
    if (rec.callback != nullptr) {
      info.errors = rec.callback->errors.load(std::memory_order_relaxed);
      info.disabled = rec.callback->disabled.load(std::memory_order_relaxed);
    } else {
      info.errors = rec.errors_at_disable;
      info.disabled = rec.disabled;
    }
    for (const HookPoint* hp : rec.hooks) info.hooks.push_back(hp->name);
    return info;
  } catch (...) {
    return OutOfMemory();
  }
}

EngineStats Registry::Engine() {
  ReadScope lock(*this);
  EngineStats s;
  s.hook_points = hooks_.size();
  s.images = images_.size();
  s.attachments = attachments_.size();
  s.retired_pending = reclaimer_.pending();
  s.reclaimed = reclaimed_.load(std::memory_order_relaxed);
  uint32_t high = g_reader_high.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < high; ++i) {
    if (g_readers[i].owned.load(std::memory_order_relaxed) != 0) ++s.reader_records;
  }
  s.membarrier = Reclaimer::membarrier_enabled();
  s.bad_site_records = bad_site_records_;
  return s;
}

size_t Registry::Reclaim() {
  size_t freed = 0;
  try {
    WriteScope w(*this, &freed);
  } catch (...) {
  }
  return freed;
}

}  // namespace vigil::rt
