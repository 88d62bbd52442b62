// Copyright Vigil authors.
//
// vigil/hook.h: the C++ API of the Vigil hook engine (libvigil_rt.so).
//
// Code compiled with the Vigil compiler plugin contains *hook points*: the
// instrumented functions (and calls into selected uninstrumented libraries).
// This header finds hook points by name and attaches typed callbacks to them
// while the program runs:
//
//   * a *prolog* runs before the function. It can read and change the
//     arguments and can *abort* the call, choosing the value the caller gets;
//   * an *epilog* runs after it. It sees (and can change) the return value.
//
// Example: refuse negative ids in `int shop::Db::find(int id) const`.
//
//   // The callback type is the function type with `this` explicit.
//   using FindSig = int(const shop::Db*, int);
//
//   vigil::StatusOr<vigil::Attachment> a = vigil::AttachProlog<FindSig>(
//       "shop::Db::find", [](vigil::Call<FindSig>& call) {
//         if (call.arg<1>() < 0) call.Abort(-1);  // caller receives -1
//       });
//   if (!a.ok()) std::cerr << a.status().message() << "\n";
//   ...
//   vigil::Detach(*a);
//
// Attaching checks the callback's type against the exact type recorded for
// the hook point at compile time (its Itanium type name); a mismatch is an
// error and nothing is attached. Types that differ only by `noexcept` match.
//
// Guarantees:
//   * Attach, Detach and Replace are atomic with respect to running calls:
//     each call runs with either the old or the new set of callbacks, and no
//     callback object is destroyed while a thread may still run it. Calls
//     never take a lock.
//   * An exception thrown by a callback never reaches the program. It is
//     caught and counted; after `AttachOptions::max_errors` of them the
//     callback is disabled and detached (calls already under way may still
//     run it once).
//   * While a callback runs, hook points reached from it run plainly on that
//     thread (no callback re-enters Vigil by accident).
//   * Everything here is thread-safe. Callbacks may run on many threads at
//     once and must be thread-safe themselves.
//
// What one call does, with callbacks C1..Cn attached (ordered by priority,
// lower first, then by attach order):
//   1. the prologs of C1, C2, ... run in turn. A prolog that aborts ends this
//      phase: the later prologs and the function are skipped;
//   2. unless aborted, the function runs, with the arguments as the prologs
//      left them;
//   3. the epilogs run in reverse order, for exactly the callbacks whose turn
//      came in phase 1 (all of them; or C1..Ci if Ci aborted). They can tell
//      an aborted call by Call::aborted() and see the result either way.
// If the function throws, the exception reaches the caller unchanged and no
// epilog runs. A prolog may also fail the call by making it throw
// (Call::AbortWithException), as C++ libraries fail. A call uses the
// callbacks attached when it started, from start to end.
//
// See docs/hook-engine.md for the full semantics and the cost model.
#ifndef VIGIL_HOOK_H_
#define VIGIL_HOOK_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "vigil/vigil.h"

// The frame of one call through a hook point (opaque in the C API). It is
// defined here only so that vigil::Call's accessors compile to plain loads; use
// vigil::Call or the vigil_call_* functions, never the fields.
struct vigil_call {
  const void* site;      // const vigil_site* the call came through
  const void* hook;      // the runtime's hook point
  void** argv;           // argument addresses, see vigil/abi.h
  void* ret;             // return storage, see vigil/abi.h
  void* exception;       // std::exception_ptr* to throw instead of returning
  bool aborted;          // a prolog aborted; *ret holds its value (unless exception)
  bool returned;         // the function returned; *ret holds its value
  bool in_epilog;        // epilogs are running
  uint8_t hook_flags;    // vigil::internal::kHook* bits
};

