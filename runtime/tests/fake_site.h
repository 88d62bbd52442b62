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
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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
  // How the function enters the runtime while no epilog is attached.
  enum class Entry {
    kHookThunk,  // a hook thunk calls __vigil_enter with argv
    // A direct entry (x86-64; abi.h), as the plugin gives functions with at
    // most three arguments in registers: __vigil_enter_regs<n>[_void] when
    // each argument takes one register, by value; else the mapped entry.
    kDirect,
    kMapped,  // always __vigil_enter_regs_mapped
  };
  Entry entry = Entry::kHookThunk;
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
    return vigil_site{VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION,
                      kind_,
                      &slot_,
                      reinterpret_cast<const vigil_meta_header*>(meta_.data()),
                      invoke_,
                      arg_map_,
                      0};
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
  vigil_invoke_fn invoke_ = nullptr;
  uint64_t arg_map_ = 0;  // FakeSpec::arg_map
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

// The result the runtime constructed in `storage`, moved out; the object
// left there is destroyed.
template <typename R>
R TakeResult(void* storage) {
  R* result = std::launder(static_cast<R*>(storage));
  struct Destroy {
    R* p;
    ~Destroy() { std::destroy_at(p); }
  } destroy{result};
  return std::move(*result);
}

// How a direct entry receives the function's arguments: registers x0..x2,
// packed as the plugin does for the IR the compiler lowered them to. Here:
// a reference is the address it holds; a trivially copyable object of up to
// 16 bytes takes one register per 8 bytes; anything else is passed by
// address. A result that is void, a reference or a trivially copyable object
// of up to 8 bytes comes back in x0; any other is constructed in storage
// whose address goes first (sret).
template <typename T>
struct DirectArg {
  static constexpr bool kByAddress =
      !std::is_reference_v<T> && (!std::is_trivially_copyable_v<T> || sizeof(T) > 16);
  static constexpr int kRegisters =
      std::is_reference_v<T> || kByAddress ? 1 : static_cast<int>((sizeof(T) + 7) / 8);
};

template <typename R>
constexpr bool ReturnedInMemory() {
  if constexpr (std::is_void_v<R> || std::is_reference_v<R>) {
    return false;
  } else {
    return !std::is_trivially_copyable_v<R> || sizeof(R) > 8;
  }
}
template <typename R>
constexpr size_t SizeOrOne() {
  if constexpr (std::is_void_v<R> || std::is_reference_v<R>) {
    return 1;
  } else {
    return sizeof(R);
  }
}

template <typename R, typename... A>
struct Direct {
  static constexpr bool kSret = ReturnedInMemory<R>();
  static constexpr int kRegisters = (kSret ? 1 : 0) + (0 + ... + DirectArg<A>::kRegisters);
  static constexpr bool kFits = kRegisters <= 3;
  static constexpr bool kInOrder =
      !kSret && (true && ... && (DirectArg<A>::kRegisters == 1 && !DirectArg<A>::kByAddress));

  // The first register of argument I.
  template <size_t I>
  static constexpr int First() {
    constexpr int counts[] = {0, DirectArg<A>::kRegisters...};
    int at = kSret ? 1 : 0;
    for (size_t k = 0; k < I; ++k) at += counts[k + 1];
    return at;
  }

  static constexpr uint64_t ArgMap() {
    return ArgMapImpl(std::index_sequence_for<A...>{});
  }
  template <size_t... I>
  static constexpr uint64_t ArgMapImpl(std::index_sequence<I...>) {
    uint64_t map = sizeof...(A);
    ((map |= (static_cast<uint64_t>(First<I>()) |
              (DirectArg<A>::kByAddress ? VIGIL_ARG_BY_ADDRESS : 0u))
             << (8 * (I + 1))),
     ...);
    uint64_t result = std::is_void_v<R> ? VIGIL_RESULT_NONE
                      : kSret           ? (VIGIL_ARG_BY_ADDRESS | 0u)
                                        : VIGIL_RESULT_VALUE;
    return map | (result << 32);
  }

  using EntryFn = vigil_direct_entry_fn;
  static EntryFn Entry() {
    if constexpr (!kInOrder) {
      return &__vigil_enter_regs_mapped;
    } else if constexpr (std::is_void_v<R>) {
      constexpr EntryFn entries[] = {&__vigil_enter_regs0_void, &__vigil_enter_regs1_void,
                                     &__vigil_enter_regs2_void, &__vigil_enter_regs3_void};
      return entries[sizeof...(A)];
    } else {
      constexpr EntryFn entries[] = {&__vigil_enter_regs0, &__vigil_enter_regs1,
                                     &__vigil_enter_regs2, &__vigil_enter_regs3};
      return entries[sizeof...(A)];
    }
  }

