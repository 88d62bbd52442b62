// Copyright Vigil authors.
//
// fake_site.h: hook points declared by hand, exactly as the Vigil compiler
// plugin emits them (see vigil/abi.h), so the runtime can be tested without
// the plugin.
//
// For a function `R f(A...)` (member functions: `this` as an explicit first
// parameter) a test writes
//
//   int DbFind(const shop::Db* self, int id);
//   vigil::testing::FakeHook<&DbFind> db_find_hook({
//       .name = "shop::Db::find", .symbol = "_ZNK4shop2Db4findEi",
//       .flags = VIGIL_META_HAS_THIS, .params = "this,id"});
//
//   int DbFind(const shop::Db* self, int id) {
//     VIGIL_FAKE_ENTRY(db_find_hook, self, id);  // the plugin's entry check
//     return self->base + id;                    // the original body
//   }
//
//   vigil::testing::FakeImage image({&db_find_hook});  // "vigil_sites" section
//   image.Register();  // what the image's constructor does
//
// and gets what the plugin would have produced:
//   * the slot (a zero-initialised void*) tested with one relaxed load;
//   * the metadata record, built byte by byte (the signature string is
//     typeid(R(A...)).name() unless the spec overrides it);
//   * the vigil_site record, placed in an image's site array;
//   * the entry check: detached -> body; __vigil_bypass == slot -> clear it
//     and run the body; else the hook thunk;
//   * the hook thunk: spills the arguments (by-value arguments are pointed at
//     in place, references are stored as the address they hold), reserves the
//     return storage (uninitialised for values, a T* for references, none for
//     void) and calls __vigil_enter; when that answers "continue", the
//     plugin's code returns the arguments to the entry, which runs the body
//     with them; here the hook thunk calls the invoke thunk instead, which
//     has the same effect (the body runs with the arguments left in argv);
//   * the invoke thunk: reloads the arguments from argv, sets __vigil_bypass
//     to the slot, calls the function and constructs the result in `ret`.
#ifndef VIGIL_RUNTIME_TESTS_FAKE_SITE_H_
#define VIGIL_RUNTIME_TESTS_FAKE_SITE_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "vigil/abi.h"

namespace vigil::testing {

// What the plugin writes into a metadata record besides what follows from
// the function's type.
struct FakeSpec {
  const char* name = "";    // string 0: qualified name
  const char* symbol = "";  // string 1: linkage name
  uint32_t kind = VIGIL_KIND_DEFINITION;
  // VIGIL_META_HAS_THIS, _NOEXCEPT, _C_LINKAGE, _INTERNAL. RETURNS_VOID and
  // RETURNS_REF are derived from the type.
  uint32_t flags = 0;
  const char* params = "";          // string 4
  const char* file = "fake.cc";     // string 5
  uint32_t line = 1;
  const char* signature = nullptr;  // string 2; default typeid(R(A...)).name()
  const char* display = nullptr;    // string 3; default: the signature
  // The entry check of a function whose hook thunk hands the arguments back
  // (abi.h): __vigil_bypass is tested only before finishing, and a call the
  // runtime leaves to the function runs the body without a second check.
  // Otherwise, that of a function with a preserve_most hook thunk.
  bool returns_arguments = false;
};

// The bytes of one "vigil_meta" record.
inline std::vector<uint8_t> BuildMetaRecord(uint16_t kind, uint32_t flags, uint32_t ret_size,
                                            uint16_t arg_count, uint32_t line,
                                            std::initializer_list<std::string_view> strings) {
  vigil_meta_header h{};
  std::memcpy(h.magic, "VGLM", 4);
  h.version = VIGIL_ABI_VERSION;
  h.kind = kind;
  h.line = line;
  h.flags = flags;
  h.ret_size = ret_size;
  h.arg_count = arg_count;
  h.string_count = static_cast<uint16_t>(strings.size());
  std::vector<uint8_t> out(sizeof h);
  for (std::string_view s : strings) {
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(0);
  }
  h.size = static_cast<uint32_t>(out.size());
  std::memcpy(out.data(), &h, sizeof h);
  return out;
}

// The part of a fake hook point that does not depend on its type.
class FakeSiteBase {
 public:
  FakeSiteBase(const FakeSiteBase&) = delete;
  FakeSiteBase& operator=(const FakeSiteBase&) = delete;
  virtual ~FakeSiteBase() = default;

  // The vigil_site record the plugin would put in "vigil_sites".
  vigil_site Record() {
    return vigil_site{VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION, kind_, &slot_,
                      reinterpret_cast<const vigil_meta_header*>(meta_.data()), 0};
  }
  // The record the hook thunk passes to __vigil_enter (the one in the
  // image it was placed in, like the plugin's relocated &site).
  void PlaceIn(const vigil_site* record) { site_ = record != nullptr ? record : &own_; }