namespace vigil {

// ---------------------------------------------------------------------------
// Status and StatusOr: how every operation here reports failure.
// ---------------------------------------------------------------------------

enum class StatusCode {
  kOk = VIGIL_OK,
  kNotFound = VIGIL_ERR_NOT_FOUND,
  kTypeMismatch = VIGIL_ERR_TYPE_MISMATCH,
  kInvalidArgument = VIGIL_ERR_INVALID_ARGUMENT,
  kFailedPrecondition = VIGIL_ERR_FAILED_PRECONDITION,
  kInternal = VIGIL_ERR_INTERNAL,
};

// The outcome of an operation: ok, or a code with a one-line message meant for
// people ("type mismatch attaching to 'shop::Db::find': ...").
class Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or the Status explaining why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}          // NOLINT: implicit
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT: implicit;
                                                           // must not be ok
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Precondition: ok().
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

 private:
  Status status_;
  T value_{};
};

// ---------------------------------------------------------------------------
// Attachments and their options.
// ---------------------------------------------------------------------------

// Names one attachment: a set of callbacks attached by one pattern. A plain
// value; copying it does not copy the attachment, destroying it does not
// detach (see ScopedAttachment for that).
class Attachment {
 public:
  constexpr Attachment() = default;
  constexpr explicit Attachment(uint64_t id) : id_(id) {}

  constexpr uint64_t id() const { return id_; }
  constexpr bool valid() const { return id_ != 0; }
  friend constexpr bool operator==(Attachment a, Attachment b) { return a.id_ == b.id_; }

 private:
  uint64_t id_ = 0;
};

inline constexpr uint32_t kDefaultMaxErrors = VIGIL_DEFAULT_MAX_ERRORS;
inline constexpr uint32_t kNeverDisable = VIGIL_MAX_ERRORS_NEVER;

struct AttachOptions {
  // Order among the callbacks of a hook point: lower runs its prolog first
  // (and its epilog last). Equal priorities run in attach order.
  int priority = 0;
  // Exceptions escaping the callbacks after which they are disabled and
  // detached. 0 means kDefaultMaxErrors; kNeverDisable never disables.
  uint32_t max_errors = kDefaultMaxErrors;
  // Succeed even if the pattern matches no hook point yet: the callbacks are
  // attached when an image providing a match is loaded (dlopen).
  bool allow_pending = false;
};

// Placeholder for "no prolog" / "no epilog".
struct NoCallback {};

// ---------------------------------------------------------------------------
// Call<Sig>: what a typed callback sees.
// ---------------------------------------------------------------------------
//
// `Sig` is the hooked function's type with `this` explicit as the first
// parameter: for `int shop::Db::find(int) const`, `int(const shop::Db*, int)`.
//
// Return values, by kind of return type R:
//   * void: Abort() skips the function; nothing to construct.
//   * a reference T& / T&&: Abort(obj) makes the caller receive a reference to
//     `obj`, which must outlive the caller's use of it.
//   * any other type, including class types returned by value and types that
//     are not default-constructible: Abort(args...) constructs the caller's
//     R in place from `args` (R(args...)). Vigil never default-constructs R:
//     there is no value until a prolog aborts or the function returns.
//
// A Call is valid only while the callback it was passed to runs; do not keep
// it or pointers into it. Each call has its own Call: callbacks running on
// several threads at once see different ones.
template <typename Sig>
class Call;

namespace internal {

// How argv[i] holds an argument of type T (see vigil/abi.h): the object
// itself for a value parameter, the referenced address for a reference.
template <typename T>
struct ArgSlot {
  using Value = T;
  static T& Get(void* p) { return *std::launder(static_cast<T*>(p)); }
};
template <typename T>
struct ArgSlot<T&> {
  using Value = T;
  static T& Get(void* p) { return **static_cast<T**>(p); }
  static void Rebind(void* p, T& target) { *static_cast<T**>(p) = std::addressof(target); }
};
template <typename T>
struct ArgSlot<T&&> : ArgSlot<T&> {};

struct NoResult {};

// vigil_call::hook_flags.
inline constexpr uint8_t kHookConstructor = 1;  // a constructor: no value to abort with
inline constexpr uint8_t kHookNoThrow = 2;      // noexcept or C: must not throw

VIGIL_EXPORT void SetPendingException(vigil_call* frame, std::exception_ptr e);
VIGIL_EXPORT void ClearPendingException(vigil_call* frame);

}  // namespace internal