  template <typename T>
  static void Put(uint64_t* regs, int at, T& arg) {
    if constexpr (std::is_reference_v<T> || DirectArg<T>::kByAddress) {
      regs[at] = reinterpret_cast<uintptr_t>(std::addressof(arg));
    } else {
      std::memcpy(&regs[at], std::addressof(arg), sizeof(T));
    }
  }
  template <typename... P>
  static void Pack(uint64_t* regs, void* sret, P&... args) {
    if (kSret) regs[0] = reinterpret_cast<uintptr_t>(sret);
    PackImpl(regs, std::index_sequence_for<A...>{}, args...);
  }
  template <size_t... I, typename... P>
  static void PackImpl(uint64_t* regs, std::index_sequence<I...>, P&... args) {
    (Put<A>(regs, First<I>(), args), ...);
  }

  template <typename T>
  static T FromRegister(uint64_t reg) {
    if constexpr (std::is_reference_v<T>) {
      return static_cast<T>(*reinterpret_cast<std::remove_reference_t<T>*>(reg));
    } else {
      alignas(T) unsigned char bytes[sizeof(T)];
      std::memcpy(bytes, &reg, sizeof(T));
      return *std::launder(reinterpret_cast<T*>(bytes));
    }
  }

  // Argument I for the body, from the registers the entry handed back.
  template <size_t I, typename... P>
  static decltype(auto) Unpack(const uint64_t* left, P&... args) {
    using T = std::tuple_element_t<I, std::tuple<A...>>;
    auto& own = std::get<I>(std::forward_as_tuple(args...));
    if constexpr (std::is_reference_v<T>) {
      return static_cast<T>(*reinterpret_cast<std::remove_reference_t<T>*>(left[First<I>()]));
    } else if constexpr (DirectArg<T>::kByAddress) {
      return Pass<T>(const_cast<void*>(static_cast<const void*>(std::addressof(own))));
    } else {
      void* object = const_cast<void*>(static_cast<const void*>(std::addressof(own)));
      std::memcpy(object, &left[First<I>()], sizeof(T));
      return Pass<T>(object);
    }
  }
};

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
    invoke_ = &Invoke;
    if (spec.entry != FakeSpec::Entry::kHookThunk) {
      if constexpr (internal::Direct<R, A...>::kFits) {
        using D = internal::Direct<R, A...>;
        arg_map_ = D::ArgMap();
        direct_ = spec.entry == FakeSpec::Entry::kMapped ? &__vigil_enter_regs_mapped
                                                         : D::Entry();
        returns_arguments_ = true;  // the entry check of a direct function
      } else {
        std::fprintf(stderr, "fake_site.h: %s cannot have a direct entry\n", spec.name);
        std::abort();
      }
    }
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
    if constexpr (internal::Direct<R, A...>::kFits) {
      auto state = reinterpret_cast<uintptr_t>(__atomic_load_n(&slot_, __ATOMIC_RELAXED));
      if (direct_ != nullptr && (state & VIGIL_SLOT_FINISH) == 0) {
        return DirectImpl(std::index_sequence_for<A...>{}, args...);
      }
    }
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
      return internal::TakeResult<R>(storage);
    }
  }

  // What the plugin's code does around a direct entry: the arguments go in
  // registers (Direct::Pack), the answer comes back in registers; "done"
  // returns the value, otherwise the body runs with the registers' arguments.
  template <size_t... I, typename... P>
  R DirectImpl(std::index_sequence<I...>, P&... args) {
    using D = internal::Direct<R, A...>;
    uint64_t regs[3] = {};
    alignas(std::max_align_t) unsigned char sret[internal::SizeOrOne<R>()];
    D::Pack(regs, sret, args...);
    const vigil_regs answer = direct_(regs[0], regs[1], regs[2], site_);
    if (answer.done != 0) {
      if constexpr (std::is_void_v<R>) {
        return;
      } else if constexpr (D::kSret) {
        return internal::TakeResult<R>(sret);
      } else {
        return D::template FromRegister<R>(answer.x0);
      }
    }
    continued_.fetch_add(1, std::memory_order_relaxed);
    const uint64_t left[3] = {answer.x0, answer.x1, answer.x2};
    resume_ = &slot_;
    return Fn(D::template Unpack<I>(left, args...)...);
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

  vigil_direct_entry_fn direct_ = nullptr;
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