  // What instrumented code sees: non-null while callbacks are attached.
  void* slot_value() const { return __atomic_load_n(&slot_, __ATOMIC_RELAXED); }
  const std::vector<uint8_t>& meta() const { return meta_; }
  void ClearSlot() { __atomic_store_n(&slot_, nullptr, __ATOMIC_RELAXED); }
  // Calls the runtime answered VIGIL_ENTER_CONTINUE for.
  uint64_t continued() const { return continued_.load(std::memory_order_relaxed); }
  uint64_t finished() const { return finished_.load(std::memory_order_relaxed); }
  const vigil_site* site() const { return site_; }

 protected:
  FakeSiteBase() = default;

  void* slot_ = nullptr;
  uint32_t kind_ = VIGIL_KIND_DEFINITION;
  std::vector<uint8_t> meta_;
  vigil_site own_{};
  const vigil_site* site_ = &own_;
  std::atomic<uint64_t> continued_{0};
  std::atomic<uint64_t> finished_{0};  // calls that took the finish thunk
};

namespace internal {

// How the hook thunk spills one argument of type T.
template <typename T>
struct Spill {  // by value: argv[i] points at the argument object itself
  T* object;
  void* address() { return object; }
  static T& Reload(void* p) { return *std::launder(static_cast<T*>(p)); }
};
template <typename T>
struct Spill<T&> {  // by reference: argv[i] points at the address it holds
  T* referent;
  void* address() { return &referent; }
  static T& Reload(void* p) { return **static_cast<T**>(p); }
};
template <typename T>
struct Spill<T&&> {
  T* referent;
  void* address() { return &referent; }
  static T&& Reload(void* p) { return std::move(**static_cast<T**>(p)); }
};

// The invoke thunk passes a by-value argument on as a copy if it can (so
// the arguments stay readable in epilogs), else by moving it.
template <typename T>
decltype(auto) Pass(void* p) {
  if constexpr (!std::is_reference_v<T> && !std::is_copy_constructible_v<T>) {
    return std::move(Spill<T>::Reload(p));
  } else {
    return Spill<T>::Reload(p);
  }
}

}  // namespace internal

template <auto Fn>
class FakeHook;

// `Fn` is the instrumented function. One FakeHook per function (the invoke
// thunk finds the slot through the function's single instance).
template <typename R, typename... A, R (*Fn)(A...)>
class FakeHook<Fn> : public FakeSiteBase {
 public:
  using Signature = R(A...);

  explicit FakeHook(const FakeSpec& spec) {
    instance_ = this;
    kind_ = spec.kind;
    returns_arguments_ = spec.returns_arguments;
    uint32_t flags = spec.flags;
    uint32_t ret_size = 0;
    if constexpr (std::is_void_v<R>) {
      flags |= VIGIL_META_RETURNS_VOID;
    } else if constexpr (std::is_reference_v<R>) {
      flags |= VIGIL_META_RETURNS_REF;
      ret_size = sizeof(void*);
    } else {
      ret_size = sizeof(R);
    }
    const char* sig = spec.signature != nullptr ? spec.signature : typeid(Signature).name();
    const char* display = spec.display != nullptr ? spec.display : sig;
    meta_ = BuildMetaRecord(static_cast<uint16_t>(spec.kind), flags, ret_size,
                            static_cast<uint16_t>(sizeof...(A)), spec.line,
                            {spec.name, spec.symbol, sig, display, spec.params, spec.file});
    own_ = Record();
  }

  // The entry check the plugin inserts at the top of Fn.
  bool ShouldDispatch() {
    auto state = reinterpret_cast<uintptr_t>(__atomic_load_n(&slot_, __ATOMIC_RELAXED));
    if (state == 0) return false;
    if (resume_ == &slot_) {  // the body of a call the runtime left to us
      resume_ = nullptr;
      return false;
    }
    const bool early = !returns_arguments_ || (state & VIGIL_SLOT_FINISH) != 0;
    if (early && __vigil_bypass == &slot_) {  // re-entered from the invoke thunk
      __vigil_bypass = nullptr;
      return false;
    }
    return true;
  }

  // <fn>.vigil.hook: cold, not inlined.
  [[gnu::noinline]] R Hook(A... args) {
    return HookImpl(std::index_sequence_for<A...>{}, args...);
  }

  // <fn>.vigil.invoke
  static void Invoke(void** argv, void* ret) {
    InvokeImpl(argv, ret, std::index_sequence_for<A...>{});
  }