template <typename R, typename... Args>
class Call<R(Args...)> {
 public:
  using Signature = R(Args...);
  using Result = R;
  static constexpr size_t kArity = sizeof...(Args);
  template <size_t I>
  using Arg = std::tuple_element_t<I, std::tuple<Args...>>;
  // The object a reference return refers to, or R itself (a placeholder type
  // for void, which has no result).
  using ResultValue =
      std::conditional_t<std::is_void_v<R>, internal::NoResult, std::remove_reference_t<R>>;

  explicit Call(vigil_call* frame) : frame_(frame) {}

  // Argument I as the function sees it, as an lvalue: assigning to it in a
  // prolog changes what the function receives. For `this` (argument 0 of a
  // member function) it is the pointer; for a reference parameter it is the
  // referenced object (changing it changes the caller's object, as the function
  // could). In an epilog: the arguments as the prologs left them.
  template <size_t I>
  std::remove_reference_t<Arg<I>>& arg() const {
    static_assert(I < kArity, "vigil::Call::arg: index out of range");
    return internal::ArgSlot<Arg<I>>::Get(frame_->argv[I]);
  }

  // For a reference parameter I: makes it refer to `target` instead (which
  // must outlive the call).
  template <size_t I>
    requires std::is_reference_v<Arg<I>>
  void RebindArg(std::remove_reference_t<Arg<I>>& target) const {
    internal::ArgSlot<Arg<I>>::Rebind(frame_->argv[I], target);
  }

  // Aborts the call from a prolog: the function and the remaining prologs are
  // skipped, the caller receives R(args...), constructed in place. Calling it
  // again from the same prolog replaces the value. Returns false (and does
  // nothing) in an epilog. If R's constructor throws, the call is not aborted
  // (or keeps the previous value) and the exception counts as the prolog's.
  template <typename... A>
    requires(!std::is_void_v<R> && !std::is_reference_v<R> &&
             std::is_constructible_v<R, A...>)
  bool Abort(A&&... args) const {
    if (frame_->in_epilog) return false;
    EmplaceResult(std::forward<A>(args)...);
    return true;
  }
  // Aborts a void function. Refused (returns false, nothing happens) for a
  // constructor call site: the object would be left unconstructed; use
  // AbortWithException there.
  bool Abort() const
    requires std::is_void_v<R>
  {
    if (frame_->in_epilog || (frame_->hook_flags & internal::kHookConstructor)) return false;
    DropPendingException();
    frame_->aborted = true;
    return true;
  }
  // Aborts a function returning a reference: the caller gets a reference to
  // `target`.
  bool Abort(ResultValue& target) const
    requires std::is_reference_v<R>
  {
    if (frame_->in_epilog) return false;
    DropPendingException();
    *static_cast<ResultValue**>(frame_->ret) = std::addressof(target);
    frame_->aborted = true;
    return true;
  }

  // Aborts the call from a prolog by making it throw `e` to the caller, the
  // way a C++ library reports failure: the function and the later prologs are
  // skipped, the epilogs of the callbacks reached run (aborted() is true,
  // has_result() false), then the call throws a copy of `e`. The only way to
  // fail a constructor. Replaces an earlier Abort value, and vice versa.
  // Returns false (and does nothing) in an epilog and for hook points that
  // must not throw: noexcept functions (the program would terminate) and C
  // functions (their callers may have no unwind information). Use it where
  // the function itself reports failure by throwing, so callers expect it.
  template <typename E>
  bool AbortWithException(E&& e) const {
    return AbortWithExceptionPtr(std::make_exception_ptr(std::forward<E>(e)));
  }
  bool AbortWithExceptionPtr(std::exception_ptr e) const {
    if (frame_->in_epilog || (frame_->hook_flags & internal::kHookNoThrow) || !e) return false;
    const bool had_value = has_result();
    internal::SetPendingException(frame_, std::move(e));  // may throw: nothing changed yet
    if constexpr (!std::is_void_v<R> && !std::is_reference_v<R>) {
      if (had_value) std::destroy_at(std::launder(static_cast<R*>(frame_->ret)));
    }
    frame_->aborted = true;
    return true;
  }

