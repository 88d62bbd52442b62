// Copyright Vigil authors.
//
// Typed glue for sinks whose interesting arguments are C strings and
// argument vectors and which fail by returning a value with errno set (libc's
// process and file functions). A protection describes each sink by its type
// Sig and how it fails; LibcSink<Sig, Rule, View> makes the Sink row whose
// prolog builds a View over the typed call and runs Rule::Check on it.
//
// Argument indexes come from the rule at run time; the per-Sig tables below
// turn an index into the function that reads that argument, so the prolog
// does no type dispatch of its own. Reading an argument of the wrong kind
// yields nothing (validation keeps rules from selecting one).
#ifndef VIGIL_AGENT_PROTECTIONS_LIBC_SINK_H_
#define VIGIL_AGENT_PROTECTIONS_LIBC_SINK_H_

#include <cerrno>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

#include "protections/protection_rule.h"
#include "protections/sink.h"
#include "vigil/hook.h"

namespace vigil::agent {

// How a blocked call fails: what the caller receives, and errno.
struct Failure {
  long value = -1;   // the integer result (ignored for pointer results: nullptr)
  int error = EACCES;  // errno, or 0 to leave it
};

namespace libc_sink {

template <typename T>
constexpr ArgKind KindOf() {
  using V = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<V, const char*>) return ArgKind::kCString;
  if constexpr (std::is_same_v<V, char* const*>) return ArgKind::kArgv;
  if constexpr (std::is_integral_v<V> && !std::is_same_v<V, bool>) return ArgKind::kInteger;
  return ArgKind::kOther;
}

template <typename Sig>
struct Arity;
template <typename R, typename... A>
struct Arity<R(A...)> : std::integral_constant<size_t, sizeof...(A)> {};
template <typename R, typename... A>
struct Arity<R(A...) noexcept> : std::integral_constant<size_t, sizeof...(A)> {};

// Reads argument I of a call of type Sig as a C string or an argv.
template <typename Sig, size_t I>
struct ArgRead {
  using C = vigil::Call<Sig>;
  using T = typename C::template Arg<I>;
  static const char* Text(const C& c) {
    if constexpr (KindOf<T>() == ArgKind::kCString) {
      return c.template arg<I>();
    } else {
      return nullptr;
    }
  }
  static char* const* Argv(const C& c) {
    if constexpr (KindOf<T>() == ArgKind::kArgv) {
      return c.template arg<I>();
    } else {
      return nullptr;
    }
  }
};

template <typename Sig>
struct Tables {
  using C = vigil::Call<Sig>;
  static constexpr size_t N = Arity<Sig>::value;
  template <size_t... Is>
  static constexpr std::array<const char* (*)(const C&), N> TextFns(std::index_sequence<Is...>) {
    return {&ArgRead<Sig, Is>::Text...};
  }
  template <size_t... Is>
  static constexpr std::array<char* const* (*)(const C&), N> ArgvFns(std::index_sequence<Is...>) {
    return {&ArgRead<Sig, Is>::Argv...};
  }
  template <size_t... Is>
  static constexpr std::array<ArgKind, 16> Kinds(std::index_sequence<Is...>) {
    return {KindOf<typename C::template Arg<Is>>()...};
  }
  static constexpr auto kText = TextFns(std::make_index_sequence<N>());
  static constexpr auto kArgv = ArgvFns(std::make_index_sequence<N>());
  static constexpr auto kKinds = Kinds(std::make_index_sequence<N>());
};

}  // namespace libc_sink

// A typed call of a libc sink, as the protections' views read it.
template <typename Sig>
class LibcCall {
 public:
  LibcCall(vigil::Call<Sig>& call, Failure failure) : call_(call), failure_(failure) {}

  std::string_view hook_name() const { return call_.hook_name(); }
  // Argument `index` as a C string / argv; null if absent or of another kind.
  const char* Text(int index) const {
    using T = libc_sink::Tables<Sig>;
    return index >= 0 && static_cast<size_t>(index) < T::N ? T::kText[index](call_) : nullptr;
  }
  char* const* Argv(int index) const {
    using T = libc_sink::Tables<Sig>;
    return index >= 0 && static_cast<size_t>(index) < T::N ? T::kArgv[index](call_) : nullptr;
  }
  // Skips the function: the caller receives the failure value, errno set.
  bool Fail() const {
    using R = typename vigil::Call<Sig>::Result;
    bool done = false;
    if constexpr (std::is_pointer_v<R>) {
      done = call_.Abort(static_cast<R>(nullptr));
    } else if constexpr (std::is_integral_v<R>) {
      done = call_.Abort(static_cast<R>(failure_.value));
    }
    if (done && failure_.error != 0) errno = failure_.error;
    return done;
  }

 private:
  vigil::Call<Sig>& call_;
  Failure failure_;
};

// The Sink row of a libc function of type Sig whose calls `Rule` checks
// through `View` (constructed from (LibcCall<Sig>&, const Rule&)).
template <typename Sig, typename Rule, template <typename> class View, Failure kFailure>
Sink LibcSink(std::string_view name, std::string_view library, std::string_view prototype) {
  struct Glue {
    static auto Prolog(std::shared_ptr<const ProtectionRule> base) {
      auto rule = std::static_pointer_cast<const Rule>(std::move(base));
      return [rule = std::move(rule)](vigil::Call<Sig>& call) {
        LibcCall<Sig> typed(call, kFailure);
        View<Sig> view(typed, *rule);
        rule->Check(view);
      };
    }
    static vigil::StatusOr<vigil::Attachment> Attach(const Sink& sink,
                                                     std::shared_ptr<const ProtectionRule> rule,
                                                     const vigil::AttachOptions& options) {
      return vigil::AttachProlog<Sig>(sink.symbol, Prolog(std::move(rule)), options);
    }
    static vigil::Status Replace(vigil::Attachment a, const Sink&,
                                 std::shared_ptr<const ProtectionRule> rule) {
      return vigil::Replace<Sig>(a, Prolog(std::move(rule)));
    }
  };
  Sink s;
  s.name = name;
  s.symbol = name;  // C functions: the name is the symbol
  s.library = library;
  s.prototype = prototype;
  s.arity = libc_sink::Tables<Sig>::N;
  s.args = libc_sink::Tables<Sig>::kKinds;
  s.attach = &Glue::Attach;
  s.replace = &Glue::Replace;
  return s;
}

// Checks that argument `index` (a rule's `field`) of every sink `rule`'s
// patterns name is of `kind`; `required` says whether -1 (absent) is an error.
bool ValidateArg(const Rule& rule, std::string_view field, int index, ArgKind kind, bool required,
                 std::string* out_field, std::string* reason);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_PROTECTIONS_LIBC_SINK_H_