 private:
  template <size_t... I, typename... P>
  R HookImpl(std::index_sequence<I...>, P&... args) {
    std::tuple<internal::Spill<A>...> spills{internal::Spill<A>{std::addressof(args)}...};
    void* argv[sizeof...(A) + 1] = {std::get<I>(spills).address()..., nullptr};
    if constexpr (std::is_void_v<R>) {
      Enter(argv, nullptr);
    } else if constexpr (std::is_reference_v<R>) {
      std::remove_reference_t<R>* result = nullptr;
      Enter(argv, &result);
      return static_cast<R>(*result);
    } else {
      alignas(R) unsigned char storage[sizeof(R)];
      Enter(argv, storage);
      R* result = std::launder(reinterpret_cast<R*>(storage));
      struct Destroy {
        R* p;
        ~Destroy() { std::destroy_at(p); }
      } destroy{result};
      return std::move(*result);
    }
  }

  void Enter(void** argv, void* ret) {
    auto state = reinterpret_cast<uintptr_t>(__atomic_load_n(&slot_, __ATOMIC_RELAXED));
    if ((state & VIGIL_SLOT_FINISH) != 0) {  // epilogs attached: <fn>.vigil.finish
      finished_.fetch_add(1, std::memory_order_relaxed);
      __vigil_finish(site_, argv, ret, &Invoke);
      return;
    }
    if (__vigil_enter(site_, argv, ret, &Invoke) == VIGIL_ENTER_CONTINUE) {
      // The runtime left the call to us: run the body with argv's arguments.
      continued_.fetch_add(1, std::memory_order_relaxed);
      if (returns_arguments_) {
        InvokeImpl(argv, ret, std::index_sequence_for<A...>{}, &resume_);
      } else {
        Invoke(argv, ret);
        __vigil_bypass = nullptr;  // not consumed if the slot was disarmed meanwhile
      }
    }
  }

  template <size_t... I>
  static void InvokeImpl(void** argv, void* ret, std::index_sequence<I...>,
                         void*** skip_flag = &__vigil_bypass) {
    *skip_flag = &instance_->slot_;
    if constexpr (std::is_void_v<R>) {
      Fn(internal::Pass<A>(argv[I])...);
    } else if constexpr (std::is_reference_v<R>) {
      *static_cast<std::remove_reference_t<R>**>(ret) =
          std::addressof(Fn(internal::Pass<A>(argv[I])...));
    } else {
      ::new (ret) R(Fn(internal::Pass<A>(argv[I])...));
    }
  }

  static inline FakeHook* instance_ = nullptr;
  static inline thread_local void** resume_ = nullptr;
  bool returns_arguments_ = false;
};

// An image's "vigil_sites" section: the records of `sites`, with
// `padding_words` zero 8-byte words before each (as a linker may leave).
class FakeImage {
 public:
  explicit FakeImage(std::initializer_list<FakeSiteBase*> sites, size_t padding_words = 0)
      : sites_(sites) {
    constexpr size_t kWords = sizeof(vigil_site) / sizeof(uint64_t);
    words_.assign(sites_.size() * (kWords + padding_words) + padding_words, 0);
    std::vector<size_t> offsets;
    size_t at = 0;
    for (FakeSiteBase* s : sites_) {
      at += padding_words;
      vigil_site record = s->Record();
      std::memcpy(&words_[at], &record, sizeof record);
      offsets.push_back(at);
      at += kWords;
    }
    for (size_t i = 0; i < sites_.size(); ++i) {
      sites_[i]->PlaceIn(reinterpret_cast<const vigil_site*>(&words_[offsets[i]]));
    }
  }
  FakeImage(const FakeImage&) = delete;
  FakeImage& operator=(const FakeImage&) = delete;
  ~FakeImage() {
    Unregister();
    for (FakeSiteBase* s : sites_) s->PlaceIn(nullptr);
  }

  // What the image's constructor / destructor call.
  void Register() {
    if (registered_) return;
    vigil_register_image(begin(), end());
    registered_ = true;
  }
  // Also zeroes the slots: a real image is unmapped by dlclose, and a later
  // dlopen maps fresh, zero slots. The runtime never writes the slots of an
  // unregistered image, so without this a stale snapshot would stay there.
  void Unregister() {
    if (!registered_) return;
    vigil_unregister_image(begin(), end());
    registered_ = false;
    for (FakeSiteBase* s : sites_) s->ClearSlot();
  }

  const vigil_site* begin() const { return reinterpret_cast<const vigil_site*>(words_.data()); }
  const vigil_site* end() const {
    return reinterpret_cast<const vigil_site*>(words_.data() + words_.size());
  }

 private:
  std::vector<FakeSiteBase*> sites_;
  std::vector<uint64_t> words_;
  bool registered_ = false;
};

}  // namespace vigil::testing

// The plugin's entry check, to put first in a fake instrumented function.
#define VIGIL_FAKE_ENTRY(hook, ...)                                \
  do {                                                             \
    if ((hook).ShouldDispatch()) return (hook).Hook(__VA_ARGS__);  \
  } while (0)

#endif  // VIGIL_RUNTIME_TESTS_FAKE_SITE_H_