  // True if a prolog aborted the call (the function did not run).
  bool aborted() const { return frame_->aborted; }
  // True if the call will throw the exception a prolog chose.
  bool aborted_with_exception() const { return frame_->exception != nullptr; }
  // True in epilogs when the function ran and returned normally.
  bool returned() const { return frame_->returned; }
  // True when result() may be used: in epilogs (unless the call is aborted
  // with an exception), or after Abort.
  bool has_result() const {
    return frame_->returned || (frame_->aborted && frame_->exception == nullptr);
  }

  // The return value (the referenced object for a reference return).
  // Precondition: has_result(). Assigning to it in an epilog changes what the
  // caller receives.
  ResultValue& result() const
    requires(!std::is_void_v<R>)
  {
    if constexpr (std::is_reference_v<R>) {
      return **static_cast<ResultValue**>(frame_->ret);
    } else {
      return *std::launder(static_cast<R*>(frame_->ret));
    }
  }

  // Replaces the return value with R(args...) (destroying the old one).
  // Returns false (and does nothing) unless has_result().
  template <typename... A>
    requires(!std::is_void_v<R> && !std::is_reference_v<R> &&
             std::is_constructible_v<R, A...>)
  bool SetResult(A&&... args) const {
    if (!has_result()) return false;
    EmplaceResult(std::forward<A>(args)...);
    return true;
  }
  // Makes a reference return refer to `target`. Returns false unless
  // has_result().
  bool SetResult(ResultValue& target) const
    requires std::is_reference_v<R>
  {
    if (!has_result()) return false;
    *static_cast<ResultValue**>(frame_->ret) = std::addressof(target);
    return true;
  }

  // The hook point's qualified name, e.g. "shop::Db::find".
  std::string_view hook_name() const { return vigil_call_hook_name(frame_); }

  // The untyped frame, for use with the vigil_call_* C functions.
  vigil_call* frame() const { return frame_; }

 private:
  // Constructs the result in place, or replaces the one there. If R's
  // constructor throws, the storage still holds exactly what it held before
  // (a value or nothing), so the caller always gets a live object.
  void DropPendingException() const {
    if (frame_->exception != nullptr) internal::ClearPendingException(frame_);
  }

  template <typename... A>
  void EmplaceResult(A&&... args) const {
    void* raw = frame_->ret;
    if (!has_result()) {  // only reached from a prolog
      ::new (raw) R(std::forward<A>(args)...);
      DropPendingException();
      frame_->aborted = true;
      return;
    }
    R& old = *std::launder(static_cast<R*>(raw));
    if constexpr (std::is_nothrow_constructible_v<R, A...>) {
      std::destroy_at(&old);
      ::new (raw) R(std::forward<A>(args)...);
    } else if constexpr (std::is_nothrow_move_constructible_v<R>) {
      R fresh(std::forward<A>(args)...);  // may throw: nothing changed yet
      std::destroy_at(&old);
      ::new (raw) R(std::move(fresh));
    } else {
      static_assert(std::is_move_assignable_v<R>,
                    "vigil::Call: replacing a result needs a nothrow constructor, "
                    "a nothrow move constructor or move assignment");
      old = R(std::forward<A>(args)...);
    }
  }

  vigil_call* frame_;
};

// A hook point declared noexcept: its callbacks use the same Call type.
template <typename R, typename... Args>
class Call<R(Args...) noexcept> : public Call<R(Args...)> {
 public:
  using Call<R(Args...)>::Call;
};

// ---------------------------------------------------------------------------
// Finding hook points.
// ---------------------------------------------------------------------------

enum class HookKind {
  kDefinition = 1,  // the body of an instrumented function
  kCallSite = 2,    // calls to a function the plugin saw only declared
};

// One hook point. Images (the executable and shared objects) that contain the
// same symbol share one hook point; `definition_sites` and `call_sites` count
// its slots in the images loaded now (0 and 0: its images were unloaded).
struct HookInfo {
  std::string name;       // qualified name, "shop::Db::find"
  std::string symbol;     // linkage name, "_ZNK4shop2Db4findEi"
  std::string signature;  // Itanium type name, "FiPKN4shop2DbEiE"
  std::string display;    // "int (const shop::Db *, int)"
  std::vector<std::string> param_names;  // "this" first for members
  std::string file;
  uint32_t line = 0;
  uint32_t flags = 0;     // vigil_meta_flags (vigil/abi.h)
  uint32_t ret_size = 0;
  uint16_t arg_count = 0;
  HookKind kind = HookKind::kDefinition;  // kind of its first slot
  size_t definition_sites = 0;
  size_t call_sites = 0;
  size_t callbacks = 0;   // attachments whose callbacks run here
  bool armed = false;     // some slot is armed: calls run callbacks
};

// Hook points whose qualified name or symbol matches `pattern`: `*` matches any
// run of characters (including "::"), `?` exactly one. A pattern without
// wildcards is an exact name. "" or "*" lists every known hook point.
VIGIL_EXPORT std::vector<HookInfo> FindHooks(std::string_view pattern);

// ---------------------------------------------------------------------------
// Attaching, replacing, detaching.
// ---------------------------------------------------------------------------

namespace internal {

// Same shape as the C API's callbacks, so those run without an adapter.
using RawCallback = vigil_callback_fn;

// A type-erased set of callbacks. On success the runtime owns `user` and calls
// `destroy(user)` once it is detached and no thread can still use it.
struct CallbackSpec {
  RawCallback prolog = nullptr;
  RawCallback epilog = nullptr;
  void* user = nullptr;
  void (*destroy)(void* user) = nullptr;
};

// `signature`: typeid(Sig).name(), or nullptr for untyped (C API) callbacks.
// On failure the caller keeps ownership of spec.user.
VIGIL_EXPORT StatusOr<Attachment> AttachErased(std::string_view pattern,
                                               const char* signature,
                                               const CallbackSpec& spec,
                                               const AttachOptions& options);
VIGIL_EXPORT Status ReplaceErased(Attachment attachment, const char* signature,
                                  const CallbackSpec& spec);
VIGIL_EXPORT void SuppressHooks(int delta);

template <typename Sig, typename Fn>
constexpr bool kIsCallback =
    std::is_same_v<Fn, NoCallback> || std::is_invocable_v<Fn&, Call<Sig>&>;

// Owns the user's callables; its static members are the type-erased entry
// points, each a single indirect call that inlines the user's lambda.
template <typename Sig, typename P, typename E>
struct CallbackHolder {
  P prolog;
  E epilog;

  static void RunProlog(vigil_call* frame, void* self) {
    Call<Sig> call(frame);
    static_cast<CallbackHolder*>(self)->prolog(call);
  }
  static void RunEpilog(vigil_call* frame, void* self) {
    Call<Sig> call(frame);
    static_cast<CallbackHolder*>(self)->epilog(call);
  }
  static void Destroy(void* self) { delete static_cast<CallbackHolder*>(self); }

  static CallbackSpec Spec(CallbackHolder* self) {
    CallbackSpec spec;
    if constexpr (!std::is_same_v<P, NoCallback>) spec.prolog = &RunProlog;
    if constexpr (!std::is_same_v<E, NoCallback>) spec.epilog = &RunEpilog;
    spec.user = self;
    spec.destroy = &Destroy;
    return spec;
  }
};

template <typename Sig, typename P, typename E>
StatusOr<Attachment> AttachTyped(std::string_view pattern, P&& prolog, E&& epilog,
                                 const AttachOptions& options) {
  static_assert(std::is_function_v<Sig>,
                "vigil::Attach<Sig>: Sig must be a function type such as "
                "int(const shop::Db*, int)");
  using Holder = CallbackHolder<Sig, std::decay_t<P>, std::decay_t<E>>;
  auto holder = std::make_unique<Holder>(
      Holder{std::forward<P>(prolog), std::forward<E>(epilog)});
  StatusOr<Attachment> result =
      AttachErased(pattern, typeid(Sig).name(), Holder::Spec(holder.get()), options);
  if (result.ok()) holder.release();  // now owned by the runtime
  return result;
}

template <typename Sig, typename P, typename E>
Status ReplaceTyped(Attachment attachment, P&& prolog, E&& epilog) {
  static_assert(std::is_function_v<Sig>, "vigil::Replace<Sig>: Sig must be a function type");
  using Holder = CallbackHolder<Sig, std::decay_t<P>, std::decay_t<E>>;
  auto holder = std::make_unique<Holder>(
      Holder{std::forward<P>(prolog), std::forward<E>(epilog)});
  Status status = ReplaceErased(attachment, typeid(Sig).name(), Holder::Spec(holder.get()));
  if (status.ok()) holder.release();
  return status;
}

}  // namespace internal

// Attaches a prolog and an epilog, each callable as `void(vigil::Call<Sig>&)`
// (or vigil::NoCallback{}), to every hook point matching `pattern` (same
// syntax as FindHooks), now and in images loaded later.
//
// Fails, attaching nothing, with:
//   kTypeMismatch  if a matching hook point's type is not Sig (ignoring
//                  noexcept); the message names both types;
//   kNotFound      if nothing matches (unless options.allow_pending);
//   kInvalidArgument for an empty pattern or two NoCallbacks.
// Hook points of images loaded later that match the pattern but not Sig are
// skipped (Describe lists where the callbacks run).
template <typename Sig, typename Prolog, typename Epilog>
StatusOr<Attachment> Attach(std::string_view pattern, Prolog&& prolog, Epilog&& epilog,
                            const AttachOptions& options = {}) {
  static_assert(internal::kIsCallback<Sig, std::decay_t<Prolog>>,
                "vigil::Attach: the prolog must be callable as void(vigil::Call<Sig>&)");
  static_assert(internal::kIsCallback<Sig, std::decay_t<Epilog>>,
                "vigil::Attach: the epilog must be callable as void(vigil::Call<Sig>&)");
  return internal::AttachTyped<Sig>(pattern, std::forward<Prolog>(prolog),
                                    std::forward<Epilog>(epilog), options);
}

// Attach with a prolog only.
template <typename Sig, typename Prolog>
StatusOr<Attachment> AttachProlog(std::string_view pattern, Prolog&& prolog,
                                  const AttachOptions& options = {}) {
  return Attach<Sig>(pattern, std::forward<Prolog>(prolog), NoCallback{}, options);
}

// Attach with an epilog only.
template <typename Sig, typename Epilog>
StatusOr<Attachment> AttachEpilog(std::string_view pattern, Epilog&& epilog,
                                  const AttachOptions& options = {}) {
  return Attach<Sig>(pattern, NoCallback{}, std::forward<Epilog>(epilog), options);
}

// Atomically swaps the callbacks of `attachment` for new ones, keeping its
// pattern, priority, place among equal priorities and hook points; each call
// runs either the old callbacks or the new ones. Resets its error count. Sig
// must be the type the attachment was made with (kTypeMismatch otherwise);
// kNotFound for an unknown attachment.
template <typename Sig, typename Prolog, typename Epilog = NoCallback>
Status Replace(Attachment attachment, Prolog&& prolog, Epilog&& epilog = NoCallback{}) {
  static_assert(internal::kIsCallback<Sig, std::decay_t<Prolog>>,
                "vigil::Replace: the prolog must be callable as void(vigil::Call<Sig>&)");
  static_assert(internal::kIsCallback<Sig, std::decay_t<Epilog>>,
                "vigil::Replace: the epilog must be callable as void(vigil::Call<Sig>&)");
  return internal::ReplaceTyped<Sig>(attachment, std::forward<Prolog>(prolog),
                                     std::forward<Epilog>(epilog));
}

// Detaches `attachment` from all its hook points (also a disabled one, which
// Describe still reports until then). kNotFound if it is unknown. Calls that
// already started may still run its callbacks; their objects are destroyed
// once no thread can be using them.
VIGIL_EXPORT Status Detach(Attachment attachment);

// Detaches every attachment. The emergency stop.
VIGIL_EXPORT void DetachAll();

// Detaches on destruction.
class ScopedAttachment {
 public:
  ScopedAttachment() = default;
  explicit ScopedAttachment(Attachment a) : a_(a) {}
  ScopedAttachment(ScopedAttachment&& o) noexcept : a_(std::exchange(o.a_, Attachment())) {}
  ScopedAttachment& operator=(ScopedAttachment&& o) noexcept {
    if (this != &o) {
      reset();
      a_ = std::exchange(o.a_, Attachment());
    }
    return *this;
  }
  ~ScopedAttachment() { reset(); }

  Attachment get() const { return a_; }
  Attachment release() { return std::exchange(a_, Attachment()); }
  void reset() {
    if (a_.valid()) (void)Detach(release());
  }

 private:
  Attachment a_;
};

// ---------------------------------------------------------------------------
// Inspection.
// ---------------------------------------------------------------------------

struct AttachmentInfo {
  std::string pattern;
  std::string signature;   // typeid(Sig).name(); empty for C callbacks
  int priority = 0;
  uint64_t errors = 0;     // exceptions escaped from its callbacks
  bool disabled = false;   // disabled after max_errors; no longer runs
  std::vector<std::string> hooks;  // names of the hook points it is attached to
};

// kNotFound if `attachment` is unknown (never made, or detached).
VIGIL_EXPORT StatusOr<AttachmentInfo> Describe(Attachment attachment);

// Counters of a hook point, kept without locks or atomic read-modify-write on
// the call path (per-thread cells summed here). Time is measured on one call
// in every kTimeSamplePeriod per thread and extrapolated.
struct HookStats {
  uint64_t calls = 0;             // calls that ran with callbacks attached
  uint64_t aborts = 0;            // calls aborted by a prolog
  uint64_t callback_errors = 0;   // exceptions that escaped a callback
  uint64_t sampled_calls = 0;     // calls whose callback time was measured
  uint64_t sampled_callback_ns = 0;  // time in callbacks during those calls

  // Estimated total time spent in callbacks over all `calls`.
  uint64_t EstimatedCallbackNs() const {
    if (sampled_calls == 0) return 0;
    return static_cast<uint64_t>(static_cast<long double>(sampled_callback_ns) * calls /
                                 sampled_calls);
  }
};

inline constexpr uint32_t kTimeSamplePeriod = 256;

// Counters of the hook points matching `pattern`, summed. kNotFound if none.
VIGIL_EXPORT StatusOr<HookStats> GetHookStats(std::string_view pattern);

// The engine's own state; mostly for tests and diagnostics.
struct EngineStats {
  size_t hook_points = 0;        // known hook points (loaded or not)
  size_t images = 0;             // registered images
  size_t attachments = 0;        // live attachments (disabled ones included)
  size_t retired_pending = 0;    // snapshots/callbacks awaiting reclamation
  uint64_t reclaimed = 0;        // objects reclaimed so far
  size_t reader_records = 0;     // per-thread reader records in use
  bool membarrier = false;       // readers rely on membarrier (no fences)
  uint64_t bad_site_records = 0; // malformed records skipped at registration
};
VIGIL_EXPORT EngineStats GetEngineStats();

// Frees retired objects that no thread can still use; returns how many. Every
// write (attach, detach, ...) already does this; call it to reclaim memory
// after a long-running hooked call ended.
VIGIL_EXPORT size_t Reclaim();

// While one exists, hook points reached on this thread run plainly, as inside
// a callback. For agent threads that call hooked code on their own behalf.
class ScopedSuppressHooks {
 public:
  ScopedSuppressHooks() { internal::SuppressHooks(+1); }
  ~ScopedSuppressHooks() { internal::SuppressHooks(-1); }
  ScopedSuppressHooks(const ScopedSuppressHooks&) = delete;
  ScopedSuppressHooks& operator=(const ScopedSuppressHooks&) = delete;
};

}  // namespace vigil

#endif  // VIGIL_HOOK_H_
